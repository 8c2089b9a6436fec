// Typed builders: each passes its arguments, in declaration order, to the generic builder
// (build) or the encoder (encode), as its caller chose.
#include "matrix/api.hpp"

#include <initializer_list>
#include <stdexcept>
#include <type_traits>

#include "matrix/endpoint.hpp"
#include "typed_args.hpp"

namespace matrix::api {
namespace {

const EndpointSpec& spec_named(std::string_view name, std::string_view form = {}) {
    for (const EndpointSpec& spec : find_endpoint_forms(name)) {
        if (spec.form == form) return spec;
    }
    throw std::logic_error("no endpoint declaration for " + std::string(name));
}

// The declaration is looked up once per endpoint, on first use.
#define MATRIX_SPEC(name, ...)                                                          \
    []() -> const EndpointSpec& {                                                       \
        static const EndpointSpec& found = spec_named(name __VA_OPT__(, ) __VA_ARGS__); \
        return found;                                                                   \
    }()

template <typename Result>
Result make(const EndpointSpec& spec, std::initializer_list<ArgValue> args, BuildOptions options) {
    const std::span<const ArgValue> values(args.begin(), args.size());
    if constexpr (std::is_same_v<Result, EncodedRequest>) {
        return encode(spec, values, options);
    } else {
        return build(spec, values, options);
    }
}

using detail::typed_args::integer;
using detail::typed_args::json;
using detail::typed_args::opt;
using detail::typed_args::text;

}  // namespace

template <typename Result>
Result account_3pids(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("account_3pids"), {text(base_url), text(token)}, build_options);
}

template <typename Result>
Result account_add_3pid(string_view base_url, string_view token, string_view client_secret,
                        string_view sid, const UiAuthOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("account_add_3pid"),
        {text(base_url), text(token), text(client_secret), text(sid), opt(options.auth)},
        build_options);
}

template <typename Result>
Result account_bind_3pid(string_view base_url, string_view token, string_view client_secret,
                         string_view id_server, string_view id_access_token, string_view sid,
                         BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("account_bind_3pid"),
                        {text(base_url), text(token), text(client_secret), text(id_server),
                         text(id_access_token), text(sid)},
                        build_options);
}

template <typename Result>
Result account_delete_3pid(string_view base_url, string_view token, string_view medium,
                           string_view address, const IdServerOptions& options,
                           BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("account_delete_3pid"),
        {text(base_url), text(token), text(medium), text(address), opt(options.id_server)},
        build_options);
}

template <typename Result>
Result account_email_token(string_view base_url, string_view token, string_view client_secret,
                           string_view email, std::int64_t send_attempt,
                           const NextLinkOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("account_email_token"),
                        {text(base_url), text(token), text(client_secret), text(email),
                         integer(send_attempt), opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result account_msisdn_token(string_view base_url, string_view token, string_view client_secret,
                            string_view country, string_view phone, std::int64_t send_attempt,
                            const NextLinkOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("account_msisdn_token"),
                        {text(base_url), text(token), text(client_secret), text(country),
                         text(phone), integer(send_attempt), opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result account_unbind_3pid(string_view base_url, string_view token, string_view medium,
                           string_view address, const IdServerOptions& options,
                           BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("account_unbind_3pid"),
        {text(base_url), text(token), text(medium), text(address), opt(options.id_server)},
        build_options);
}

template <typename Result>
Result change_password(string_view base_url, string_view new_password, const Json& auth,
                       const ChangePasswordOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("change_password"),
        {text(base_url), text(new_password), json(auth), opt(options.logout_devices)},
        build_options);
}

template <typename Result>
Result deactivate_account(string_view base_url, string_view token, const UiAuthOptions& options,
                          BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("deactivate_account"),
                        {text(base_url), text(token), opt(options.auth)}, build_options);
}

template <typename Result>
Result password_email_token(string_view base_url, string_view client_secret, string_view email,
                            std::int64_t send_attempt, const NextLinkOptions& options,
                            BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("password_email_token"),
                        {text(base_url), text(client_secret), text(email), integer(send_attempt),
                         opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result password_msisdn_token(string_view base_url, string_view client_secret, string_view country,
                             string_view phone, std::int64_t send_attempt,
                             const NextLinkOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("password_msisdn_token"),
                        {text(base_url), text(client_secret), text(country), text(phone),
                         integer(send_attempt), opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result whoami(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("whoami"), {text(base_url), text(token)}, build_options);
}

template <typename Result>
Result avatar_url(string_view base_url, string_view user_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("avatar_url"), {text(base_url), text(user_id)}, build_options);
}

template <typename Result>
Result display_name(string_view base_url, string_view user_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("display_name"), {text(base_url), text(user_id)},
                        build_options);
}

template <typename Result>
Result set_avatar_url(string_view base_url, string_view token, string_view user_id,
                      string_view avatar_url, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("set_avatar_url"),
                        {text(base_url), text(token), text(user_id), text(avatar_url)},
                        build_options);
}

template <typename Result>
Result set_display_name(string_view base_url, string_view token, string_view user_id,
                        string_view display_name, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("set_display_name"),
                        {text(base_url), text(token), text(user_id), text(display_name)},
                        build_options);
}

