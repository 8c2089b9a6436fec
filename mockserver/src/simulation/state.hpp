// The simulation's shared in-memory state and the helpers every endpoint file uses.
#pragma once

#include <rapidjson/document.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "matrix/mock/shared_bytes.hpp"
#include "matrix/mock/simulation.hpp"
#include "timer_thread.hpp"

namespace matrix::mock::sim {

struct Event {
    std::uint64_t position = 0;  // place in the one global stream ordering
    std::string event_id;
    std::string room_id;
    std::string type;
    std::string sender;
    std::optional<std::string> state_key;
    // Compact JSON text; the very bytes of the request body when the client sent it compact,
    // so a large event is held once for the journal and the room.
    SharedBytes content{std::string("{}")};
    std::int64_t origin_server_ts = 0;
    std::string txn_device;  // "user|device" that sent it with a transaction id
    std::string txn_id;
    std::string redacted_because;  // event id of the redaction, once redacted
};

struct Room {
    std::string room_id;
    // Indexes into events, in stream order: a sync or a page finds its place by binary search.
    std::vector<std::size_t> timeline;
    std::uint64_t last_position = 0;                                   // of the newest event
    std::map<std::pair<std::string, std::string>, std::size_t> state;  // (type, key) -> index
    std::map<std::string, std::string> membership;                     // user -> membership
    std::map<std::string, std::uint64_t> membership_position;          // user -> position
};

struct AccountData {
    std::uint64_t position = 0;
    std::string content;
};

struct User {
    std::string user_id;
    std::string password;
    std::string displayname;
    std::string avatar_url;
    bool guest = false;
    bool deactivated = false;
    std::map<std::string, AccountData> account_data;
    std::map<std::pair<std::string, std::string>, AccountData> room_account_data;  // (room, type)
    std::uint64_t account_data_position = 0;  // the newest change to either, so a sync skips both
    std::vector<std::string> filters;         // filter id = index
    // (medium, address) of each 3PID on the account; State::threepids has their details.
    std::set<std::pair<std::string, std::string>> threepids;
};

// What a user last set with setPresence.
struct Presence {
    std::string state;  // online, unavailable or offline
    std::string status_msg;
    std::int64_t set_at_ms = 0;  // the activity the spec's last_active_ago counts from
};

struct Device {
    std::string user_id;
    std::string device_id;
    // When and from where the device last made an authenticated request (or logged in); kept
    // current on its State::tokens entry only, copies elsewhere keep what they were given.
    std::int64_t last_seen_ts = 0;
    std::string last_seen_ip{};  // an address without its port; at most kIpAddressMaxChars
    std::string key() const { return user_id + "|" + device_id; }
};

struct Media {
    std::string content_type;
    std::string filename;
    SharedBytes bytes;  // the upload's body, shared with the journal
};

// A 3PID validation a requestToken operation opened: the token the email or SMS would carry,
// and whether the user followed its link (POST /__admin/sim/3pid/validate).
struct ThreepidSession {
    std::string sid;
    std::string client_secret;
    std::string medium;  // "email" or "msisdn"
    std::string address;
    std::string token;
    bool validated = false;
    std::int64_t validated_at = 0;
};

// A 3PID added to an account (add3PID): whose it is, and when.
struct AccountThreepid {
    std::string user_id;
    std::int64_t validated_at = 0;
    std::int64_t added_at = 0;
};

// The events that relate to one parent event (content.m.relates_to naming it, in its room), kept
// by aggregations.cpp as events are appended and redacted, so that a bundled aggregation or a
// /relations page looks its children up instead of walking the room.
struct Children {
    // rel_type -> the children's indexes into State::events, in stream order; redacted ones go.
    std::map<std::string, std::vector<std::size_t>> by_rel_type;
    // sender -> how many of the m.thread children are theirs (current_user_participated).
    std::map<std::string, std::size_t> thread_senders;
};

// Where a user has read up to in one room (receipts and read markers, read_positions.cpp).
struct ReadPosition {
    std::uint64_t event_position = 0;  // of the newest event a receipt or marker named
    std::uint64_t changed_at = 0;      // the stream position when it last moved
};

// A user's unread counts in one room as /sync last computed them (read_positions.cpp), so that
// the next sync evaluates only the events since, however long the history.
struct UnreadCounts {
    std::size_t notifications = 0;
    std::size_t highlights = 0;
};
struct UnreadCache {
    std::uint64_t through = 0;     // the read position the counts start after
    std::uint64_t counted_to = 0;  // the position of the newest event counted
    std::uint64_t rules_at = 0;    // the user's m.push_rules position they were counted with
    UnreadCounts counts;
};

// A device's end-to-end encryption keys as it uploaded them (keys.cpp); the simulation stores
// and relays them, never verifies a signature.
struct FallbackKey {
    std::string key_id;  // "algorithm:key_id"
    std::string key;     // its JSON
    bool used = false;   // given out by a claim since it was uploaded
};
struct DeviceKeys {
    std::string device_keys;  // the signed device_keys object without "unsigned"; "" until sent
    std::map<std::string, std::string> one_time_keys;  // "algorithm:key_id" -> key JSON
    std::map<std::string, FallbackKey> fallback_keys;  // algorithm -> its one fallback key
};
// A user's cross-signing keys (cross_signing.cpp), each a JSON object; "" when not uploaded.
struct CrossSigningKeys {
    std::string master;
    std::string self_signing;
    std::string user_signing;
};
// A send-to-device message queued for one device (to_device.cpp) until a sync acknowledges it.
struct ToDeviceMessage {
    std::uint64_t position = 0;  // the stream position it was sent at
    std::string sender;
    std::string type;
    std::string content;  // JSON object
};

// One session's key in a server-side key backup (key_backup.cpp): what decides whether a later
// upload replaces it, and the KeyBackupData object as the client sent it.
struct BackedUpKey {
    bool is_verified = false;
    std::int64_t first_message_index = 0;
    std::int64_t forwarded_count = 0;
    std::string json;
};

// One backup version: its configuration and its keys by (room id, session id).
struct KeyBackup {
    std::string algorithm;
    std::string auth_data;  // a JSON object
    std::map<std::pair<std::string, std::string>, BackedUpKey> keys;
    std::uint64_t etag = 0;  // bumped whenever the keys change
};

// A user's key backups. Versions are numbered 1, 2, ... per user and never reused, so a version
// up to last_version that `versions` lacks was deleted (deleting it again succeeds).
struct KeyBackups {
    std::map<std::uint64_t, KeyBackup> versions;  // the newest is the current one
    std::uint64_t last_version = 0;
};

// An incremental /sync with nothing new yet: answered when a change its user can see arrives
// (settle()), when its timeout passes, or when its client goes (Simulation::release).
struct SyncWaiter {
    Device device;
    std::uint64_t since = 0;
    std::size_t limit = 10;
    std::vector<std::string> flags;
    SimulationCallback done;
    std::uint64_t timer = 0;
};

struct State {
    explicit State(SimulationOptions opts) : options(std::move(opts)) {}

