// The typed API against the declarations: every typed builder must build exactly what the by-name
// builder builds from the same arguments, and the seed's documented examples must come out as
// shown.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <functional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "matrix/api.hpp"
#include "matrix/auth.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/named_builder.hpp"

namespace matrix {
namespace {

// One call of a typed builder, and the same call by name.
struct Case {
    std::string id;  // unique; becomes part of the test name
    std::string endpoint;
    std::string args_json;
    std::function<Request()> typed;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

// Every value differs from every other one of the same type, so that a typed builder passing two
// arguments in the wrong order produces a different request from the by-name builder.
constexpr const char* kBase = "https://hs.example.org";
constexpr const char* kToken = "tok-123";

const std::vector<Case>& cases() {
    static const std::vector<Case> all = [] {
        const Json dummy_session = Json::parse(R"({"type":"m.login.dummy","session":"sess-1"})");
        const Json email_auth = Auth::login_email_identity("sid-9", "secret-9");
        const Json user_auth = Auth::login_user("maurice_moss", "hunter2");
        std::vector<Case> v;
        const auto add = [&v](std::string id, std::string endpoint, std::string args,
                              std::function<Request()> typed) {
            v.push_back({std::move(id), std::move(endpoint), std::move(args), std::move(typed)});
        };

        // ---- account and third-party identifiers ----
        add("account_3pids", "account_3pids",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::account_3pids(kBase, kToken); });
        add("account_add_3pid_all_arguments", "account_add_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "sid":"sid-2","auth":{"type":"m.login.dummy","session":"sess-1"}})",
            [dummy_session] {
                return api::account_add_3pid(kBase, kToken, "secret-1", "sid-2",
                                             {.auth = dummy_session});
            });
        add("account_add_3pid_required_only", "account_add_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "sid":"sid-2"})",
            [] { return api::account_add_3pid(kBase, kToken, "secret-1", "sid-2"); });
        add("account_bind_3pid", "account_bind_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "id_server":"id.example.org","id_access_token":"id-token","sid":"sid-2"})",
            [] {
                return api::account_bind_3pid(kBase, kToken, "secret-1", "id.example.org",
                                              "id-token", "sid-2");
            });
        add("account_delete_3pid_all_arguments", "account_delete_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","medium":"email",
                "address":"a@example.org","id_server":"id.example.org"})",
            [] {
                return api::account_delete_3pid(kBase, kToken, "email", "a@example.org",
                                                {.id_server = "id.example.org"});
            });
        add("account_delete_3pid_required_only", "account_delete_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","medium":"msisdn",
                "address":"447700900001"})",
            [] { return api::account_delete_3pid(kBase, kToken, "msisdn", "447700900001"); });
        add("account_email_token_all_arguments", "account_email_token",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":3,"next_link":"https://next.example.org"})",
            [] {
                return api::account_email_token(kBase, kToken, "secret-1", "a@example.org", 3,
                                                {.next_link = "https://next.example.org"});
            });
        add("account_email_token_required_only", "account_email_token",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":4})",
            [] { return api::account_email_token(kBase, kToken, "secret-1", "a@example.org", 4); });
        add("account_msisdn_token_all_arguments", "account_msisdn_token",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "country":"GB","phone":"07700900001","send_attempt":2,
                "next_link":"https://next.example.org"})",
            [] {
                return api::account_msisdn_token(kBase, kToken, "secret-1", "GB", "07700900001", 2,
                                                 {.next_link = "https://next.example.org"});
            });
        add("account_msisdn_token_required_only", "account_msisdn_token",
            R"({"base_url":"https://hs.example.org","token":"tok-123","client_secret":"secret-1",
                "country":"GB","phone":"07700900001","send_attempt":2})",
            [] {
                return api::account_msisdn_token(kBase, kToken, "secret-1", "GB", "07700900001", 2);
            });
        add("account_unbind_3pid_all_arguments", "account_unbind_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","medium":"email",
                "address":"a@example.org","id_server":"id.example.org"})",
            [] {
                return api::account_unbind_3pid(kBase, kToken, "email", "a@example.org",
                                                {.id_server = "id.example.org"});
            });
        add("account_unbind_3pid_required_only", "account_unbind_3pid",
            R"({"base_url":"https://hs.example.org","token":"tok-123","medium":"email",
                "address":"a@example.org"})",
            [] { return api::account_unbind_3pid(kBase, kToken, "email", "a@example.org"); });
        add("change_password_all_arguments", "change_password",
            R"({"base_url":"https://hs.example.org","new_password":"new-pass",
                "auth":{"type":"m.login.email.identity",
                        "threepidCreds":[{"client_secret":"secret-9","sid":"sid-9"}]},
                "logout_devices":true})",
            [email_auth] {
                return api::change_password(kBase, "new-pass", email_auth,
                                            {.logout_devices = true});
            });
        add("change_password_required_only", "change_password",
            R"({"base_url":"https://hs.example.org","new_password":"new-pass",
                "auth":{"type":"m.login.email.identity",
                        "threepidCreds":[{"client_secret":"secret-9","sid":"sid-9"}]}})",
            [email_auth] { return api::change_password(kBase, "new-pass", email_auth); });
        add("deactivate_account_all_arguments", "deactivate_account",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "auth":{"type":"m.login.dummy","session":"sess-1"}})",
            [dummy_session] {
                return api::deactivate_account(kBase, kToken, {.auth = dummy_session});
            });
        add("deactivate_account_required_only", "deactivate_account",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::deactivate_account(kBase, kToken); });
        add("password_email_token_all_arguments", "password_email_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":5,"next_link":"https://next.example.org"})",
            [] {
                return api::password_email_token(kBase, "secret-1", "a@example.org", 5,
                                                 {.next_link = "https://next.example.org"});
            });
        add("password_email_token_required_only", "password_email_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":5})",
            [] { return api::password_email_token(kBase, "secret-1", "a@example.org", 5); });
        add("password_msisdn_token_all_arguments", "password_msisdn_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1","country":"FR",
                "phone":"0601020304","send_attempt":6,"next_link":"https://next.example.org"})",
            [] {
                return api::password_msisdn_token(kBase, "secret-1", "FR", "0601020304", 6,
                                                  {.next_link = "https://next.example.org"});
            });
        add("password_msisdn_token_required_only", "password_msisdn_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1","country":"FR",
                "phone":"0601020304","send_attempt":6})",
            [] { return api::password_msisdn_token(kBase, "secret-1", "FR", "0601020304", 6); });
        add("whoami", "whoami", R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::whoami(kBase, kToken); });

        // ---- profile ----
        add("avatar_url", "avatar_url",
            R"({"base_url":"https://hs.example.org","user_id":"@user:example.org"})",
            [] { return api::avatar_url(kBase, "@user:example.org"); });
        add("display_name", "display_name",
            R"({"base_url":"https://hs.example.org","user_id":"@user:example.org"})",
            [] { return api::display_name(kBase, "@user:example.org"); });
        add("set_avatar_url", "set_avatar_url",
            R"({"base_url":"https://hs.example.org","token":"tok-123","user_id":"@user:example.org",
                "avatar_url":"mxc://example.org/avatar"})",
            [] {
                return api::set_avatar_url(kBase, kToken, "@user:example.org",
                                           "mxc://example.org/avatar");
            });
        add("set_display_name", "set_display_name",
            R"({"base_url":"https://hs.example.org","token":"tok-123","user_id":"@user:example.org",
                "display_name":"Mickey"})",
            [] { return api::set_display_name(kBase, kToken, "@user:example.org", "Mickey"); });
        add("user_profile", "user_profile",
            R"({"base_url":"https://hs.example.org","user_id":"@user:example.org"})",
            [] { return api::user_profile(kBase, "@user:example.org"); });
        add("user_directory_search_all_arguments", "user_directory_search",
            R"({"base_url":"https://hs.example.org","token":"tok-123","search_term":"mickey",
                "limit":42,"language":"en-GB"})",
            [] {
                return api::user_directory_search(kBase, kToken, "mickey",
                                                  {.limit = 42, .language = "en-GB"});
            });
        add("user_directory_search_required_only", "user_directory_search",
            R"({"base_url":"https://hs.example.org","token":"tok-123","search_term":"mickey"})",
            [] { return api::user_directory_search(kBase, kToken, "mickey"); });

        // ---- login, logout, registration ----
        add("login_get", "login", R"({"base_url":"https://hs.example.org"})",
            [] { return api::login(kBase); });
        add("login_post_all_arguments", "login",
            R"({"base_url":"https://hs.example.org",
                "auth":{"type":"m.login.password",
                        "identifier":{"type":"m.id.user","user":"maurice_moss"},
                        "password":"hunter2"},
                "device_id":"DEVICE1","initial_device_display_name":"THE INTERNET"})",
            [user_auth] {
                return api::login(
                    kBase, user_auth,
                    {.device_id = "DEVICE1", .initial_device_display_name = "THE INTERNET"});
            });
        add("login_post_required_only", "login",
            R"({"base_url":"https://hs.example.org",
                "auth":{"type":"m.login.password",
                        "identifier":{"type":"m.id.user","user":"maurice_moss"},
                        "password":"hunter2"}})",
            [user_auth] { return api::login(kBase, user_auth); });
        add("logout", "logout", R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::logout(kBase, kToken); });
        add("logout_all", "logout_all",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::logout_all(kBase, kToken); });
        add("register_guest_all_arguments", "register_guest",
            R"({"base_url":"https://hs.example.org","initial_device_display_name":"Guest phone"})",
            [] {
                return api::register_guest(kBase, {.initial_device_display_name = "Guest phone"});
            });
        add("register_guest_required_only", "register_guest",
            R"({"base_url":"https://hs.example.org"})", [] { return api::register_guest(kBase); });
        add("register_user_all_arguments", "register_user",
            R"({"base_url":"https://hs.example.org","password":"hunter2",
                "auth":{"type":"m.login.dummy","session":"sess-1"},"username":"maurice_moss",
                "device_id":"DEVICE1","initial_device_display_name":"THE INTERNET",
                "inhibit_login":true})",
            [dummy_session] {
                return api::register_user(kBase, "hunter2", dummy_session,
                                          {.username = "maurice_moss",
                                           .device_id = "DEVICE1",
                                           .initial_device_display_name = "THE INTERNET",
                                           .inhibit_login = true});
            });
        add("register_user_required_only", "register_user",
            R"({"base_url":"https://hs.example.org","password":"hunter2",
                "auth":{"type":"m.login.dummy","session":"sess-1"}})",
            [dummy_session] { return api::register_user(kBase, "hunter2", dummy_session); });
        add("registration_email_token_all_arguments", "registration_email_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":7,"next_link":"https://next.example.org"})",
            [] {
                return api::registration_email_token(kBase, "secret-1", "a@example.org", 7,
                                                     {.next_link = "https://next.example.org"});
            });
        add("registration_email_token_required_only", "registration_email_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1",
                "email":"a@example.org","send_attempt":7})",
            [] { return api::registration_email_token(kBase, "secret-1", "a@example.org", 7); });
        add("registration_msisdn_token_all_arguments", "registration_msisdn_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1","country":"DE",
                "phone":"015112345678","send_attempt":8,"next_link":"https://next.example.org"})",
            [] {
                return api::registration_msisdn_token(kBase, "secret-1", "DE", "015112345678", 8,
                                                      {.next_link = "https://next.example.org"});
            });
        add("registration_msisdn_token_required_only", "registration_msisdn_token",
            R"({"base_url":"https://hs.example.org","client_secret":"secret-1","country":"DE",
                "phone":"015112345678","send_attempt":8})",
            [] {
                return api::registration_msisdn_token(kBase, "secret-1", "DE", "015112345678", 8);
            });
        add("username_availability", "username_availability",
            R"({"base_url":"https://hs.example.org","username":"maurice_moss"})",
            [] { return api::username_availability(kBase, "maurice_moss"); });

        // ---- rooms ----
        add("create_room_all_arguments", "create_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123","visibility":"private",
                "room_alias_name":"chocolate","name":"Chocolate lovers","topic":"Cocoa",
                "invite":["@alice:example.org","@bob:example.org"],
                "invite_3pid":[{"id_server":"id.example.org","medium":"email",
                                "address":"c@example.org"}],
                "room_version":"10","creation_content":{"m.federate":false},
                "initial_state":[{"type":"m.room.topic","state_key":"",
                                  "content":{"topic":"Cocoa"}}],
                "preset":"private_chat","is_direct":true,
                "power_level_content_override":{"users_default":10}})",
            [] {
                api::CreateRoomOptions options;
                options.visibility = "private";
                options.room_alias_name = "chocolate";
                options.name = "Chocolate lovers";
                options.topic = "Cocoa";
                options.invite = Json::string_array({"@alice:example.org", "@bob:example.org"});
                options.invite_3pid = Json::parse(
                    R"([{"id_server":"id.example.org","medium":"email","address":"c@example.org"}])");
                options.room_version = "10";
                options.creation_content = Json::parse(R"({"m.federate":false})");
                options.initial_state = Json::parse(
                    R"([{"type":"m.room.topic","state_key":"","content":{"topic":"Cocoa"}}])");
                options.preset = "private_chat";
                options.is_direct = true;
                options.power_level_content_override = Json::parse(R"({"users_default":10})");
                return api::create_room(kBase, kToken, options);
            });
        add("create_room_required_only", "create_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::create_room(kBase, kToken); });
        add("create_room_alias", "create_room_alias",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "room_alias":"#monkeys:example.org"})",
            [] {
                return api::create_room_alias(kBase, kToken, "!room:example.org",
                                              "#monkeys:example.org");
            });
        add("delete_room_alias", "delete_room_alias",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "room_alias":"#monkeys:example.org"})",
            [] { return api::delete_room_alias(kBase, kToken, "#monkeys:example.org"); });
        add("resolve_room_alias", "resolve_room_alias",
            R"({"base_url":"https://hs.example.org","room_alias":"#monkeys:example.org"})",
            [] { return api::resolve_room_alias(kBase, "#monkeys:example.org"); });
        add("forget_room", "forget_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org"})",
            [] { return api::forget_room(kBase, kToken, "!room:example.org"); });
        add("join_room_all_arguments", "join_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "room_id_or_alias":"#monkeys:example.org",
                "third_party_signed":{"sender":"@s:example.org","mxid":"@m:example.org",
                                      "token":"3pid-token","signatures":{}}})",
            [] {
                return api::join_room(kBase, kToken, "#monkeys:example.org",
                                      {.third_party_signed = Json::parse(
                                           R"({"sender":"@s:example.org","mxid":"@m:example.org",
                             "token":"3pid-token","signatures":{}})")});
            });
        add("join_room_required_only", "join_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "room_id_or_alias":"!room:example.org"})",
            [] { return api::join_room(kBase, kToken, "!room:example.org"); });
        add("joined_rooms", "joined_rooms",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::joined_rooms(kBase, kToken); });
        add("leave_room", "leave_room",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org"})",
            [] { return api::leave_room(kBase, kToken, "!room:example.org"); });
        add("public_rooms_get_all_arguments", "public_rooms",
            R"({"base_url":"https://hs.example.org","limit":10,"since":"batch-2",
                "server":"other.example.org"})",
            [] {
                return api::public_rooms(
                    kBase, {.limit = 10, .since = "batch-2", .server = "other.example.org"});
            });
        add("public_rooms_get_required_only", "public_rooms",
            R"({"base_url":"https://hs.example.org"})", [] { return api::public_rooms(kBase); });
        add("public_rooms_post_all_arguments", "public_rooms",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "filters":{"limit":10,"filter":{"generic_search_term":"cocoa"},
                           "include_all_networks":true},
                "server":"other.example.org"})",
            [] {
                return api::public_rooms(
                    kBase, kToken,
                    Json::parse(R"({"limit":10,"filter":{"generic_search_term":"cocoa"},
                                    "include_all_networks":true})"),
                    "other.example.org");
            });
        add("public_rooms_post_required_only", "public_rooms",
            R"({"base_url":"https://hs.example.org","token":"tok-123","filters":{"limit":3}})",
            [] { return api::public_rooms(kBase, kToken, Json::parse(R"({"limit":3})")); });
        add("redact_room_event_all_arguments", "redact_room_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "event_id":"$event:example.org","transaction_id":"txn-1",
                "reason":"Indecent material"})",
            [] {
                return api::redact_room_event(kBase, kToken, "!room:example.org",
                                              "$event:example.org", "txn-1",
                                              {.reason = "Indecent material"});
            });
        add("redact_room_event_required_only", "redact_room_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "event_id":"$event:example.org","transaction_id":"txn-1"})",
            [] {
                return api::redact_room_event(kBase, kToken, "!room:example.org",
                                              "$event:example.org", "txn-1");
            });
        add("room_ban_all_arguments", "room_ban",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org","reason":"Spam"})",
            [] {
                return api::room_ban(kBase, kToken, "!room:example.org", "@user:example.org",
                                     {.reason = "Spam"});
            });
        add("room_ban_required_only", "room_ban",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org"})",
            [] { return api::room_ban(kBase, kToken, "!room:example.org", "@user:example.org"); });
        add("room_event", "room_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "event_id":"$event:example.org"})",
            [] {
                return api::room_event(kBase, kToken, "!room:example.org", "$event:example.org");
            });
        add("room_invite", "room_invite",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org"})",
            [] {
                return api::room_invite(kBase, kToken, "!room:example.org", "@user:example.org");
            });
        add("room_joined_members", "room_joined_members",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org"})",
            [] { return api::room_joined_members(kBase, kToken, "!room:example.org"); });
        add("room_kick_all_arguments", "room_kick",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org","reason":"Ate all the chocolate"})",
            [] {
                return api::room_kick(kBase, kToken, "!room:example.org", "@user:example.org",
                                      {.reason = "Ate all the chocolate"});
            });
        add("room_kick_required_only", "room_kick",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org"})",
            [] { return api::room_kick(kBase, kToken, "!room:example.org", "@user:example.org"); });
        add("room_members_all_arguments", "room_members",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "at":"t123","membership":"join","not_membership":"invite"})",
            [] {
                return api::room_members(
                    kBase, kToken, "!room:example.org",
                    {.at = "t123", .membership = "join", .not_membership = "invite"});
            });
        add("room_members_required_only", "room_members",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org"})",
            [] { return api::room_members(kBase, kToken, "!room:example.org"); });
        add("room_messages_all_arguments", "room_messages",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "from":"t-from","dir":"b","to":"t-to","limit":25,"filter":"filter-id"})",
            [] {
                return api::room_messages(kBase, kToken, "!room:example.org", "t-from", "b",
                                          {.to = "t-to", .limit = 25, .filter = "filter-id"});
            });
        add("room_messages_required_only", "room_messages",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "from":"t-from","dir":"f"})",
            [] { return api::room_messages(kBase, kToken, "!room:example.org", "t-from", "f"); });
        add("room_state", "room_state",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org"})",
            [] { return api::room_state(kBase, kToken, "!room:example.org"); });
        add("room_state_event", "room_state_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "event_type":"m.room.member","state_key":"@user:example.org"})",
            [] {
                return api::room_state_event(kBase, kToken, "!room:example.org", "m.room.member",
                                             "@user:example.org");
            });
        add("room_unban", "room_unban",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "user_id":"@user:example.org"})",
            [] {
                return api::room_unban(kBase, kToken, "!room:example.org", "@user:example.org");
            });
        add("room_visibility_get", "room_visibility",
            R"({"base_url":"https://hs.example.org","room_id":"!room:example.org"})",
            [] { return api::room_visibility(kBase, "!room:example.org"); });
        add("room_visibility_put", "room_visibility",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "visibility":"public"})",
            [] { return api::room_visibility(kBase, kToken, "!room:example.org", "public"); });
        add("send_room_event", "send_room_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "room_event":{"room_id":"!room:example.org","type":"m.room.message",
                              "transaction_id":"txn-2",
                              "content":{"body":"Fire!","msgtype":"m.text"}}})",
            [] {
                return api::send_room_event(
                    kBase, kToken,
                    RoomEvent::message("!room:example.org", MessageType::text, "Fire!", "txn-2"));
            });
        add("send_state_event", "send_state_event",
            R"({"base_url":"https://hs.example.org","token":"tok-123",
                "state_event":{"room_id":"!room:example.org","type":"m.room.member",
                               "state_key":"@user:example.org",
                               "content":{"membership":"join"}}})",
            [] {
                return api::send_state_event(
                    kBase, kToken,
                    StateEvent{"!room:example.org", "m.room.member", "@user:example.org",
                               Json::parse(R"({"membership":"join"})")});
            });
        add("set_room_read_markers_all_arguments", "set_room_read_markers",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "fully_read_event_id":"$read:example.org",
                "receipt_read_event_id":"$receipt:example.org"})",
            [] {
                return api::set_room_read_markers(kBase, kToken, "!room:example.org",
                                                  "$read:example.org", "$receipt:example.org");
            });
        add("set_room_read_markers_required_only", "set_room_read_markers",
            R"({"base_url":"https://hs.example.org","token":"tok-123","room_id":"!room:example.org",
                "fully_read_event_id":"$read:example.org"})",
            [] {
                return api::set_room_read_markers(kBase, kToken, "!room:example.org",
                                                  "$read:example.org");
            });

        // ---- server, sync, media ----
        add("server_capabilities", "server_capabilities",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::server_capabilities(kBase, kToken); });
        add("server_discovery", "server_discovery", R"({"base_url":"https://hs.example.org"})",
            [] { return api::server_discovery(kBase); });
        add("spec_versions", "spec_versions", R"({"base_url":"https://hs.example.org"})",
            [] { return api::spec_versions(kBase); });
        add("sync_all_arguments", "sync",
            R"({"base_url":"https://hs.example.org","token":"tok-123","filter":"filter-id",
                "since":"s-since","full_state":false,"set_presence":"offline","timeout":30000})",
            [] {
                return api::sync(kBase, kToken,
                                 {.filter = "filter-id",
                                  .since = "s-since",
                                  .full_state = false,
                                  .set_presence = "offline",
                                  .timeout = 30000});
            });
        add("sync_required_only", "sync",
            R"({"base_url":"https://hs.example.org","token":"tok-123"})",
            [] { return api::sync(kBase, kToken); });
        add("download_all_arguments", "download",
            R"({"base_url":"https://hs.example.org","server_name":"media.example.org",
                "media_id":"media-1","allow_remote":false,"filename":"cat picture.png"})",
            [] {
                return api::download(kBase, "media.example.org", "media-1",
                                     {.allow_remote = false, .filename = "cat picture.png"});
            });
        add("download_required_only", "download",
            R"({"base_url":"https://hs.example.org","server_name":"media.example.org",
                "media_id":"media-1"})",
            [] { return api::download(kBase, "media.example.org", "media-1"); });
        add("thumbnail_all_arguments", "thumbnail",
            R"({"base_url":"https://hs.example.org","server_name":"media.example.org",
                "media_id":"media-1","width":320,"height":240,"allow_remote":true,
                "method":"scale"})",
            [] {
                return api::thumbnail(kBase, "media.example.org", "media-1", 320, 240,
                                      {.allow_remote = true, .method = "scale"});
            });
        add("thumbnail_required_only", "thumbnail",
            R"({"base_url":"https://hs.example.org","server_name":"media.example.org",
                "media_id":"media-1","width":96,"height":64})",
            [] { return api::thumbnail(kBase, "media.example.org", "media-1", 96, 64); });
        add("upload_all_arguments", "upload",
            R"({"base_url":"https://hs.example.org","token":"tok-123","bytes":"file bytes",
                "filename":"notes.txt","content_type":"text/plain"})",
            [] {
                return api::upload(kBase, kToken, "file bytes",
                                   {.filename = "notes.txt", .content_type = "text/plain"});
            });
        add("upload_required_only", "upload",
            R"({"base_url":"https://hs.example.org","token":"tok-123","bytes":"file bytes"})",
            [] { return api::upload(kBase, kToken, "file bytes"); });
        return v;
    }();
    return all;
}

