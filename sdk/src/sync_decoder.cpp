// Decodes /sync responses with simdjson On-Demand into the typed model of matrix/sync.hpp.
//
// simdjson picks its SIMD kernel for the structural index (stage 1, the only part where SIMD
// pays here) at run time, inside libsimdjson, so this file needs no CPU-specific flags.
#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "json_path_stack.hpp"
#include "matrix/sync.hpp"

namespace matrix::sync {

SyncDecodeError::SyncDecodeError(std::string json_path, const std::string& reason)
    : StandardError(json_path + ": " + reason), path_(std::move(json_path)) {}

namespace detail {

namespace od = simdjson::ondemand;

class OnDemandDecoder {
  public:
    // `data` must stay readable up to `capacity` bytes, capacity >= length + SIMDJSON_PADDING.
    SyncResponse decode(const char* data, std::size_t length, std::size_t capacity) {
        path_.clear();
        od::document doc;
        document_ = &doc;
        check(parser_.iterate(data, length, capacity).get(doc), "");
        od::object top;
        check(doc.get_object().get(top), "an object");

        SyncResponse response;
        // Every string kept is a distinct span of the input and no longer than it, so one
        // block of the input's size holds them all.
        response.text = std::make_shared<TextArena>(length);
        text_ = response.text.get();
        bool have_next_batch = false;
        for_each_field(top, [&](std::string_view key, od::value value) {
            if (key == "next_batch") {
                response.next_batch = get_string(value);
                have_next_batch = true;
            } else if (key == "rooms") {
                decode_rooms(value, response);
            } else if (key == "presence") {
                response.presence = get_event_container(value, false);
            } else if (key == "account_data") {
                response.account_data = get_event_container(value, false);
            } else if (key == "to_device") {
                response.to_device = get_event_container(value, false);
            } else if (key == "device_lists") {
                for_each_field(get_object(value), [&](std::string_view k, od::value v) {
                    if (k == "changed") response.device_lists.changed = get_string_array(v);
                    if (k == "left") response.device_lists.left = get_string_array(v);
                });
            } else if (key == "device_one_time_keys_count") {
                for_each_field(get_object(value), [&](std::string_view k, od::value v) {
                    response.device_one_time_keys_count.emplace_back(text_->keep(k), get_int(v));
                });
            }
        });
        // Trailing bytes after the top-level object mean the body is not one JSON value.
        // simdjson 3.0 has no document::at_end(); current_location() is OUT_OF_BOUNDS there.
        if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
            fail("unexpected content after the top-level object");
        }
        if (!have_next_batch) {
            path_.push({"next_batch"});
            fail("missing required string");
        }
        return response;
    }

  private:
    // Pops the step pushed on entry when a nested value has been decoded.
    class StepScope {
      public:
        explicit StepScope(PathStack& path) : path_(path) {}
        StepScope(const StepScope&) = delete;
        StepScope& operator=(const StepScope&) = delete;
        ~StepScope() { path_.pop(); }

      private:
        PathStack& path_;
    };

    [[nodiscard]] StepScope enter_key(std::string_view key) {
        path_.push({key});
        return StepScope(path_);
    }

    [[noreturn]] void fail(const std::string& reason) {
        throw SyncDecodeError(path_.spell(), reason);
    }

    // `expected` names the wanted type, for the message when the value has another one.
    // Called for every value, so the success test is inlined and the rest kept out of line.
    void check(simdjson::error_code error, const char* expected) {
        if (error != simdjson::SUCCESS) [[unlikely]]
            fail_with(error, expected);
    }

    [[noreturn]] [[gnu::cold]] [[gnu::noinline]] void fail_with(simdjson::error_code error,
                                                                const char* expected) {
        if (error == simdjson::INCORRECT_TYPE && *expected != '\0') {
            fail(std::string("expected ") + expected);
        }
        fail(simdjson::error_message(error));
    }

    template <typename F>
    void for_each_field(od::object object, F&& handle) {
        for (auto result : object) {
            od::field field;
            check(std::move(result).get(field), "");
            const std::string_view key = field_name(field);
            const auto scope = enter_key(key);
            const od::value value = field.value();
            const char* before = current_location();
            handle(key, value);
            // A field the handler ignored (unknown to the model) is still checked, or
            // On-Demand would skip it unread and accept malformed JSON there.
            if (current_location() == before) static_cast<void>(validated_text(value, before));
        }
    }