template <typename Result>
Result user_profile(string_view base_url, string_view user_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("user_profile"), {text(base_url), text(user_id)},
                        build_options);
}

template <typename Result>
Result user_directory_search(string_view base_url, string_view token, string_view search_term,
                             const UserDirectorySearchOptions& options,
                             BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("user_directory_search"),
        {text(base_url), text(token), text(search_term), opt(options.limit), opt(options.language)},
        build_options);
}

template <typename Result>
Result login(string_view base_url, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("login", "get"), {text(base_url)}, build_options);
}

template <typename Result>
Result login(string_view base_url, const Json& auth, const DeviceOptions& options,
             BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("login", "post"),
                        {text(base_url), json(auth), opt(options.device_id),
                         opt(options.initial_device_display_name)},
                        build_options);
}

template <typename Result>
Result logout(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("logout"), {text(base_url), text(token)}, build_options);
}

template <typename Result>
Result logout_all(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("logout_all"), {text(base_url), text(token)}, build_options);
}

template <typename Result>
Result register_guest(string_view base_url, const RegisterGuestOptions& options,
                      BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("register_guest"),
                        {text(base_url), opt(options.initial_device_display_name)}, build_options);
}

template <typename Result>
Result register_user(string_view base_url, string_view password, const Json& auth,
                     const RegisterUserOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("register_user"),
        {text(base_url), text(password), json(auth), opt(options.username), opt(options.device_id),
         opt(options.initial_device_display_name), opt(options.inhibit_login)},
        build_options);
}

template <typename Result>
Result registration_email_token(string_view base_url, string_view client_secret, string_view email,
                                std::int64_t send_attempt, const NextLinkOptions& options,
                                BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("registration_email_token"),
                        {text(base_url), text(client_secret), text(email), integer(send_attempt),
                         opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result registration_msisdn_token(string_view base_url, string_view client_secret,
                                 string_view country, string_view phone, std::int64_t send_attempt,
                                 const NextLinkOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("registration_msisdn_token"),
                        {text(base_url), text(client_secret), text(country), text(phone),
                         integer(send_attempt), opt(options.next_link)},
                        build_options);
}

template <typename Result>
Result username_availability(string_view base_url, string_view username,
                             BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("username_availability"), {text(base_url), text(username)},
                        build_options);
}

template <typename Result>
Result create_room(string_view base_url, string_view token, const CreateRoomOptions& options,
                   BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("create_room"),
        {text(base_url), text(token), opt(options.visibility), opt(options.room_alias_name),
         opt(options.name), opt(options.topic), opt(options.invite), opt(options.invite_3pid),
         opt(options.room_version), opt(options.creation_content), opt(options.initial_state),
         opt(options.preset), opt(options.is_direct), opt(options.power_level_content_override)},
        build_options);
}

