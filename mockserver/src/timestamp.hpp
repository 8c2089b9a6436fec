// RFC 3339 timestamps: how the journal writes "arrived", and how ?since= reads one back.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace matrix::mock {

// UTC with microseconds: "2026-12-07T03:55:00.123456Z".
std::string format_rfc3339(std::chrono::system_clock::time_point time);

// An RFC 3339 date-time (the ISO 8601 profile the journal writes): "YYYY-MM-DDTHH:MM:SS",
// an optional fraction of up to 9 digits, and "Z" or an offset "+HH:MM" / "-HH:MM". 't', 'z'
// and a space for 'T' are accepted as RFC 3339 allows. nullopt for anything else, an
// impossible date (February 30th) included.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace matrix::mock
