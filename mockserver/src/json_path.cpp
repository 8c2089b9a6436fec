// Parsing and following the JSON paths of matchesJsonPath body patterns.
#include "json_path.hpp"

#include "mapping_json.hpp"
#include "matrix/mock/pattern.hpp"

namespace matrix::mock::detail {

std::vector<JsonPathStep> parse_json_path(std::string_view path, const std::string& key) {
    const auto refuse = [&](const std::string& why) -> MappingError {
        return MappingError(key, quote(path) + " is not a supported JSON path: " + why +
                                     " (supported: $, .name, ['name'], [index])");
    };
    if (path.empty() || path.front() != '$') throw refuse("it must start with $");
    std::vector<JsonPathStep> steps;
    std::size_t i = 1;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
            if (i < path.size() && path[i] == '.') throw refuse("recursive descent (..)");
            const std::size_t end = path.find_first_of(".[", i);
            const std::string_view name = path.substr(i, end - i);
            if (name.empty()) throw refuse("an empty name after '.'");
            if (name == "*") throw refuse("wildcards");
            if (name.find_first_of("]'\" ") != std::string_view::npos)
                throw refuse("write names with special characters as ['name']");
            steps.push_back({std::string(name), std::nullopt});
            i = end == std::string_view::npos ? path.size() : end;
        } else if (path[i] == '[') {
            ++i;
            if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
                const char quote_char = path[i];
                const std::size_t close = path.find(quote_char, i + 1);
                if (close == std::string_view::npos || close + 1 >= path.size() ||
                    path[close + 1] != ']') {
                    throw refuse("an unterminated ['name']");
                }
                steps.push_back({std::string(path.substr(i + 1, close - i - 1)), std::nullopt});
                i = close + 2;
            } else {
                std::size_t index = 0;
                const std::size_t start = i;
                while (i < path.size() && path[i] >= '0' && path[i] <= '9') {
                    if (index > (static_cast<std::size_t>(-1) - 9) / 10)
                        throw refuse("a huge index");
                    index = index * 10 + static_cast<std::size_t>(path[i] - '0');
                    ++i;
                }
                if (i == start || i >= path.size() || path[i] != ']')
                    throw refuse("only [index] and ['name'] brackets");
                steps.push_back({{}, index});
                ++i;
            }
        } else {
            throw refuse("unexpected " + quote(path.substr(i, 1)));
        }
    }
    return steps;
}

const rapidjson::Value* follow_json_path(const rapidjson::Value& root,
                                         const std::vector<JsonPathStep>& steps) {
    const rapidjson::Value* at = &root;
    for (const JsonPathStep& step : steps) {
        if (step.index) {
            if (!at->IsArray() || *step.index >= at->Size()) return nullptr;
            at = &(*at)[static_cast<rapidjson::SizeType>(*step.index)];
        } else {
            if (!at->IsObject()) return nullptr;
            at = find_member(*at, step.name);
            if (at == nullptr) return nullptr;
        }
    }
    return at;
}

}  // namespace matrix::mock::detail
