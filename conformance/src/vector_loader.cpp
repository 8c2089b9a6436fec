// Loads vector files and reports, rather than skips, anything not in the format.
//
// The file is read as the SDK's json_text_dom.hpp reads JSON: an integer within 64 bits is a
// typed number, any other number is kept as its text in a marked string, so that arguments and
// expected bodies reach the builder and the comparison with every number as written (they are
// compared by exact decimal value). Strings are therefore read with is_text_string().
#include <rapidjson/document.h>

#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "json_text_dom.hpp"
#include "matrix/conformance/vector.hpp"
#include "matrix/error.hpp"
#include "matrix/named_builder.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix::conformance {
namespace {

using matrix::detail::is_text_string;
using rapidjson::Value;

const char* type_name(const Value& value) {
    if (value.IsNull()) return "null";
    if (value.IsBool()) return "boolean";
    if (matrix::detail::is_number(value)) return "number";
    if (value.IsString()) return "string";
    if (value.IsArray()) return "array";
    return "object";
}

std::string compact(const Value& value) { return matrix::detail::compact_text_of(value); }

std::string as_string(const Value& value) { return {value.GetString(), value.GetStringLength()}; }

// Writing, comparing and building values recurse once per level of nesting, so a vector nested
// deeper than this is refused before anything walks it: far beyond what a request needs, far
// below what exhausts a thread's stack.
constexpr std::size_t kMaxNesting = 512;

// Whether `root` nests arrays and objects at most `limit` levels deep, found without recursion.
bool nesting_within(const Value& root, std::size_t limit) {
    std::vector<std::pair<const Value*, std::size_t>> pending = {{&root, 0}};
    while (!pending.empty()) {
        const auto [value, depth] = pending.back();
        pending.pop_back();
        if (value->IsArray()) {
            if (depth + 1 > limit) return false;
            for (const Value& element : value->GetArray()) pending.push_back({&element, depth + 1});
        } else if (value->IsObject()) {
            if (depth + 1 > limit) return false;
            for (const auto& member : value->GetObject()) {
                pending.push_back({&member.value, depth + 1});
            }
        }
    }
    return true;
}

// Thrown while reading one vector; caught per vector so the rest of the file is still read.
struct BadVector {
    std::string reason;
};

const Value& required_member(const Value& object, const char* name, const char* where) {
    const auto it = object.FindMember(name);
    if (it == object.MemberEnd()) {
        throw BadVector{std::string("missing field '") + where + name + "'"};
    }
    return it->value;
}

std::string required_string(const Value& object, const char* name, const char* where) {
    const Value& value = required_member(object, name, where);
    if (!is_text_string(value)) {
        throw BadVector{std::string("field '") + where + name + "' must be a string, got " +
                        type_name(value)};
    }
    return as_string(value);
}

// The first of the format's `fields` that `object` holds more than once, if any. Lookups find
// only the first of two equal keys, so the second value would be silently ignored: a second
// "expect" never checked, a second "vectors" array never run.
std::optional<std::string> repeated_field(const Value& object,
                                          std::initializer_list<std::string_view> fields) {
    for (const std::string_view field : fields) {
        std::size_t seen = 0;
        for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
            const std::string_view name(it->name.GetString(), it->name.GetStringLength());
            if (name == field && ++seen == 2) return std::string(field);
        }
    }
    return std::nullopt;
}

// A query value given as a string, number or boolean; numbers in decimal.
std::string query_value_text(const Value& value, std::size_t pair_index) {
    if (is_text_string(value)) {
        // Expected values are decoded text; a value that happens to hold %XX escapes is
        // decoded too, as the format compares both sides after percent-decoding.
        const std::string text = as_string(value);
        return percent_decode(text).value_or(text);
    }
    if (value.IsBool()) return value.GetBool() ? "true" : "false";
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    if (value.IsUint64()) return std::to_string(value.GetUint64());
    throw BadVector{"field 'expect.query[" + std::to_string(pair_index) +
                    "]' value must be a string, integer or boolean, got " + type_name(value)};
}

