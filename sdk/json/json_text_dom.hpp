// RapidJSON DOMs whose numbers keep their text, for code that walks outside JSON and then writes
// parts of it back (stub responses, event content, expected bodies) or compares it by value.
//
// RapidJSON's own number conversion is not correctly rounded (a double can move by an ULP) and
// turns integers beyond 64 bits into doubles, so a DOM of typed numbers cannot give back the
// number a client or a fixture wrote. Here a number stays a typed Int64 or Uint64 only when
// writing that integer gives back its text exactly (an integer within 64 bits, other than "-0"):
// every integer field check (IsInt64, IsUint64, GetInt) works as on any DOM. Every other number
// (a fraction, an exponent, -0, an integer beyond 64 bits) is held as a string of kNumberMark and
// then its text as written. kNumberMark (0xFF) never occurs in valid UTF-8, which the parse
// validates, so such a string is never taken for one a document gave; code that reads strings
// from these DOMs asks is_text_string(), not IsString().
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "json_dom.hpp"
#include "json_number.hpp"
#include "sax_forwarder.hpp"

namespace matrix::detail {

inline constexpr char kNumberMark = '\xff';

// Whether `value` is a number held as its text (a marked string).
inline bool is_number_text(const rapidjson::Value& value) {
    return value.IsString() && value.GetStringLength() > 0 && value.GetString()[0] == kNumberMark;
}

inline bool is_number(const rapidjson::Value& value) {
    return value.IsNumber() || is_number_text(value);
}

// A string the document gave (not a number held as text).
inline bool is_text_string(const rapidjson::Value& value) {
    return value.IsString() && !is_number_text(value);
}

// A number's text: as written for a marked number, in decimal for a typed one.
inline std::string number_text(const rapidjson::Value& value) {
    if (is_number_text(value)) return {value.GetString() + 1, value.GetStringLength() - 1};
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    if (value.IsUint64()) return std::to_string(value.GetUint64());
    // A double put in by code rather than by the parse: RapidJSON's shortest form.
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

// Numbers by the number policy (same_number): 1 == 1.0 == 1e0, -0 == 0, and
// 0.1 != 0.10000000000000001.
inline bool numbers_equal(const rapidjson::Value& a, const rapidjson::Value& b) {
    return same_number(number_text(a), number_text(b));
}

// Forwards SAX events to `next` (a Document), turning each RawNumber into a typed integer when
// that gives its text back exactly, and into a marked string otherwise. A number beyond the
// largest double stops the parse (too_large()), as Json::parse refuses it.
template <typename Handler>
class NumberTexts : public SaxForwarder<Handler> {
  public:
    explicit NumberTexts(Handler& next) : SaxForwarder<Handler>(next) {}

    bool too_large() const noexcept { return too_large_; }

    bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
        const std::string_view text(str, length);
        bool accepted = false;
        if (text != "-0" && forward_integer(text, this->next_, accepted)) return accepted;
        if (!number_fits_double(text)) {
            too_large_ = true;
            return false;
        }
        std::string marked(1, kNumberMark);
        marked.append(text);
        return this->next_.String(marked.data(), static_cast<rapidjson::SizeType>(marked.size()),
                                  true);
    }

  private:
    bool too_large_ = false;
};

// Parses `text` into `document` with Json::parse's limits: valid UTF-8, no number beyond the
// largest double, and nesting at most kMaxNestingDepth deep unless the caller bounds it itself
// (NestingLimit::caller_checks: the parse is iterative, but the DOM's walks are not). Empty on
// success; otherwise why not, e.g. "Invalid value at byte 0".
inline std::string parse_text_dom(std::string_view text, rapidjson::Document& document,
                                  NestingLimit limit = NestingLimit::json_parse) {
    return parse_dom_with<NumberTexts>(text, document, limit);
}

// Forwards a DOM's events to a RapidJSON writer, writing each marked string as the number it
// holds, verbatim.
template <typename Writer>
class NumberTextOutput : public SaxForwarder<Writer> {
  public:
    explicit NumberTextOutput(Writer& next) : SaxForwarder<Writer>(next) {}

    bool String(const char* str, rapidjson::SizeType length, bool copy) {
        if (length > 0 && str[0] == kNumberMark)
            return this->next_.RawValue(str + 1, length - 1, rapidjson::kNumberType);
        return this->next_.String(str, length, copy);
    }
};

// The value as compact JSON text, every number as it was written.
inline std::string compact_text_of(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    NumberTextOutput<rapidjson::Writer<rapidjson::StringBuffer>> output(writer);
    value.Accept(output);
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace matrix::detail
