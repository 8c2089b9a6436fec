// A typed mock's unmet expectation as a failure of the running GoogleTest test.
#include "matrix/mock/testing.hpp"

namespace matrix::mock {

void install_gtest_mock_failure_handler() {
    // At the line that mounted the mock: the report says which mock, the location where.
    set_mock_failure_handler([](const MockFailure& failure) {
        ADD_FAILURE_AT(failure.file.c_str(), failure.line) << failure.report;
    });
}

}  // namespace matrix::mock
