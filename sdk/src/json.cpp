// Json: validated compact JSON text, parsed and written with RapidJSON.
#include "matrix/json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <string_view>
#include <utility>
#include <vector>

#include "json_number.hpp"
#include "json_writer.hpp"
#include "matrix/error.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/utf8.hpp"

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

// Numbers arrive as their text (kParseNumbersAsStringsFlag) and are written as given: parsing
// never changes a number, not even its spelling ("1.50", "1E2" and "-0" stay as they are).
constexpr unsigned kNumberTextParseFlags =
    detail::kStrictParseFlags | rapidjson::kParseNumbersAsStringsFlag;

// The writer Json::parse writes through: numbers verbatim, once they are known to fit a double
// (RapidJSON itself refuses exponents beyond 308; this refuses the rest, like 1.8e308, so that
// every Json number can be read as a finite double).
class NumberTextWriter : public detail::JsonWriter {
  public:
    explicit NumberTextWriter(detail::StringOutput& output) : detail::JsonWriter(output) {}

    bool too_large() const noexcept { return too_large_; }

    // RapidJSON 1.1.0's Writer::RawNumber writes the number as a quoted string; RawValue does not.
    bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
        if (!detail::number_fits_double(std::string_view(str, length))) {
            too_large_ = true;
            return false;
        }
        return RawValue(str, length, rapidjson::kNumberType);
    }

  private:
    bool too_large_ = false;
};

rapidjson::Type type_of(Json::Kind kind) {
    switch (kind) {
        case Json::Kind::null:
            return rapidjson::kNullType;
        case Json::Kind::boolean:
            return rapidjson::kTrueType;
        case Json::Kind::number:
            return rapidjson::kNumberType;
        case Json::Kind::string:
            return rapidjson::kStringType;
        case Json::Kind::array:
            return rapidjson::kArrayType;
        case Json::Kind::object:
            break;
    }
    return rapidjson::kObjectType;
}

// Copies a trusted compact object's SAX events to `out`, with the value of its first top-level
// member named `key` replaced by `value` (or the member added last). Every other byte is copied
// as it was, numbers included.
class MemberSplice {
  public:
    MemberSplice(detail::JsonWriter& out, std::string_view key, const Json& value)
        : out_(out), key_(key), value_(value) {}

    bool Null() {
        return scalar([&] { return out_.Null(); });
    }
    bool Bool(bool b) {
        return scalar([&] { return out_.Bool(b); });
    }
    bool Int(int i) {
        return scalar([&] { return out_.Int(i); });
    }
    bool Uint(unsigned u) {
        return scalar([&] { return out_.Uint(u); });
    }
    bool Int64(std::int64_t i) {
        return scalar([&] { return out_.Int64(i); });
    }
    bool Uint64(std::uint64_t u) {
        return scalar([&] { return out_.Uint64(u); });
    }
    bool Double(double d) {
        return scalar([&] { return out_.Double(d); });
    }
    bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
        return scalar([&] { return out_.RawValue(str, length, rapidjson::kNumberType); });
    }
    bool String(const char* str, rapidjson::SizeType length, bool copy) {
        return scalar([&] { return out_.String(str, length, copy); });
    }
    bool Key(const char* str, rapidjson::SizeType length, bool copy) {
        if (skipping_) return true;
        if (!out_.Key(str, length, copy)) return false;
        if (depth_ == 1 && !replaced_ && std::string_view(str, length) == key_) {
            replaced_ = true;
            skipping_ = true;  // the old value's events, up to its end
            return write_value();
        }
        return true;
    }
    bool StartObject() {
        return open([&] { return out_.StartObject(); });
    }
    bool EndObject(rapidjson::SizeType count) {
        if (skipping_) return close();
        if (depth_-- == 1 && !replaced_) {
            replaced_ = true;
            if (!out_.Key(key_.data(), static_cast<rapidjson::SizeType>(key_.size())) ||
                !write_value()) {
                return false;
            }
        }
        return out_.EndObject(count);
    }
    bool StartArray() {
        return open([&] { return out_.StartArray(); });
    }
    bool EndArray(rapidjson::SizeType count) {
        if (skipping_) return close();
        --depth_;
        return out_.EndArray(count);
    }

  private:
    bool write_value() {
        return out_.RawValue(value_.text().data(), value_.text().size(), type_of(value_.kind()));
    }
    template <typename Write>
    bool scalar(Write write) {
        if (!skipping_) return write();
        if (skipped_depth_ == 0) skipping_ = false;  // the old value was this scalar
        return true;
    }
    template <typename Write>
    bool open(Write write) {
        if (skipping_) {
            ++skipped_depth_;
            return true;
        }
        ++depth_;
        return write();
    }
    bool close() {
        if (--skipped_depth_ == 0) skipping_ = false;
        return true;
    }

    detail::JsonWriter& out_;
    std::string_view key_;
    const Json& value_;
    int depth_ = 0;
    bool replaced_ = false;
    bool skipping_ = false;
    int skipped_depth_ = 0;
};

}  // namespace

Json::Json() : text_("{}"), kind_(Kind::object) {}

Json Json::parse(std::string_view text, std::string_view argument) {
    std::string out;
    detail::StringOutput output{&out};
    NumberTextWriter writer(output);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text.data(), text.size());
    detail::DepthLimiter<NumberTextWriter> limiter(writer);
    const rapidjson::ParseResult result = reader.Parse<kNumberTextParseFlags>(stream, limiter);
    if (limiter.too_deep()) {
        throw InvalidArgument(std::string(argument), "nests objects and arrays deeper than " +
                                                         std::to_string(detail::kMaxNestingDepth) +
                                                         " levels");
    }
    if (writer.too_large() || result.Code() == rapidjson::kParseErrorNumberTooBig) {
        throw InvalidArgument(std::string(argument),
                              "holds a number too large for a double (beyond "
                              "1.7976931348623157e308) at offset " +
                                  std::to_string(result.Offset()));
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
    // Checked first: the writer's own check could read past the end of the view.
    if (!is_valid_utf8(key)) throw InvalidArgument(std::string(key), "is not valid UTF-8");
    std::string out;
    detail::StringOutput output{&out};
    detail::JsonWriter writer(output);
    MemberSplice splice(writer, key, value);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text_.data(), text_.size());
    // The text is trusted and the key valid, so nothing stops the parse.
    reader.Parse<kNumberTextParseFlags>(stream, splice);
    return Json(std::move(out), Kind::object);
}

bool operator==(const Json& a, const Json& b) {
    if (a.text_ == b.text_) return true;
    return !first_difference(a, b).has_value();
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
