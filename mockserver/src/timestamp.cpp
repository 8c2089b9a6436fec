// RFC 3339 timestamps, written and read with <chrono>'s calendar: it needs neither gmtime
// (not thread-safe) nor timegm (not portable), and pre-1970 times floor correctly.
#include "timestamp.hpp"

#include <cstdint>
#include <cstdio>

namespace matrix::mock {

std::string format_rfc3339(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto micros = floor<microseconds>(time);
    const auto day = floor<days>(micros);
    const year_month_day date{day};
    const hh_mm_ss clock{micros - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(clock.hours().count()),
                  int(clock.minutes().count()), int(clock.seconds().count()),
                  static_cast<long long>(clock.subseconds().count()));
    return text;
}

namespace {

// Reads exactly `width` digits at `at`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t width) {
    if (at + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    at += width;
    return value;
}

bool expect(std::string_view text, std::size_t& at, char wanted) {
    if (at >= text.size() || text[at] != wanted) return false;
    ++at;
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    std::size_t at = 0;
    const auto y = digits(text, at, 4);
    if (!y || !expect(text, at, '-')) return std::nullopt;
    const auto mo = digits(text, at, 2);
    if (!mo || !expect(text, at, '-')) return std::nullopt;
    const auto d = digits(text, at, 2);
    if (!d || at >= text.size()) return std::nullopt;
    if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return std::nullopt;
    ++at;
    const auto h = digits(text, at, 2);
    if (!h || !expect(text, at, ':')) return std::nullopt;
    const auto mi = digits(text, at, 2);
    if (!mi || !expect(text, at, ':')) return std::nullopt;
    const auto s = digits(text, at, 2);
    if (!s) return std::nullopt;
    // A leap second (:60) has no place on system_clock; it is refused rather than moved.
    if (*h > 23 || *mi > 59 || *s > 59) return std::nullopt;
    const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)),
                              day(static_cast<unsigned>(*d))};
    if (!date.ok()) return std::nullopt;

    nanoseconds fraction{0};
    if (at < text.size() && text[at] == '.') {
        ++at;
        std::int64_t scale = 100'000'000;
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (at - first == 9) return std::nullopt;  // finer than nanoseconds
            fraction += nanoseconds((text[at] - '0') * scale);
            scale /= 10;
            ++at;
        }
        if (at == first) return std::nullopt;
    }

    minutes offset{0};
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int sign = text[at] == '+' ? 1 : -1;
        ++at;
        const auto oh = digits(text, at, 2);
        if (!oh || !expect(text, at, ':')) return std::nullopt;
        const auto om = digits(text, at, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset = minutes(sign * (*oh * 60 + *om));
    } else {
        return std::nullopt;  // RFC 3339 requires the zone
    }
    if (at != text.size()) return std::nullopt;

    // In seconds first: system_clock counts nanoseconds in 64 bits, so it ends in 2262 (and
    // begins in 1677); an instant beyond is the clock's last (first) one, which compares the
    // same with every journal entry.
    const sys_seconds whole = sys_days(date) + hours(*h) + minutes(*mi) + seconds(*s) - offset;
    using Clock = system_clock;
    const auto limit = duration_cast<seconds>(Clock::duration::max()).count() - 1;
    if (whole.time_since_epoch().count() > limit) return Clock::time_point::max();
    if (whole.time_since_epoch().count() < -limit) return Clock::time_point::min();
    return time_point_cast<Clock::duration>(whole) + duration_cast<Clock::duration>(fraction);
}

}  // namespace matrix::mock
