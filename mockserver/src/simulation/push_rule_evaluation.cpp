// Push rule evaluation (the spec's "Push Rules" evaluation): the first enabled rule whose
// conditions all hold decides, taking kinds in order override, content, room, sender,
// underride and rules within a kind in their stored order. Conditions: event_match (a
// case-insensitive glob on the whole value, or on any word-bounded part of content.body),
// event_property_is, event_property_contains, contains_display_name, room_member_count and
// sender_notification_permission; a kind the spec does not define never matches. Member counts
// and the display name are the room's now, not when the event was sent.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A byte of a word: ASCII letters, digits and '_', and every byte of a non-ASCII character
// (letters of other scripts count as word characters, as in the servers' regexes).
bool is_word(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || std::isalnum(byte) != 0 || c == '_';
}

// Glob (`*` any run, `?` one character) against all of `text`, case-insensitively.
bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p]) == fold(text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

// Whether `pattern` matches some part of `text` that starts and ends at word boundaries
// (content.body matching, contains_display_name). `glob` false takes the pattern literally.
// One pass over the text with the set of pattern positions reached, so O(text x pattern).
bool word_match(std::string_view pattern, std::string_view text, bool glob) {
    const std::size_t n = text.size();
    const std::size_t m = pattern.size();
    const auto boundary = [&](std::size_t j) {
        return j == 0 || j == n || !is_word(text[j - 1]) || !is_word(text[j]);
    };
    const auto wildcard = [&](std::size_t k) { return glob && pattern[k] == '*'; };
    std::vector<char> active(m + 1, 0);
    std::vector<char> next(m + 1, 0);
    for (std::size_t j = 0;; ++j) {
        if (boundary(j)) active[0] = 1;
        for (std::size_t k = 0; k < m; ++k) {
            if (active[k] && wildcard(k)) active[k + 1] = 1;
        }
        if (active[m] && boundary(j)) return true;
        if (j == n) return false;
        std::ranges::fill(next, 0);
        for (std::size_t k = 0; k < m; ++k) {
            if (!active[k]) continue;
            if (wildcard(k)) {
                next[k] = 1;
            } else if ((glob && pattern[k] == '?') || fold(pattern[k]) == fold(text[j])) {
                next[k + 1] = 1;
            }
        }
        active.swap(next);
    }
}

// A condition key's parts: split at dots, `\.` a literal dot and `\\` a backslash.
std::vector<std::string> key_parts(std::string_view key) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < key.size(); ++i) {
        if (key[i] == '\\' && i + 1 < key.size() && (key[i + 1] == '.' || key[i + 1] == '\\')) {
            parts.back() += key[++i];
        } else if (key[i] == '.') {
            parts.emplace_back();
        } else {
            parts.back() += key[i];
        }
    }
    return parts;
}

// An event's field by condition key: a top-level string, or a value inside its content.
struct Field {
    std::optional<std::string_view> top;
    const rapidjson::Value* value = nullptr;
};

struct EventView {
    const Event& event;
    std::optional<rapidjson::Document> content;

    Field field(std::string_view key) const {
        const std::vector<std::string> parts = key_parts(key);
        if (parts.size() == 1) {
            const std::string& name = parts[0];
            if (name == "type") return {event.type};
            if (name == "sender") return {event.sender};
            if (name == "room_id") return {event.room_id};
            if (name == "event_id") return {event.event_id};
            if (name == "state_key" && event.state_key) return {*event.state_key};
            return {};
        }
        if (parts[0] != "content" || !content) return {};
        const rapidjson::Value* value = &*content;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            if (!value->IsObject()) return {};
            const auto it = value->FindMember(parts[i].c_str());
            if (it == value->MemberEnd()) return {};
            value = &it->value;
        }
        return {std::nullopt, value};
    }
};

std::optional<std::string_view> as_string(const Field& field) {
    if (field.top) return field.top;
    if (field.value && is_client_string(*field.value)) {
        return std::string_view(field.value->GetString(), field.value->GetStringLength());
    }
    return std::nullopt;
}

// An event_property_* condition's `value` (as JSON text) equals this field; non-compound
// values only.
bool same_value(const std::string& wanted, const Field& field) {
    if (field.top) return wanted == quote(*field.top);
    if (!field.value || field.value->IsObject() || field.value->IsArray()) return false;
    return to_text(*field.value) == wanted;
}