template <typename Result>
Result create_room_alias(string_view base_url, string_view token, string_view room_id,
                         string_view room_alias, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("create_room_alias"),
                        {text(base_url), text(token), text(room_id), text(room_alias)},
                        build_options);
}

template <typename Result>
Result delete_room_alias(string_view base_url, string_view token, string_view room_alias,
                         BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("delete_room_alias"),
                        {text(base_url), text(token), text(room_alias)}, build_options);
}

template <typename Result>
Result resolve_room_alias(string_view base_url, string_view room_alias,
                          BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("resolve_room_alias"), {text(base_url), text(room_alias)},
                        build_options);
}

template <typename Result>
Result forget_room(string_view base_url, string_view token, string_view room_id,
                   BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("forget_room"), {text(base_url), text(token), text(room_id)},
                        build_options);
}

template <typename Result>
Result join_room(string_view base_url, string_view token, string_view room_id_or_alias,
                 const JoinRoomOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("join_room"),
        {text(base_url), text(token), text(room_id_or_alias), opt(options.third_party_signed)},
        build_options);
}

template <typename Result>
Result joined_rooms(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("joined_rooms"), {text(base_url), text(token)}, build_options);
}

template <typename Result>
Result leave_room(string_view base_url, string_view token, string_view room_id,
                  BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("leave_room"), {text(base_url), text(token), text(room_id)},
                        build_options);
}

template <typename Result>
Result public_rooms(string_view base_url, const PublicRoomsOptions& options,
                    BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("public_rooms", "get"),
        {text(base_url), opt(options.limit), opt(options.since), opt(options.server)},
        build_options);
}

template <typename Result>
Result public_rooms(string_view base_url, string_view token, const Json& filters,
                    std::optional<std::string> server, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("public_rooms", "post"),
                        {text(base_url), text(token), json(filters), opt(server)}, build_options);
}

template <typename Result>
Result redact_room_event(string_view base_url, string_view token, string_view room_id,
                         string_view event_id, string_view transaction_id,
                         const ReasonOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("redact_room_event"),
                        {text(base_url), text(token), text(room_id), text(event_id),
                         text(transaction_id), opt(options.reason)},
                        build_options);
}

template <typename Result>
Result room_ban(string_view base_url, string_view token, string_view room_id, string_view user_id,
                const ReasonOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("room_ban"),
        {text(base_url), text(token), text(room_id), text(user_id), opt(options.reason)},
        build_options);
}

template <typename Result>
Result room_event(string_view base_url, string_view token, string_view room_id,
                  string_view event_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_event"),
                        {text(base_url), text(token), text(room_id), text(event_id)},
                        build_options);
}

template <typename Result>
Result room_invite(string_view base_url, string_view token, string_view room_id,
                   string_view user_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_invite"),
                        {text(base_url), text(token), text(room_id), text(user_id)}, build_options);
}

template <typename Result>
Result room_joined_members(string_view base_url, string_view token, string_view room_id,
                           BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_joined_members"),
                        {text(base_url), text(token), text(room_id)}, build_options);
}

template <typename Result>
Result room_kick(string_view base_url, string_view token, string_view room_id, string_view user_id,
                 const ReasonOptions& options, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("room_kick"),
        {text(base_url), text(token), text(room_id), text(user_id), opt(options.reason)},
        build_options);
}

template <typename Result>
Result room_members(string_view base_url, string_view token, string_view room_id,
                    const RoomMembersOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_members"),
                        {text(base_url), text(token), text(room_id), opt(options.at),
                         opt(options.membership), opt(options.not_membership)},
                        build_options);
}

template <typename Result>
Result room_messages(string_view base_url, string_view token, string_view room_id, string_view from,
                     string_view dir, const RoomMessagesOptions& options,
                     BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_messages"),
                        {text(base_url), text(token), text(room_id), text(from), text(dir),
                         opt(options.filter), opt(options.limit), opt(options.to)},
                        build_options);
}