    SimulationOptions options;
    std::mutex mutex;
    std::uint64_t position = 0;  // the stream position: bumped by every change a sync sees
    std::mt19937_64 random{std::random_device{}()};
    std::vector<Event> events;
    std::map<std::string, std::size_t> event_index;  // event id -> index
    std::map<std::string, Room> rooms;
    std::map<std::string, User> users;
    using Tokens = std::unordered_map<std::string, Device>;
    Tokens tokens;  // access token -> device
    // user id -> device id -> its access token (one per device), kept by login() and
    // erase_token(), so that nothing walks every token of the server.
    std::unordered_map<std::string, std::map<std::string, std::string>> tokens_of_user;
    // Access tokens that expire (those issued with a refresh token): token -> expiry (ms).
    std::unordered_map<std::string, std::int64_t> token_expiry;
    // Refresh tokens (tokens.cpp): token -> the device whose access token it renews, and the
    // device key -> its one refresh token, so that forgetting a device's token forgets both.
    std::unordered_map<std::string, Device> refresh_tokens;
    std::unordered_map<std::string, std::string> refresh_of_device;
    // Single-use m.login.token tokens: token -> (user id, expiry in ms).
    std::unordered_map<std::string, std::pair<std::string, std::int64_t>> login_tokens;
    std::map<std::string, std::string> aliases;         // #alias:server -> room id
    std::map<std::string, std::string> transactions;    // "user|device|scope|txn" -> event id
    std::unordered_map<std::string, int> active_syncs;  // device key -> syncs in flight
    std::map<std::string, std::string> device_names;    // device key -> display name
    std::map<std::string, Presence> presence;           // user id -> what they last set
    std::map<std::string, Media> media;                 // media id -> upload
    // Media ids POST /media/v1/create handed out and not yet uploaded to: id -> (the user who
    // may upload, when the id expires unused, in ms).
    std::map<std::string, std::pair<std::string, std::int64_t>> pending_media;
    std::size_t media_bytes = 0;
    // Approximate bytes held by everything above but media (capacity.cpp says what counts);
    // bounded by options.state_capacity_bytes.
    std::size_t state_bytes = 0;
    std::set<std::string> uia_sessions;
    std::map<std::string, ThreepidSession> threepid_sessions;  // sid -> session
    // "client_secret|medium|address" -> sid: a repeated requestToken reuses its session.
    std::map<std::string, std::string> threepid_session_ids;
    // (medium, address) -> its account: one account per 3PID, as the spec asks.
    std::map<std::pair<std::string, std::string>, AccountThreepid> threepids;
    std::set<std::string> published_rooms;  // in the public room directory
    // (user id, app_id, pushkey) -> the pusher as getPushers lists it (pushers.cpp).
    std::map<std::tuple<std::string, std::string, std::string>, std::string> pushers;
    // Content reports as JSON objects, oldest first, for GET /__admin/sim/reports (reports.cpp).
    std::vector<std::string> reports;
    // Every room each user has a membership in (any), so a sync looks at that user's rooms only.
    std::unordered_map<std::string, std::set<std::string>> rooms_of_user;
    // Parent event id -> the events relating to it (aggregations.cpp).
    std::unordered_map<std::string, Children> children;
    // (user id, room id) -> how far the user has read there (read_positions.cpp).
    std::map<std::pair<std::string, std::string>, ReadPosition> read_positions;
    // (user id, room id) -> the unread counts of the last sync that wrote the room. Filled by
    // /sync (const), so its entries are charged in advance, with each m.room.member event.
    mutable std::map<std::pair<std::string, std::string>, UnreadCache> unread_cache;
    // End-to-end encryption (keys.cpp, cross_signing.cpp, to_device.cpp): device key -> its
    // keys; user -> cross-signing keys; stream position -> the user whose device list or
    // cross-signing keys changed then (device_lists, keys/changes); device key -> to-device
    // messages not yet acknowledged, oldest first.
    std::map<std::string, DeviceKeys> device_keys;
    std::map<std::string, CrossSigningKeys> cross_signing;
    std::map<std::uint64_t, std::string> key_changes;
    std::map<std::string, std::deque<ToDeviceMessage>> to_device;
    // User id -> their server-side key backups (key_backup.cpp).
    std::map<std::string, KeyBackups> key_backups;

