// Every operation's typed builder (matrix/operations.hpp), given its spec vector's arguments,
// builds and encodes what the by-name builder does with the same arguments as JSON. The cases
// are generated (sdk/spec/derive_typed_test.py); this is the one check over them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "matrix/encoded_request.hpp"
#include "matrix/named_builder.hpp"
#include "matrix/operations.hpp"
#include "typed_operations_cases.hpp"

namespace matrix {
namespace {

using typed_cases::TypedCase;

class TypedOperations : public testing::TestWithParam<TypedCase> {};

// A seed name that is also an operationId (sync) builds the seed's form by name, at r0 by
// default; its vector names the version, so both sides are built at that one.
TEST_P(TypedOperations, BuildsAndEncodesWhatTheByNameBuilderDoes) {
    const TypedCase& typed = GetParam();
    BuildOptions options;
    options.version = typed.version;
    const typed_cases::TypedOutcome outcome = typed.run(options);
    EXPECT_EQ(outcome.built, render(build_by_name(typed.operation_id, typed.args_json, options)));
    EXPECT_EQ(outcome.encoded,
              encode_by_name(typed.operation_id, typed.args_json, options).bytes());
}

INSTANTIATE_TEST_SUITE_P(Spec, TypedOperations, testing::ValuesIn(typed_cases::all()),
                         [](const testing::TestParamInfo<TypedCase>& param_info) {
                             return std::string(param_info.param.operation_id);
                         });

TEST(TypedOperationsCases, EveryOperationHasOneCase) {
    std::set<std::string> covered;
    for (const TypedCase& typed : typed_cases::all()) {
        EXPECT_TRUE(covered.insert(typed.operation_id).second) << typed.operation_id;
    }
    EXPECT_EQ(covered.size(), spec_operations().size());
}

}  // namespace
}  // namespace matrix
