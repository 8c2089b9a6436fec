// The comparator shared by the builder level and the wire level.
#include "matrix/conformance/comparison.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/query_string.hpp"

namespace matrix::conformance {
namespace {

std::string show_query(const std::vector<QueryParam>& query) {
    std::string text = "[";
    for (const QueryParam& param : query) {
        if (text.size() > 1) text += ", ";
        text += "[" + show_bytes(param.name) + ", " + show_bytes(param.value) + "]";
    }
    return text + "]";
}

// A query's values grouped by name: names in first-seen order, each name's values in the
// order given, so a report lists them as the vector or the request has them.
using QueryGroups = std::vector<std::pair<std::string, std::vector<std::string>>>;

QueryGroups group_by_name(const std::vector<QueryParam>& query) {
    QueryGroups groups;
    for (const QueryParam& param : query) {
        const auto group = std::ranges::find(groups, param.name, &QueryGroups::value_type::first);
        if (group == groups.end()) {
            groups.push_back({param.name, {param.value}});
        } else {
            group->second.push_back(param.value);
        }
    }
    return groups;
}

const std::vector<std::string>* values_of(const QueryGroups& groups, const std::string& name) {
    const auto group = std::ranges::find(groups, name, &QueryGroups::value_type::first);
    return group == groups.end() ? nullptr : &group->second;
}

std::string show_values(const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& value : values) text += (text.empty() ? "" : ", ") + show_bytes(value);
    return text;
}

// `from` less one occurrence of each of `taken`'s values: what one side has that the other
// lacks, repeats counted.
std::vector<std::string> without(std::vector<std::string> from,
                                 const std::vector<std::string>& taken) {
    for (const std::string& value : taken) {
        const auto found = std::ranges::find(from, value);
        if (found != from.end()) from.erase(found);
    }
    return from;
}

// One name's values on both sides, compared as a multiset (the format ignores their order).
// A single value each way is shown as the two values; a repeated name also says which values
// are missing and which are extra.
void compare_values(const std::string& name, const std::vector<std::string>& want,
                    const std::vector<std::string>& got, std::vector<Mismatch>& out) {
    const std::vector<std::string> missing = without(want, got);
    const std::vector<std::string> extra = without(got, want);
    if (missing.empty() && extra.empty()) return;
    std::string actual = show_values(got);
    if (want.size() > 1 || got.size() > 1) {
        std::string counted;
        if (!missing.empty()) counted += "missing " + show_values(missing);
        if (!extra.empty())
            counted += std::string(counted.empty() ? "" : "; ") + "extra " + show_values(extra);
        actual += " (" + counted + ")";
    }
    out.push_back({"query " + show_bytes(name), show_values(want), actual});
}

void compare_query(const ExpectedRequest& expected, std::string_view raw_query,
                   std::vector<Mismatch>& out) {
    // A malformed escape is reported, not guessed at.
    ParsedQuery parsed = parse_query(raw_query);
    if (!parsed.decodes()) {
        out.push_back({"query", show_query(expected.query),
                       "malformed percent-encoding in " + show_bytes(*parsed.first_malformed)});
        return;
    }
    // Per name rather than two whole lists: a missing name, an extra name or the values of
    // one name that differ, each a mismatch of its own.
    const QueryGroups want = group_by_name(expected.query);
    const QueryGroups got = group_by_name(parsed.params);
    for (const auto& [name, values] : want) {
        const std::vector<std::string>* sent = values_of(got, name);
        if (sent == nullptr) {
            out.push_back({"query " + show_bytes(name), show_values(values), "(absent)"});
        } else {
            compare_values(name, values, *sent, out);
        }
    }
    for (const auto& [name, values] : got) {
        if (values_of(want, name) == nullptr)
            out.push_back({"query " + show_bytes(name), "(absent)", show_values(values)});
    }
}

void compare_headers(const ExpectedRequest& expected, const WireRequest& actual,
                     std::vector<Mismatch>& out) {
    bool authorization_listed = false;
    for (const Header& want : expected.headers) {
        authorization_listed =
            authorization_listed || header_name_equals(want.name, "Authorization");
        std::vector<std::string_view> values;
        for (const Header& header : actual.headers) {
            if (header_name_equals(header.name, want.name)) values.push_back(header.value);
        }
        const std::string field = "header " + want.name;
        if (values.empty()) {
            out.push_back({field, show_bytes(want.value), "(absent)"});
        } else if (values.size() > 1) {
            std::string all;
            for (const std::string_view value : values)
                all += (all.empty() ? "" : ", ") + show_bytes(value);
            out.push_back({field, show_bytes(want.value),
                           "sent " + std::to_string(values.size()) + " times: " + all});
        } else if (values.front() != want.value) {
            out.push_back({field, show_bytes(want.value), show_bytes(values.front())});
        }
    }
    if (!authorization_listed) {
        for (const Header& header : actual.headers) {
            if (header_name_equals(header.name, "Authorization")) {
                out.push_back({"header Authorization", "(absent)", show_bytes(header.value)});
            }
        }
    }
}

void compare_body(const ExpectedRequest& expected, const std::string& body,
                  std::vector<Mismatch>& out) {
    switch (expected.body_kind) {
        case ExpectedBody::none:
            if (!body.empty()) out.push_back({"body", "(no body)", show_bytes(body)});
            return;
        case ExpectedBody::raw:
            if (body != expected.body)
                out.push_back({"body", show_bytes(expected.body), show_bytes(body)});
            return;
        case ExpectedBody::json: {
            if (body.empty()) {
                out.push_back({"body", expected.body, "(no body)"});
                return;
            }
            try {
                // The format's deep equality (Json's ==: key order ignored, numbers by value),
                // reported where the bodies first differ rather than as two whole bodies.
                const Json got = Json::parse(body, "body");
                const std::optional<JsonDifference> difference =
                    first_difference(Json::parse(expected.body, "expected body"), got);
                if (difference) {
                    out.push_back(
                        {"body " + difference->path, difference->expected, difference->actual});
                }
            } catch (const InvalidArgument& e) {
                out.push_back({"body", expected.body,
                               "not JSON (" + std::string(e.what()) + "): " + show_bytes(body)});
            }
            return;
        }
    }
}

}  // namespace

std::string show_bytes(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "\"";
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte >= 0x20 && byte < 0x7F) {
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out + "\"";
}

std::vector<Mismatch> compare(const ExpectedRequest& expected, const WireRequest& actual) {
    std::vector<Mismatch> out;
    if (actual.method != expected.method) {
        out.push_back({"method", expected.method, actual.method});
    }
    const std::size_t question = actual.target.find('?');
    const std::string_view target(actual.target);
    const std::string_view path = target.substr(0, question);
    const std::string_view raw_query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    if (path != expected.path) out.push_back({"path", show_bytes(expected.path), show_bytes(path)});
    compare_query(expected, raw_query, out);
    compare_headers(expected, actual, out);
    compare_body(expected, actual.body, out);
    return out;
}

}  // namespace matrix::conformance