    // Held syncs, by id and by user; the users a change since the last settle() may concern;
    // and the answers decided under the lock, delivered after it is released.
    std::map<std::uint64_t, SyncWaiter> waiters;
    std::unordered_map<std::string, std::vector<std::uint64_t>> waiters_of_user;
    std::uint64_t next_waiter = 1;
    std::set<std::string> woken;
    std::deque<std::uint64_t> to_check;  // waiters of woken users, not yet rebuilt
    bool wake_everyone = false;
    std::vector<std::pair<SimulationCallback, SimulatedResponse>> ready;
    // While settle() rebuilds a batch of held syncs under the lock, each event's JSON is
    // written once and reused by every viewer it looks the same to: keyed by event index and by
    // the viewer's device key when the JSON depends on the viewer (event_json says when), else "".
    mutable std::map<std::pair<std::size_t, std::string>, std::string> event_json_cache;
    bool cache_event_json = false;

    // Everything but the options, the lock and the held syncs, which are all woken.
    void clear();

    // Declared last so it is destroyed first: its thread runs timeouts that take the lock.
    TimerThread timers;
};

// What the dispatcher hands each endpoint: the request and its path after the version.
struct Call {
    const JournalEntry& entry;
    std::string method;
    std::vector<std::string> path;  // percent-decoded segments after /_matrix/client/{version}/
    std::vector<std::string> flags;
    SimulationCallback* done = nullptr;  // taken by an endpoint that holds the request
    std::uint64_t held = 0;              // set by it: the waiter's id
};

using Reply = std::optional<ResponseDefinition>;

// --- JSON ----------------------------------------------------------------------------------

std::string quote(std::string_view text);  // a JSON string literal (the SDK's JSON writer)
std::string to_text(const rapidjson::Value& value);
// Parses outside input; an empty body is `{}`. nullopt when not a JSON object.
std::optional<rapidjson::Document> parse_object(std::string_view body);
// A string the client sent. Bodies keep numbers that are not 64-bit integers as marked strings
// (json_text_dom.hpp), so IsString() alone would take `1.5` for a string.
bool is_client_string(const rapidjson::Value& value);
std::optional<std::string> member_string(const rapidjson::Value& object, const char* key);
std::string member_text(const rapidjson::Value& object, const char* key, std::string fallback);

// Builds a JSON object textually, members in call order.
class JsonObject {
  public:
    JsonObject& raw(std::string_view key, std::string_view json);
    JsonObject& str(std::string_view key, std::string_view value);
    JsonObject& num(std::string_view key, std::int64_t value);
    JsonObject& boolean(std::string_view key, bool value);
    std::string text() const { return text_ + "}"; }

