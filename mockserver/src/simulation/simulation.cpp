// The Simulation facade: identifies each request's spec operation from the SDK's declarations
// (match_operation) and routes it, under one lock, to the handler the route table names for it.
#include "matrix/mock/simulation.hpp"

#include <condition_variable>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "simulation/state.hpp"

namespace matrix::mock {

struct Simulation::State : sim::State {
    using sim::State::State;
};

namespace {

// Splits "/a/b%3Ac/" into {"a", "b:c", ""}; nullopt when a segment has a bad escape.
std::optional<std::vector<std::string>> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        auto decoded = percent_decode(std::string_view(path).substr(start, end - start));
        if (!decoded) return std::nullopt;
        segments.push_back(std::move(*decoded));
        start = end + 1;
    }
    return segments;
}

using Handler = sim::Reply (*)(sim::State&, sim::Call&);

sim::Reply handle_legacy_media(sim::State& state, sim::Call& call) {
    return sim::handle_media(state, call, false);
}
sim::Reply handle_authenticated_media(sim::State& state, sim::Call& call) {
    return sim::handle_media(state, call, true);
}

// The operations the simulation answers, by operationId, and the handler of each. Adding one
// means its handler and a line here; which requests are that operation (method, path, versions)
// comes from the declarations. A name no operation has stops the first request (a test routes
// one through every line).
struct Route {
    std::string_view operation_id;
    Handler handler;
};
constexpr Route kRoutes[] = {
    {"getVersions", sim::handle_versions},
    // accounts.cpp: registration, login, logout, profile, password, deactivation
    {"register", sim::handle_accounts},
    {"checkUsernameAvailability", sim::handle_accounts},
    {"getLoginFlows", sim::handle_accounts},
    {"login", sim::handle_accounts},
    {"logout", sim::handle_accounts},
    {"logout_all", sim::handle_accounts},
    {"getTokenOwner", sim::handle_accounts},
    {"getUserProfile", sim::handle_accounts},
    {"getProfileField", sim::handle_accounts},
    {"setProfileField", sim::handle_accounts},
    {"deleteProfileField", sim::handle_accounts},
    // login_methods.cpp: SSO through a simulated identity provider, OAuth 2.0 metadata (none)
    {"redirectToSSO", sim::handle_login_methods},
    {"redirectToIdP", sim::handle_login_methods},
    {"getAuthMetadata", sim::handle_login_methods},
    // mutual_rooms.cpp
    {"getMutualRooms", sim::handle_mutual_rooms},
    // tokens.cpp: refresh tokens, login tokens (m.login.token), registration tokens (none)
    {"refresh", sim::handle_tokens},
    {"generateLoginToken", sim::handle_tokens},
    {"registrationTokenValidity", sim::handle_tokens},
    // settings.cpp: capabilities, filters, account data
    {"getCapabilities", sim::handle_settings},
    // push_rules.cpp: each user's push rules (their m.push_rules account data)
    {"getPushRules", sim::handle_push_rules},
    {"getPushRulesGlobal", sim::handle_push_rules},
    {"getPushRule", sim::handle_push_rules},
    {"setPushRule", sim::handle_push_rules},
    {"deletePushRule", sim::handle_push_rules},
    {"getPushRuleActions", sim::handle_push_rules},
    {"setPushRuleActions", sim::handle_push_rules},
    {"isPushRuleEnabled", sim::handle_push_rules},
    {"setPushRuleEnabled", sim::handle_push_rules},
    {"defineFilter", sim::handle_settings},
    {"getFilter", sim::handle_settings},
    {"getAccountData", sim::handle_settings},
    {"setAccountData", sim::handle_settings},
    {"getAccountDataPerRoom", sim::handle_settings},
    {"setAccountDataPerRoom", sim::handle_settings},
    // rooms.cpp: creation, membership, state, aliases, the directory
    {"createRoom", sim::handle_rooms},
    {"joinRoom", sim::handle_rooms},
    {"joinRoomById", sim::handle_rooms},
    {"leaveRoom", sim::handle_rooms},
    {"forgetRoom", sim::handle_rooms},
    {"inviteUser", sim::handle_rooms},
    {"kick", sim::handle_rooms},
    {"ban", sim::handle_rooms},
    {"unban", sim::handle_rooms},
    {"getJoinedRooms", sim::handle_rooms},
    {"getMembersByRoom", sim::handle_rooms},
    {"getJoinedMembersByRoom", sim::handle_rooms},
    {"getRoomState", sim::handle_rooms},
    {"getRoomStateWithKey", sim::handle_rooms},
    {"setRoomStateWithKey", sim::handle_rooms},
    {"getRoomIdByAlias", sim::handle_rooms},
    {"setRoomAlias", sim::handle_rooms},
    {"deleteRoomAlias", sim::handle_rooms},
    {"getPublicRooms", sim::handle_rooms},
    {"queryPublicRooms", sim::handle_rooms},
    // events.cpp: sending, redacting, reading, receipts, typing
    {"sendMessage", sim::handle_events},
    {"redactEvent", sim::handle_events},
    {"getOneRoomEvent", sim::handle_events},
    {"getRoomEvents", sim::handle_events},
    {"setReadMarker", sim::handle_events},
    {"postReceipt", sim::handle_events},
    {"setTyping", sim::handle_events},
    // devices.cpp: devices (deletion after user-interactive auth, uia.cpp)
    {"getDevices", sim::handle_devices},
    {"getDevice", sim::handle_devices},
    {"updateDevice", sim::handle_devices},
    {"deleteDevice", sim::handle_devices},
    {"deleteDevices", sim::handle_devices},
    // account_changes.cpp: with a token, or with user-interactive auth alone
    {"changePassword", sim::handle_account_changes},
    {"deactivateAccount", sim::handle_account_changes},
    // presence.cpp
    {"getPresence", sim::handle_presence},
    {"setPresence", sim::handle_presence},
    // room_extras.cpp: event context, tags, directory visibility, local aliases, room summary,
    // space hierarchy
    {"getEventContext", sim::handle_room_extras},
    {"getRoomTags", sim::handle_room_extras},
    {"setRoomTag", sim::handle_room_extras},
    {"deleteRoomTag", sim::handle_room_extras},
    {"getRoomVisibilityOnDirectory", sim::handle_room_extras},
    {"setRoomVisibilityOnDirectory", sim::handle_room_extras},
    {"getLocalAliases", sim::handle_room_extras},
    {"getRoomSummary", sim::handle_room_extras},
    {"getSpaceHierarchy", sim::handle_room_extras},
    // reports.cpp: reporting content, kept for GET /__admin/sim/reports
    {"reportRoom", sim::handle_reports},
    {"reportEvent", sim::handle_reports},
    {"reportUser", sim::handle_reports},
    // pushers.cpp
    {"getPushers", sim::handle_pushers},
    {"postPusher", sim::handle_pushers},
    // key_backup.cpp: server-side key backup versions and the session keys stored in them
    {"postRoomKeysVersion", sim::handle_key_backup},
    {"getRoomKeysVersionCurrent", sim::handle_key_backup},
    {"getRoomKeysVersion", sim::handle_key_backup},
    {"putRoomKeysVersion", sim::handle_key_backup},
    {"deleteRoomKeysVersion", sim::handle_key_backup},
    {"putRoomKeys", sim::handle_key_backup},
    {"getRoomKeys", sim::handle_key_backup},
    {"deleteRoomKeys", sim::handle_key_backup},
    {"putRoomKeysByRoomId", sim::handle_key_backup},
    {"getRoomKeysByRoomId", sim::handle_key_backup},
    {"deleteRoomKeysByRoomId", sim::handle_key_backup},
    {"putRoomKeyBySessionId", sim::handle_key_backup},
    {"getRoomKeyBySessionId", sim::handle_key_backup},
    {"deleteRoomKeyBySessionId", sim::handle_key_backup},
    // user_directory.cpp
    {"searchUserDirectory", sim::handle_user_directory},
    // discovery.cpp: /.well-known, TURN credentials, third-party lookup, OpenID tokens
    {"getWellknown", sim::handle_discovery},
    {"getWellknownSupport", sim::handle_discovery},
    {"getWellknownPolicy", sim::handle_discovery},
    {"getTurnServer", sim::handle_discovery},
    {"getProtocols", sim::handle_discovery},
    {"getProtocolMetadata", sim::handle_discovery},
    {"queryLocationByProtocol", sim::handle_discovery},
    {"queryUserByProtocol", sim::handle_discovery},
    {"queryLocationByAlias", sim::handle_discovery},
    {"queryUserByID", sim::handle_discovery},
    {"requestOpenIdToken", sim::handle_discovery},
    // threepids.cpp: 3PID validation tokens and the account's 3PIDs
    {"requestTokenTo3PIDEmail", sim::handle_threepids},
    {"requestTokenTo3PIDMSISDN", sim::handle_threepids},
    {"requestTokenToRegisterEmail", sim::handle_threepids},
    {"requestTokenToRegisterMSISDN", sim::handle_threepids},
    {"requestTokenToResetPasswordEmail", sim::handle_threepids},
    {"requestTokenToResetPasswordMSISDN", sim::handle_threepids},
    {"getAccount3PIDs", sim::handle_threepids},
    {"post3PIDs", sim::handle_threepids},
    {"add3PID", sim::handle_threepids},
    {"bind3PID", sim::handle_threepids},
    {"unbind3pidFromAccount", sim::handle_threepids},
    {"delete3pidFromAccount", sim::handle_threepids},
    // third_party_invite.cpp
    {"inviteBy3PID", sim::handle_third_party_invite},
    // relations.cpp: events relating to an event, thread roots
    {"getRelatingEvents", sim::handle_relations},
    {"getRelatingEventsWithRelType", sim::handle_relations},
    {"getRelatingEventsWithRelTypeAndEventType", sim::handle_relations},
    {"getThreadRoots", sim::handle_relations},
    // timestamp_to_event.cpp
    {"getEventByTimestamp", sim::handle_timestamp_to_event},
    // search.cpp
    {"search", sim::handle_search},
    // knock.cpp
    {"knockRoom", sim::handle_knock},
    // room_upgrade.cpp
    {"upgradeRoom", sim::handle_room_upgrade},
    // notifications.cpp
    {"getNotifications", sim::handle_notifications},
    // server_admin.cpp: whois (oneself only); locks and suspensions need an admin, and there is
    // none
    {"getWhoIs", sim::handle_server_admin},
    {"getAdminLockUser", sim::handle_server_admin},
    {"setAdminLockUser", sim::handle_server_admin},
    {"getAdminSuspendUser", sim::handle_server_admin},
    {"setAdminSuspendUser", sim::handle_server_admin},
    // legacy.cpp: the deprecated operations from before /sync
    {"getEvents", sim::handle_legacy},
    {"peekEvents", sim::handle_legacy},
    {"initialSync", sim::handle_legacy},
    {"getOneEvent", sim::handle_legacy},
    {"roomInitialSync", sim::handle_legacy},
    // appservice.cpp: application-service-only operations, refused (there is no appservice)
    {"pingAppservice", sim::handle_appservice},
    {"updateAppserviceRoomDirectoryVisibility", sim::handle_appservice},
    // sync.cpp
    {"sync", sim::handle_sync},
    // keys.cpp: device keys, one-time and fallback keys, who changed them
    {"uploadKeys", sim::handle_keys},
    {"queryKeys", sim::handle_keys},
    {"claimKeys", sim::handle_keys},
    {"getKeysChanges", sim::handle_keys},
    // cross_signing.cpp: cross-signing keys (user-interactive auth once a master key exists) and
    // signatures, stored, never verified
    {"uploadCrossSigningKeys", sim::handle_cross_signing},
    {"uploadCrossSigningSignatures", sim::handle_cross_signing},
    // to_device.cpp
    {"sendToDevice", sim::handle_to_device},
    // media.cpp: /_matrix/media/{r0,v3} and the authenticated /_matrix/client/v1/media
    {"uploadContent", handle_legacy_media},
    {"createContent", handle_legacy_media},
    {"uploadContentToMXC", handle_legacy_media},
    {"getUrlPreview", handle_legacy_media},
    {"getConfig", handle_legacy_media},
    {"getContent", handle_legacy_media},
    {"getContentOverrideName", handle_legacy_media},
    {"getContentThumbnail", handle_legacy_media},
    {"getConfigAuthed", handle_authenticated_media},
    {"getUrlPreviewAuthed", handle_authenticated_media},
    {"getContentAuthed", handle_authenticated_media},
    {"getContentOverrideNameAuthed", handle_authenticated_media},
    {"getContentThumbnailAuthed", handle_authenticated_media},
};

