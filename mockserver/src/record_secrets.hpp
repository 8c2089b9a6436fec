// Secrets in recorded exchanges (--record): which JSON members hold one, the placeholders
// that replace them in recorded answers, and request bodies without them.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "matrix/json.hpp"

namespace matrix::mock {

// Members whose string value is a secret, wherever they are in a body (so auth.password and
// a UIA stage's token are found too): passwords, access and refresh tokens, login and
// registration tokens, and 3PID client secrets. A UIA "session" is not one: it only names the
// flow in progress, and a replay needs it to chain.
inline constexpr std::array<std::string_view, 9> kSecretMembers = {
    "password",    "new_password",    "access_token",  "refresh_token", "token",
    "login_token", "id_access_token", "client_secret", "sid_secret"};

bool is_secret_member(std::string_view name);

// Query parameters that carry a secret (recorded request patterns leave them out).
bool is_secret_query_parameter(std::string_view name);

// `json` with every secret member removed: what a recorded request pattern may require (any
// token, any password matches).
Json without_secrets(const Json& json);

// Replaces secrets by placeholders, the same secret by the same placeholder in every file of a
// session ("scrubbed-access_token-1"), so that a client replaying the session can tell two
// tokens apart. Not thread-safe: the recorder calls it under its own lock.
class SecretPlaceholders {
  public:
    // `json` with the string value of every secret member replaced by its placeholder.
    Json in_json(const Json& json);
    // The placeholder of `secret`, held in member `member`.
    std::string placeholder_for(std::string_view member, std::string_view secret);

  private:
    std::map<std::string, std::string, std::less<>> by_secret_;
    std::map<std::string, std::size_t, std::less<>> counts_;
};

}  // namespace matrix::mock
