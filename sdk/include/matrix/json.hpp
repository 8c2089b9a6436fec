// A validated, compact JSON value carried as text, so public headers need no JSON library.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matrix {

class Json {
  public:
    enum class Kind { null, boolean, number, string, array, object };

    // The empty object `{}`.
    Json();

    // Parses and re-serializes `text` compactly. Throws InvalidArgument naming `argument` when
    // the text is not exactly one JSON value in valid UTF-8, or nests objects and arrays more
    // than 512 deep (deeper values would overflow the stack when compared or copied).
    static Json parse(std::string_view text, std::string_view argument = "json");

    // Throws InvalidArgument naming `argument` when `value` is not valid UTF-8.
    static Json string(std::string_view value, std::string_view argument = "string");
    static Json number(std::int64_t value);
    static Json boolean(bool value);
    static Json null();
    static Json string_array(const std::vector<std::string>& values);
    static Json array(const std::vector<Json>& values);
    // Members in the given order; later duplicates are refused.
    static Json object(std::initializer_list<std::pair<std::string_view, Json>> members);
    static Json object(const std::vector<std::pair<std::string, Json>>& members);

    // Trusts that `compact_text` is already valid compact JSON of the given kind. Used by code
    // that has just produced it with a JSON writer.
    static Json from_trusted_text(std::string compact_text, Kind kind) {
        return Json(std::move(compact_text), kind);
    }

    const std::string& text() const noexcept { return text_; }
    Kind kind() const noexcept { return kind_; }
    bool is_object() const noexcept { return kind_ == Kind::object; }

    // A copy of this object with `key` set to `value` (added last, or replaced in place).
    Json with_member(std::string_view key, const Json& value) const;

    // Equal when first_difference (matrix/json_difference.hpp) finds none: object member order
    // ignored, numbers by decimal value (1 == 1.0), everything else exactly.
    friend bool operator==(const Json& a, const Json& b);

  private:
    Json(std::string text, Kind kind) : text_(std::move(text)), kind_(kind) {}

    std::string text_;
    Kind kind_;
};

const char* to_string(Json::Kind kind) noexcept;

}  // namespace matrix
