// Query arguments that are lists: a JSON array of strings is one query parameter per element
// (joinRoom's `via`), a JSON object of strings one per member (queryUserByProtocol's `fields`).
#include <rapidjson/document.h>

#include "json_text_dom.hpp"
#include "request_parts.hpp"

namespace matrix::detail {
namespace {

// A Json argument is valid JSON by construction, so parsing it cannot fail.
rapidjson::Document parsed(const Json& value) {
    rapidjson::Document document;
    (void)parse_text_dom(value.text(), document);
    return document;
}

std::string_view view(const rapidjson::Value& string) {
    return {string.GetString(), string.GetStringLength()};
}

}  // namespace

bool is_query_list(const Json& value) {
    const rapidjson::Document document = parsed(value);
    if (document.IsArray()) {
        for (const rapidjson::Value& element : document.GetArray()) {
            if (!is_text_string(element)) return false;
        }
        return true;
    }
    if (document.IsObject()) {
        for (const auto& member : document.GetObject()) {
            if (!is_text_string(member.value)) return false;
        }
        return true;
    }
    return false;
}

void for_each_query_element(std::string_view name, const Json& value,
                            const std::function<void(std::string_view, std::string_view)>& use) {
    const rapidjson::Document document = parsed(value);
    if (document.IsArray()) {
        for (const rapidjson::Value& element : document.GetArray()) use(name, view(element));
    } else if (document.IsObject()) {
        for (const auto& member : document.GetObject()) use(view(member.name), view(member.value));
    }
}

}  // namespace matrix::detail