template <typename Result>
Result room_state(string_view base_url, string_view token, string_view room_id,
                  BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_state"), {text(base_url), text(token), text(room_id)},
                        build_options);
}

template <typename Result>
Result room_state_event(string_view base_url, string_view token, string_view room_id,
                        string_view event_type, string_view state_key, BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("room_state_event"),
        {text(base_url), text(token), text(room_id), text(event_type), text(state_key)},
        build_options);
}

template <typename Result>
Result room_unban(string_view base_url, string_view token, string_view room_id, string_view user_id,
                  BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_unban"),
                        {text(base_url), text(token), text(room_id), text(user_id)}, build_options);
}

template <typename Result>
Result room_visibility(string_view base_url, string_view room_id, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_visibility", "get"), {text(base_url), text(room_id)},
                        build_options);
}

template <typename Result>
Result room_visibility(string_view base_url, string_view token, string_view room_id,
                       string_view visibility, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("room_visibility", "put"),
                        {text(base_url), text(token), text(room_id), text(visibility)},
                        build_options);
}

template <typename Result>
Result send_room_event(string_view base_url, string_view token, const RoomEvent& room_event,
                       BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("send_room_event"),
        {text(base_url), text(token), text(room_event.room_id), text(room_event.type),
         text(room_event.transaction_id), json(room_event.content)},
        build_options);
}

template <typename Result>
Result send_state_event(string_view base_url, string_view token, const StateEvent& state_event,
                        BuildOptions build_options) {
    return make<Result>(
        MATRIX_SPEC("send_state_event"),
        {text(base_url), text(token), text(state_event.room_id), text(state_event.type),
         text(state_event.state_key), json(state_event.content)},
        build_options);
}

template <typename Result>
Result set_room_read_markers(string_view base_url, string_view token, string_view room_id,
                             string_view fully_read_event_id,
                             std::optional<std::string> receipt_read_event_id,
                             BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("set_room_read_markers"),
                        {text(base_url), text(token), text(room_id), text(fully_read_event_id),
                         opt(receipt_read_event_id)},
                        build_options);
}

template <typename Result>
Result server_capabilities(string_view base_url, string_view token, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("server_capabilities"), {text(base_url), text(token)},
                        build_options);
}

template <typename Result>
Result server_discovery(string_view base_url, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("server_discovery"), {text(base_url)}, build_options);
}

template <typename Result>
Result spec_versions(string_view base_url, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("spec_versions"), {text(base_url)}, build_options);
}

template <typename Result>
Result sync(string_view base_url, string_view token, const SyncOptions& options,
            BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("sync"),
                        {text(base_url), text(token), opt(options.filter), opt(options.full_state),
                         opt(options.set_presence), opt(options.since), opt(options.timeout)},
                        build_options);
}

template <typename Result>
Result download(string_view base_url, string_view server_name, string_view media_id,
                const DownloadOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("download"),
                        {text(base_url), text(server_name), text(media_id),
                         opt(options.allow_remote), opt(options.filename)},
                        build_options);
}

template <typename Result>
Result thumbnail(string_view base_url, string_view server_name, string_view media_id,
                 std::int64_t width, std::int64_t height, const ThumbnailOptions& options,
                 BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("thumbnail"),
                        {text(base_url), text(server_name), text(media_id), integer(width),
                         integer(height), opt(options.allow_remote), opt(options.method)},
                        build_options);
}

template <typename Result>
Result upload(string_view base_url, string_view token, string_view bytes,
              const UploadOptions& options, BuildOptions build_options) {
    return make<Result>(MATRIX_SPEC("upload"),
                        {text(base_url), text(token), BytesArg{bytes}, opt(options.filename),
                         opt(options.content_type)},
                        build_options);
}