  private:
    std::string text_ = "{";
};

std::string json_array(const std::vector<std::string>& json_items);

// --- responses -----------------------------------------------------------------------------

ResponseDefinition ok(std::string json, int status = 200);
ResponseDefinition error(std::string_view errcode, std::string_view message, int status);

// --- requests ------------------------------------------------------------------------------

std::optional<std::string> query(const Call& call, std::string_view name);
struct Auth {
    std::optional<Device> device;
    Reply error;             // set when device is not
    bool anonymous = false;  // no token at all: operations with optional auth go on without one
};
// Also records the request on the token's device: its time and address (last_seen_*).
Auth authenticate(State& state, const Call& call);
// The address without its port: "127.0.0.1:5000" -> "127.0.0.1", "[::1]:5000" -> "::1".
std::string_view address_of(std::string_view remote);
// Notes that `device` made a request now from `remote` ("address:port"); allocates nothing
// unless the address changed.
void mark_seen(Device& device, std::string_view remote);

// --- the state budget (capacity.cpp) --------------------------------------------------------

// Generated ids have fixed lengths, so a request's cost is known before anything is stored.
inline constexpr std::size_t kEventIdRandomChars = 24;
inline constexpr std::size_t kRoomIdRandomChars = 18;       // "!" + these + ":" + server name
inline constexpr std::size_t kAccessTokenRandomChars = 32;  // after the "syt_" prefix
inline constexpr std::size_t kDeviceIdRandomChars = 10;
inline constexpr std::size_t kUiaSessionChars = 16;
inline constexpr std::size_t kThreepidSidChars = 16;
inline constexpr std::size_t kThreepidTokenDigits = 6;
// The longest textual IP address (IPv6 with an embedded IPv4 address): a device's last_seen_ip
// is charged this much once, so that updating it on each request charges nothing.
inline constexpr std::size_t kIpAddressMaxChars = 45;

// A map or set entry: its node, the record it holds, and the characters of `strings`.
std::size_t entry_cost(std::size_t record_size, std::initializer_list<std::string_view> strings);
std::size_t event_id_length(const State& state);
// What append_event stores for an event with these fields.
std::size_t event_cost(const State& state, std::string_view room_id, std::string_view sender,
                       std::string_view type, std::string_view content,
                       const std::optional<std::string>& state_key,
                       std::string_view txn_device = {}, std::string_view txn_id = {});
std::size_t room_cost(std::string_view room_id);
std::size_t user_cost(std::string_view user_id, std::string_view password,
                      std::string_view displayname);
std::size_t token_cost(std::string_view token, const Device& device);
// What login() stores for a device id not yet chosen (nullopt or empty: a generated one).
std::size_t login_cost(std::string_view user_id, const std::optional<std::string>& device_id);
// A transactions entry: the key and the event id it remembers.
std::size_t transaction_cost(const State& state, std::string_view txn_key);
std::size_t account_data_cost(std::string_view room_id, std::string_view type,
                              std::string_view content);
// A ThreepidSession with these fields and its threepid_session_ids entry (`key`).
std::size_t threepid_session_cost(std::string_view key, std::string_view client_secret,
                                  std::string_view medium, std::string_view address);
// A threepids entry and its place in the owner's User::threepids.
std::size_t account_threepid_cost(std::string_view user_id, std::string_view medium,
                                  std::string_view address);
// 403 M_RESOURCE_LIMIT_EXCEEDED when adding `bytes` would take the state past its cap; checked
// before a request stores anything, so a refused request leaves no trace.
Reply refuse_if_full(const State& state, std::size_t bytes);
void charge(State& state, std::size_t bytes);
void release(State& state, std::size_t bytes);

// --- refresh and login tokens (tokens.cpp) -------------------------------------------------

inline constexpr std::size_t kRefreshTokenRandomChars = 32;  // after the "syr_" prefix
inline constexpr std::size_t kLoginTokenRandomChars = 32;    // after the "syl_" prefix
// What issue_refresh_token() stores for a device: its refresh token and its token's expiry.
std::size_t refresh_token_cost(std::string_view user_id, std::string_view device_id);
// What issue_login_token() stores.
std::size_t login_token_cost(std::string_view user_id);
// Makes the device's access token `access_token` expire and gives the device a refresh token;
// the `"refresh_token"` and `"expires_in_ms"` members for a login or register reply.
void add_refresh_token(State& state, const Device& device, const std::string& access_token,
                       JsonObject& reply);
// A new single-use m.login.token token for `user_id`; its lifetime in ms in `lifetime_ms`.
std::string issue_login_token(State& state, const std::string& user_id, std::int64_t& lifetime_ms);
// Takes a login token: its user, or nullopt when it is unknown, used or expired.
std::optional<std::string> redeem_login_token(State& state, const std::string& token);
// Forgets the device's refresh token and its access token's expiry (erase_token calls it).
void forget_refresh_token(State& state, const std::string& access_token, const Device& device);
// POST /refresh, POST /login/get_token, GET /register/m.login.registration_token/validity.
Reply handle_tokens(State& state, Call& call);

// --- the model -----------------------------------------------------------------------------

std::string random_id(State& state, std::size_t length);
std::int64_t now_ms();
// "@local:server" from a localpart or a full user id.
std::string user_id_for(const State& state, std::string_view name);
bool valid_localpart(std::string_view localpart);
User& create_user(State& state, const std::string& user_id, std::string password, bool guest);
std::string default_displayname(const std::string& user_id);  // the localpart
// Forgets one access token (and gives its bytes back to the state budget).
State::Tokens::iterator erase_token(State& state, State::Tokens::iterator it);
// Forgets the token of each of these devices of `user_id`.
void erase_device_tokens(State& state, const std::string& user_id,
                         const std::vector<std::string>& device_ids);
// The user's devices that have a token, by device id, as their tokens entries hold them.
std::vector<Device> devices_of(const State& state, const std::string& user_id);
// A new device (given id or generated) and its access token.
std::string login(State& state, const std::string& user_id, std::optional<std::string> device_id,
                  std::string& device_id_out);
// Appends one event to a room, updates state and membership, wakes syncs. Returns its index.
std::size_t append_event(State& state, const std::string& room_id, const std::string& sender,
                         const std::string& type, SharedBytes content,
                         std::optional<std::string> state_key = {}, std::string txn_device = {},
                         std::string txn_id = {});
// m.room.member content for `membership`, with the profile for joins.
std::string member_content(const State& state, const std::string& user_id,
                           const std::string& membership_value);
// A join's m.room.member content for this profile.
std::string join_content(const std::string& displayname, const std::string& avatar_url);
std::string membership(const State& state, const std::string& room_id, const std::string& user);
// The first timeline slot whose event comes after stream position `after`; its cost grows
// with the number of events after `after`, not with the room's history.
std::vector<std::size_t>::const_iterator first_after(const State& state, const Room& room,
                                                     std::uint64_t after);
// The event as clients see it; unsigned.transaction_id only for the device that sent it.
std::string event_json(const State& state, const Event& event, const std::string& viewer_device);
// The same, built afresh; `personal` adds the transaction id (the viewer sent it), and
// `viewer_device` decides the bundled aggregations' viewer-dependent parts.
std::string event_json_uncached(const State& state, const Event& event, bool personal,
                                const std::string& viewer_device);
// The event as `viewer_device` sees it but without bundled aggregations: what an aggregation
// bundles of a child (aggregations go one level deep), built afresh.
std::string event_json_unbundled(const State& state, const Event& event,
                                 const std::string& viewer_device);
// Runs createRoom's body for `creator`, then joins `joined` (existing users, none of them the
// creator; seeding). Returns the room id, or an error reply.
std::pair<std::string, Reply> create_room(State& state, const std::string& creator,
                                          const rapidjson::Value& body,
                                          const std::vector<std::string>& joined = {});
// Sets account data at a new stream position and wakes syncs.
void set_account_data(State& state, User& user, const std::string& room_id, const std::string& type,
                      std::string content);
void bump(State& state);  // a new stream position
// Held syncs of `user_id` may have something new: settle() rebuilds them.
void wake(State& state, const std::string& user_id);
// Stream tokens are "s<position>"; nullopt for anything never issued.
std::optional<std::uint64_t> parse_token(const State& state, const std::string& token);
// A string field of the content of the room's state event (type, ""); "" when either is absent.
std::string state_string(const State& state, const Room& room, const std::string& type,
                         const char* field);
std::string lower(std::string text);  // ASCII lower case, for case-insensitive searches
// Checks the `auth` of a request that needs user-interactive auth (m.login.password with the
// user's password, or m.login.dummy): nullopt when it completes it, otherwise the 401 to send.
Reply check_user_interactive_auth(State& state, const rapidjson::Value& body, const User& user);

// --- user-interactive auth (uia.cpp) -------------------------------------------------------

// What a challenge's session costs while state.uia_sessions keeps it.
std::size_t uia_session_cost();
// A 401 body offering `flows` (a JSON array of {"stages": [...]}) on a new, remembered session;
// the caller has checked refuse_if_full(uia_session_cost()).
std::string uia_challenge(State& state, std::string_view flows);
// For an operation that asks for the account's password again: nullopt when `body.auth`
// completes m.login.password for `user`; else the 401 to answer (a new challenge, or the failed
// stage with M_FORBIDDEN).
Reply require_password(State& state, const rapidjson::Value& body, const User& user);
// For an account change made without an access token: the user id whose account `body.auth`
// proves (m.login.password naming the user; with `allow_threepid` also m.login.email.identity
// or m.login.msisdn whose threepid_creds name a validated session for a 3PID on an account), or
// the 401 to answer (a challenge, or the failed stage).
std::pair<std::string, Reply> identify_by_user_interactive_auth(State& state,
                                                                const rapidjson::Value& body,
                                                                bool allow_threepid);

// --- endpoint groups: each answers its own paths, nullopt for the rest ----------------------

Reply handle_versions(State& state, Call& call);
Reply handle_accounts(State& state, Call& call);
Reply handle_account_changes(State& state, Call& call);  // changePassword, deactivateAccount
Reply handle_settings(State& state, Call& call);         // capabilities, filters, account data
Reply handle_rooms(State& state, Call& call);
Reply handle_events(State& state, Call& call);
Reply handle_sync(State& state, Call& call);
// Called with the lock held: answers the held syncs that the changes since the last call
// concern (all of them, after a reset), rebuilding them in batches and delivering each batch
// with the lock released, so that the first answers go out while the rest are built.
// Returns with the lock held or released.
void settle(State& state, std::unique_lock<std::mutex>& lock);
// Under the lock: answers held sync `id` now with what it would answer at its timeout.
void answer_waiter(State& state, std::uint64_t id);
// Releases the lock and delivers the answers queued in state.ready (if any; the lock is kept
// when there are none).
void deliver_ready(State& state, std::unique_lock<std::mutex>& lock);
Reply handle_devices(State& state, Call& call);
Reply handle_presence(State& state, Call& call);  // getPresence, setPresence (presence.cpp)
// What device_names holds for this device's display name.
std::size_t device_name_cost(const Device& device, std::string_view name);
// Names the device, replacing (and releasing) its old name; the caller checked
// refuse_if_full(device_name_cost(device, name)).
void set_device_name(State& state, const Device& device, const std::string& name);
// Deletes these devices of the user (logout, deleteDevice, ...): their tokens and display
// names. Ids the user has no device with are skipped.
void forget_devices(State& state, const std::string& user_id,
                    const std::vector<std::string>& device_ids);
Reply handle_media(State& state, Call& call, bool authenticated);
// GET preview_url: a preview made without fetching the page (url_preview.cpp).
Reply url_preview(const Call& call);
// Event context, tags, directory visibility, local aliases, room summaries, space hierarchies.
Reply handle_room_extras(State& state, Call& call);
Reply handle_reports(State& state, Call& call);  // reporting rooms, events and users
Reply handle_pushers(State& state, Call& call);
Reply handle_user_directory(State& state, Call& call);
// SSO through a simulated identity provider; OAuth 2.0 metadata (none) (login_methods.cpp).
Reply handle_login_methods(State& state, Call& call);
std::string sso_flow();  // the m.login.sso flow GET /login lists
Reply handle_mutual_rooms(State& state, Call& call);
// The deprecated /events, /initialSync, /rooms/{id}/initialSync, /events/{id} (legacy.cpp).
Reply handle_legacy(State& state, Call& call);
Reply handle_appservice(State& state, Call& call);  // refused: no application service exists
// whois, and the account lock and suspension an admin sets (server_admin.cpp).
Reply handle_server_admin(State& state, Call& call);
// {"reports": [...]}: every report received since the last reset, oldest first.
std::string reports_json(const State& state);
// /.well-known/matrix/*, TURN credentials, third-party lookup, OpenID tokens.
Reply handle_discovery(State& state, Call& call);
// --- end-to-end encryption (keys.cpp, cross_signing.cpp, to_device.cpp) --------------------

// keys/upload, keys/query, keys/claim, keys/changes.
Reply handle_keys(State& state, Call& call);
// keys/device_signing/upload (user-interactive auth once a master key exists),
// keys/signatures/upload.
Reply handle_cross_signing(State& state, Call& call);
// sendToDevice: queued per target device, idempotent per (device, transaction id).
Reply handle_to_device(State& state, Call& call);
// What note_key_change() stores.
std::size_t key_change_cost(std::string_view user_id);
// Records that the user's device list or cross-signing keys changed (at a new stream position)
// and wakes the held syncs of everyone sharing a room with them; the caller checked
// refuse_if_full(key_change_cost(user_id)).
void note_key_change(State& state, const std::string& user_id);
// Users whose keys changed between stream positions `from` and `to` and who share a room with
// `user_id` (or are that user), and users who stopped sharing one; membership is judged as it is
// now, so a user may be listed who needs no re-query, never left out.
struct DeviceListChanges {
    std::vector<std::string> changed;
    std::vector<std::string> left;
};
DeviceListChanges device_list_changes(const State& state, const std::string& user_id,
                                      std::uint64_t from, std::uint64_t to);
// /sync's device_one_time_keys_count and device_unused_fallback_key_types for the device.
std::string one_time_key_counts_json(const State& state, const Device& device);
std::string unused_fallback_key_types_json(const State& state, const Device& device);
// The to-device messages queued for the device after stream position `after`, as /sync lists
// them ({type, sender, content}).
std::vector<std::string> to_device_events(const State& state, const Device& device,
                                          std::uint64_t after);
// A sync from `since` acknowledges the messages sent up to it: they are forgotten.
void acknowledge_to_device(State& state, const Device& device, std::uint64_t since);
// forget_devices calls these: the devices' keys (a change others hear of) and their queues.
void forget_device_keys(State& state, const std::string& user_id,
                        const std::vector<std::string>& device_ids);
void forget_to_device(State& state, const std::string& user_id,
                      const std::vector<std::string>& device_ids);
// --- relations and bundled aggregations (aggregations.cpp) ---------------------------------

// What content.m.relates_to says: the parent's event id and the rel_type.
struct Relation {
    std::string parent;
    std::string rel_type;
};
// The relation an event's content declares; nullopt when it has no event_id and rel_type.
std::optional<Relation> relation_of(std::string_view content);
// What index_relation() stores for an event with this content: nothing unless it relates to an
// event of the same room (event_cost includes it). Each child pays for its parent's entries as
// if it were the only child, so its cost is known before it is stored and given back whole.
std::size_t relation_cost(const State& state, std::string_view room_id, std::string_view sender,
                          std::string_view content);
// append_event calls it for each new event: a child joins its parent's Children.
void index_relation(State& state, std::size_t index);
// A redacted child leaves its parent's aggregations (and gives its bytes back).
void forget_relation(State& state, std::size_t index);
// The events relating to the event with this id, by rel_type; nullptr when none ever did.
const Children* children_of(const State& state, const std::string& event_id);
// Whether the event's JSON depends on who views it beyond the transaction id: a thread root's
// current_user_participated, an aggregated child's transaction id.
bool viewer_dependent_aggregations(const State& state, const Event& event);
// unsigned.m.relations for `event` as `viewer_device` sees it: m.thread, m.replace and
// m.reference; "" when it has none (or it is redacted).
std::string bundled_aggregations(const State& state, const Event& event,
                                 const std::string& viewer_device);

// Relations (getRelatingEvents*) and thread roots (getThreadRoots).
Reply handle_relations(State& state, Call& call);
// getEventByTimestamp: the room's event closest to a time.
Reply handle_timestamp_to_event(State& state, Call& call);
// POST /search: room events by a term in their body, name or topic.
Reply handle_search(State& state, Call& call);
// knockRoom: a knock membership in a room whose join rule allows it.
Reply handle_knock(State& state, Call& call);
// upgradeRoom: a replacement room and the old room's tombstone.
Reply handle_room_upgrade(State& state, Call& call);
// getNotifications: the events that notified the user by their push rules, newest first.
Reply handle_notifications(State& state, Call& call);
// The room_keys operations: backup versions and the session keys stored in them.
Reply handle_key_backup(State& state, Call& call);
// Forgets the user's key backups and gives their bytes back (a deactivated account).
void forget_key_backups(State& state, const std::string& user_id);

// --- push rules (push_rules.cpp, push_rule_defaults.cpp, push_rule_evaluation.cpp) ----------

// The kinds of push rules, in the order evaluation takes them (and rulesets list them).
inline constexpr std::array<std::string_view, 5> kPushRuleKinds = {"override", "content", "room",
                                                                   "sender", "underride"};
// The spec's server-default ruleset for `user_id`: an m.push_rules content, {"global": {...}}.
std::string default_push_rules(const std::string& user_id);
// The server-default ruleset's "global" object with the strings "$user_id" and "$localpart"
// where the owner's ids go, parsed once: evaluation reads it for every user who has not
// changed a rule, putting their ids in as it goes.
const rapidjson::Value& default_push_rules_template();
// The user's ruleset: their m.push_rules account data, which every change to a rule writes;
// the server-default ruleset until the first change.
std::string push_rules_of(const User& user);
// getPushRules, getPushRulesGlobal and the operations on one rule.
Reply handle_push_rules(State& state, Call& call);

// What the first enabled rule matching an event says, when it notifies.
struct PushMatch {
    std::string actions;  // the rule's actions, a JSON array
    bool highlight = false;
};

// Evaluates events against one user's push rules, parsed once for any number of events.
class PushEvaluator {
  public:
    PushEvaluator(const State& state, const User& user);
    PushEvaluator(const PushEvaluator&) = delete;  // global_ may point into rules_
    PushEvaluator& operator=(const PushEvaluator&) = delete;
    // nullopt when the event does not notify the user: no enabled rule matches, the first
    // that does has no "notify" action, or the user sent it (never notified of their own).
    std::optional<PushMatch> evaluate(const Event& event, const Room& room) const;

