// The path side of request patterns: urlPathTemplate templates and the path templates of SDK
// endpoint names, checked when a pattern is parsed and matched against raw request paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace matrix::mock::detail {

// "/a/b" -> {"", "a", "b"}: every segment, empty ones included.
std::vector<std::string_view> split_path(std::string_view path);

// Declared endpoint forms as split path templates, each with its method; an unknown name is a
// MappingError naming `key`.
void load_endpoint(std::string_view name, const std::string& key, std::vector<std::string>& methods,
                   std::vector<std::vector<std::string>>& templates);

// Whether a request's split raw path fits one template made by load_endpoint.
bool endpoint_template_matches(const std::vector<std::string>& segments,
                               const std::vector<std::string_view>& path);

// The distinct paths of the templates, joined by " or ", for failure messages.
std::string endpoint_forms_text(const std::vector<std::vector<std::string>>& templates);

// Refuses (MappingError naming `key`) a urlPathTemplate that is not literals and whole,
// distinct {name} placeholders.
void check_path_template(std::string_view path_template, const std::string& key);

// Whether a raw request path fits a checked urlPathTemplate.
bool path_template_matches(std::string_view path_template, std::string_view raw_path);

}  // namespace matrix::mock::detail
