// The JSON bodies of POST /__admin/sim/users, /rooms and /rooms/{roomId}/events, read into the
// typed seeding calls: shared by the admin routes and seed files, so both take the same keys.
#pragma once

#include <rapidjson/document.h>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "matrix/mock/simulation.hpp"

namespace matrix::mock::sim {

struct SeedUserBody {
    std::string username;
    std::string password;
    SeedUserOptions options;
};

struct SeedRoomBody {
    std::string creator;
    SeedRoomOptions options;
};

struct SeedEventBody {
    std::string sender;
    std::string type;
    std::string content;  // compact JSON text of an object
    std::optional<std::string> state_key;
};

// The keys each body takes, in the order --help and docs/seeding.md list them.
inline constexpr std::array<std::string_view, 4> kSeedUserKeys = {"username", "password",
                                                                  "displayname", "device_id"};
inline constexpr std::array<std::string_view, 13> kSeedRoomKeys = {"creator",
                                                                   "name",
                                                                   "topic",
                                                                   "room_alias_name",
                                                                   "preset",
                                                                   "visibility",
                                                                   "room_version",
                                                                   "members",
                                                                   "invite",
                                                                   "is_direct",
                                                                   "initial_state",
                                                                   "creation_content",
                                                                   "power_level_content_override"};
inline constexpr std::array<std::string_view, 4> kSeedEventKeys = {"sender", "type", "content",
                                                                   "state_key"};

// A refusal the simulation answered as it would a client (past the state budget: with
// admin_contact): the admin routes answer that body whole.
class AnsweredSeedError : public SeedError {
  public:
    AnsweredSeedError(SeedError error, std::string body)
        : SeedError(std::move(error)), body_(std::move(body)) {}
    const std::string& body() const noexcept { return body_; }

  private:
    std::string body_;
};

// `path` + "." + `key`, or whichever is not empty ("rooms[1]" and "members" give
// "rooms[1].members").
std::string key_path(std::string_view path, std::string_view key);

// Throws SeedError (M_BAD_JSON) naming the first member of `object` that is not in `known`,
// with the keys it may have, or a member given twice. `path` is where `object` sits.
void refuse_unknown_keys(const rapidjson::Value& object, std::string_view path,
                         std::span<const std::string_view> known);

// Each reads `object` (already known to be a JSON object) at `path`, throwing SeedError with
// the key path of the first member that is missing, mistyped or unknown.
SeedUserBody read_seed_user(const rapidjson::Value& object, std::string_view path = {});
// `known`: the keys the room object may have (a seed file's rooms also take "messages").
SeedRoomBody read_seed_room(const rapidjson::Value& object, std::string_view path = {},
                            std::span<const std::string_view> known = kSeedRoomKeys);
SeedEventBody read_seed_event(const rapidjson::Value& object, std::string_view path = {});

}  // namespace matrix::mock::sim