const std::unordered_map<std::string_view, Handler>& route_table() {
    static const std::unordered_map<std::string_view, Handler> table = [] {
        std::unordered_map<std::string_view, Handler> routes;
        for (const Route& route : kRoutes) {
            if (find_operation(route.operation_id) == nullptr) {
                throw std::logic_error("simulation route names no spec operation: " +
                                       std::string(route.operation_id));
            }
            routes.emplace(route.operation_id, route.handler);
        }
        return routes;
    }();
    return table;
}

// What the handlers read as the path: the segments after the version segment
// (`/_matrix/client/v3/`, `/_matrix/media/v3/`), after `media/` for authenticated media, and
// the whole path outside /_matrix (`/.well-known/matrix/client`), which has no version to skip.
std::vector<std::string> handler_path(std::vector<std::string>&& segments, Handler handler) {
    if (segments.empty() || segments.front() != "_matrix") return std::move(segments);
    const std::size_t skipped = handler == handle_authenticated_media ? 4 : 3;
    if (segments.size() <= skipped) return {};
    segments.erase(segments.begin(), segments.begin() + static_cast<std::ptrdiff_t>(skipped));
    return std::move(segments);
}

}  // namespace

std::vector<std::string_view> Simulation::answered_operations() {
    std::vector<std::string_view> ids;
    for (const Route& route : kRoutes) ids.push_back(route.operation_id);
    return ids;
}

