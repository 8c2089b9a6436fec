// Walks a JSON value against a compiled schema, recording every violation with the path of
// the culprit ("body.initial_state[0].type").
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "matrix/spec_validation.hpp"
#include "validation/schema_set.hpp"

namespace matrix::validation {

// Appends the violations of `value` against `schema`; `where` names the value.
void check_value(const Schema& schema, const rapidjson::Value& value, std::string& where,
                 std::vector<SpecViolation>& out);

// Whether a string is a well-formed `format` value (the checks are the shape a client can be
// held to: a sigil, a server name where identifiers have one).
bool has_format(Format format, std::string_view text) noexcept;
std::string_view format_name(Format format) noexcept;

// The accepted types of `schema` as words: "string", "integer or null".
std::string type_names(std::uint8_t types);

// Appends ".name", or "[\"name\"]" for names that are not plain words, to a where path.
void append_member(std::string& where, std::string_view name);

}  // namespace matrix::validation
