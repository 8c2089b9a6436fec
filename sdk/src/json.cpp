// Json: validated compact JSON text, parsed and written with RapidJSON.
#include "matrix/json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <string_view>
#include <utility>
#include <vector>

#include "json_writer.hpp"
#include "matrix/error.hpp"

namespace matrix {
namespace {

Json::Kind kind_of_compact(const std::string& text) {
    switch (text.front()) {
        case '{':
            return Json::Kind::object;
        case '[':
            return Json::Kind::array;
        case '"':
            return Json::Kind::string;
        case 't':
        case 'f':
            return Json::Kind::boolean;
        case 'n':
            return Json::Kind::null;
        default:
            return Json::Kind::number;
    }
}

rapidjson::Document parse_trusted(const std::string& text) {
    rapidjson::Document document;
    document.Parse<detail::kStrictParseFlags>(text.data(), text.size());
    return document;
}

std::string write_document(const rapidjson::Value& value) {
    std::string out;
    detail::StringOutput output{&out};
    detail::JsonWriter writer(output);
    value.Accept(writer);
    return out;
}

}  // namespace

Json::Json() : text_("{}"), kind_(Kind::object) {}

Json Json::parse(std::string_view text, std::string_view argument) {
    std::string out;
    detail::StringOutput output{&out};
    detail::JsonWriter writer(output);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text.data(), text.size());
    detail::DepthLimiter<detail::JsonWriter> limiter(writer);
    const rapidjson::ParseResult result = reader.Parse<detail::kStrictParseFlags>(stream, limiter);
    if (limiter.too_deep()) {
        throw InvalidArgument(std::string(argument), "nests objects and arrays deeper than " +
                                                         std::to_string(detail::kMaxNestingDepth) +
                                                         " levels");
    }
    if (result.IsError()) {
        throw InvalidArgument(std::string(argument),
                              std::string("is not valid JSON: ") +
                                  rapidjson::GetParseError_En(result.Code()) + " at offset " +
                                  std::to_string(result.Offset()));
    }
    const Kind kind = kind_of_compact(out);
    return Json(std::move(out), kind);
}

Json Json::string(std::string_view value, std::string_view argument) {
    std::string out;
    detail::StringOutput output{&out};
    detail::JsonWriter writer(output);
    // Validate first: the writer's own check trusts a NUL after the view, so a view ending
    // inside a multi-byte sequence would let it read, and write, the bytes beyond the view.
    if (!is_valid_utf8(value) ||
        !writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()))) {
        throw InvalidArgument(std::string(argument), "is not valid UTF-8");
    }
    return Json(std::move(out), Kind::string);
}

Json Json::number(std::int64_t value) { return Json(std::to_string(value), Kind::number); }

Json Json::boolean(bool value) { return Json(value ? "true" : "false", Kind::boolean); }

Json Json::null() { return Json("null", Kind::null); }

Json Json::string_array(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const std::string& value : values) {
        if (out.size() > 1) out.push_back(',');
        out += string(value).text();
    }
    out.push_back(']');
    return Json(std::move(out), Kind::array);
}

Json Json::array(const std::vector<Json>& values) {
    std::string out = "[";
    for (const Json& value : values) {
        if (out.size() > 1) out.push_back(',');
        out += value.text();
    }
    out.push_back(']');
    return Json(std::move(out), Kind::array);
}

namespace {

template <typename Members>
Json object_from(const Members& members) {
    std::string out = "{";
    std::vector<std::string_view> keys;
    for (const auto& [key, value] : members) {
        for (const std::string_view seen : keys) {
            if (seen == key)
                throw InvalidArgument(std::string(key), "is given twice in one object");
        }
        keys.emplace_back(key);
        if (out.size() > 1) out.push_back(',');
        out += Json::string(key).text();
        out.push_back(':');
        out += value.text();
    }
    out.push_back('}');
    return Json::from_trusted_text(std::move(out), Json::Kind::object);
}

}  // namespace

Json Json::object(std::initializer_list<std::pair<std::string_view, Json>> members) {
    return object_from(members);
}