Simulation::Simulation(SimulationOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

Simulation::~Simulation() {
    reset();  // answers every held sync while the state is whole
    state_->timers.stop();
}

SimulationDispatch Simulation::handle_async(const JournalEntry& request, SimulationCallback done) {
    if (request.raw_path.empty() || request.raw_path.front() != '/') return {};
    auto segments = split_path(request.raw_path);
    if (!segments) return {};
    // The mock server identified it on arrival; a request handed over directly is identified here.
    const EndpointSpec* operation = request.operation;
    if (operation == nullptr) {
        const std::optional<OperationMatch> match = match_operation(request.method, *segments);
        if (!match) return {};
        operation = match->operation;
    }
    const auto route = route_table().find(operation->operation_id);
    if (route == route_table().end()) return {};
    const Handler handler = route->second;
    sim::Call call{request, request.method, handler_path(std::move(*segments), handler), {}};
    call.done = &done;
    std::unique_lock lock(state_->mutex);
    sim::Reply reply = handler(*state_, call);
    if (!reply) return {};
    const SimulationDispatch dispatch{true, call.held};
    if (call.held == 0) {
        // This request's own answer first: its latency must not include the held syncs it wakes.
        lock.unlock();
        done(SimulatedResponse{std::move(*reply), std::move(call.flags)});
        lock.lock();
    }
    sim::settle(*state_, lock);
    return dispatch;
}

std::optional<SimulatedResponse> Simulation::handle(const JournalEntry& request) {
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<SimulatedResponse> answer;
    const SimulationDispatch dispatch = handle_async(request, [&](SimulatedResponse response) {
        std::lock_guard lock(mutex);
        answer = std::move(response);
        answered.notify_all();
    });
    if (!dispatch.handled) return std::nullopt;
    std::unique_lock lock(mutex);
    answered.wait(lock, [&] { return answer.has_value(); });
    return answer;
}

void Simulation::release(std::uint64_t held) {
    std::unique_lock lock(state_->mutex);
    sim::answer_waiter(*state_, held);
    sim::deliver_ready(*state_, lock);
}

std::size_t Simulation::held_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->waiters.size();
}

