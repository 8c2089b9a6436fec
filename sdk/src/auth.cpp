// Authentication objects (seed: MatrixSDK.Client.Auth).
#include "matrix/auth.hpp"

namespace matrix {
namespace {

Json password_login(const Json& identifier, std::string_view password) {
    return Json::object({{"type", Json::string("m.login.password")},
                         {"identifier", identifier},
                         {"password", Json::string(password, "password")}});
}

Json threepid_login(std::string_view type, std::string_view sid, std::string_view client_secret,
                    const ThreepidCredentialOptions& options) {
    std::vector<std::pair<std::string, Json>> credentials = {
        {"client_secret", Json::string(client_secret, "client_secret")},
        {"sid", Json::string(sid, "sid")}};
    if (options.id_server)
        credentials.emplace_back("id_server", Json::string(*options.id_server, "id_server"));
    if (options.id_access_token) {
        credentials.emplace_back("id_access_token",
                                 Json::string(*options.id_access_token, "id_access_token"));
    }
    // The seed spells the member "threepidCreds", as the r0 spec did.
    return Json::object({{"type", Json::string(type)},
                         {"threepidCreds", Json::array({Json::object(credentials)})}});
}

}  // namespace

Json Auth::login_dummy() { return Json::object({{"type", Json::string("m.login.dummy")}}); }

Json Auth::login_token(std::string_view token) {
    return Json::object(
        {{"type", Json::string("m.login.token")}, {"token", Json::string(token, "token")}});
}

Json Auth::login_recaptcha(std::string_view response) {
    return Json::object({{"type", Json::string("m.login.recaptcha")},
                         {"response", Json::string(response, "response")}});
}

Json Auth::login_email_identity(std::string_view sid, std::string_view client_secret,
                                const ThreepidCredentialOptions& options) {
    return threepid_login("m.login.email.identity", sid, client_secret, options);
}

Json Auth::login_msisdn(std::string_view sid, std::string_view client_secret,
                        const ThreepidCredentialOptions& options) {
    return threepid_login("m.login.msisdn", sid, client_secret, options);
}

Json Auth::login_user(std::string_view user, std::string_view password) {
    return password_login(
        Json::object({{"type", Json::string("m.id.user")}, {"user", Json::string(user, "user")}}),
        password);
}

Json Auth::login_3pid(std::string_view medium, std::string_view address,
                      std::string_view password) {
    return password_login(Json::object({{"type", Json::string("m.id.thirdparty")},
                                        {"medium", Json::string(medium, "medium")},
                                        {"address", Json::string(address, "address")}}),
                          password);
}

Json Auth::login_phone(std::string_view country, std::string_view phone,
                       std::string_view password) {
    return password_login(Json::object({{"type", Json::string("m.id.phone")},
                                        {"country", Json::string(country, "country")},
                                        {"phone", Json::string(phone, "phone")}}),
                          password);
}

Json Auth::put_session(const Json& auth, std::string_view session) {
    return auth.with_member("session", Json::string(session, "session"));
}

}  // namespace matrix
