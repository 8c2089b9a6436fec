// The JSON body of a raw HTTP response, for the admin route tests.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "raw_http.hpp"

namespace matrix::mock::testing {

// The body as a document; a body that is not JSON fails the test, showing the whole response.
inline rapidjson::Document parse(const RawResponse& response) {
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    EXPECT_FALSE(document.HasParseError()) << response.bytes;
    return document;
}

// The ids of a listing's entries ({"requests": [...]}), in its order.
inline std::vector<std::uint64_t> listed_ids(const rapidjson::Document& listing) {
    std::vector<std::uint64_t> out;
    for (const auto& entry : listing["requests"].GetArray()) out.push_back(entry["id"].GetUint64());
    return out;
}

// The targets of a listing's entries, in its order.
inline std::vector<std::string> listed_targets(const rapidjson::Document& listing) {
    std::vector<std::string> out;
    for (const auto& entry : listing["requests"].GetArray())
        out.emplace_back(entry["target"].GetString());
    return out;
}

}  // namespace matrix::mock::testing
