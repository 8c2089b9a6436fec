// The spec's server-default push rules ("Push Notifications" module, "Predefined Rules"), as
// data: every user's ruleset starts as this, and server-default rules keep their conditions.
// Actions are the spec's current ones (without the `"highlight": false` tweaks older versions
// listed, which mean the same).
#include <string>
#include <string_view>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// "$user_id" and "$localpart" stand for the JSON strings of the rules' owner (never ids
// themselves: a user id starts with '@').
constexpr std::string_view kDefaultRules = R"({"global":{
"override":[
 {"rule_id":".m.rule.master","default":true,"enabled":false,"conditions":[],"actions":[]},
 {"rule_id":".m.rule.suppress_notices","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"content.msgtype","pattern":"m.notice"}],
  "actions":[]},
 {"rule_id":".m.rule.invite_for_me","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.member"},
                {"kind":"event_match","key":"content.membership","pattern":"invite"},
                {"kind":"event_match","key":"state_key","pattern":"$user_id"}],
  "actions":["notify",{"set_tweak":"sound","value":"default"}]},
 {"rule_id":".m.rule.member_event","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.member"}],
  "actions":[]},
 {"rule_id":".m.rule.is_user_mention","default":true,"enabled":true,
  "conditions":[{"kind":"event_property_contains","key":"content.m\\.mentions.user_ids",
                 "value":"$user_id"}],
  "actions":["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight"}]},
 {"rule_id":".m.rule.contains_display_name","default":true,"enabled":true,
  "conditions":[{"kind":"contains_display_name"}],
  "actions":["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight"}]},
 {"rule_id":".m.rule.is_room_mention","default":true,"enabled":true,
  "conditions":[{"kind":"event_property_is","key":"content.m\\.mentions.room","value":true},
                {"kind":"sender_notification_permission","key":"room"}],
  "actions":["notify",{"set_tweak":"highlight"}]},
 {"rule_id":".m.rule.roomnotif","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"content.body","pattern":"@room"},
                {"kind":"sender_notification_permission","key":"room"}],
  "actions":["notify",{"set_tweak":"highlight"}]},
 {"rule_id":".m.rule.tombstone","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.tombstone"},
                {"kind":"event_match","key":"state_key","pattern":""}],
  "actions":["notify",{"set_tweak":"highlight"}]},
 {"rule_id":".m.rule.reaction","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.reaction"}],
  "actions":[]},
 {"rule_id":".m.rule.server_acl","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.server_acl"},
                {"kind":"event_match","key":"state_key","pattern":""}],
  "actions":[]},
 {"rule_id":".m.rule.suppress_edits","default":true,"enabled":true,
  "conditions":[{"kind":"event_property_is","key":"content.m\\.relates_to.rel_type",
                 "value":"m.replace"}],
  "actions":[]}
],
"content":[
 {"rule_id":".m.rule.contains_user_name","default":true,"enabled":true,"pattern":"$localpart",
  "actions":["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight"}]}
],
"room":[],
"sender":[],
"underride":[
 {"rule_id":".m.rule.call","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.call.invite"}],
  "actions":["notify",{"set_tweak":"sound","value":"ring"}]},
 {"rule_id":".m.rule.encrypted_room_one_to_one","default":true,"enabled":true,
  "conditions":[{"kind":"room_member_count","is":"2"},
                {"kind":"event_match","key":"type","pattern":"m.room.encrypted"}],
  "actions":["notify",{"set_tweak":"sound","value":"default"}]},
 {"rule_id":".m.rule.room_one_to_one","default":true,"enabled":true,
  "conditions":[{"kind":"room_member_count","is":"2"},
                {"kind":"event_match","key":"type","pattern":"m.room.message"}],
  "actions":["notify",{"set_tweak":"sound","value":"default"}]},
 {"rule_id":".m.rule.message","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.message"}],
  "actions":["notify"]},
 {"rule_id":".m.rule.encrypted","default":true,"enabled":true,
  "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.encrypted"}],
  "actions":["notify"]}
]}})";

void replace_all(std::string& text, std::string_view from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

const rapidjson::Value& default_push_rules_template() {
    static const rapidjson::Document global = [] {
        rapidjson::Document document;
        document.CopyFrom((*parse_object(kDefaultRules))["global"], document.GetAllocator());
        return document;
    }();
    return global;
}

std::string default_push_rules(const std::string& user_id) {
    std::string rules(kDefaultRules);
    const std::size_t colon = user_id.find(':');
    replace_all(rules, "\"$user_id\"", quote(user_id));
    replace_all(rules, "\"$localpart\"", quote(user_id.substr(1, colon - 1)));
    // Compact, as every stored content is (and as a client's account data is kept).
    return to_text(*parse_object(rules));
}

}  // namespace matrix::mock::sim
