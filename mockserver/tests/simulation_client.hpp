// What the simulation tests share: a request with an optional access token, and reading the
// JSON that comes back.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "raw_http.hpp"

namespace matrix::mock::testing {

inline rapidjson::Document parse(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str());
    EXPECT_FALSE(document.HasParseError()) << body;
    return document;
}

// The string member `key`, or "" when there is none.
inline std::string str(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) return {};
    return object[key].GetString();
}

// One request on a fresh connection, with `token` as a Bearer token when given.
inline RawResponse call(int port, const std::string& method, const std::string& target,
                        const std::string& token = {}, const std::string& body = {}) {
    const std::string auth = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    return send_raw(port, http_request(method, target, body, auth), 30);
}

}  // namespace matrix::mock::testing