bool member_count_matches(std::string_view is, std::size_t count) {
    std::string_view op = "==";
    for (const std::string_view prefix : {"==", "<=", ">=", "<", ">"}) {
        if (is.starts_with(prefix)) {
            op = prefix;
            is.remove_prefix(prefix.size());
            break;
        }
    }
    std::size_t wanted = 0;
    const auto [end, status] = std::from_chars(is.data(), is.data() + is.size(), wanted);
    if (status != std::errc() || end != is.data() + is.size() || is.empty()) return false;
    if (op == "==") return count == wanted;
    if (op == "<=") return count <= wanted;
    if (op == ">=") return count >= wanted;
    if (op == "<") return count < wanted;
    return count > wanted;
}

std::int64_t int_member(const rapidjson::Value& object, const char* key, std::int64_t fallback) {
    if (!object.IsObject()) return fallback;
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : fallback;
}

// The sender's power level reaches the room's notifications.<key> level (default 50). Without
// a power levels event the room's creator has 100 and everyone else 0, as the spec says.
bool sender_may_notify(const State& state, const Room& room, const Event& event,
                       const std::string& key) {
    const auto levels = room.state.find({"m.room.power_levels", ""});
    if (levels == room.state.end()) {
        const auto create = room.state.find({"m.room.create", ""});
        return create != room.state.end() && state.events[create->second].sender == event.sender;
    }
    const auto content = parse_object(state.events[levels->second].content.view());
    if (!content) return false;
    std::int64_t needed = 50;
    if (const auto notifications = content->FindMember("notifications");
        notifications != content->MemberEnd()) {
        needed = int_member(notifications->value, key.c_str(), 50);
    }
    std::int64_t level = int_member(*content, "users_default", 0);
    if (const auto users = content->FindMember("users"); users != content->MemberEnd()) {
        level = int_member(users->value, event.sender.c_str(), level);
    }
    return level >= needed;
}

std::size_t joined_members(const Room& room) {
    return static_cast<std::size_t>(std::ranges::count(
        room.membership, std::string("join"), [](const auto& entry) { return entry.second; }));
}

// The user's display name in the room: their member event's, else their profile's.
std::string display_name(const State& state, const Room& room, const User& user) {
    const auto member = room.state.find({"m.room.member", user.user_id});
    if (member != room.state.end()) {
        const auto content = parse_object(state.events[member->second].content.view());
        if (content) {
            if (const auto name = member_string(*content, "displayname")) return *name;
        }
    }
    return user.displayname;
}

// One evaluation: the event, its room and the user, and what the evaluator already looked up
// about the room (its joined members, the user's display name there), which every event of
// the room shares.
struct Context {
    const State& state;
    const Room& room;
    const User& user;
    const EventView& view;
    std::optional<std::size_t>& joined;
    std::optional<std::string>& name;
    bool templated;  // the rules are the default template
    std::string_view localpart;

    // A string of a rule: the owner's id where the default template has a placeholder.
    std::string_view resolve(std::string_view text) const {
        if (templated && text == "$user_id") return user.user_id;
        if (templated && text == "$localpart") return localpart;
        return text;
    }

    std::size_t joined_count() const {
        if (!joined) joined = joined_members(room);
        return *joined;
    }
    const std::string& display_name_here() const {
        if (!name) name = display_name(state, room, user);
        return *name;
    }
};

