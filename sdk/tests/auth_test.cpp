// Auth: each helper must produce the authentication object exactly as the seed sends it.
#include "matrix/auth.hpp"

#include <gtest/gtest.h>

#include "matrix/error.hpp"
#include "matrix/events.hpp"
#include "test_support.hpp"

namespace matrix {
namespace {

using testing_support::expect_json;
using testing_support::refused_argument;

TEST(Auth, LoginDummyIsOnlyItsType) {
    expect_json(Auth::login_dummy(), R"({"type":"m.login.dummy"})");
}

TEST(Auth, LoginTokenCarriesTheToken) {
    expect_json(Auth::login_token("abc"), R"({"type":"m.login.token","token":"abc"})");
}

TEST(Auth, LoginRecaptchaCarriesTheResponse) {
    expect_json(Auth::login_recaptcha("captcha-response"),
                R"({"type":"m.login.recaptcha","response":"captcha-response"})");
}

TEST(Auth, LoginEmailIdentityPutsSidAndSecretInThreepidCreds) {
    expect_json(Auth::login_email_identity("sid", "client_secret"),
                R"({"type":"m.login.email.identity",
                    "threepidCreds":[{"sid":"sid","client_secret":"client_secret"}]})");
}

TEST(Auth, LoginEmailIdentityAddsIdServerAndAccessTokenWhenGiven) {
    expect_json(Auth::login_email_identity("sid", "secret", {"id.example.org", "id-token"}),
                R"({"type":"m.login.email.identity",
                    "threepidCreds":[{"sid":"sid","client_secret":"secret",
                                      "id_server":"id.example.org",
                                      "id_access_token":"id-token"}]})");
}

TEST(Auth, LoginEmailIdentityAddsOnlyTheIdServerWhenOnlyItIsGiven) {
    ThreepidCredentialOptions options;
    options.id_server = "id.example.org";
    expect_json(Auth::login_email_identity("sid", "secret", options),
                R"({"type":"m.login.email.identity",
                    "threepidCreds":[{"sid":"sid","client_secret":"secret",
                                      "id_server":"id.example.org"}]})");
}

TEST(Auth, LoginMsisdnPutsSidAndSecretInThreepidCreds) {
    expect_json(Auth::login_msisdn("sid", "secret"),
                R"({"type":"m.login.msisdn",
                    "threepidCreds":[{"sid":"sid","client_secret":"secret"}]})");
}

TEST(Auth, LoginMsisdnAddsIdServerAndAccessTokenWhenGiven) {
    expect_json(Auth::login_msisdn("sid", "secret", {"id.example.org", "id-token"}),
                R"({"type":"m.login.msisdn",
                    "threepidCreds":[{"sid":"sid","client_secret":"secret",
                                      "id_server":"id.example.org",
                                      "id_access_token":"id-token"}]})");
}

TEST(Auth, LoginUserIsAPasswordLoginWithAUserIdentifier) {
    expect_json(Auth::login_user("maurice_moss", "password"),
                R"({"type":"m.login.password",
                    "identifier":{"type":"m.id.user","user":"maurice_moss"},
                    "password":"password"})");
}

TEST(Auth, Login3pidIsAPasswordLoginWithAThirdPartyIdentifier) {
    expect_json(Auth::login_3pid("email", "maurice@moss.yay", "password"),
                R"({"type":"m.login.password",
                    "identifier":{"type":"m.id.thirdparty","medium":"email",
                                  "address":"maurice@moss.yay"},
                    "password":"password"})");
}

TEST(Auth, LoginPhoneIsAPasswordLoginWithAPhoneIdentifier) {
    expect_json(Auth::login_phone("GB", "07700900001", "password"),
                R"({"type":"m.login.password",
                    "identifier":{"type":"m.id.phone","country":"GB","phone":"07700900001"},
                    "password":"password"})");
}

TEST(Auth, PutSessionAddsTheSession) {
    expect_json(Auth::put_session(Auth::login_dummy(), "xxxxxyyyyy"),
                R"({"type":"m.login.dummy","session":"xxxxxyyyyy"})");
}

TEST(Auth, PutSessionReplacesAnExistingSession) {
    const Json first = Auth::put_session(Auth::login_recaptcha("r"), "old");
    expect_json(Auth::put_session(first, "new"),
                R"({"type":"m.login.recaptcha","response":"r","session":"new"})");
}

TEST(Auth, PutSessionKeepsNestedMembers) {
    expect_json(Auth::put_session(Auth::login_user("u", "p"), "s"),
                R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"u"},
                    "password":"p","session":"s"})");
}

TEST(Auth, PutSessionRefusesSomethingThatIsNotAnObject) {
    EXPECT_THROW(Auth::put_session(Json::parse("[]"), "s"), InvalidArgument);
}

TEST(Auth, HelpersEscapeTheirArgumentsAsJsonStrings) {
    expect_json(Auth::login_token("a\"b\n"), R"({"type":"m.login.token","token":"a\"b\n"})");
}

TEST(Auth, HelpersRefuseInvalidUtf8) {
    EXPECT_THROW(Auth::login_user("\xff", "p"), InvalidArgument);
}

}  // namespace
}  // namespace matrix

namespace matrix {
namespace {

TEST(AuthRefusals, NamesTheArgumentThatIsNotValidUtf8) {
    try {
        (void)Auth::login_user("moss", std::string("hunter\xC3", 7));
        FAIL() << "invalid UTF-8 in the password was accepted";
    } catch (const InvalidArgument& e) {
        EXPECT_EQ(e.argument(), "password");
    }
}

TEST(RoomEventRefusals, NamesTheBodyWhenItIsNotValidUtf8) {
    try {
        (void)RoomEvent::message("!r:m", MessageType::text, std::string("\xFF", 1), "txn");
        FAIL() << "invalid UTF-8 in the body was accepted";
    } catch (const InvalidArgument& e) {
        EXPECT_EQ(e.argument(), "body");
    }
}

}  // namespace
}  // namespace matrix
