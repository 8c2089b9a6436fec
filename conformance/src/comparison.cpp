// The comparator shared by the builder level and the wire level.
#include "matrix/conformance/comparison.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <tuple>
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

bool sorted_less(const QueryParam& a, const QueryParam& b) {
    return std::tie(a.name, a.value) < std::tie(b.name, b.value);
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
    const std::vector<QueryParam>& actual = parsed.params;
    std::vector<QueryParam> want = expected.query;
    std::vector<QueryParam> got = actual;
    std::ranges::sort(want, sorted_less);
    std::ranges::sort(got, sorted_less);
    if (want != got) out.push_back({"query", show_query(expected.query), show_query(actual)});
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