class TypedApi : public ::testing::TestWithParam<Case> {};

TEST_P(TypedApi, BuildsTheSameRequestAsTheNamedBuilderFromTheSameArguments) {
    const Case& c = GetParam();
    const Request typed = c.typed();
    const Request by_name = build_by_name(c.endpoint, c.args_json);
    EXPECT_EQ(typed.method, by_name.method);
    EXPECT_EQ(typed.base_url, by_name.base_url);
    EXPECT_EQ(typed.path, by_name.path);
    EXPECT_EQ(typed.query, by_name.query);
    EXPECT_EQ(typed.headers, by_name.headers);
    EXPECT_EQ(typed.body_kind, by_name.body_kind);
    EXPECT_EQ(typed.body, by_name.body);
    EXPECT_TRUE(typed == by_name);
}

INSTANTIATE_TEST_SUITE_P(EverySeedForm, TypedApi, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                             return param_info.param.id;
                         });

bool is_given(const rapidjson::Document& args, std::string_view param_name) {
    const std::size_t dot = param_name.find('.');
    const std::string top(param_name.substr(0, dot));
    if (!args.HasMember(top.c_str())) return false;
    if (dot == std::string_view::npos) return true;
    const std::string member(param_name.substr(dot + 1));
    return args[top.c_str()].IsObject() && args[top.c_str()].HasMember(member.c_str());
}

