// The JSON paths of matchesJsonPath body patterns (a small subset): $ .name ['name'] ["name"]
// [index].
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matrix::mock::detail {

struct JsonPathStep {
    std::string name;
    std::optional<std::size_t> index;  // set: an array index, else an object member
};

// Parses `path`; anything outside the subset is a MappingError naming `key` and what is
// supported.
std::vector<JsonPathStep> parse_json_path(std::string_view path, const std::string& key);

// The value the steps lead to from `root`, or nullptr when a step finds nothing.
const rapidjson::Value* follow_json_path(const rapidjson::Value& root,
                                         const std::vector<JsonPathStep>& steps);

}  // namespace matrix::mock::detail