// api.hpp declares the builders as templates over their result; these are the two results.
#define MATRIX_INSTANTIATE_BOTH_RESULTS(name, ...)             \
    template Request name<Request>(__VA_ARGS__, BuildOptions); \
    template EncodedRequest name<EncodedRequest>(__VA_ARGS__, BuildOptions);

MATRIX_INSTANTIATE_BOTH_RESULTS(account_3pids, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_add_3pid, string_view, string_view, string_view,
                                string_view, const UiAuthOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_bind_3pid, string_view, string_view, string_view,
                                string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_delete_3pid, string_view, string_view, string_view,
                                string_view, const IdServerOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_email_token, string_view, string_view, string_view,
                                string_view, std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_msisdn_token, string_view, string_view, string_view,
                                string_view, string_view, std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(account_unbind_3pid, string_view, string_view, string_view,
                                string_view, const IdServerOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(change_password, string_view, string_view, const Json&,
                                const ChangePasswordOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(deactivate_account, string_view, string_view, const UiAuthOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(password_email_token, string_view, string_view, string_view,
                                std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(password_msisdn_token, string_view, string_view, string_view,
                                string_view, std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(whoami, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(avatar_url, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(display_name, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(set_avatar_url, string_view, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(set_display_name, string_view, string_view, string_view,
                                string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(user_profile, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(user_directory_search, string_view, string_view, string_view,
                                const UserDirectorySearchOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(login, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(login, string_view, const Json&, const DeviceOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(logout, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(logout_all, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(register_guest, string_view, const RegisterGuestOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(register_user, string_view, string_view, const Json&,
                                const RegisterUserOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(registration_email_token, string_view, string_view, string_view,
                                std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(registration_msisdn_token, string_view, string_view, string_view,
                                string_view, std::int64_t, const NextLinkOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(username_availability, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(create_room, string_view, string_view, const CreateRoomOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(create_room_alias, string_view, string_view, string_view,
                                string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(delete_room_alias, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(resolve_room_alias, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(forget_room, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(join_room, string_view, string_view, string_view,
                                const JoinRoomOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(joined_rooms, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(leave_room, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(public_rooms, string_view, const PublicRoomsOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(public_rooms, string_view, string_view, const Json&,
                                std::optional<std::string>)
MATRIX_INSTANTIATE_BOTH_RESULTS(redact_room_event, string_view, string_view, string_view,
                                string_view, string_view, const ReasonOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_ban, string_view, string_view, string_view, string_view,
                                const ReasonOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_event, string_view, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_invite, string_view, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_joined_members, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_kick, string_view, string_view, string_view, string_view,
                                const ReasonOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_members, string_view, string_view, string_view,
                                const RoomMembersOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_messages, string_view, string_view, string_view, string_view,
                                string_view, const RoomMessagesOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_state, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_state_event, string_view, string_view, string_view,
                                string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_unban, string_view, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_visibility, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(room_visibility, string_view, string_view, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(send_room_event, string_view, string_view, const RoomEvent&)
MATRIX_INSTANTIATE_BOTH_RESULTS(send_state_event, string_view, string_view, const StateEvent&)
MATRIX_INSTANTIATE_BOTH_RESULTS(set_room_read_markers, string_view, string_view, string_view,
                                string_view, std::optional<std::string>)
MATRIX_INSTANTIATE_BOTH_RESULTS(server_capabilities, string_view, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(server_discovery, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(spec_versions, string_view)
MATRIX_INSTANTIATE_BOTH_RESULTS(sync, string_view, string_view, const SyncOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(download, string_view, string_view, string_view,
                                const DownloadOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(thumbnail, string_view, string_view, string_view, std::int64_t,
                                std::int64_t, const ThumbnailOptions&)
MATRIX_INSTANTIATE_BOTH_RESULTS(upload, string_view, string_view, string_view, const UploadOptions&)

#undef MATRIX_INSTANTIATE_BOTH_RESULTS

}  // namespace matrix::api