TEST(TypedApiCoverage, CallsEverySeedFormWithEveryArgumentAndWithOnlyTheRequiredOnes) {
    using Form = std::pair<std::string, std::string>;
    std::set<Form> with_every_argument;
    std::set<Form> with_required_only;
    std::set<std::string> ids;
    for (const Case& c : cases()) {
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate case id " << c.id;
        const EndpointSpec* found = nullptr;
        try {
            found = &select_form(c.endpoint, c.args_json);
        } catch (const std::exception& e) {
            ADD_FAILURE() << c.id << ": arguments fit no form: " << e.what();
            continue;
        }
        const EndpointSpec& spec = *found;
        rapidjson::Document args;
        args.Parse(c.args_json.c_str());
        ASSERT_FALSE(args.HasParseError()) << c.id;
        bool every = true;
        bool required_only = true;
        for (const ParamSpec& param : spec.params) {
            const bool given = is_given(args, param.name);
            every = every && given;
            if (!param.required && given) required_only = false;
        }
        const Form form{std::string(spec.name), std::string(spec.form)};
        if (every) with_every_argument.insert(form);
        if (required_only) with_required_only.insert(form);
    }
    for (const EndpointSpec& spec : seed_endpoints()) {
        const Form form{std::string(spec.name), std::string(spec.form)};
        EXPECT_TRUE(with_every_argument.contains(form))
            << spec.name << " (" << spec.form << ") is never called with every argument";
        EXPECT_TRUE(with_required_only.contains(form))
            << spec.name << " (" << spec.form << ") is never called with only required arguments";
    }
}

