// Regular expressions in request patterns: the libstdc++ recursion workaround and size limits.
#include "pattern_regex.hpp"

#include "matrix/mock/pattern.hpp"

namespace matrix::mock::detail {
namespace {

#if defined(__GLIBCXX__)
// libstdc++'s default regex executor backtracks by recursion: a few frames per subject byte
// (a 4 KiB path overflows a 2 MiB thread stack) and exponential time for patterns such as
// (a*)*b. Its __polynomial flag selects the Thompson-NFA executor instead, linear in the
// subject and shallow on the stack; it refuses back-references, which paths and tokens never
// need.
constexpr std::regex::flag_type kRegexFlags =
    std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
constexpr std::regex::flag_type kRegexFlags = std::regex::ECMAScript;
#endif
constexpr std::size_t kMaxRegexSource = 4096;

}  // namespace

std::shared_ptr<const std::regex> compile_regex(const std::string& source, const std::string& key) {
    if (source.size() > kMaxRegexSource)
        throw MappingError(key, "is longer than " + std::to_string(kMaxRegexSource) + " bytes");
    try {
        return std::make_shared<const std::regex>(source, kRegexFlags);
    } catch (const std::regex_error& e) {
        throw MappingError(key, std::string("is not a valid regular expression: ") + e.what());
    }
}

bool regex_full_match(const std::regex& regex, std::string_view subject) {
    if (subject.size() > kMaxRegexSubject) return false;
    try {
        return std::regex_match(subject.begin(), subject.end(), regex);
    } catch (const std::regex_error&) {
        return false;  // e.g. error_complexity: treat a pattern that cannot decide as no match
    }
}

}  // namespace matrix::mock::detail
