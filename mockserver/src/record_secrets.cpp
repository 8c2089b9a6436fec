// Removing secrets from recorded request bodies and replacing them in recorded answers.
#include "record_secrets.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "json_text_dom.hpp"
#include "record_json.hpp"

namespace matrix::mock {

bool is_secret_member(std::string_view name) {
    return std::ranges::find(kSecretMembers, name) != kSecretMembers.end();
}

bool is_secret_query_parameter(std::string_view name) {
    return name == "access_token" || name == "login_token";
}

namespace {

// Calls `visit(object)` for every object in `value`, outermost first.
template <typename Visit>
void for_each_object(rapidjson::Value& value, const Visit& visit) {
    if (value.IsObject()) {
        visit(value);
        for (auto& member : value.GetObject()) for_each_object(member.value, visit);
    } else if (value.IsArray()) {
        for (rapidjson::Value& element : value.GetArray()) for_each_object(element, visit);
    }
}

}  // namespace

Json without_secrets(const Json& json) {
    return detail::rewritten(json, [](rapidjson::Value& root, auto&) {
        for_each_object(root, [](rapidjson::Value& object) {
            for (auto member = object.MemberBegin(); member != object.MemberEnd();) {
                const std::string_view name(member->name.GetString(),
                                            member->name.GetStringLength());
                member = is_secret_member(name) ? object.EraseMember(member) : member + 1;
            }
        });
    });
}

std::string SecretPlaceholders::placeholder_for(std::string_view member, std::string_view secret) {
    const std::string key = std::string(member) + '\0' + std::string(secret);
    if (const auto known = by_secret_.find(key); known != by_secret_.end()) return known->second;
    const std::size_t number = ++counts_[std::string(member)];
    std::string placeholder = "scrubbed-" + std::string(member) + "-" + std::to_string(number);
    by_secret_.emplace(key, placeholder);
    return placeholder;
}

Json SecretPlaceholders::in_json(const Json& json) {
    return detail::rewritten(json, [this](rapidjson::Value& root, auto& allocator) {
        for_each_object(root, [&](rapidjson::Value& object) {
            for (auto& member : object.GetObject()) {
                const std::string_view name(member.name.GetString(), member.name.GetStringLength());
                if (!is_secret_member(name)) continue;
                // A secret member that is not a string (an object, a number) is dropped to null:
                // what it holds is not known to be harmless.
                if (!matrix::detail::is_text_string(member.value)) {
                    if (!member.value.IsNull()) member.value.SetNull();
                    continue;
                }
                const std::string placeholder = placeholder_for(
                    name,
                    std::string_view(member.value.GetString(), member.value.GetStringLength()));
                member.value.SetString(placeholder.data(),
                                       static_cast<rapidjson::SizeType>(placeholder.size()),
                                       allocator);
            }
        });
    });
}

}  // namespace matrix::mock
