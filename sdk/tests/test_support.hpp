// Helpers shared by the SDK's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <string_view>

#include "matrix/error.hpp"
#include "matrix/json.hpp"

namespace matrix::testing_support {

// Compared as JSON values, so key order does not matter but every member and value does.
inline void expect_json(const Json& actual, std::string_view expected) {
    EXPECT_EQ(actual, Json::parse(expected)) << "actual: " << actual.text();
}

// The argument an InvalidArgument names, or a marker saying what happened instead.
template <typename F>
std::string refused_argument(F&& f) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        return e.argument();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

}  // namespace matrix::testing_support
