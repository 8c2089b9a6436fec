// What the generated typed-operation tests (generated/typed_operations_test_*.cpp) check: a
// typed builder builds and encodes what the by-name builder does with the same arguments.
#pragma once

#include <gtest/gtest.h>

#include "matrix/encoded_request.hpp"
#include "matrix/named_builder.hpp"
#include "matrix/operations.hpp"

namespace matrix {

// A seed name that is also an operationId (sync) builds the seed's form by name, at r0 by
// default; its vector names the version, so both sides are built at that one.
template <typename Args>
void expect_same_as_by_name(const Args& args, const char* operation_id, const char* args_json,
                            BuildOptions options = {}) {
    EXPECT_EQ(render(ops::build(args, options)),
              render(build_by_name(operation_id, args_json, options)));
    EXPECT_EQ(ops::encode(args, options).bytes(),
              encode_by_name(operation_id, args_json, options).bytes());
}

}  // namespace matrix
