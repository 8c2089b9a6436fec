// Holding the simulation's answers to the spec: a 2xx body checked against the response schema
// of its operation, each violation a test failure that names where and shows the body.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "matrix/endpoint.hpp"
#include "matrix/spec_validation.hpp"
#include "raw_http.hpp"

namespace matrix::mock::testing {

// A 2xx answer of `operation_id` holds to the spec's response schema for its status.
inline void expect_valid(const std::string& operation_id, const RawResponse& response) {
    const EndpointSpec* operation = find_operation(operation_id);
    ASSERT_NE(operation, nullptr) << operation_id;
    for (const SpecViolation& v : validate_response(*operation, response.status, response.body)) {
        ADD_FAILURE() << operation_id << ": response breaks the spec's schema at " << v.where
                      << " [" << v.rule << "] " << v.message
                      << "\n  body: " << response.body.substr(0, 2000);
    }
}

}  // namespace matrix::mock::testing
