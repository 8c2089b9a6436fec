// The typed-builder cases generated from the spec vectors (generated/typed_operations_cases.cpp):
// for each operation, what its typed builders (matrix/operations.hpp) give for the vector's
// arguments, and those arguments as JSON for the by-name builder they must agree with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "matrix/encoded_request.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/operations.hpp"
#include "matrix/request.hpp"

namespace matrix::typed_cases {

// What a typed builder gave: the Request value rendered, and the encoded bytes.
struct TypedOutcome {
    WireRequest built;
    std::string encoded;
};

struct TypedCase {
    const char* operation_id;
    const char* args_json;               // the same arguments, for build_by_name
    std::optional<PathVersion> version;  // the vector's "version", when it names one
    TypedOutcome (*run)(BuildOptions);
};

// One case per spec operation, in the spec vectors' order.
const std::vector<TypedCase>& all();

// The one template the cases instantiate (per argument struct): no test macros in it, so
// each instantiation stays small.
template <typename Args>
TypedOutcome outcome_of(const Args& args, BuildOptions options) {
    return {render(ops::build(args, options)), std::string(ops::encode(args, options).bytes())};
}

}  // namespace matrix::typed_cases
