// Typed builders' arguments as the generic builder takes them (ArgValue): absent optionals are
// "not given", JSON by pointer to the caller's value. The values must outlive the build() call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "matrix/endpoint.hpp"
#include "matrix/json.hpp"

namespace matrix::detail::typed_args {

inline ArgValue opt(const std::optional<std::string>& value) {
    return value ? ArgValue(std::string_view(*value)) : ArgValue();
}
inline ArgValue opt(const std::optional<std::string_view>& value) {
    return value ? ArgValue(*value) : ArgValue();
}
inline ArgValue opt(const std::optional<std::int64_t>& value) {
    return value ? ArgValue(*value) : ArgValue();
}
inline ArgValue opt(const std::optional<bool>& value) {
    return value ? ArgValue(*value) : ArgValue();
}
inline ArgValue opt(const std::optional<Json>& value) {
    return value ? ArgValue(JsonArg{&*value}) : ArgValue();
}
inline ArgValue json(const Json& value) { return JsonArg{&value}; }
inline ArgValue text(std::string_view value) { return value; }
inline ArgValue integer(std::int64_t value) { return value; }
inline ArgValue boolean(bool value) { return value; }
inline ArgValue bytes(std::string_view value) { return BytesArg{value}; }

}  // namespace matrix::detail::typed_args
