// The declarations of the 60 seed endpoint forms (matrix_sdk 0.2.0's Client.Request).
// Each entry says, once, where every seed argument goes on the wire; all builders read it.
#pragma once

#include <string_view>

#include "matrix/endpoint.hpp"

namespace matrix::seed {

using enum ParamType;
using enum ParamLocation;

// Shorthands that keep each declaration on a few readable lines.
constexpr ParamSpec base_url_param{"base_url", string, base_url, true, {}, false};
constexpr ParamSpec token_param{"token", string, bearer_token, true, {}, false};

constexpr ParamSpec path_id(std::string_view name) { return {name, string, path, true, {}, false}; }
constexpr ParamSpec body(std::string_view name, ParamType type = string,
                         std::string_view wire_name = {}) {
    return {name, type, body_field, true, wire_name};
}
constexpr ParamSpec opt_body(std::string_view name, ParamType type = string,
                             std::string_view wire_name = {}) {
    return {name, type, body_field, false, wire_name};
}
constexpr ParamSpec query_arg(std::string_view name, ParamType type = string) {
    return {name, type, query, true};
}
constexpr ParamSpec opt_query(std::string_view name, ParamType type = string) {
    return {name, type, query, false};
}

// --- account / 3PID -------------------------------------------------------------------------

inline constexpr ParamSpec account_3pids_params[] = {base_url_param, token_param};
inline constexpr ParamSpec account_add_3pid_params[] = {
    base_url_param, token_param, body("client_secret"), body("sid"), opt_body("auth", json_object)};
inline constexpr ParamSpec account_bind_3pid_params[] = {base_url_param,          token_param,
                                                         body("client_secret"),   body("id_server"),
                                                         body("id_access_token"), body("sid")};
inline constexpr ParamSpec account_3pid_removal_params[] = {
    base_url_param, token_param, body("medium"), body("address"), opt_body("id_server")};
inline constexpr ParamSpec account_email_token_params[] = {base_url_param,
                                                           token_param,
                                                           body("client_secret"),
                                                           body("email"),
                                                           body("send_attempt", integer),
                                                           opt_body("next_link")};
inline constexpr ParamSpec account_msisdn_token_params[] = {base_url_param,
                                                            token_param,
                                                            body("client_secret"),
                                                            body("country"),
                                                            body("phone", string, "phone_number"),
                                                            body("send_attempt", integer),
                                                            opt_body("next_link")};
inline constexpr ParamSpec email_token_params[] = {base_url_param, body("client_secret"),
                                                   body("email"), body("send_attempt", integer),
                                                   opt_body("next_link")};
inline constexpr ParamSpec msisdn_token_params[] = {base_url_param,
                                                    body("client_secret"),
                                                    body("country"),
                                                    body("phone", string, "phone_number"),
                                                    body("send_attempt", integer),
                                                    opt_body("next_link")};

// --- profile ----------------------------------------------------------------------------------

inline constexpr ParamSpec user_id_only_params[] = {base_url_param, path_id("user_id")};
inline constexpr ParamSpec set_avatar_url_params[] = {base_url_param, token_param,
                                                      path_id("user_id"), body("avatar_url")};
inline constexpr ParamSpec set_display_name_params[] = {
    base_url_param, token_param, path_id("user_id"), body("display_name", string, "displayname")};

// --- account management -----------------------------------------------------------------------

inline constexpr ParamSpec change_password_params[] = {base_url_param, body("new_password"),
                                                       body("auth", json_object),
                                                       opt_body("logout_devices", boolean)};
inline constexpr ParamSpec deactivate_account_params[] = {base_url_param, token_param,
                                                          opt_body("auth", json_object)};
inline constexpr ParamSpec token_only_params[] = {base_url_param, token_param};
inline constexpr ParamSpec base_url_only_params[] = {base_url_param};

// --- rooms --------------------------------------------------------------------------------------

inline constexpr ParamSpec create_room_params[] = {
    base_url_param,
    token_param,
    opt_body("visibility"),
    opt_body("room_alias_name"),
    opt_body("name"),
    opt_body("topic"),
    opt_body("invite", json_array),
    opt_body("invite_3pid", json_array),
    opt_body("room_version"),
    opt_body("creation_content", json_object),
    opt_body("initial_state", json_array),
    opt_body("preset"),
    opt_body("is_direct", boolean),
    opt_body("power_level_content_override", json_object)};
inline constexpr ParamSpec create_room_alias_params[] = {base_url_param, token_param,
                                                         body("room_id"), path_id("room_alias")};
inline constexpr ParamSpec room_alias_with_token_params[] = {base_url_param, token_param,
                                                             path_id("room_alias")};
inline constexpr ParamSpec room_alias_params[] = {base_url_param, path_id("room_alias")};
inline constexpr ParamSpec room_id_params[] = {base_url_param, token_param, path_id("room_id")};
inline constexpr ParamSpec join_room_params[] = {base_url_param, token_param,
                                                 path_id("room_id_or_alias"),
                                                 opt_body("third_party_signed", json_object)};
inline constexpr ParamSpec room_user_params[] = {base_url_param, token_param, path_id("room_id"),
                                                 body("user_id")};
inline constexpr ParamSpec room_user_reason_params[] = {
    base_url_param, token_param, path_id("room_id"), body("user_id"), opt_body("reason")};
inline constexpr ParamSpec room_event_params[] = {base_url_param, token_param, path_id("room_id"),
                                                  path_id("event_id")};
inline constexpr ParamSpec room_members_params[] = {
    base_url_param,          token_param,
    path_id("room_id"),      opt_query("at"),
    opt_query("membership"), opt_query("not_membership")};
inline constexpr ParamSpec room_messages_params[] = {
    base_url_param,   token_param,         path_id("room_id"),          query_arg("from"),
    query_arg("dir"), opt_query("filter"), opt_query("limit", integer), opt_query("to")};
inline constexpr ParamSpec room_state_event_params[] = {
    base_url_param, token_param, path_id("room_id"), path_id("event_type"),
    ParamSpec{"state_key", string, path, true, {}, true}};
inline constexpr ParamSpec room_visibility_get_params[] = {base_url_param, path_id("room_id")};
inline constexpr ParamSpec room_visibility_put_params[] = {base_url_param, token_param,
                                                           path_id("room_id"), body("visibility")};
inline constexpr ParamSpec redact_room_event_params[] = {base_url_param,
                                                         token_param,
                                                         path_id("room_id"),
                                                         path_id("event_id"),
                                                         path_id("transaction_id"),
                                                         opt_body("reason")};
inline constexpr ParamSpec send_room_event_params[] = {
    base_url_param,
    token_param,
    path_id("room_event.room_id"),
    path_id("room_event.type"),
    path_id("room_event.transaction_id"),
    ParamSpec{"room_event.content", json_object, body_whole, true}};
inline constexpr ParamSpec send_state_event_params[] = {
    base_url_param,
    token_param,
    path_id("state_event.room_id"),
    path_id("state_event.type"),
    ParamSpec{"state_event.state_key", string, path, true, {}, true},
    ParamSpec{"state_event.content", json_object, body_whole, true}};
inline constexpr ParamSpec set_room_read_markers_params[] = {
    base_url_param, token_param, path_id("room_id"),
    body("fully_read_event_id", string, "m.fully_read"),
    opt_body("receipt_read_event_id", string, "m.read")};

// --- login, registration ------------------------------------------------------------------------

inline constexpr ParamSpec login_post_params[] = {
    base_url_param, ParamSpec{"auth", json_object, body_merge, true}, opt_body("device_id"),
    opt_body("initial_device_display_name")};
inline constexpr ParamSpec register_guest_params[] = {base_url_param,
                                                      opt_body("initial_device_display_name")};
inline constexpr ParamSpec register_user_params[] = {base_url_param,
                                                     body("password"),
                                                     body("auth", json_object),
                                                     opt_body("username"),
                                                     opt_body("device_id"),
                                                     opt_body("initial_device_display_name"),
                                                     opt_body("inhibit_login", boolean)};
inline constexpr ParamSpec username_availability_params[] = {base_url_param, query_arg("username")};

// --- directory
// ------------------------------------------------------------------------------------

inline constexpr ParamSpec public_rooms_get_params[] = {base_url_param, opt_query("limit", integer),
                                                        opt_query("since"), opt_query("server")};
inline constexpr ParamSpec public_rooms_post_params[] = {
    base_url_param, token_param, ParamSpec{"filters", json_object, body_merge, true},
    opt_query("server")};
inline constexpr ParamSpec user_directory_search_params[] = {
    base_url_param, token_param, body("search_term"), opt_body("limit", integer),
    ParamSpec{"language", string, header, false, "Accept-Language"}};

// --- sync, media
// -----------------------------------------------------------------------------------

inline constexpr ParamSpec sync_params[] = {base_url_param,
                                            token_param,
                                            opt_query("filter"),
                                            opt_query("full_state", boolean),
                                            opt_query("set_presence"),
                                            opt_query("since"),
                                            opt_query("timeout", integer)};
inline constexpr ParamSpec download_params[] = {
    base_url_param, path_id("server_name"), path_id("media_id"), opt_query("allow_remote", boolean),
    ParamSpec{"filename", string, path_suffix, false, {}, false}};
inline constexpr ParamSpec thumbnail_params[] = {base_url_param,
                                                 path_id("server_name"),
                                                 path_id("media_id"),
                                                 query_arg("width", integer),
                                                 query_arg("height", integer),
                                                 opt_query("allow_remote", boolean),
                                                 opt_query("method")};
inline constexpr ParamSpec upload_params[] = {
    base_url_param, token_param, ParamSpec{"bytes", ParamType::bytes, body_raw, true},
    opt_query("filename"), ParamSpec{"content_type", string, header, false, "Content-Type"}};

// Every form, in the seed document's order. Overloads of one name are adjacent.
inline constexpr EndpointSpec all[] = {
    {"account_3pids", "", "getAccount3PIDs", Method::get,
     "/_matrix/client/{path_version}/account/3pid", account_3pids_params},
    {"account_add_3pid", "", "add3PID", Method::post,
     "/_matrix/client/{path_version}/account/3pid/add", account_add_3pid_params},
    {"account_bind_3pid", "", "bind3PID", Method::post,
     "/_matrix/client/{path_version}/account/3pid/bind", account_bind_3pid_params},
    {"account_delete_3pid", "", "delete3pidFromAccount", Method::post,
     "/_matrix/client/{path_version}/account/3pid/delete", account_3pid_removal_params},
    {"account_email_token", "", "requestTokenTo3PIDEmail", Method::post,
     "/_matrix/client/{path_version}/account/3pid/email/requestToken", account_email_token_params},
    {"account_msisdn_token", "", "requestTokenTo3PIDMSISDN", Method::post,
     "/_matrix/client/{path_version}/account/3pid/msisdn/requestToken",
     account_msisdn_token_params},
    {"account_unbind_3pid", "", "unbind3pidFromAccount", Method::post,
     "/_matrix/client/{path_version}/account/3pid/unbind", account_3pid_removal_params},
    {"avatar_url", "", "getProfileField", Method::get,
     "/_matrix/client/{path_version}/profile/{user_id}/avatar_url", user_id_only_params},
    {"change_password", "", "changePassword", Method::post,
     "/_matrix/client/{path_version}/account/password", change_password_params},
    {"create_room", "", "createRoom", Method::post, "/_matrix/client/{path_version}/createRoom",
     create_room_params},
    {"create_room_alias", "", "setRoomAlias", Method::put,
     "/_matrix/client/{path_version}/directory/room/{room_alias}", create_room_alias_params},
    {"deactivate_account", "", "deactivateAccount", Method::post,
     "/_matrix/client/{path_version}/account/deactivate", deactivate_account_params},
    {"delete_room_alias", "", "deleteRoomAlias", Method::del,
     "/_matrix/client/{path_version}/directory/room/{room_alias}", room_alias_with_token_params},
    {"display_name", "", "getProfileField", Method::get,
     "/_matrix/client/{path_version}/profile/{user_id}/displayname", user_id_only_params},
    {"download",
     "",
     "getContent",
     Method::get,
     "/_matrix/media/{path_version}/download/{server_name}/{media_id}",
     download_params,
     {},
     {},
     "getContentOverrideName"},
    {"forget_room", "", "forgetRoom", Method::post,
     "/_matrix/client/{path_version}/rooms/{room_id}/forget", room_id_params},
    {"join_room", "", "joinRoom", Method::post,
     "/_matrix/client/{path_version}/join/{room_id_or_alias}", join_room_params},
    {"joined_rooms", "", "getJoinedRooms", Method::get,
     "/_matrix/client/{path_version}/joined_rooms", token_only_params},
    {"leave_room", "", "leaveRoom", Method::post,
     "/_matrix/client/{path_version}/rooms/{room_id}/leave", room_id_params},
    {"login", "get", "getLoginFlows", Method::get, "/_matrix/client/{path_version}/login",
     base_url_only_params},
    {"login", "post", "login", Method::post, "/_matrix/client/{path_version}/login",
     login_post_params},
    {"logout", "", "logout", Method::post, "/_matrix/client/{path_version}/logout",
     token_only_params},
    {"logout_all", "", "logout_all", Method::post, "/_matrix/client/{path_version}/logout/all",
     token_only_params},
    {"password_email_token", "", "requestTokenToResetPasswordEmail", Method::post,
     "/_matrix/client/{path_version}/account/password/email/requestToken", email_token_params},
    {"password_msisdn_token", "", "requestTokenToResetPasswordMSISDN", Method::post,
     "/_matrix/client/{path_version}/account/password/msisdn/requestToken", msisdn_token_params},
    {"public_rooms", "get", "getPublicRooms", Method::get,
     "/_matrix/client/{path_version}/publicRooms", public_rooms_get_params},
    {"public_rooms", "post", "queryPublicRooms", Method::post,
     "/_matrix/client/{path_version}/publicRooms", public_rooms_post_params},
    {"redact_room_event", "", "redactEvent", Method::put,
     "/_matrix/client/{path_version}/rooms/{room_id}/redact/{event_id}/{transaction_id}",
     redact_room_event_params},
    {"register_guest", "", "register", Method::post, "/_matrix/client/{path_version}/register",
     register_guest_params, "kind", "guest"},
    {"register_user", "", "register", Method::post, "/_matrix/client/{path_version}/register",
     register_user_params},
    {"registration_email_token", "", "requestTokenToRegisterEmail", Method::post,
     "/_matrix/client/{path_version}/register/email/requestToken", email_token_params},
    {"registration_msisdn_token", "", "requestTokenToRegisterMSISDN", Method::post,
     "/_matrix/client/{path_version}/register/msisdn/requestToken", msisdn_token_params},
    {"resolve_room_alias", "", "getRoomIdByAlias", Method::get,
     "/_matrix/client/{path_version}/directory/room/{room_alias}", room_alias_params},
    {"room_ban", "", "ban", Method::post, "/_matrix/client/{path_version}/rooms/{room_id}/ban",
     room_user_reason_params},
    {"room_event", "", "getOneRoomEvent", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/event/{event_id}", room_event_params},
    {"room_invite", "", "inviteUser", Method::post,
     "/_matrix/client/{path_version}/rooms/{room_id}/invite", room_user_params},
    {"room_joined_members", "", "getJoinedMembersByRoom", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/joined_members", room_id_params},
    {"room_kick", "", "kick", Method::post, "/_matrix/client/{path_version}/rooms/{room_id}/kick",
     room_user_reason_params},
    {"room_members", "", "getMembersByRoom", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/members", room_members_params},
    {"room_messages", "", "getRoomEvents", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/messages", room_messages_params},
    {"room_state", "", "getRoomState", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/state", room_id_params},
    {"room_state_event", "", "getRoomStateWithKey", Method::get,
     "/_matrix/client/{path_version}/rooms/{room_id}/state/{event_type}/{state_key}",
     room_state_event_params},
    {"room_unban", "", "unban", Method::post,
     "/_matrix/client/{path_version}/rooms/{room_id}/unban", room_user_params},
    {"room_visibility", "get", "getRoomVisibilityOnDirectory", Method::get,
     "/_matrix/client/{path_version}/directory/list/room/{room_id}", room_visibility_get_params},
    {"room_visibility", "put", "setRoomVisibilityOnDirectory", Method::put,
     "/_matrix/client/{path_version}/directory/list/room/{room_id}", room_visibility_put_params},
    {"send_room_event", "", "sendMessage", Method::put,
     "/_matrix/client/{path_version}/rooms/{room_event.room_id}/send/{room_event.type}/"
     "{room_event.transaction_id}",
     send_room_event_params},
    {"send_state_event", "", "setRoomStateWithKey", Method::put,
     "/_matrix/client/{path_version}/rooms/{state_event.room_id}/state/{state_event.type}/"
     "{state_event.state_key}",
     send_state_event_params},
    {"server_capabilities", "", "getCapabilities", Method::get,
     "/_matrix/client/{path_version}/capabilities", token_only_params},
    {"server_discovery", "", "getWellknown", Method::get, "/.well-known/matrix/client",
     base_url_only_params},
    {"set_avatar_url", "", "setProfileField", Method::put,
     "/_matrix/client/{path_version}/profile/{user_id}/avatar_url", set_avatar_url_params},
    {"set_display_name", "", "setProfileField", Method::put,
     "/_matrix/client/{path_version}/profile/{user_id}/displayname", set_display_name_params},
    {"set_room_read_markers", "", "setReadMarker", Method::post,
     "/_matrix/client/{path_version}/rooms/{room_id}/read_markers", set_room_read_markers_params},
    {"spec_versions", "", "getVersions", Method::get, "/_matrix/client/versions",
     base_url_only_params},
    {"sync", "", "sync", Method::get, "/_matrix/client/{path_version}/sync", sync_params},
    {"thumbnail", "", "getContentThumbnail", Method::get,
     "/_matrix/media/{path_version}/thumbnail/{server_name}/{media_id}", thumbnail_params},
    {"upload", "", "uploadContent", Method::post, "/_matrix/media/{path_version}/upload",
     upload_params},
    {"user_directory_search", "", "searchUserDirectory", Method::post,
     "/_matrix/client/{path_version}/user_directory/search", user_directory_search_params},
    {"user_profile", "", "getUserProfile", Method::get,
     "/_matrix/client/{path_version}/profile/{user_id}", user_id_only_params},
    {"username_availability", "", "checkUsernameAvailability", Method::get,
     "/_matrix/client/{path_version}/register/available", username_availability_params},
    {"whoami", "", "getTokenOwner", Method::get, "/_matrix/client/{path_version}/account/whoami",
     token_only_params},
};

static_assert(std::size(all) == 60, "the seed documents 60 endpoint forms");

// Body keys go into the JSON body as they are (request_parts.hpp), so none may need escaping.
constexpr bool body_keys_need_no_escaping() {
    for (const EndpointSpec& spec : all) {
        for (const ParamSpec& param : spec.params) {
            if (param.location != body_field) continue;
            for (const char c : param.key()) {
                if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
            }
        }
    }
    return true;
}
static_assert(body_keys_need_no_escaping());

}  // namespace matrix::seed
