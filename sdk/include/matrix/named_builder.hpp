// Builders called by name with JSON arguments, as conformance vector files call them.
#pragma once

#include <string_view>

#include "matrix/endpoint.hpp"
#include "matrix/request.hpp"

namespace matrix {

// Builds `endpoint` from `args_json`, a JSON object of every argument by the seed's name
// (struct arguments such as room_event as nested objects). When a name has several forms
// (login, public_rooms, room_visibility) the form is chosen by which arguments are present.
// Throws UnknownEndpoint / ArgumentSchemaError when the arguments fit no form, and
// InvalidArgument when the builder refuses a value.
Request build_by_name(std::string_view endpoint, std::string_view args_json,
                      BuildOptions options = {});

// The same request as render(build_by_name(...)), encoded to wire bytes (see EncodedRequest).
EncodedRequest encode_by_name(std::string_view endpoint, std::string_view args_json,
                              BuildOptions options = {});

// The form build_by_name would choose, without building.
const EndpointSpec& select_form(std::string_view endpoint, std::string_view args_json);

}  // namespace matrix
