// A stub as mapping JSON (what parse_mapping() reads), for the admin API's copy of stubs that
// were built in code.
#pragma once

#include "matrix/json.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

// The stub's id, name, priority, maxUses, request, response or sequence, and metadata.source;
// parse_mapping() of it gives back the same stub.
Json mapping_json(const Stub& stub);

}  // namespace matrix::mock
