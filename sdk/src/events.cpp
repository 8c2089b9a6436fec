// Room and state event helpers (seed: MatrixSDK.Client.RoomEvent and StateEvent).
#include "matrix/events.hpp"

#include <vector>

#include "matrix/error.hpp"

namespace matrix {
namespace {

constexpr std::string_view kHtmlFormat = "org.matrix.custom.html";

std::string_view msgtype_name(MessageType msgtype) {
    switch (msgtype) {
        case MessageType::text:
            return "m.text";
        case MessageType::notice:
            return "m.notice";
        case MessageType::file:
            return "m.file";
    }
    return "m.text";
}

}  // namespace

RoomEvent RoomEvent::message(std::string_view room_id, MessageType msgtype, std::string_view body,
                             std::string_view transaction_id, const MessageOptions& options) {
    std::vector<std::pair<std::string, Json>> content = {
        {"body", Json::string(body, "body")}, {"msgtype", Json::string(msgtype_name(msgtype))}};
    if (msgtype == MessageType::file) {
        if (!options.url) throw InvalidArgument("url", "is required for a file message");
        if (options.formatted_body || options.format) {
            throw InvalidArgument(options.formatted_body ? "formatted_body" : "format",
                                  "applies to text and notice messages only");
        }
        content.emplace_back("url", Json::string(*options.url, "url"));
        if (options.filename)
            content.emplace_back("filename", Json::string(*options.filename, "filename"));
        if (options.info) {
            if (!options.info->is_object()) throw InvalidArgument("info", "must be a JSON object");
            content.emplace_back("info", *options.info);
        }
    } else {
        if (options.url || options.filename || options.info) {
            throw InvalidArgument(options.url        ? "url"
                                  : options.filename ? "filename"
                                                     : "info",
                                  "applies to file messages only");
        }
        if (options.formatted_body) {
            content.emplace_back("format",
                                 Json::string(options.format.value_or(std::string(kHtmlFormat))));
            content.emplace_back("formatted_body",
                                 Json::string(*options.formatted_body, "formatted_body"));
        } else if (options.format) {
            throw InvalidArgument("format", "needs formatted_body");
        }
    }
    return RoomEvent{std::string(room_id), "m.room.message", std::string(transaction_id),
                     Json::object(content)};
}

StateEvent StateEvent::join_rules(std::string_view room_id, std::string_view join_rule) {
    return StateEvent{std::string(room_id), "m.room.join_rules", "",
                      Json::object({{"join_rule", Json::string(join_rule, "join_rule")}})};
}

StateEvent StateEvent::topic(std::string_view room_id, std::string_view topic) {
    return StateEvent{std::string(room_id), "m.room.topic", "",
                      Json::object({{"topic", Json::string(topic, "topic")}})};
}

}  // namespace matrix
