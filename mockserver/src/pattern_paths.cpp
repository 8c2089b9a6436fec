// Path templates of request patterns: urlPathTemplate and SDK endpoint forms.
#include "pattern_paths.hpp"

#include <algorithm>
#include <optional>

#include "mapping_json.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix::mock::detail {
namespace {

bool is_placeholder(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        segments.push_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

// Declared endpoint forms as split path templates, each with its method. A path_suffix
// parameter (download's filename) is one optional extra segment, so it adds a second template.
void load_endpoint(std::string_view name, const std::string& key, std::vector<std::string>& methods,
                   std::vector<std::vector<std::string>>& templates) {
    const auto forms = find_endpoint_forms(name);
    if (forms.empty()) throw MappingError(key, quote(name) + " is not an SDK endpoint name");
    for (const EndpointSpec& form : forms) {
        std::vector<std::string> segments;
        for (const std::string_view segment : split_path(form.path_template)) {
            segments.emplace_back(segment);
            // The version segment lists the versions the operation's path has had:
            // "{path_version=r0|v3}".
            if (segment == "{path_version}") {
                std::string listed;
                const PathVersions versions = operation_of(form).versions;
                for (const PathVersion version :
                     {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
                    if (!versions.has(version)) continue;
                    listed += (listed.empty() ? "" : "|") + std::string(to_string(version));
                }
                segments.back() = "{path_version=" + listed + "}";
                continue;
            }
            // A parameter that may be empty (state_key) is marked "{name?}".
            for (const ParamSpec& param : form.params) {
                if (param.allow_empty && segment == "{" + std::string(param.name) + "}") {
                    segments.back().insert(segments.back().size() - 1, "?");
                }
            }
        }
        methods.emplace_back(to_string(form.method));
        templates.push_back(segments);
        for (const ParamSpec& param : form.params) {
            if (param.location != ParamLocation::path_suffix) continue;
            segments.push_back("{" + std::string(param.name) + "}");
            methods.emplace_back(to_string(form.method));
            templates.push_back(segments);
            break;
        }
    }
}

bool endpoint_template_matches(const std::vector<std::string>& segments,
                               const std::vector<std::string_view>& path) {
    if (segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& expected = segments[i];
        if (expected.starts_with("{path_version=")) {
            // "{path_version=r0|v3}" -> "|r0|v3|": each version between bars.
            const std::string listed = "|" + expected.substr(14, expected.size() - 15) + "|";
            const bool listed_version =
                !path[i].empty() && path[i].find('|') == std::string_view::npos &&
                listed.find("|" + std::string(path[i]) + "|") != std::string::npos;
            if (!listed_version) return false;
        } else if (is_placeholder(expected)) {
            if (path[i].empty() && !expected.ends_with("?}")) return false;
        } else if (expected != path[i]) {
            return false;
        }
    }
    return true;
}

void check_path_template(std::string_view path_template, const std::string& key) {
    if (!path_template.starts_with('/')) throw MappingError(key, "must start with '/'");
    std::vector<std::string_view> names;
    for (const std::string_view segment : split_path(path_template)) {
        if (segment.find_first_of("{}") == std::string_view::npos) {
            if (!percent_decode(segment))
                throw MappingError(key, "holds a malformed %-escape in " + quote(segment));
            continue;
        }
        const std::string_view name =
            is_placeholder(segment) ? segment.substr(1, segment.size() - 2) : std::string_view();
        const bool valid = !name.empty() && std::ranges::all_of(name, [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-' || c == '.';
        });
        if (!valid) {
            throw MappingError(key, "segment " + quote(segment) +
                                        " must be a literal or one whole {name} placeholder");
        }
        if (std::ranges::find(names, name) != names.end())
            throw MappingError(key, "names {" + std::string(name) + "} twice");
        names.push_back(name);
    }
}

// Segments compared decoded, so "/rooms/{roomId}" matches "/rooms/%21a%3Ab" as the room "!a:b".
bool path_template_matches(std::string_view path_template, std::string_view raw_path) {
    const std::vector<std::string_view> expected = split_path(path_template);
    const std::vector<std::string_view> actual = split_path(raw_path);
    if (expected.size() != actual.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::optional<std::string> decoded = percent_decode(actual[i]);
        if (!decoded) return false;
        if (is_placeholder(expected[i])) {
            if (decoded->empty()) return false;
        } else if (percent_decode(expected[i]) != decoded) {
            return false;
        }
    }
    return true;
}

std::string endpoint_forms_text(const std::vector<std::vector<std::string>>& templates) {
    std::string out;
    for (const auto& segments : templates) {
        std::string path;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (i > 0) path += '/';
            path += segments[i];
        }
        if (out.find(path) != std::string::npos) continue;
        if (!out.empty()) out += " or ";
        out += path;
    }
    return out;
}

}  // namespace matrix::mock::detail
