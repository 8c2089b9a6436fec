// Regular expressions in request patterns, compiled and run so that no subject or pattern can
// exhaust the stack or take exponential time.
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>

namespace matrix::mock::detail {

#if defined(__GLIBCXX__)
// libstdc++'s Thompson-NFA executor (see pattern_regex.cpp) is linear and shallow, so long
// subjects are safe.
inline constexpr std::size_t kMaxRegexSubject = 1024 * 1024;
#else
// Other libraries may recurse per byte; longer subjects simply do not match.
inline constexpr std::size_t kMaxRegexSubject = 1024;
#endif

// Compiles `source`; a source too long or not a regex is a MappingError naming `key`.
std::shared_ptr<const std::regex> compile_regex(const std::string& source, const std::string& key);

// Whether the whole subject matches; a subject over kMaxRegexSubject bytes never does.
bool regex_full_match(const std::regex& regex, std::string_view subject);

}  // namespace matrix::mock::detail