bool condition_holds(const Context& context, const rapidjson::Value& condition) {
    const EventView& view = context.view;
    const std::string kind = member_string(condition, "kind").value_or("");
    const auto key = member_string(condition, "key");
    if (kind == "event_match") {
        const auto pattern = member_string(condition, "pattern");
        if (!key || !pattern) return false;
        const auto text = as_string(view.field(*key));
        if (!text) return false;
        const std::string_view glob = context.resolve(*pattern);
        return *key == "content.body" ? word_match(glob, *text, true) : glob_match(glob, *text);
    }
    if (kind == "event_property_is" || kind == "event_property_contains") {
        const auto wanted = condition.FindMember("value");
        if (!key || wanted == condition.MemberEnd()) return false;
        if (wanted->value.IsObject() || wanted->value.IsArray()) return false;
        const std::string wanted_json =
            is_client_string(wanted->value)
                ? quote(
                      context.resolve({wanted->value.GetString(), wanted->value.GetStringLength()}))
                : to_text(wanted->value);
        const Field field = view.field(*key);
        if (kind == "event_property_is") return same_value(wanted_json, field);
        if (!field.value || !field.value->IsArray()) return false;
        return std::ranges::any_of(field.value->GetArray(), [&](const rapidjson::Value& item) {
            return same_value(wanted_json, Field{std::nullopt, &item});
        });
    }
    if (kind == "contains_display_name") {
        const auto body = as_string(view.field("content.body"));
        const std::string& name = context.display_name_here();
        return body && !name.empty() && word_match(name, *body, false);
    }
    if (kind == "room_member_count") {
        const auto is = member_string(condition, "is");
        return is && member_count_matches(*is, context.joined_count());
    }
    if (kind == "sender_notification_permission") {
        return key && sender_may_notify(context.state, context.room, view.event, *key);
    }
    return false;
}

bool rule_matches(const Context& context, std::string_view kind, const rapidjson::Value& rule) {
    const EventView& view = context.view;
    if (kind == "content") {
        const auto pattern = member_string(rule, "pattern");
        const auto body = as_string(view.field("content.body"));
        return pattern && body && word_match(context.resolve(*pattern), *body, true);
    }
    const std::string rule_id = member_string(rule, "rule_id").value_or("");
    if (kind == "room") return rule_id == view.event.room_id;
    if (kind == "sender") return rule_id == view.event.sender;
    const auto conditions = rule.FindMember("conditions");
    if (conditions == rule.MemberEnd() || !conditions->value.IsArray()) return true;
    return std::ranges::all_of(conditions->value.GetArray(), [&](const rapidjson::Value& c) {
        return condition_holds(context, c);
    });
}

// A highlight tweak: {"set_tweak": "highlight"} with value true or absent.
bool highlights(const rapidjson::Value& actions) {
    return std::ranges::any_of(actions.GetArray(), [](const rapidjson::Value& action) {
        if (member_string(action, "set_tweak") != "highlight") return false;
        const auto value = action.FindMember("value");
        return value == action.MemberEnd() || value->value.IsTrue();
    });
}

}  // namespace

PushEvaluator::PushEvaluator(const State& state, const User& user)
    : state_(state), user_(user), global_(&default_push_rules_template()) {
    const auto stored = user.account_data.find("m.push_rules");
    if (stored == user.account_data.end()) {
        // The defaults, unparsed again: a held sync's answer evaluates with them at no cost.
        templated_ = true;
        localpart_ = user.user_id.substr(1, user.user_id.find(':') - 1);
        return;
    }
    auto document = parse_object(stored->second.content);
    if (document && document->HasMember("global")) {
        rules_.CopyFrom((*document)["global"], rules_.GetAllocator());
        global_ = &rules_;
    }
}

std::optional<PushMatch> PushEvaluator::evaluate(const Event& event, const Room& room) const {
    if (event.sender == user_.user_id || !event.redacted_because.empty()) return std::nullopt;
    if (&room != facts_room_) {
        facts_room_ = &room;
        joined_.reset();
        display_name_.reset();
    }
    const EventView view{event, parse_object(event.content.view())};
    const Context context{state_,  room,          user_,      view,
                          joined_, display_name_, templated_, localpart_};
    for (const std::string_view kind : kPushRuleKinds) {
        const auto rules = global_->FindMember(std::string(kind).c_str());
        if (rules == global_->MemberEnd() || !rules->value.IsArray()) continue;
        for (const rapidjson::Value& rule : rules->value.GetArray()) {
            const auto enabled = rule.FindMember("enabled");
            if (enabled != rule.MemberEnd() && enabled->value.IsFalse()) continue;
            if (!rule_matches(context, kind, rule)) continue;
            const auto actions = rule.FindMember("actions");
            if (actions == rule.MemberEnd() || !actions->value.IsArray()) return std::nullopt;
            const bool notify =
                std::ranges::any_of(actions->value.GetArray(), [](const rapidjson::Value& a) {
                    return is_client_string(a) && std::string_view(a.GetString()) == "notify";
                });
            if (!notify) return std::nullopt;
            return PushMatch{to_text(actions->value), highlights(actions->value)};
        }
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
