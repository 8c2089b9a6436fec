// POST /search, room_events only (the one category the spec defines): events of the rooms the
// user is joined to whose searched keys contain the search term, case-insensitively. The term is
// matched as a whole substring, not tokenised into words as a full-text index would; the rank is
// how often it occurs. event_context, include_state and groupings are accepted and ignored (their
// response members are optional); the filter's `rooms`, `not_rooms` and `limit` are applied.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr std::size_t kDefaultPage = 10;

// The content keys the spec lets a search look in, as "content.<field>".
const std::set<std::string>& searchable_keys() {
    static const std::set<std::string> keys = {"content.body", "content.name", "content.topic"};
    return keys;
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t count = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size())) {
        ++count;
    }
    return count;
}

std::set<std::string> string_set(const rapidjson::Value& object, const char* key) {
    std::set<std::string> out;
    const auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !it->value.IsArray()) return out;
    for (const auto& item : it->value.GetArray()) {
        if (is_client_string(item)) out.insert(item.GetString());
    }
    return out;
}

struct Hit {
    const Event* event = nullptr;
    std::size_t rank = 0;
};

}  // namespace

Reply handle_search(State& state, Call& call) {
    if (call.method != "POST" || call.path.size() != 1 || call.path[0] != "search") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto categories = body->FindMember("search_categories");
    if (categories == body->MemberEnd() || !categories->value.IsObject()) {
        return error("M_BAD_JSON", "search_categories is required", 400);
    }
    const auto room_events = categories->value.FindMember("room_events");
    if (room_events == categories->value.MemberEnd()) return ok(R"({"search_categories":{}})");
    const rapidjson::Value& criteria = room_events->value;
    if (!criteria.IsObject()) return error("M_BAD_JSON", "room_events must be an object", 400);
    const auto term = member_string(criteria, "search_term");
    if (!term) return error("M_BAD_JSON", "search_term is required", 400);
    std::set<std::string> keys = string_set(criteria, "keys");
    if (keys.empty()) keys = searchable_keys();
    for (const std::string& key : keys) {
        if (!searchable_keys().contains(key)) {
            return error("M_INVALID_PARAM", "Cannot search in " + key, 400);
        }
    }
    const std::string order = member_string(criteria, "order_by").value_or("rank");
    if (order != "rank" && order != "recent") {
        return error("M_INVALID_PARAM", "order_by must be rank or recent", 400);
    }
    std::set<std::string> only_rooms;
    std::set<std::string> not_rooms;
    std::size_t page = kDefaultPage;
    if (const auto filter = criteria.FindMember("filter");
        filter != criteria.MemberEnd() && filter->value.IsObject()) {
        only_rooms = string_set(filter->value, "rooms");
        not_rooms = string_set(filter->value, "not_rooms");
        if (const auto limit = filter->value.FindMember("limit");
            limit != filter->value.MemberEnd() && limit->value.IsInt64()) {
            page =
                static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value.GetInt64(), 1, 100));
        }
    }
    // next_batch is the number of results already returned, "r<count>".
    std::size_t offset = 0;
    if (const auto token = query(call, "next_batch")) {
        const std::string digits = token->size() > 1 && (*token)[0] == 'r' ? token->substr(1) : "";
        if (digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
            return error("M_INVALID_PARAM", "Unknown next_batch token", 400);
        }
        offset = std::stoul(digits);
    }

    const std::string needle = lower(*term);
    std::vector<Hit> hits;
    const auto user_rooms = state.rooms_of_user.find(device.user_id);
    if (user_rooms != state.rooms_of_user.end() && !needle.empty()) {
        for (const std::string& room_id : user_rooms->second) {
            if (membership(state, room_id, device.user_id) != "join") continue;
            if (!only_rooms.empty() && !only_rooms.contains(room_id)) continue;
            if (not_rooms.contains(room_id)) continue;
            for (const std::size_t index : state.rooms.at(room_id).timeline) {
                const Event& event = state.events[index];
                if (!event.redacted_because.empty()) continue;
                const auto content = parse_object(event.content.view());
                if (!content) continue;
                std::size_t rank = 0;
                for (const std::string& key : keys) {
                    const auto field = member_string(*content, key.c_str() + 8);  // "content."
                    if (field) rank += occurrences(lower(*field), needle);
                }
                if (rank > 0) hits.push_back({&event, rank});
            }
        }
    }
    // Newest first; by rank, the newest first among equals.
    std::ranges::sort(hits, [&](const Hit& a, const Hit& b) {
        if (order == "rank" && a.rank != b.rank) return a.rank > b.rank;
        return a.event->position > b.event->position;
    });
    std::vector<std::string> results;
    for (std::size_t i = offset; i < hits.size() && results.size() < page; ++i) {
        results.push_back(JsonObject()
                              .num("rank", static_cast<std::int64_t>(hits[i].rank))
                              .raw("result", event_json(state, *hits[i].event, device.key()))
                              .text());
    }
    JsonObject out;
    out.num("count", static_cast<std::int64_t>(hits.size()))
        .raw("highlights", json_array({quote(*term)}))
        .raw("results", json_array(results));
    if (offset + results.size() < hits.size()) {
        out.str("next_batch", "r" + std::to_string(offset + results.size()));
    }
    return ok(JsonObject()
                  .raw("search_categories", JsonObject().raw("room_events", out.text()).text())
                  .text());
}

}  // namespace matrix::mock::sim
