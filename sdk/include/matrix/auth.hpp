// Authentication objects for login, registration and user-interactive auth (seed: Client.Auth).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "matrix/json.hpp"

namespace matrix {

// Identity-server details some 3PID auth types carry next to sid and client_secret.
struct ThreepidCredentialOptions {
    std::optional<std::string> id_server{};
    std::optional<std::string> id_access_token{};
};

// Each function returns the auth object exactly as it is sent.
struct Auth {
    static Json login_dummy();                               // {"type":"m.login.dummy"}
    static Json login_token(std::string_view token);         // m.login.token
    static Json login_recaptcha(std::string_view response);  // m.login.recaptcha
    static Json login_email_identity(std::string_view sid, std::string_view client_secret,
                                     const ThreepidCredentialOptions& options = {});
    static Json login_msisdn(std::string_view sid, std::string_view client_secret,
                             const ThreepidCredentialOptions& options = {});
    // m.login.password with an m.id.user identifier.
    static Json login_user(std::string_view user, std::string_view password);
    // m.login.password with an m.id.thirdparty identifier (medium "email" or "msisdn").
    static Json login_3pid(std::string_view medium, std::string_view address,
                           std::string_view password);
    // m.login.password with an m.id.phone identifier.
    static Json login_phone(std::string_view country, std::string_view phone,
                            std::string_view password);
    // `auth` with its "session" set, for the next stage of user-interactive auth.
    static Json put_session(const Json& auth, std::string_view session);
};

}  // namespace matrix
