// GET /mutual_rooms: the rooms the caller and another user are both joined to.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

Reply handle_mutual_rooms(State& state, Call& call) {
    if (call.method != "GET" || call.path.size() != 1 || call.path[0] != "mutual_rooms") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const auto other = query(call, "user_id");
    if (!other) return error("M_MISSING_PARAM", "user_id is required", 400);
    if (other->empty() || other->front() != '@') {
        return error("M_INVALID_PARAM", "user_id is not a user ID", 400);
    }
    if (*other == auth.device->user_id) {
        return error("M_INVALID_PARAM", "user_id is the caller's own user ID", 400);
    }
    // Every answer is one whole batch, so no next_batch was ever handed out to come back.
    if (query(call, "from")) {
        return error("M_INVALID_PARAM", "Unknown from token: the simulation never pages", 400);
    }
    std::vector<std::string> joined;
    const auto mine = state.rooms_of_user.find(auth.device->user_id);
    if (mine != state.rooms_of_user.end()) {
        for (const std::string& room_id : mine->second) {
            if (membership(state, room_id, auth.device->user_id) == "join" &&
                membership(state, room_id, *other) == "join") {
                joined.push_back(quote(room_id));
            }
        }
    }
    // An unknown user shares no room: the spec's empty list, not an error.
    return ok(JsonObject()
                  .raw("joined", json_array(joined))
                  .num("count", static_cast<std::int64_t>(joined.size()))
                  .text());
}

}  // namespace matrix::mock::sim
