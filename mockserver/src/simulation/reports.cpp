// Reporting rooms, events and users: checked as the spec asks (404 for what does not exist, or
// for an event outside the reporter's rooms), then kept for whoever runs the simulation to read
// at GET /__admin/sim/reports, since a real server would hand them to its moderators.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

Reply keep(State& state, JsonObject report) {
    const std::string text = report.num("received_ts", now_ms()).text();
    const std::size_t cost = sizeof(std::string) + text.size();  // a vector slot
    if (Reply full = refuse_if_full(state, cost)) return full;
    state.reports.push_back(text);
    charge(state, cost);
    return ok("{}");
}

}  // namespace

Reply handle_reports(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "POST") return std::nullopt;
    const bool room = p.size() == 3 && p[0] == "rooms" && p[2] == "report";
    const bool event = p.size() == 4 && p[0] == "rooms" && p[2] == "report";
    const bool user = p.size() == 3 && p[0] == "users" && p[2] == "report";
    if (!room && !event && !user) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const std::string& reporter = auth.device->user_id;
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto reason = member_string(*body, "reason");
    if (body->HasMember("reason") && !reason) {
        return error("M_BAD_JSON", "reason must be a string", 400);
    }
    // reportEvent's reason is optional; the other two require one.
    if (!event && !reason) return error("M_MISSING_PARAM", "reason is required", 400);
    JsonObject report;
    report.str("reporter", reporter);
    if (user) {
        if (!state.users.contains(p[1])) return error("M_NOT_FOUND", "The user was not found", 404);
        report.str("kind", "user").str("user_id", p[1]);
    } else if (room) {
        if (!state.rooms.contains(p[1])) return error("M_NOT_FOUND", "The room was not found", 404);
        report.str("kind", "room").str("room_id", p[1]);
    } else {
        // The reporter must be joined; the spec answers 404 alike for either failure.
        const auto it = state.event_index.find(p[3]);
        if (membership(state, p[1], reporter) != "join" || it == state.event_index.end() ||
            state.events[it->second].room_id != p[1]) {
            return error("M_NOT_FOUND", "The event was not found or you are not joined to the room",
                         404);
        }
        report.str("kind", "event").str("room_id", p[1]).str("event_id", p[3]);
    }
    if (reason) report.str("reason", *reason);
    return keep(state, std::move(report));
}

std::string reports_json(const State& state) {
    return JsonObject().raw("reports", json_array(state.reports)).text();
}

}  // namespace matrix::mock::sim
