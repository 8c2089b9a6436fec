#include "validation/schema_check.hpp"

#include <cmath>
#include <cstdio>

#include "dom_difference.hpp"
#include "json_text_dom.hpp"

namespace matrix::validation {
namespace {

// Long values are cut in messages: a message names the culprit, it does not echo the body.
constexpr std::size_t kExcerptBytes = 60;

// Values come from DOMs whose numbers keep their text (json_text_dom.hpp): an integer within
// 64 bits is typed, any other number is a marked string. A number is an integer when its value
// is one, as JSON Schema counts it (1.0 and 1e3 are integers).
std::uint8_t type_of(const rapidjson::Value& value) {
    if (value.IsNull()) return kNull;
    if (value.IsBool()) return kBoolean;
    if (value.IsObject()) return kObject;
    if (value.IsArray()) return kArray;
    if (value.IsInt64() || value.IsUint64()) return kInteger;
    if (detail::is_text_string(value)) return kString;
    const std::string text = detail::number_text(value);
    if (text.find_first_of(".eE") == std::string::npos) return kInteger;  // beyond 64 bits
    const std::optional<double> number = detail::nearest_double(text);
    return number && std::isfinite(*number) && std::floor(*number) == *number ? kInteger : kNumber;
}

bool accepts_type(std::uint8_t accepted, std::uint8_t found) {
    if (accepted == 0 || (accepted & found) != 0) return true;
    return found == kInteger && (accepted & kNumber) != 0;
}

std::string excerpt(const rapidjson::Value& value) {
    if (value.IsObject()) return "an object";
    if (value.IsArray()) return "an array";
    std::string text = detail::compact_text_of(value);
    if (text.size() > kExcerptBytes) text = text.substr(0, kExcerptBytes) + "...";
    return text;
}

void add(std::vector<SpecViolation>& out, const std::string& where, std::string_view rule,
         std::string message) {
    out.push_back({where, std::string(rule), std::move(message)});
}

// Appends to `where` for the lifetime of the guard, so one string serves the whole walk.
class WhereGuard {
  public:
    explicit WhereGuard(std::string& where) : where_(where), size_(where.size()) {}
    ~WhereGuard() { where_.resize(size_); }
    WhereGuard(const WhereGuard&) = delete;
    WhereGuard& operator=(const WhereGuard&) = delete;

  private:
    std::string& where_;
    std::size_t size_;
};

bool is_plain_word(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const bool word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!word) return false;
    }
    return true;
}

void check_object(const Schema& schema, const rapidjson::Value& value, std::string& where,
                  std::vector<SpecViolation>& out) {
    for (const std::string& name : schema.required) {
        if (value.FindMember(rapidjson::StringRef(name.data(), name.size())) != value.MemberEnd())
            continue;
        WhereGuard guard(where);
        append_member(where, name);
        add(out, where, "missing", "required member \"" + name + "\" is missing");
    }
    for (const auto& [key, member_value] : value.GetObject()) {
        const std::string_view name(key.GetString(), key.GetStringLength());
        const Schema* member_schema = schema.property(name);
        if (member_schema == nullptr && schema.additional_forbidden) {
            WhereGuard guard(where);
            append_member(where, name);
            add(out, where, "additional_property",
                "member \"" + std::string(name) + "\" is not one the spec allows here");
            continue;
        }
        if (member_schema == nullptr) member_schema = schema.additional;
        if (member_schema == nullptr) continue;
        WhereGuard guard(where);
        append_member(where, name);
        check_value(*member_schema, member_value, where, out);
    }
}

void check_one_of(const Schema& schema, const rapidjson::Value& value, std::string& where,
                  std::vector<SpecViolation>& out) {
    std::vector<SpecViolation> first_attempt;
    for (std::size_t i = 0; i < schema.one_of.size(); ++i) {
        std::vector<SpecViolation> attempt;
        check_value(*schema.one_of[i], value, where, attempt);
        if (attempt.empty()) return;
        if (i == 0) first_attempt = std::move(attempt);
    }
    std::string message = excerpt(value) + " matches none of the " +
                          std::to_string(schema.one_of.size()) + " shapes the spec allows here";
    if (!first_attempt.empty()) {
        message += " (against the first: " + first_attempt.front().where + ": " +
                   first_attempt.front().message + ")";
    }
    add(out, where, "one_of", std::move(message));
}

}  // namespace

