// The request rules derived from the spec (sdk/spec/derive_request_schemas.py), as JSON text.
#pragma once

#include <string_view>

namespace matrix::validation {

extern const std::string_view kRequestSchemasJson;

}  // namespace matrix::validation