    const char* current_location() {
        const char* location = nullptr;
        check(document_->current_location().get(location), "");
        return location;
    }

    template <typename F>
    void for_each_element(od::value value, F&& handle) {
        od::array array;
        check(value.get_array().get(array), "an array");
        path_.push({{}, 0, true});
        const StepScope scope(path_);
        for (auto result : array) {
            od::value element;
            check(std::move(result).get(element), "");
            handle(element);
            ++path_.top().index;
        }
    }

    // The field's name. Names without escapes (nearly all) are read in place; the rest are
    // unescaped into the parser's string buffer. Either way the view lives as long as the
    // document.
    std::string_view field_name(od::field& field) {
        const char* raw = field.key().raw();
        std::size_t length = 0;
        while (raw[length] != '"') {
            if (raw[length] == '\\') {
                std::string_view unescaped;
                check(field.unescaped_key().get(unescaped), "");
                return unescaped;
            }
            ++length;
        }
        return {raw, length};
    }

    od::object get_object(od::value value) {
        od::object object;
        check(value.get_object().get(object), "an object");
        return object;
    }

    // Strings without escapes (nearly all) are copied straight from the input; the rest are
    // unescaped by simdjson first.
    std::string_view get_string(od::value value) {
        const std::string_view token = value.raw_json_token();
        if (!token.empty() && token.front() == '"') {
            std::size_t end = token.size() - 1;
            while (token[end] != '"') --end;  // the token ends with the quote, then whitespace
            const std::string_view raw = token.substr(1, end - 1);
            // Nearly all strings have no escape: copied straight from the input.
            if (raw.find('\\') == std::string_view::npos) {
                od::raw_json_string consumed;
                check(value.get_raw_json_string().get(consumed), "a string");
                return text_->keep(raw);
            }
        }
        // Escaped (or not a string, which get_string reports).
        std::string_view text;
        check(value.get_string().get(text), "a string");
        return text_->keep(text);
    }

    std::int64_t get_int(od::value value) {
        std::int64_t number = 0;
        check(value.get_int64().get(number), "an integer");
        return number;
    }

    bool get_bool(od::value value) {
        bool flag = false;
        check(value.get_bool().get(flag), "a boolean");
        return flag;
    }

    std::vector<std::string_view> get_string_array(od::value value) {
        std::vector<std::string_view> strings;
        for_each_element(value, [&](od::value element) { strings.push_back(get_string(element)); });
        return strings;
    }

    // The object's text as it appears in the input, validated (see validated_text).
    std::string_view get_raw_object(od::value value) {
        const std::string_view start = value.raw_json_token();
        if (start.empty() || start.front() != '{') check(simdjson::INCORRECT_TYPE, "an object");
        return text_->keep(validated_text(value, start.data()));
    }

    // On-Demand skips a value it is not asked to read without looking inside, so a value kept
    // as raw text or ignored is walked once to validate it, on the structural index that is
    // already built (far cheaper than a second parse). Returns its text, which starts at
    // `begin`.
    std::string_view validated_text(od::value value, const char* begin) {
        const std::string_view token = value.raw_json_token();
        const bool container = !token.empty() && (token.front() == '{' || token.front() == '[');
        validate(value, 0);
        std::string_view text = trim_right(token);
        if (container) {
            // current_location() is the token after the container: trim the whitespace before.
            const char* end = current_location();
            while (end > begin && is_json_space(end[-1])) --end;
            text = {begin, static_cast<std::size_t>(end - begin)};
        }
        if (text.find('\\') != std::string_view::npos && !escapes_are_valid(text)) {
            fail("not valid JSON: a string has an invalid escape sequence");
        }
        return text;
    }

    static bool is_json_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