// ---- The seed's documented examples, straight from the typed API
// ----------------------------------

std::vector<QueryParam> sorted(std::vector<QueryParam> query) {
    std::ranges::sort(query, [](const QueryParam& a, const QueryParam& b) {
        return std::tie(a.name, a.value) < std::tie(b.name, b.value);
    });
    return query;
}

void expect_json_body(const Request& request, std::string_view expected) {
    EXPECT_EQ(request.body_kind, BodyKind::json);
    EXPECT_EQ(Json::parse(request.body), Json::parse(expected)) << "actual: " << request.body;
}

void expect_no_body(const Request& request) {
    EXPECT_EQ(request.body_kind, BodyKind::none);
    EXPECT_EQ(request.body, "");
}

const std::vector<Header> kBearerToken = {{"Authorization", "Bearer token"}};

TEST(TypedApiSeedExample, RoomKickWithReason) {
    const Request r = api::room_kick("https://matrix.org", "token", "!someroom:matrix.org",
                                     "@user:matrix.org", {.reason = "Ate all the chocolate"});
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.base_url, "https://matrix.org");
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick");
    EXPECT_TRUE(r.query.empty());
    EXPECT_EQ(r.headers, kBearerToken);
    expect_json_body(r, R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})");
}

TEST(TypedApiSeedExample, RoomKickWithoutReasonSendsOnlyTheUserId) {
    const Request r =
        api::room_kick("https://matrix.org", "token", "!someroom:matrix.org", "@user:matrix.org");
    expect_json_body(r, R"({"user_id":"@user:matrix.org"})");
}

