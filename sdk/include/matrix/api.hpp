// Typed builders for every seed endpoint, with the seed's names and argument order
// (MatrixSDK.Client.Request). Each returns a Request value and does no I/O; optional
// arguments live in a per-endpoint options struct. All throw InvalidArgument on refused values.
// Each takes last the BuildOptions: the path version, r0 (the seed's) unless asked for v3.
//
// Each builder also encodes: `api::whoami<EncodedRequest>(base_url, token)` is the same request
// as `render(api::whoami(base_url, token))`, written straight to its HTTP/1.1 bytes in one
// allocation (see encoded_request.hpp). Both results are compiled into the library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "matrix/encoded_request.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/events.hpp"
#include "matrix/json.hpp"
#include "matrix/request.hpp"

namespace matrix::api {

using std::string_view;

// ---- Options shared by several builders ----------------------------------------------------

struct ReasonOptions {
    std::optional<std::string> reason{};
};
struct IdServerOptions {
    std::optional<std::string> id_server{};
};
struct NextLinkOptions {
    std::optional<std::string> next_link{};
};
struct UiAuthOptions {
    std::optional<Json> auth{};  // user-interactive auth, see Auth
};
struct DeviceOptions {
    std::optional<std::string> device_id{};
    std::optional<std::string> initial_device_display_name{};
};

// ---- Account and third-party identifiers -----------------------------------------------------

template <typename Result = Request>
Result account_3pids(string_view base_url, string_view token, BuildOptions build_options = {});
template <typename Result = Request>
Result account_add_3pid(string_view base_url, string_view token, string_view client_secret,
                        string_view sid, const UiAuthOptions& options = {},
                        BuildOptions build_options = {});
template <typename Result = Request>
Result account_bind_3pid(string_view base_url, string_view token, string_view client_secret,
                         string_view id_server, string_view id_access_token, string_view sid,
                         BuildOptions build_options = {});
template <typename Result = Request>
Result account_delete_3pid(string_view base_url, string_view token, string_view medium,
                           string_view address, const IdServerOptions& options = {},
                           BuildOptions build_options = {});
template <typename Result = Request>
Result account_email_token(string_view base_url, string_view token, string_view client_secret,
                           string_view email, std::int64_t send_attempt,
                           const NextLinkOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result account_msisdn_token(string_view base_url, string_view token, string_view client_secret,
                            string_view country, string_view phone, std::int64_t send_attempt,
                            const NextLinkOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result account_unbind_3pid(string_view base_url, string_view token, string_view medium,
                           string_view address, const IdServerOptions& options = {},
                           BuildOptions build_options = {});

struct ChangePasswordOptions {
    std::optional<bool> logout_devices{};
};
template <typename Result = Request>
Result change_password(string_view base_url, string_view new_password, const Json& auth,
                       const ChangePasswordOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result deactivate_account(string_view base_url, string_view token,
                          const UiAuthOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result password_email_token(string_view base_url, string_view client_secret, string_view email,
                            std::int64_t send_attempt, const NextLinkOptions& options = {},
                            BuildOptions build_options = {});
template <typename Result = Request>
Result password_msisdn_token(string_view base_url, string_view client_secret, string_view country,
                             string_view phone, std::int64_t send_attempt,
                             const NextLinkOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result whoami(string_view base_url, string_view token, BuildOptions build_options = {});

// ---- Profile -----------------------------------------------------------------------------------

template <typename Result = Request>
Result avatar_url(string_view base_url, string_view user_id, BuildOptions build_options = {});
template <typename Result = Request>
Result display_name(string_view base_url, string_view user_id, BuildOptions build_options = {});
template <typename Result = Request>
Result set_avatar_url(string_view base_url, string_view token, string_view user_id,
                      string_view avatar_url, BuildOptions build_options = {});
template <typename Result = Request>
Result set_display_name(string_view base_url, string_view token, string_view user_id,
                        string_view display_name, BuildOptions build_options = {});
template <typename Result = Request>
Result user_profile(string_view base_url, string_view user_id, BuildOptions build_options = {});

struct UserDirectorySearchOptions {
    std::optional<std::int64_t> limit{};
    std::optional<std::string> language{};  // sent as Accept-Language
};
template <typename Result = Request>
Result user_directory_search(string_view base_url, string_view token, string_view search_term,
                             const UserDirectorySearchOptions& options = {},
                             BuildOptions build_options = {});

// ---- Login, logout, registration ---------------------------------------------------------------

template <typename Result = Request>
Result login(string_view base_url,
             BuildOptions build_options = {});  // GET: the supported login flows
template <typename Result = Request>
Result login(string_view base_url, const Json& auth, const DeviceOptions& options = {},
             BuildOptions build_options = {});
template <typename Result = Request>
Result logout(string_view base_url, string_view token, BuildOptions build_options = {});
template <typename Result = Request>
Result logout_all(string_view base_url, string_view token, BuildOptions build_options = {});

struct RegisterGuestOptions {
    std::optional<std::string> initial_device_display_name{};
};
template <typename Result = Request>
Result register_guest(string_view base_url, const RegisterGuestOptions& options = {},
                      BuildOptions build_options = {});

struct RegisterUserOptions {
    std::optional<std::string> username{};
    std::optional<std::string> device_id{};
    std::optional<std::string> initial_device_display_name{};
    std::optional<bool> inhibit_login{};
};
template <typename Result = Request>
Result register_user(string_view base_url, string_view password, const Json& auth,
                     const RegisterUserOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result registration_email_token(string_view base_url, string_view client_secret, string_view email,
                                std::int64_t send_attempt, const NextLinkOptions& options = {},
                                BuildOptions build_options = {});
template <typename Result = Request>
Result registration_msisdn_token(string_view base_url, string_view client_secret,
                                 string_view country, string_view phone, std::int64_t send_attempt,
                                 const NextLinkOptions& options = {},
                                 BuildOptions build_options = {});
template <typename Result = Request>
Result username_availability(string_view base_url, string_view username,
                             BuildOptions build_options = {});

// ---- Rooms
// ---------------------------------------------------------------------------------------

struct CreateRoomOptions {
    std::optional<std::string> visibility{};
    std::optional<std::string> room_alias_name{};
    std::optional<std::string> name{};
    std::optional<std::string> topic{};
    std::optional<Json> invite{};       // array of user IDs, e.g. Json::string_array({...})
    std::optional<Json> invite_3pid{};  // array of objects
    std::optional<std::string> room_version{};
    std::optional<Json> creation_content{};  // object
    std::optional<Json> initial_state{};     // array of state event objects
    std::optional<std::string> preset{};
    std::optional<bool> is_direct{};
    std::optional<Json> power_level_content_override{};  // object
};
template <typename Result = Request>
Result create_room(string_view base_url, string_view token, const CreateRoomOptions& options = {},
                   BuildOptions build_options = {});
template <typename Result = Request>
Result create_room_alias(string_view base_url, string_view token, string_view room_id,
                         string_view room_alias, BuildOptions build_options = {});
template <typename Result = Request>
Result delete_room_alias(string_view base_url, string_view token, string_view room_alias,
                         BuildOptions build_options = {});
template <typename Result = Request>
Result resolve_room_alias(string_view base_url, string_view room_alias,
                          BuildOptions build_options = {});
template <typename Result = Request>
Result forget_room(string_view base_url, string_view token, string_view room_id,
                   BuildOptions build_options = {});

struct JoinRoomOptions {
    std::optional<Json> third_party_signed{};  // object
};
template <typename Result = Request>
Result join_room(string_view base_url, string_view token, string_view room_id_or_alias,
                 const JoinRoomOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result joined_rooms(string_view base_url, string_view token, BuildOptions build_options = {});
template <typename Result = Request>
Result leave_room(string_view base_url, string_view token, string_view room_id,
                  BuildOptions build_options = {});

struct PublicRoomsOptions {
    std::optional<std::int64_t> limit{};
    std::optional<std::string> since{};
    std::optional<std::string> server{};
};
template <typename Result = Request>
Result public_rooms(string_view base_url, const PublicRoomsOptions& options = {},
                    BuildOptions build_options = {});  // GET
// POST with a filter object (limit, since, filter, include_all_networks, ...).
template <typename Result = Request>
Result public_rooms(string_view base_url, string_view token, const Json& filters,
                    std::optional<std::string> server = std::nullopt,
                    BuildOptions build_options = {});

template <typename Result = Request>
Result redact_room_event(string_view base_url, string_view token, string_view room_id,
                         string_view event_id, string_view transaction_id,
                         const ReasonOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result room_ban(string_view base_url, string_view token, string_view room_id, string_view user_id,
                const ReasonOptions& options = {}, BuildOptions build_options = {});
template <typename Result = Request>
Result room_event(string_view base_url, string_view token, string_view room_id,
                  string_view event_id, BuildOptions build_options = {});
template <typename Result = Request>
Result room_invite(string_view base_url, string_view token, string_view room_id,
                   string_view user_id, BuildOptions build_options = {});
template <typename Result = Request>
Result room_joined_members(string_view base_url, string_view token, string_view room_id,
                           BuildOptions build_options = {});
template <typename Result = Request>
Result room_kick(string_view base_url, string_view token, string_view room_id, string_view user_id,
                 const ReasonOptions& options = {}, BuildOptions build_options = {});

struct RoomMembersOptions {
    std::optional<std::string> at{};
    std::optional<std::string> membership{};
    std::optional<std::string> not_membership{};
};
template <typename Result = Request>
Result room_members(string_view base_url, string_view token, string_view room_id,
                    const RoomMembersOptions& options = {}, BuildOptions build_options = {});

struct RoomMessagesOptions {
    std::optional<std::string> to{};
    std::optional<std::int64_t> limit{};
    std::optional<std::string> filter{};
};
template <typename Result = Request>
Result room_messages(string_view base_url, string_view token, string_view room_id, string_view from,
                     string_view dir, const RoomMessagesOptions& options = {},
                     BuildOptions build_options = {});
template <typename Result = Request>
Result room_state(string_view base_url, string_view token, string_view room_id,
                  BuildOptions build_options = {});
template <typename Result = Request>
Result room_state_event(string_view base_url, string_view token, string_view room_id,
                        string_view event_type, string_view state_key,
                        BuildOptions build_options = {});
template <typename Result = Request>
Result room_unban(string_view base_url, string_view token, string_view room_id, string_view user_id,
                  BuildOptions build_options = {});
template <typename Result = Request>
Result room_visibility(string_view base_url, string_view room_id,
                       BuildOptions build_options = {});  // GET
template <typename Result = Request>
Result room_visibility(string_view base_url, string_view token, string_view room_id,
                       string_view visibility, BuildOptions build_options = {});  // PUT
template <typename Result = Request>
Result send_room_event(string_view base_url, string_view token, const RoomEvent& room_event,
                       BuildOptions build_options = {});
template <typename Result = Request>
Result send_state_event(string_view base_url, string_view token, const StateEvent& state_event,
                        BuildOptions build_options = {});
template <typename Result = Request>
Result set_room_read_markers(string_view base_url, string_view token, string_view room_id,
                             string_view fully_read_event_id,
                             std::optional<std::string> receipt_read_event_id = std::nullopt,
                             BuildOptions build_options = {});

// ---- Server, sync, media ------------------------------------------------------------------------

template <typename Result = Request>
Result server_capabilities(string_view base_url, string_view token,
                           BuildOptions build_options = {});
template <typename Result = Request>
Result server_discovery(string_view base_url, BuildOptions build_options = {});
template <typename Result = Request>
Result spec_versions(string_view base_url, BuildOptions build_options = {});

struct SyncOptions {
    std::optional<std::string> filter{};  // a filter ID or inline filter JSON
    std::optional<std::string> since{};
    std::optional<bool> full_state{};
    std::optional<std::string> set_presence{};
    std::optional<std::int64_t> timeout{};  // milliseconds
};
template <typename Result = Request>
Result sync(string_view base_url, string_view token, const SyncOptions& options = {},
            BuildOptions build_options = {});

struct DownloadOptions {
    std::optional<bool> allow_remote{};
    std::optional<std::string> filename{};  // appended as an extra path segment
};
template <typename Result = Request>
Result download(string_view base_url, string_view server_name, string_view media_id,
                const DownloadOptions& options = {}, BuildOptions build_options = {});

struct ThumbnailOptions {
    std::optional<bool> allow_remote{};
    std::optional<std::string> method{};  // "crop" or "scale"
};
template <typename Result = Request>
Result thumbnail(string_view base_url, string_view server_name, string_view media_id,
                 std::int64_t width, std::int64_t height, const ThumbnailOptions& options = {},
                 BuildOptions build_options = {});

struct UploadOptions {
    std::optional<std::string> filename{};
    std::optional<std::string> content_type{};
};
template <typename Result = Request>
Result upload(string_view base_url, string_view token, string_view bytes,
              const UploadOptions& options = {}, BuildOptions build_options = {});

}  // namespace matrix::api
