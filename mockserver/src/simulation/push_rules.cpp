// Push rules: getPushRules, getPushRulesGlobal, and reading, setting, deleting, enabling and
// changing the actions of one rule. A user's ruleset is their m.push_rules account data, the
// one copy: every change writes it there through set_account_data, so the change reaches the
// user's next /sync as the m.push_rules event servers send, and the evaluator reads the same.
// Until the first change the ruleset is the server-default one (push_rule_defaults.cpp).
//
// Order within a kind is priority, most important first. As servers do, user-defined override
// rules sit between .m.rule.master and the other server-default override rules, and user rules
// of the other kinds before that kind's server-default ones.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

std::string push_rules_of(const User& user) {
    const auto it = user.account_data.find("m.push_rules");
    return it == user.account_data.end() ? default_push_rules(user.user_id) : it->second.content;
}

namespace {

struct Rule {
    std::string rule_id;
    bool is_default = false;
    bool enabled = true;
    std::optional<std::string> pattern;     // content rules
    std::optional<std::string> conditions;  // override and underride rules: a JSON array
    std::string actions = "[]";             // a JSON array

    std::string json() const {
        JsonObject out;
        out.str("rule_id", rule_id).boolean("default", is_default).boolean("enabled", enabled);
        if (pattern) out.str("pattern", *pattern);
        if (conditions) out.raw("conditions", *conditions);
        return out.raw("actions", actions).text();
    }
};

using Ruleset = std::map<std::string, std::vector<Rule>, std::less<>>;  // kind -> rules

// The stored ruleset is written by this file only, so its shape is known.
Ruleset load(const User& user) {
    Ruleset rules;
    const auto document = parse_object(push_rules_of(user));
    const auto global = document->FindMember("global");
    for (const std::string_view kind : kPushRuleKinds) {
        std::vector<Rule>& list = rules[std::string(kind)];
        const auto array = global->value.FindMember(std::string(kind).c_str());
        if (array == global->value.MemberEnd() || !array->value.IsArray()) continue;
        for (const auto& item : array->value.GetArray()) {
            Rule rule;
            rule.rule_id = member_string(item, "rule_id").value_or("");
            rule.is_default = item.HasMember("default") && item["default"].IsTrue();
            rule.enabled = !item.HasMember("enabled") || item["enabled"].IsTrue();
            rule.pattern = member_string(item, "pattern");
            if (item.HasMember("conditions")) rule.conditions = to_text(item["conditions"]);
            rule.actions = member_text(item, "actions", "[]");
            list.push_back(std::move(rule));
        }
    }
    return rules;
}

std::string global_json(const Ruleset& rules) {
    JsonObject global;
    for (const std::string_view kind : kPushRuleKinds) {
        std::vector<std::string> items;
        for (const Rule& rule : rules.find(kind)->second) items.push_back(rule.json());
        global.raw(kind, json_array(items));
    }
    return global.text();
}

// Stores the changed ruleset as the user's m.push_rules account data.
Reply store(State& state, User& user, const Ruleset& rules) {
    std::string content = JsonObject().raw("global", global_json(rules)).text();
    // Counted in full even when it replaces the older ruleset, as account data is.
    if (Reply full = refuse_if_full(state, account_data_cost("", "m.push_rules", content))) {
        return full;
    }
    set_account_data(state, user, "", "m.push_rules", std::move(content));
    return ok("{}");
}

Reply not_found(const std::string& kind, const std::string& rule_id) {
    return error("M_NOT_FOUND", "No push rule " + rule_id + " of kind " + kind, 404);
}

// The actions a client sent: an array of "notify", "dont_notify", "coalesce" (the last two
// are legacy no-ops) or {"set_tweak": name, ...} objects. nullopt and `problem` when invalid.
std::optional<std::string> valid_actions(const rapidjson::Value& body, std::string& problem) {
    const auto it = body.FindMember("actions");
    if (it == body.MemberEnd()) {
        problem = "actions is required";
        return std::nullopt;
    }
    if (!it->value.IsArray()) {
        problem = "actions must be an array";
        return std::nullopt;
    }
    for (const auto& action : it->value.GetArray()) {
        if (is_client_string(action)) {
            const std::string_view name(action.GetString(), action.GetStringLength());
            if (name == "notify" || name == "dont_notify" || name == "coalesce") continue;
            problem = "unknown action " + std::string(name);
            return std::nullopt;
        }
        if (!action.IsObject() || !member_string(action, "set_tweak")) {
            problem = "each action must be a string or an object with a set_tweak string";
            return std::nullopt;
        }
    }
    return to_text(it->value);
}

// Conditions a client sent for an override or underride rule: an array of objects with a
// string kind. Kinds the evaluator does not know are kept and never match, as the spec says.
std::optional<std::string> valid_conditions(const rapidjson::Value& body, std::string& problem) {
    const auto it = body.FindMember("conditions");
    if (it == body.MemberEnd()) return "[]";
    if (!it->value.IsArray()) {
        problem = "conditions must be an array";
        return std::nullopt;
    }
    for (const auto& condition : it->value.GetArray()) {
        if (!member_string(condition, "kind")) {
            problem = "each condition must be an object with a kind string";
            return std::nullopt;
        }
    }
    return to_text(it->value);
}

// Where a new or moved rule goes when neither before nor after is given: first among the
// user's rules of its kind, which for override rules is just after .m.rule.master.
std::size_t most_important_user_slot(const std::vector<Rule>& list) {
    if (!list.empty() && list.front().rule_id == ".m.rule.master") return 1;
    return 0;
}

Reply set_rule(State& state, const Call& call, User& user, Ruleset& rules, const std::string& kind,
               const std::string& rule_id) {
    if (rule_id.empty() || rule_id.front() == '.') {
        return error("M_INVALID_PARAM",
                     "Rule ids starting with '.' are the server's: a server-default rule's "
                     "actions and enabled state can be changed, not its conditions",
                     400);
    }
    if (rule_id.find_first_of("/\\") != std::string::npos) {
        return error("M_INVALID_PARAM", "Rule ids may not contain slashes or backslashes", 400);
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The push rule is not a JSON object", 400);
    std::string problem;
    Rule rule;
    rule.rule_id = rule_id;
    const auto actions = valid_actions(*body, problem);
    if (!actions) {
        return error(body->HasMember("actions") ? "M_INVALID_PARAM" : "M_MISSING_PARAM", problem,
                     400);
    }
    rule.actions = *actions;
    if (kind == "content") {
        rule.pattern = member_string(*body, "pattern");
        if (!rule.pattern) {
            return error("M_MISSING_PARAM", "A content rule needs a pattern string", 400);
        }
    } else if (kind == "override" || kind == "underride") {
        rule.conditions = valid_conditions(*body, problem);
        if (!rule.conditions) return error("M_INVALID_PARAM", problem, 400);
    }

    std::vector<Rule>& list = rules[kind];
    const auto same = [&](const Rule& r) { return r.rule_id == rule_id; };
    std::optional<std::size_t> slot;
    if (const auto old = std::ranges::find_if(list, same); old != list.end()) {
        rule.enabled = old->enabled;  // an update keeps the rule's enabled state
        slot = static_cast<std::size_t>(old - list.begin());
        list.erase(old);
    }
    const auto before = query(call, "before");
    const auto after = query(call, "after");
    // With both, `before` decides (the rule is the next most important after it).
    for (const auto& [name, anchor] : {std::pair{"before", before}, std::pair{"after", after}}) {
        if (!anchor) continue;
        if (!anchor->empty() && anchor->front() == '.') {
            return error("M_INVALID_PARAM",
                         std::string(name) + " may not name a server-default rule", 400);
        }
        const auto it = std::ranges::find_if(
            list, [&](const Rule& r) { return r.rule_id == *anchor && !r.is_default; });
        if (it == list.end()) {
            return error("M_NOT_FOUND", std::string(name) + " rule not found: " + *anchor, 404);
        }
    }
    const auto index_of = [&](const std::string& id) {
        return static_cast<std::size_t>(
            std::ranges::find_if(list, [&](const Rule& r) { return r.rule_id == id; }) -
            list.begin());
    };
    if (before) {
        slot = index_of(*before);
    } else if (after) {
        slot = index_of(*after) + 1;
    } else if (!slot) {
        slot = most_important_user_slot(list);
    }
    list.insert(list.begin() + static_cast<std::ptrdiff_t>(*slot), std::move(rule));
    return store(state, user, rules);
}

}  // namespace

Reply handle_push_rules(State& state, Call& call) {
    const auto& p = call.path;
    if (p.empty() || p[0] != "pushrules") return std::nullopt;
    const std::string& m = call.method;
    const bool whole = p.size() == 1 || (p.size() == 2 && p[1].empty());
    const bool global = (p.size() == 2 || (p.size() == 3 && p[2].empty())) && p[1] == "global";
    const bool one = p.size() == 4 && (m == "GET" || m == "PUT" || m == "DELETE");
    const bool attribute =
        p.size() == 5 && (p[4] == "enabled" || p[4] == "actions") && (m == "GET" || m == "PUT");
    if (!((whole || global) && m == "GET") && !one && !attribute) return std::nullopt;

    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    User& user = state.users.at(auth.device->user_id);
    Ruleset rules = load(user);
    if (whole) return ok(JsonObject().raw("global", global_json(rules)).text());
    if (global) return ok(global_json(rules));

    if (p[1] != "global") return error("M_INVALID_PARAM", "Push rules are global only", 400);
    const std::string& kind = p[2];
    const std::string& rule_id = p[3];
    if (std::ranges::find(kPushRuleKinds, kind) == kPushRuleKinds.end()) {
        return error(
            "M_INVALID_PARAM",
            "Unknown push rule kind " + kind + " (override, content, room, sender or underride)",
            400);
    }
    if (one && m == "PUT") return set_rule(state, call, user, rules, kind, rule_id);

    std::vector<Rule>& list = rules[kind];
    const auto rule =
        std::ranges::find_if(list, [&](const Rule& r) { return r.rule_id == rule_id; });
    if (rule == list.end()) return not_found(kind, rule_id);
    if (one && m == "GET") return ok(rule->json());
    if (one) {  // DELETE
        if (rule->is_default) {
            return error("M_INVALID_PARAM",
                         "Server-default rules cannot be deleted; disable them instead", 400);
        }
        list.erase(rule);
        return store(state, user, rules);
    }
    const bool enabled = p[4] == "enabled";
    if (m == "GET") {
        return ok(enabled ? JsonObject().boolean("enabled", rule->enabled).text()
                          : JsonObject().raw("actions", rule->actions).text());
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    if (enabled) {
        const auto value = body->FindMember("enabled");
        if (value == body->MemberEnd() || !value->value.IsBool()) {
            return error("M_MISSING_PARAM", "enabled must be given as a boolean", 400);
        }
        rule->enabled = value->value.GetBool();
    } else {
        std::string problem;
        const auto actions = valid_actions(*body, problem);
        if (!actions) {
            return error(body->HasMember("actions") ? "M_INVALID_PARAM" : "M_MISSING_PARAM",
                         problem, 400);
        }
        rule->actions = *actions;
    }
    return store(state, user, rules);
}

}  // namespace matrix::mock::sim
