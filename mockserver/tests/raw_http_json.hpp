// The JSON body of a raw HTTP response, for the admin route tests.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "raw_http.hpp"

namespace matrix::mock::testing {

// The body as a document; a body that is not JSON fails the test, showing the whole response.
inline rapidjson::Document parse(const RawResponse& response) {
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    EXPECT_FALSE(document.HasParseError()) << response.bytes;
    return document;
}

}  // namespace matrix::mock::testing