    // Reads every number and literal below `value` the way a full parse would and checks the
    // nesting, failing on the first malformed value. Strings are left to escapes_are_valid():
    // the structural index has already checked their UTF-8 and control characters.
    void validate(od::value value, int depth) {
        if (depth > kMaxContentDepth) fail("content nested deeper than 1024 levels");
        od::json_type type = od::json_type::null;
        check(value.type().get(type), "");
        switch (type) {
            case od::json_type::object: {
                od::object object;
                check(value.get_object().get(object), "");
                for (auto result : object) {
                    od::field field;
                    check(std::move(result).get(field), "");
                    validate(field.value(), depth + 1);
                }
                break;
            }
            case od::json_type::array: {
                od::array array;
                check(value.get_array().get(array), "");
                for (auto result : array) {
                    od::value element;
                    check(std::move(result).get(element), "");
                    validate(element, depth + 1);
                }
                break;
            }
            // Strings are consumed: simdjson's skipping would take a string followed by ':'
            // for a member name and accept ["k": 1]. Their UTF-8 and quotes were checked by
            // the structural index, their escapes are checked by validated_text().
            case od::json_type::string: {
                od::raw_json_string string;
                check(value.get_raw_json_string().get(string), "");
                break;
            }
            // Other scalars are checked on their token and left for the enclosing object or
            // array to step over, which is cheaper than having simdjson parse them and still
            // checks the separator that follows.
            case od::json_type::number:
                if (!is_json_number(value.raw_json_token())) {
                    fail("not valid JSON: a number is malformed");
                }
                break;
            case od::json_type::boolean:
            case od::json_type::null: {
                const std::string_view literal = trim_right(value.raw_json_token());
                if (literal != "true" && literal != "false" && literal != "null") {
                    fail(kMisspeltLiteral);
                }
                break;
            }
        }
    }

    // RFC 8259's number grammar, for the numbers simdjson cannot represent. `token` runs to the
    // next structural character, so trailing whitespace is allowed.
    static std::string_view trim_right(std::string_view token) {
        while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
        return token;
    }

    static bool is_json_number(std::string_view token) {
        token = trim_right(token);
        std::size_t at = 0;
        const auto digits = [&] {
            const std::size_t start = at;
            while (at < token.size() && token[at] >= '0' && token[at] <= '9') ++at;
            return at - start;
        };
        if (at < token.size() && token[at] == '-') ++at;
        if (at < token.size() && token[at] == '0') {
            ++at;
        } else if (digits() == 0) {
            return false;
        }
        if (at < token.size() && token[at] == '.') {
            ++at;
            if (digits() == 0) return false;
        }
        if (at < token.size() && (token[at] == 'e' || token[at] == 'E')) {
            ++at;
            if (at < token.size() && (token[at] == '+' || token[at] == '-')) ++at;
            if (digits() == 0) return false;
        }
        return at == token.size();
    }

    static int hex_value(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // The code unit of the \uXXXX escape at `at` (which points at the backslash), or -1.
    static long utf16_escape(std::string_view text, std::size_t at) {
        if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
        long unit = 0;
        for (std::size_t i = at + 2; i < at + 6; ++i) {
            const int digit = hex_value(text[i]);
            if (digit < 0) return -1;
            unit = unit * 16 + digit;
        }
        return unit;
    }

    // Every backslash in a validated object's text is inside a string (anywhere else the walk
    // refuses it), so checking the escapes in place needs no string boundaries. Surrogates
    // must pair up, as simdjson requires when it unescapes.
    static bool escapes_are_valid(std::string_view text) {
        std::size_t at = text.find('\\');
        while (at != std::string_view::npos) {
            if (at + 1 >= text.size()) return false;
            const char kind = text[at + 1];
            std::size_t next = at + 2;
            if (kind == 'u') {
                const long unit = utf16_escape(text, at);
                if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
                next = at + 6;
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    const long low = utf16_escape(text, next);
                    if (low < 0xDC00 || low > 0xDFFF) return false;
                    next += 6;
                }
            } else if (std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos) {
                return false;
            }
            at = text.find('\\', next);
        }
        return true;
    }

    // The fields of an event the model keeps, and their names.
    enum class EventField {
        type,
        sender,
        state_key,
        content,
        event_id,
        origin_server_ts,
        unsigned_data,
        other
    };
    static constexpr std::array<std::string_view, 7> kEventFieldNames = {
        "type", "sender", "state_key", "content", "event_id", "origin_server_ts", "unsigned"};