std::optional<SimulationAdminResponse> Simulation::handle_admin(const std::string& method,
                                                                const std::string& path,
                                                                const std::string& body) {
    static constexpr std::string_view kPrefix = "/__admin/sim/";
    if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
    // The HTTP layer hands over the path already decoded; split it as it is.
    std::vector<std::string> segments;
    std::size_t start = kPrefix.size();
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    std::unique_lock lock(state_->mutex);
    std::optional<SimulationAdminResponse> response;
    if (method == "POST" && segments.size() == 1 && segments[0] == "reset") {
        state_->clear();
        response = SimulationAdminResponse{200, "{}"};
    } else {
        response = sim::handle_sim_admin(*state_, method, segments, body);
    }
    sim::settle(*state_, lock);
    return response;
}

void Simulation::reset() {
    std::unique_lock lock(state_->mutex);
    state_->clear();
    sim::settle(*state_, lock);
}

}  // namespace matrix::mock

// --- typed seeding: under the lock, then the held syncs the change concerns are answered ---

namespace matrix::mock {

namespace {

template <typename Seed>
auto seeded(sim::State& state, Seed&& seed) {
    std::unique_lock lock(state.mutex);
    auto result = seed();  // a SeedError leaves the state as it was: nothing to settle
    sim::settle(state, lock);
    return result;
}

void require_object(const Json& content) {
    if (!content.is_object()) {
        throw SeedError("content",
                        std::string("must be a JSON object, not ") + to_string(content.kind()));
    }
}

}  // namespace

Session Simulation::add_user(std::string_view name, std::string_view password,
                             SeedUserOptions options) {
    return seeded(*state_, [&] { return sim::seed_user(*state_, name, password, options); });
}

std::string Simulation::create_room(std::string_view creator, const SeedRoomOptions& options) {
    return seeded(*state_, [&] { return sim::seed_room(*state_, creator, options); });
}

std::string Simulation::create_room(const Session& creator, const SeedRoomOptions& options) {
    return create_room(creator.user_id, options);
}

std::string Simulation::send(std::string_view room_id, std::string_view sender,
                             std::string_view text) {
    const std::string content = sim::JsonObject().str("msgtype", "m.text").str("body", text).text();
    return seeded(*state_, [&] {
        return sim::seed_event(*state_, room_id, sender, "m.room.message", content, std::nullopt);
    });
}

std::string Simulation::inject_event(std::string_view room_id, std::string_view sender,
                                     std::string_view type, const Json& content,
                                     std::optional<std::string> state_key) {
    require_object(content);
    return seeded(*state_, [&] {
        return sim::seed_event(*state_, room_id, sender, type, content.text(), state_key);
    });
}

}  // namespace matrix::mock