Json Json::object(const std::vector<std::pair<std::string, Json>>& members) {
    return object_from(members);
}

Json Json::with_member(std::string_view key, const Json& value) const {
    if (kind_ != Kind::object)
        throw InvalidArgument(std::string(key), "cannot be set on a non-object");
    rapidjson::Document document = parse_trusted(text_);
    rapidjson::Document member_value(&document.GetAllocator());
    member_value.Parse<detail::kStrictParseFlags>(value.text().data(), value.text().size());
    auto existing =
        document.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
    if (existing != document.MemberEnd()) {
        existing->value.CopyFrom(member_value, document.GetAllocator());
    } else {
        rapidjson::Value name(key.data(), static_cast<rapidjson::SizeType>(key.size()),
                              document.GetAllocator());
        rapidjson::Value copy(member_value, document.GetAllocator());
        document.AddMember(name, copy, document.GetAllocator());
    }
    return Json(write_document(document), Kind::object);
}

namespace {

// Numbers by value. RapidJSON's own operator== compares two integers by their bit patterns,
// which makes -1 equal 18446744073709551615; here sign and magnitude decide.
bool numbers_equal(const rapidjson::Value& a, const rapidjson::Value& b) {
    if (a.IsDouble() || b.IsDouble()) {
        const double x = a.GetDouble();
        const double y = b.GetDouble();
        return x >= y && x <= y;
    }
    if (a.IsInt64() && b.IsInt64()) return a.GetInt64() == b.GetInt64();
    if (a.IsUint64() && b.IsUint64()) return a.GetUint64() == b.GetUint64();
    return false;  // one is negative, the other above INT64_MAX
}

// Object key order ignored, numbers by value. Walked without recursion: values composed with
// Json::array and Json::object may nest deeper than Json::parse allows.
bool values_equal(const rapidjson::Value& left, const rapidjson::Value& right) {
    std::vector<std::pair<const rapidjson::Value*, const rapidjson::Value*>> pending = {
        {&left, &right}};
    while (!pending.empty()) {
        const auto [a, b] = pending.back();
        pending.pop_back();
        if (a->IsNumber() && b->IsNumber()) {
            if (!numbers_equal(*a, *b)) return false;
        } else if (a->GetType() != b->GetType()) {
            return false;
        } else if (a->IsString()) {
            if (std::string_view(a->GetString(), a->GetStringLength()) !=
                std::string_view(b->GetString(), b->GetStringLength())) {
                return false;
            }
        } else if (a->IsArray()) {
            if (a->Size() != b->Size()) return false;
            for (rapidjson::SizeType i = 0; i < a->Size(); ++i) {
                pending.emplace_back(&(*a)[i], &(*b)[i]);
            }
        } else if (a->IsObject()) {
            // Names are looked up both ways, so a repeated name cannot stand in for a missing one.
            if (a->MemberCount() != b->MemberCount()) return false;
            for (auto member = a->MemberBegin(); member != a->MemberEnd(); ++member) {
                const auto other = b->FindMember(member->name);
                if (other == b->MemberEnd()) return false;
                pending.emplace_back(&member->value, &other->value);
            }
            for (auto member = b->MemberBegin(); member != b->MemberEnd(); ++member) {
                if (!a->HasMember(member->name)) return false;
            }
        }
        // null, true and false are equal when their types are.
    }
    return true;
}

}  // namespace

bool operator==(const Json& a, const Json& b) {
    if (a.text_ == b.text_) return true;
    return values_equal(parse_trusted(a.text_), parse_trusted(b.text_));
}

const char* to_string(Json::Kind kind) noexcept {
    switch (kind) {
        case Json::Kind::null:
            return "null";
        case Json::Kind::boolean:
            return "boolean";
        case Json::Kind::number:
            return "number";
        case Json::Kind::string:
            return "string";
        case Json::Kind::array:
            return "array";
        case Json::Kind::object:
            return "object";
    }
    return "unknown";
}

}  // namespace matrix
