// Finding Matrix ids in text and replacing each with its session-wide pseudonym.
#include "record_pseudonyms.hpp"

#include <rapidjson/document.h>

#include "json_text_dom.hpp"
#include "record_json.hpp"

namespace matrix::mock {
namespace {

// Characters of an id's localpart or opaque part: the historical user id grammar and the
// room and event id alphabets (base64, url-safe base64, and the characters servers use).
bool is_opaque_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '=' || c == '-' || c == '/' || c == '+' || c == '~';
}

bool is_alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The length of the server name (host, [IPv6] literal, optional :port) at the start of `text`;
// 0 when there is none.
std::size_t server_name_length(std::string_view text) {
    std::size_t end = 0;
    if (text.starts_with('[')) {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || close == 1) return 0;
        for (std::size_t i = 1; i < close; ++i) {
            const char c = text[i];
            if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
                  c == '.'))
                return 0;
        }
        end = close + 1;
    } else {
        while (end < text.size() && is_host_char(text[end])) ++end;
        // A sentence's full stop after an id is not part of its server name.
        while (end > 0 && text[end - 1] == '.') --end;
        if (end == 0) return 0;
    }
    if (end + 1 < text.size() && text[end] == ':' && is_digit(text[end + 1])) {
        std::size_t port_end = end + 1;
        while (port_end < text.size() && is_digit(text[port_end])) ++port_end;
        end = port_end;
    }
    return end;
}

// An event id without a server name (room versions 3 and later) is base64 of a hash: long.
constexpr std::size_t kMinBareEventIdChars = 16;

}  // namespace

std::string Pseudonyms::pseudonym_for(char sigil, std::string_view id, std::string_view server) {
    if (const auto known = by_real_.find(id); known != by_real_.end()) return known->second;
    std::string pseudonym;
    switch (sigil) {
        case '@':
            pseudonym = "@user-" + std::to_string(++users_);
            break;
        case '!':
            pseudonym = "!room-" + std::to_string(++rooms_);
            break;
        default:
            pseudonym = "$event-" + std::to_string(++events_);
            break;
    }
    if (!server.empty()) pseudonym += ":" + std::string(server);
    by_real_.emplace(std::string(id), pseudonym);
    return pseudonym;
}

std::string Pseudonyms::in_text(std::string_view text) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char sigil = text[i];
        if (sigil != '@' && sigil != '!' && sigil != '$') continue;
        // Inside a word (a token, an address) it is no sigil; after punctuation it may be one
        // (a matrix.to link's "#/!room:hs", a query's "=@user:hs").
        if (i > 0 && is_alphanumeric(text[i - 1])) continue;
        std::size_t end = i + 1;
        while (end < text.size() && is_opaque_char(text[end])) ++end;
        const std::size_t opaque = end - i - 1;
        if (opaque == 0) continue;
        std::size_t server_length = 0;
        if (end < text.size() && text[end] == ':')
            server_length = server_name_length(text.substr(end + 1));
        if (server_length == 0 && (sigil != '$' || opaque < kMinBareEventIdChars)) continue;
        const std::string_view server =
            server_length == 0 ? std::string_view() : text.substr(end + 1, server_length);
        const std::size_t id_end = server_length == 0 ? end : end + 1 + server_length;
        out.append(text.substr(copied, i - copied));
        out += pseudonym_for(sigil, text.substr(i, id_end - i), server);
        copied = id_end;
        i = id_end - 1;
    }
    if (copied == 0) return std::string(text);
    out.append(text.substr(copied));
    return out;
}

Json Pseudonyms::in_json(const Json& json) {
    return detail::rewritten(json, [this](rapidjson::Value& root, auto& allocator) {
        const auto rewrite_string = [&](rapidjson::Value& value) {
            if (!matrix::detail::is_text_string(value)) return;
            const std::string_view before(value.GetString(), value.GetStringLength());
            const std::string after = in_text(before);
            if (after != before)
                value.SetString(after.data(), static_cast<rapidjson::SizeType>(after.size()),
                                allocator);
        };
        // Json::parse bounds the nesting, so the recursion is bounded too.
        const auto walk = [&](auto& self, rapidjson::Value& value) -> void {
            if (value.IsObject()) {
                for (auto& member : value.GetObject()) {
                    rewrite_string(member.name);
                    self(self, member.value);
                }
            } else if (value.IsArray()) {
                for (rapidjson::Value& element : value.GetArray()) self(self, element);
            } else {
                rewrite_string(value);
            }
        };
        walk(walk, root);
    });
}

}  // namespace matrix::mock