TEST(TypedApiSeedExample, SyncWithAllOptionsPutsThemInTheQuery) {
    const Request r = api::sync("https://matrix.org", "token",
                                {.filter = "filter",
                                 .since = "s123456789",
                                 .full_state = true,
                                 .set_presence = "online",
                                 .timeout = 1000});
    EXPECT_EQ(r.method, Method::get);
    EXPECT_EQ(r.path, "/_matrix/client/r0/sync");
    const std::vector<QueryParam> expected = {{"filter", "filter"},
                                              {"full_state", "true"},
                                              {"set_presence", "online"},
                                              {"since", "s123456789"},
                                              {"timeout", "1000"}};
    EXPECT_EQ(sorted(r.query), expected);
    EXPECT_EQ(r.headers, kBearerToken);
    expect_no_body(r);
}

TEST(TypedApiSeedExample, SyncWithoutOptionsHasAnEmptyQuery) {
    const Request r = api::sync("https://matrix.org", "token");
    EXPECT_TRUE(r.query.empty());
}

TEST(TypedApiSeedExample, ThumbnailPutsWidthHeightAndMethodInTheQuery) {
    const Request r = api::thumbnail("https://matrix.org", "some_server_name",
                                     "AQwafuaFswefuhsfAFAgsw", 100, 101, {.method = "crop"});
    EXPECT_EQ(r.method, Method::get);
    EXPECT_EQ(r.path, "/_matrix/media/r0/thumbnail/some_server_name/AQwafuaFswefuhsfAFAgsw");
    const std::vector<QueryParam> expected = {
        {"height", "101"}, {"method", "crop"}, {"width", "100"}};
    EXPECT_EQ(sorted(r.query), expected);
    EXPECT_TRUE(r.headers.empty());
    expect_no_body(r);
}