    // Matches the raw name in place (it ends at its closing quote; the input's padding makes
    // reading past it safe), with comparisons sized at compile time: a couple of loads each.
    static EventField match_raw_event_field(const char* raw) {
        const auto is = [raw]<std::size_t N>(const char(&name)[N]) {
            return std::memcmp(raw, name, N - 1) == 0 && raw[N - 1] == '"';
        };
        switch (raw[0]) {
            case 't':
                if (is("type")) return EventField::type;
                break;
            case 's':
                if (is("sender")) return EventField::sender;
                if (is("state_key")) return EventField::state_key;
                break;
            case 'c':
                if (is("content")) return EventField::content;
                break;
            case 'e':
                if (is("event_id")) return EventField::event_id;
                break;
            case 'o':
                if (is("origin_server_ts")) return EventField::origin_server_ts;
                break;
            case 'u':
                if (is("unsigned")) return EventField::unsigned_data;
                break;
            default:
                break;
        }
        return EventField::other;
    }

    // For names the raw match missed, which may still be a known name spelled with escapes.
    static EventField match_event_field(std::string_view name) {
        for (std::size_t i = 0; i < kEventFieldNames.size(); ++i) {
            if (kEventFieldNames[i] == name) return static_cast<EventField>(i);
        }
        return EventField::other;
    }

    void decode_event(od::value value, bool stripped, Event& event) {
        bool have_type = false;
        for (auto result : get_object(value)) {
            od::field field;
            check(std::move(result).get(field), "");
            EventField which = match_raw_event_field(field.key().raw());
            std::string_view name;
            if (which == EventField::other) {
                name = field_name(field);
                which = match_event_field(name);
            } else {
                name = kEventFieldNames[static_cast<std::size_t>(which)];
            }
            // Stripped state carries only type, sender, state_key and content.
            const bool kept = !stripped || which == EventField::type ||
                              which == EventField::sender || which == EventField::state_key ||
                              which == EventField::content;
            const auto scope = enter_key(name);
            od::value v = field.value();
            switch (kept ? which : EventField::other) {
                case EventField::type:
                    event.type = get_string(v);
                    have_type = true;
                    break;
                case EventField::sender:
                    event.sender = get_string(v);
                    break;
                case EventField::state_key:
                    event.state_key = get_string(v);
                    break;
                case EventField::content:
                    event.content_json = get_raw_object(v);
                    break;
                case EventField::event_id:
                    event.event_id = get_string(v);
                    break;
                case EventField::origin_server_ts:
                    event.origin_server_ts = get_int(v);
                    break;
                case EventField::unsigned_data:
                    event.unsigned_json = get_raw_object(v);
                    break;
                case EventField::other:
                    static_cast<void>(validated_text(v, v.raw_json_token().data()));
                    break;
            }
        }
        if (!have_type) {
            const auto scope = enter_key("type");
            fail("missing required string");
        }
    }

    // Events are decoded into a scratch list that keeps its capacity across lists and
    // responses, then copied out at their exact count: one allocation per list instead of a
    // growth step every doubling. (Events never nest, so one scratch list is enough.)
    std::vector<Event> get_events(od::value value, bool stripped) {
        static_assert(std::is_trivially_copyable_v<Event>, "copied out as a block");
        scratch_events_.clear();
        for_each_element(value, [&](od::value element) {
            decode_event(element, stripped, scratch_events_.emplace_back());
        });
        return {scratch_events_.begin(), scratch_events_.end()};
    }

    // The `{"events": [...]}` wrapper that most event lists in /sync come in.
    std::vector<Event> get_event_container(od::value value, bool stripped) {
        std::vector<Event> events;
        for_each_field(get_object(value), [&](std::string_view key, od::value v) {
            if (key == "events") events = get_events(v, stripped);
        });
        return events;
    }

    Timeline get_timeline(od::value value) {
        Timeline timeline;
        for_each_field(get_object(value), [&](std::string_view key, od::value v) {
            if (key == "events") {
                timeline.events = get_events(v, false);
            } else if (key == "limited") {
                timeline.limited = get_bool(v);
            } else if (key == "prev_batch") {
                timeline.prev_batch = get_string(v);
            }
        });
        return timeline;
    }