ExpectedRequest read_expect(const Value& expect) {
    if (!expect.IsObject()) {
        throw BadVector{std::string("field 'expect' must be an object, got ") + type_name(expect)};
    }
    static const std::set<std::string> known = {"method",  "path", "query",
                                                "headers", "body", "body_raw"};
    for (auto it = expect.MemberBegin(); it != expect.MemberEnd(); ++it) {
        // An unknown key here would be a check silently not made (a typo such as "heders").
        if (known.count(as_string(it->name)) == 0) {
            throw BadVector{"unknown field 'expect." + as_string(it->name) +
                            "' (fields: method, path, query, headers, body, body_raw)"};
        }
    }
    if (const auto field =
            repeated_field(expect, {"method", "path", "query", "headers", "body", "body_raw"})) {
        throw BadVector{"field 'expect." + *field + "' is given twice"};
    }
    ExpectedRequest request;
    request.method = required_string(expect, "method", "expect.");
    if (request.method.empty()) throw BadVector{"field 'expect.method' must not be empty"};
    for (const char c : request.method) {
        if (c < 'A' || c > 'Z') {
            throw BadVector{"field 'expect.method' must be an upper-case HTTP method, got '" +
                            request.method + "'"};
        }
    }
    request.path = required_string(expect, "path", "expect.");
    if (request.path.empty() || request.path.front() != '/' ||
        request.path.find('?') != std::string::npos) {
        throw BadVector{"field 'expect.path' must start with '/' and hold no query, got '" +
                        request.path + "'"};
    }

    const Value& query = required_member(expect, "query", "expect.");
    if (!query.IsArray()) {
        throw BadVector{std::string("field 'expect.query' must be an array of [name, value] "
                                    "pairs, got ") +
                        type_name(query)};
    }
    for (rapidjson::SizeType i = 0; i < query.Size(); ++i) {
        const Value& pair = query[i];
        if (!pair.IsArray() || pair.Size() != 2 || !is_text_string(pair[0])) {
            throw BadVector{"field 'expect.query[" + std::to_string(i) +
                            "]' must be a [name, value] pair with a string name, got " +
                            compact(pair)};
        }
        request.query.push_back({as_string(pair[0]), query_value_text(pair[1], i)});
    }

    const Value& headers = required_member(expect, "headers", "expect.");
    if (!headers.IsObject()) {
        throw BadVector{std::string("field 'expect.headers' must be an object, got ") +
                        type_name(headers)};
    }
    for (auto it = headers.MemberBegin(); it != headers.MemberEnd(); ++it) {
        if (!is_text_string(it->value)) {
            throw BadVector{"field 'expect.headers." + as_string(it->name) +
                            "' must be a string, got " + type_name(it->value)};
        }
        request.headers.push_back({as_string(it->name), as_string(it->value)});
    }

    const auto body = expect.FindMember("body");
    const auto body_raw = expect.FindMember("body_raw");
    if (body != expect.MemberEnd() && body_raw != expect.MemberEnd()) {
        throw BadVector{"fields 'expect.body' and 'expect.body_raw' exclude each other"};
    }
    if (body != expect.MemberEnd()) {
        request.body_kind = ExpectedBody::json;
        request.body = compact(body->value);
    } else if (body_raw != expect.MemberEnd()) {
        if (!is_text_string(body_raw->value)) {
            throw BadVector{std::string("field 'expect.body_raw' must be a string, got ") +
                            type_name(body_raw->value)};
        }
        request.body_kind = ExpectedBody::raw;
        request.body = as_string(body_raw->value);
    }
    return request;
}

// "expect_error": a string (the reason), or {"kind": "invalid_argument", "argument": NAME,
// "reason": TEXT} naming the argument the refusal must be of.
ExpectedRefusal read_expect_error(const Value& value) {
    if (is_text_string(value)) return {as_string(value), std::nullopt};
    if (!value.IsObject()) {
        throw BadVector{std::string("field 'expect_error' must be a string or an object, got ") +
                        type_name(value)};
    }
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
        // A misspelt "argumnet" would be a check silently not made.
        const std::string name = as_string(it->name);
        if (name != "kind" && name != "argument" && name != "reason") {
            throw BadVector{"unknown field 'expect_error." + name +
                            "' (fields: kind, argument, reason)"};
        }
    }
    if (const auto field = repeated_field(value, {"kind", "argument", "reason"})) {
        throw BadVector{"field 'expect_error." + *field + "' is given twice"};
    }
    const std::string kind = required_string(value, "kind", "expect_error.");
    if (kind != "invalid_argument") {
        throw BadVector{"field 'expect_error.kind' is \"" + kind +
                        "\", expected \"invalid_argument\" (the only refusal builders make)"};
    }
    ExpectedRefusal refusal;
    if (value.HasMember("reason"))
        refusal.reason = required_string(value, "reason", "expect_error.");
    if (value.HasMember("argument")) {
        refusal.argument = required_string(value, "argument", "expect_error.");
        if (refusal.argument->empty()) {
            throw BadVector{
                "field 'expect_error.argument' must not be empty (leave it out to "
                "accept a refusal of any argument)"};
        }
    }
    return refusal;
}