TEST(TypedApiSeedExample, ThumbnailWritesAllowRemoteFalseAsFalse) {
    const Request r = api::thumbnail("https://matrix.org", "some_server_name",
                                     "AQwafuaFswefuhsfAFAgsw", 100, 101, {.allow_remote = false});
    const std::vector<QueryParam> expected = {
        {"allow_remote", "false"}, {"height", "101"}, {"width", "100"}};
    EXPECT_EQ(sorted(r.query), expected);
}

TEST(TypedApiSeedExample, UploadWithContentTypeSendsRawBytesAndTheHeader) {
    const Request r =
        api::upload("https://matrix.org", "token", "some_content", {.content_type = "text/plain"});
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/media/r0/upload");
    EXPECT_TRUE(r.query.empty());
    const std::vector<Header> expected = {{"Authorization", "Bearer token"},
                                          {"Content-Type", "text/plain"}};
    EXPECT_EQ(r.headers, expected);
    EXPECT_EQ(r.body_kind, BodyKind::raw);
    EXPECT_EQ(r.body, "some_content");
}

TEST(TypedApiSeedExample, UploadWithFilenamePutsItInTheQuery) {
    const Request r =
        api::upload("https://matrix.org", "token", "some_content", {.filename = "some_file.txt"});
    const std::vector<QueryParam> expected = {{"filename", "some_file.txt"}};
    EXPECT_EQ(r.query, expected);
    EXPECT_EQ(r.headers, kBearerToken);
}