  private:
    const State& state_;
    const User& user_;
    rapidjson::Document rules_;       // the user's stored ruleset's "global" object, if any
    const rapidjson::Value* global_;  // rules_, or default_push_rules_template()
    bool templated_ = false;          // global_ is the template: resolve its placeholders
    std::string localpart_;           // what "$localpart" stands for
    // What evaluate() looked up about the last room it saw, shared by that room's events: an
    // evaluator lives for one request, under the lock, while the state does not change.
    mutable const Room* facts_room_ = nullptr;
    mutable std::optional<std::size_t> joined_;
    mutable std::optional<std::string> display_name_;
};

// --- read positions (read_positions.cpp) -----------------------------------------------------

// Moves the user's read position in the room forward to the event (a receipt or read marker;
// never backwards) and wakes their held syncs so that their unread counts update. The caller
// has checked refuse_if_full(read_position_cost(...)).
void mark_read(State& state, const std::string& user_id, const std::string& room_id,
               const Event& event);
std::size_t read_position_cost(std::string_view user_id, std::string_view room_id);
// The stream position up to which the user has read the room: their newest receipt or marker,
// or their own newest event when it is later. Looks back only over the events after the former.
std::uint64_t read_through(const State& state, const Room& room, const std::string& user_id);
// The stream position of the user's last read-position change in the room (0: never).
std::uint64_t read_changed_at(const State& state, const std::string& user_id,
                              const std::string& room_id);
// What an unread_cache entry for this user and room costs.
std::size_t unread_cache_cost(std::string_view user_id, std::string_view room_id);
// The notifying and highlighting events after read_through(), evaluated once each: the counts
// are kept in unread_cache and brought up to date with the events since, and counted afresh
// (from the read position on) only when the read position moved or the rules changed.
UnreadCounts unread_counts(const State& state, const PushEvaluator& rules, const Room& room,
                           const std::string& user_id);
// 3PIDs: the requestToken validations, and the account's 3PIDs (list, add, bind, delete).
Reply handle_threepids(State& state, Call& call);
// The (medium, address) a body names, the address canonical as the account's 3PIDs keep it, or
// the error reply when either is missing or the medium is neither email nor msisdn.
std::pair<std::pair<std::string, std::string>, Reply> named_threepid(const rapidjson::Value& body);
// inviteBy3PID: invites the account that holds the 3PID, or leaves an m.room.third_party_invite.
Reply handle_third_party_invite(State& state, Call& call);
// invite, kick, ban or unban `target` in a room (rooms.cpp): the m.room.member event `device`'s
// user sends about someone else, or the 403 that forbids it.
Reply change_membership(State& state, const Device& device, const std::string& room_id,
                        const std::string& action, const std::string& target,
                        const std::optional<std::string>& reason);
// Takes every 3PID off a deactivated account, so that a new account may add them.
void forget_threepids(State& state, User& user);
// GET /__admin/sim/3pid/tokens, POST /__admin/sim/3pid/validate (path after /__admin/sim/).
std::optional<SimulationAdminResponse> handle_threepid_admin(State& state,
                                                             const std::string& method,
                                                             const std::vector<std::string>& path,
                                                             const std::string& body);
// --- typed seeding (seeding.cpp); callers hold the lock and settle() after -----------------

// Each stores all or nothing and throws SeedError, its key the option at fault.
Session seed_user(State& state, std::string_view name, std::string_view password,
                  const SeedUserOptions& options);
std::string seed_room(State& state, std::string_view creator, const SeedRoomOptions& options);
// `content` is JSON text, an object.
std::string seed_event(State& state, std::string_view room_id, std::string_view sender,
                       std::string_view type, std::string_view content,
                       const std::optional<std::string>& state_key);
std::optional<SimulationAdminResponse> handle_sim_admin(State& state, const std::string& method,
                                                        const std::vector<std::string>& path,
                                                        const std::string& body);

}  // namespace matrix::mock::sim
