// Compares two decoded /sync responses field by field and names the first difference.
#pragma once

#include <optional>
#include <string>

#include "matrix/sync.hpp"

namespace matrix::bench::testing {

// How raw JSON fields (content_json, unsigned_json) are compared. A decoder that keeps the
// received text and one that re-serializes a DOM agree byte for byte on canonical input (the
// generated corpora); on mutated input the text may legitimately differ in spelling only
// (whitespace, "\u00e9" for "é", 1.0 for 1e0), so there they are compared as JSON values.
enum class RawJson { exact, same_value };

// Empty when equal; otherwise the path of the first difference and both values, like
// `join[12].second.timeline.events[3].sender: "@a:b" != "@c:d"`.
std::optional<std::string> first_difference(const matrix::sync::SyncResponse& expected,
                                            const matrix::sync::SyncResponse& actual,
                                            RawJson raw = RawJson::exact);

// Whether any object in `json` repeats a member name. Decoders legitimately disagree there
// (first wins, last wins, or both kept), so agreement is not asked of such input. nullopt when
// `json` is not JSON at all.
std::optional<bool> has_duplicate_keys(const std::string& json);

}  // namespace matrix::bench::testing