Vector read_vector(const Value& entry, const std::string& file, std::size_t index) {
    if (!entry.IsObject()) {
        throw BadVector{std::string("a vector must be an object, got ") + type_name(entry)};
    }
    // Informational keys ("source", "description", ...) may repeat; the format's own may not.
    if (const auto field = repeated_field(
            entry, {"id", "endpoint", "args", "expect", "expect_error", "version"})) {
        throw BadVector{"field '" + *field + "' is given twice"};
    }
    Vector vector;
    vector.file = file;
    vector.index = index;
    vector.id = required_string(entry, "id", "");
    if (vector.id.empty()) throw BadVector{"field 'id' must not be empty"};
    vector.endpoint = required_string(entry, "endpoint", "");
    const Value& args = required_member(entry, "args", "");
    if (!args.IsObject()) {
        throw BadVector{std::string("field 'args' must be an object, got ") + type_name(args)};
    }
    vector.args_json = compact(args);
    if (entry.HasMember("version")) {
        const Value& version = entry["version"];
        if (!is_text_string(version)) {
            throw BadVector{std::string("field 'version' must be a string, got ") +
                            type_name(version)};
        }
        vector.version = matrix::path_version_from_string(as_string(version));
        if (!vector.version) {
            throw BadVector{"field 'version' is " + compact(version) +
                            ", expected \"r0\", \"v3\" or \"v1\""};
        }
    }

    const auto expect = entry.FindMember("expect");
    const auto expect_error = entry.FindMember("expect_error");
    if (expect != entry.MemberEnd() && expect_error != entry.MemberEnd()) {
        throw BadVector{"fields 'expect' and 'expect_error' exclude each other"};
    }
    if (expect != entry.MemberEnd()) {
        vector.expect = read_expect(expect->value);
    } else if (expect_error != entry.MemberEnd()) {
        vector.expect_error = read_expect_error(expect_error->value);
    } else {
        throw BadVector{"missing field 'expect' (or 'expect_error')"};
    }

    // The endpoint must exist and the arguments must fit one of its forms; a refusal of a
    // value is the builder's business and is checked when the vector runs.
    try {
        select_form(vector.endpoint, vector.args_json);
    } catch (const UnknownEndpoint& e) {
        throw BadVector{std::string(e.what()) + " (see matrix-conformance --list-endpoints)"};
    } catch (const ArgumentSchemaError& e) {
        throw BadVector{e.what()};
    }
    return vector;
}

}  // namespace

VectorFile parse_vector_file(const std::string& path, std::string_view text) {
    VectorFile file;
    file.path = path;
    const auto problem = [&](std::string vector_id, std::string reason) {
        file.problems.push_back({path, std::move(vector_id), std::move(reason)});
    };

    // Iterative parsing keeps hostile nesting off the stack; each vector's nesting is bounded
    // below, so that one deep vector does not hide the others.
    rapidjson::Document document;
    const std::string not_json =
        matrix::detail::parse_text_dom(text, document, matrix::detail::NestingLimit::caller_checks);
    if (!not_json.empty()) {
        problem("", "not valid JSON: " + not_json);
        return file;
    }
    if (!document.IsObject()) {
        problem("", std::string("the top level must be an object, got ") + type_name(document));
        return file;
    }
    if (const auto field = repeated_field(document, {"format", "vectors"})) {
        problem("", "field '" + *field + "' is given twice");
        return file;
    }
    const auto format = document.FindMember("format");
    if (format == document.MemberEnd()) {
        problem("", "missing field 'format' (expected \"" + std::string(kVectorFormat) + "\")");
        return file;
    }
    if (!is_text_string(format->value)) {
        // Not shown: it could be any value, nested arbitrarily deep.
        problem("", std::string("field 'format' must be the string \"") +
                        std::string(kVectorFormat) + "\", got " + type_name(format->value));
        return file;
    }
    if (as_string(format->value) != kVectorFormat) {
        problem("", "field 'format' is " + compact(format->value) + ", expected \"" +
                        std::string(kVectorFormat) + "\"");
        return file;
    }
    const auto vectors = document.FindMember("vectors");
    if (vectors == document.MemberEnd() || !vectors->value.IsArray()) {
        problem("", "field 'vectors' must be an array");
        return file;
    }

    std::set<std::string> ids;
    const Value& entries = vectors->value;
    for (rapidjson::SizeType i = 0; i < entries.Size(); ++i) {
        // Name the vector by id when it has one, else by position.
        std::string label = "#" + std::to_string(i);
        if (entries[i].IsObject()) {
            const auto id = entries[i].FindMember("id");
            if (id != entries[i].MemberEnd() && is_text_string(id->value) &&
                id->value.GetStringLength() > 0) {
                label = as_string(id->value);
            }
        }
        try {
            if (!nesting_within(entries[i], kMaxNesting)) {
                throw BadVector{"nested deeper than " + std::to_string(kMaxNesting) + " levels"};
            }
            Vector vector = read_vector(entries[i], path, i);
            if (!ids.insert(vector.id).second) {
                throw BadVector{"duplicate id '" + vector.id + "'"};
            }
            file.vectors.push_back(std::move(vector));
        } catch (const BadVector& bad) {
            problem(label, bad.reason);
        }
    }
    if (entries.Size() == 0) problem("", "the file holds no vectors");
    return file;
}

VectorFile load_vector_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        VectorFile file;
        file.path = path;
        file.problems.push_back({path, "", "cannot open the file for reading"});
        return file;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_vector_file(path, text.str());
}

}  // namespace matrix::conformance