TEST(TypedApiSeedExample, UploadKeepsBinaryBytesIntact) {
    const std::string bytes("\0\xff\x01 \r\n", 6);
    const Request r = api::upload("https://matrix.org", "token", bytes);
    EXPECT_EQ(r.body, bytes);
}

TEST(TypedApiSeedExample, SetRoomReadMarkersWithReceipt) {
    const Request r =
        api::set_room_read_markers("https://matrix.org", "token", "!someroom:matrix.org",
                                   "$somewhere:example.org", "$elsewhere:example.org");
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/read_markers");
    EXPECT_EQ(r.headers, kBearerToken);
    expect_json_body(
        r, R"({"m.fully_read":"$somewhere:example.org","m.read":"$elsewhere:example.org"})");
}

TEST(TypedApiSeedExample, RegisterGuestSendsKindGuestInTheQuery) {
    const Request r = api::register_guest("https://matrix.org");
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/client/r0/register");
    const std::vector<QueryParam> expected = {{"kind", "guest"}};
    EXPECT_EQ(r.query, expected);
    EXPECT_TRUE(r.headers.empty());
    expect_json_body(r, "{}");
}

TEST(TypedApiSeedExample, RegisterGuestWithDisplayName) {
    const Request r =
        api::register_guest("https://matrix.org", {.initial_device_display_name = "THE INTERNET"});
    expect_json_body(r, R"({"initial_device_display_name":"THE INTERNET"})");
}

TEST(TypedApiSeedExample, UsernameAvailabilitySendsTheUsernameInTheQuery) {
    const Request r = api::username_availability("https://matrix.org", "maurice_moss");
    EXPECT_EQ(r.method, Method::get);
    EXPECT_EQ(r.path, "/_matrix/client/r0/register/available");
    const std::vector<QueryParam> expected = {{"username", "maurice_moss"}};
    EXPECT_EQ(r.query, expected);
    EXPECT_TRUE(r.headers.empty());
    expect_no_body(r);
}