void append_member(std::string& where, std::string_view name) {
    if (is_plain_word(name)) {
        where += '.';
        where += name;
        return;
    }
    where += "[\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') where += '\\';
        where += c;
    }
    where += "\"]";
}

std::string type_names(std::uint8_t types) {
    static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
        {kObject, "object"}, {kArray, "array"},     {kString, "string"}, {kInteger, "integer"},
        {kNumber, "number"}, {kBoolean, "boolean"}, {kNull, "null"}};
    std::string out;
    for (const auto& [bit, name] : kNames) {
        if ((types & bit) == 0) continue;
        if (!out.empty()) out += " or ";
        out += name;
    }
    return out;
}

std::string_view format_name(Format format) noexcept {
    switch (format) {
        case Format::user_id:
            return "mx-user-id (@localpart:server)";
        case Format::room_id:
            return "mx-room-id (!opaque)";
        case Format::event_id:
            return "mx-event-id ($opaque)";
        case Format::room_alias:
            return "mx-room-alias (#alias:server)";
        case Format::mxc_uri:
            return "mx-mxc-uri (mxc://server/media-id)";
        case Format::server_name:
            return "mx-server-name";
        case Format::uri:
            return "uri (scheme:...)";
        case Format::none:
            break;
    }
    return "";
}

bool has_format(Format format, std::string_view text) noexcept {
    // A sigil, then a non-empty part; for identifiers with a server, ":" and a non-empty server.
    const auto sigil_and_server = [&](char sigil) {
        if (text.size() < 2 || text[0] != sigil) return false;
        const std::size_t colon = text.find(':', 1);
        return colon != std::string_view::npos && colon > 1 && colon + 1 < text.size();
    };
    switch (format) {
        case Format::none:
            return true;
        case Format::user_id:
            return sigil_and_server('@');
        case Format::room_alias:
            return sigil_and_server('#');
        // Room ids from room version 12 on, and event ids from version 3 on, carry no server.
        case Format::room_id:
            return text.size() >= 2 && text[0] == '!';
        case Format::event_id:
            return text.size() >= 2 && text[0] == '$';
        case Format::mxc_uri: {
            if (text.substr(0, 6) != "mxc://") return false;
            const std::size_t slash = text.find('/', 6);
            return slash != std::string_view::npos && slash > 6 && slash + 1 < text.size();
        }
        case Format::server_name:
            return !text.empty() && text.find_first_of("/ \t\r\n@!#$") == std::string_view::npos;
        case Format::uri: {
            if (text.empty()) return false;
            const char first = text[0];
            if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
            for (std::size_t i = 1; i < text.size(); ++i) {
                const char c = text[i];
                if (c == ':') return true;
                const bool scheme = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
                if (!scheme) return false;
            }
            return false;
        }
    }
    return true;
}

void check_value(const Schema& schema, const rapidjson::Value& value, std::string& where,
                 std::vector<SpecViolation>& out) {
    const std::uint8_t found = type_of(value);
    if (!accepts_type(schema.types, found)) {
        add(out, where, "type",
            "expected " + type_names(schema.types) + ", found " + type_names(found) + " " +
                excerpt(value));
        return;  // members of a value of the wrong type say nothing more
    }
    if (schema.enum_values != nullptr) {
        bool listed = false;
        for (const auto& allowed : schema.enum_values->GetArray()) {
            listed = listed || !detail::first_dom_difference(allowed, value, {}).has_value();
        }
        if (!listed) {
            std::string choices;
            for (const auto& allowed : schema.enum_values->GetArray())
                choices += (choices.empty() ? "" : ", ") + excerpt(allowed);
            add(out, where, "enum", excerpt(value) + " is not one of " + choices);
        }
    }
    if (schema.format != Format::none && detail::is_text_string(value) &&
        !has_format(schema.format, {value.GetString(), value.GetStringLength()})) {
        add(out, where, "format",
            excerpt(value) + " is not a " + std::string(format_name(schema.format)));
    }
    if (value.IsObject()) check_object(schema, value, where, out);
    if (value.IsArray() && schema.items != nullptr) {
        std::size_t index = 0;
        for (const auto& item : value.GetArray()) {
            WhereGuard guard(where);
            where += '[' + std::to_string(index++) + ']';
            check_value(*schema.items, item, where, out);
        }
    }
    if (!schema.one_of.empty()) check_one_of(schema, value, where, out);
}

}  // namespace matrix::validation