    JoinedRoom get_joined_room(od::value value) {
        JoinedRoom room;
        for_each_field(get_object(value), [&](std::string_view key, od::value v) {
            if (key == "timeline") {
                room.timeline = get_timeline(v);
            } else if (key == "state") {
                room.state = get_event_container(v, false);
            } else if (key == "ephemeral") {
                room.ephemeral = get_event_container(v, false);
            } else if (key == "account_data") {
                room.account_data = get_event_container(v, false);
            } else if (key == "unread_notifications") {
                for_each_field(get_object(v), [&](std::string_view k, od::value n) {
                    if (k == "highlight_count")
                        room.unread_notifications.highlight_count = get_int(n);
                    if (k == "notification_count") {
                        room.unread_notifications.notification_count = get_int(n);
                    }
                });
            } else if (key == "summary") {
                for_each_field(get_object(v), [&](std::string_view k, od::value s) {
                    if (k == "m.heroes") room.summary.heroes = get_string_array(s);
                    if (k == "m.joined_member_count") room.summary.joined_member_count = get_int(s);
                    if (k == "m.invited_member_count") {
                        room.summary.invited_member_count = get_int(s);
                    }
                });
            }
        });
        return room;
    }

    LeftRoom get_left_room(od::value value) {
        LeftRoom room;
        for_each_field(get_object(value), [&](std::string_view key, od::value v) {
            if (key == "timeline") {
                room.timeline = get_timeline(v);
            } else if (key == "state") {
                room.state = get_event_container(v, false);
            } else if (key == "account_data") {
                room.account_data = get_event_container(v, false);
            }
        });
        return room;
    }

    void decode_rooms(od::value value, SyncResponse& response) {
        for_each_field(get_object(value), [&](std::string_view section, od::value rooms) {
            if (section == "join") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    response.join.emplace_back(text_->keep(id), get_joined_room(room));
                });
            } else if (section == "invite") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    InvitedRoom invited;
                    for_each_field(get_object(room), [&](std::string_view key, od::value v) {
                        if (key == "invite_state")
                            invited.invite_state = get_event_container(v, true);
                    });
                    response.invite.emplace_back(text_->keep(id), std::move(invited));
                });
            } else if (section == "leave") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    response.leave.emplace_back(text_->keep(id), get_left_room(room));
                });
            } else if (section == "knock") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    KnockedRoom knocked;
                    for_each_field(get_object(room), [&](std::string_view key, od::value v) {
                        if (key == "knock_state")
                            knocked.knock_state = get_event_container(v, true);
                    });
                    response.knock.emplace_back(text_->keep(id), std::move(knocked));
                });
            }
        });
    }

    static constexpr int kMaxContentDepth = 1024;
    static constexpr const char* kMisspeltLiteral = "not valid JSON: expected true, false or null";

    od::parser parser_;
    od::document* document_ = nullptr;
    PathStack path_;
    std::vector<Event> scratch_events_;
    TextArena* text_ = nullptr;
};

}  // namespace detail

Decoder::Decoder() : impl_(std::make_unique<detail::OnDemandDecoder>()) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

SyncResponse Decoder::decode(std::string_view json) {
    // The parser reads up to SIMDJSON_PADDING bytes past the end, which a string_view does not
    // promise, so the input goes into a buffer that has them. resize() only allocates when
    // this body is larger than every earlier one.
    padded_.resize(json.size() + simdjson::SIMDJSON_PADDING);
    if (!json.empty()) std::memcpy(padded_.data(), json.data(), json.size());
    return impl_->decode(padded_.data(), json.size(), padded_.size());
}

SyncResponse Decoder::decode_in_place(std::string& body) {
    if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
        body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    }
    return impl_->decode(body.data(), body.size(), body.capacity());
}

std::string_view Decoder::instruction_set() {
    return simdjson::get_active_implementation()->name();
}

SyncResponse decode(std::string_view json) { return Decoder().decode(json); }

}  // namespace matrix::sync