TEST(TypedApiSeedExample, LoginWithUserPasswordAndDeviceOptionsMergesThemIntoTheBody) {
    const Request r =
        api::login("https://matrix.org", Auth::login_user("maurice_moss", "password"),
                   {.device_id = "id", .initial_device_display_name = "THE INTERNET"});
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/client/r0/login");
    EXPECT_TRUE(r.headers.empty());
    expect_json_body(r, R"({"identifier":{"type":"m.id.user","user":"maurice_moss"},
                            "password":"password","type":"m.login.password","device_id":"id",
                            "initial_device_display_name":"THE INTERNET"})");
}

TEST(TypedApiSeedExample, ChangePasswordNestsTheAuthObject) {
    const Request r = api::change_password("https://matrix.org", "new_password",
                                           Auth::login_email_identity("sid", "client_secret"));
    EXPECT_TRUE(r.headers.empty());
    expect_json_body(r, R"({"auth":{"type":"m.login.email.identity",
                                    "threepidCreds":[{"client_secret":"client_secret",
                                                      "sid":"sid"}]},
                            "new_password":"new_password"})");
}

TEST(TypedApiSeedExample, CreateRoomWithoutOptionsSendsAnEmptyObject) {
    const Request r = api::create_room("https://matrix.org", "token");
    EXPECT_EQ(r.path, "/_matrix/client/r0/createRoom");
    expect_json_body(r, "{}");
}

TEST(TypedApiSeedExample, DeleteRoomAliasIsADeleteWithoutBody) {
    const Request r = api::delete_room_alias("https://matrix.org", "token", "#monkeys:matrix.org");
    EXPECT_EQ(r.method, Method::del);
    EXPECT_EQ(r.path, "/_matrix/client/r0/directory/room/%23monkeys%3Amatrix.org");
    expect_no_body(r);
}

TEST(TypedApiSeedExample, SetDisplayNameSendsDisplaynameWithoutUnderscore) {
    const Request r =
        api::set_display_name("https://matrix.org", "token", "@user:matrix.org", "mickey");
    EXPECT_EQ(r.method, Method::put);
    EXPECT_EQ(r.path, "/_matrix/client/r0/profile/%40user%3Amatrix.org/displayname");
    expect_json_body(r, R"({"displayname":"mickey"})");
}

TEST(TypedApiSeedExample, AccountMsisdnTokenSendsThePhoneAsPhoneNumber) {
    const Request r = api::account_msisdn_token("https://matrix.org", "token", "client_secret",
                                                "GB", "07700900001", 1);
    expect_json_body(r, R"({"client_secret":"client_secret","country":"GB",
                            "phone_number":"07700900001","send_attempt":1})");
}

TEST(TypedApiSeedExample, DownloadWithFilenameAppendsAPathSegment) {
    const Request r = api::download("https://matrix.org", "some_server_name",
                                    "AQwafuaFswefuhsfAFAgsw", {.filename = "some_filename"});
    EXPECT_EQ(r.path,
              "/_matrix/media/r0/download/some_server_name/AQwafuaFswefuhsfAFAgsw/some_filename");
    EXPECT_TRUE(r.query.empty());
}

TEST(TypedApiSeedExample, SendRoomEventPutsTheEventContentAsTheWholeBody) {
    const Request r =
        api::send_room_event("https://matrix.org", "token",
                             RoomEvent::message("!someroom:matrix.org", MessageType::text,
                                                "Fire! Fire! Fire!", "transaction_id"));
    EXPECT_EQ(r.method, Method::put);
    EXPECT_EQ(r.path,
              "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/send/m.room.message/"
              "transaction_id");
    expect_json_body(r, R"({"body":"Fire! Fire! Fire!","msgtype":"m.text"})");
}

TEST(TypedApiSeedExample, SendStateEventJoinRulesEndsInATrailingSlash) {
    const Request r = api::send_state_event(
        "https://matrix.org", "token", StateEvent::join_rules("!someroom:matrix.org", "private"));
    EXPECT_EQ(r.method, Method::put);
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/state/m.room.join_rules/");
    expect_json_body(r, R"({"join_rule":"private"})");
}

TEST(TypedApiSeedExample, PublicRoomsPostWithServer) {
    const Request r =
        api::public_rooms("https://matrix.org", "token", Json::parse(R"({"limit":10})"), "server");
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/client/r0/publicRooms");
    const std::vector<QueryParam> expected = {{"server", "server"}};
    EXPECT_EQ(r.query, expected);
    expect_json_body(r, R"({"limit":10})");
}

TEST(TypedApiSeedExample, ServerDiscoveryAndSpecVersionsHaveUnversionedPaths) {
    EXPECT_EQ(api::server_discovery("https://matrix.org").path, "/.well-known/matrix/client");
    EXPECT_EQ(api::spec_versions("https://matrix.org").path, "/_matrix/client/versions");
}

}  // namespace
}  // namespace matrix
