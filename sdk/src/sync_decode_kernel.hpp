// The /sync decoder's body, compiled once per instruction set (see sync_decode_portable.cpp and
// sync_decode_avx2.cpp): simdjson's On-Demand API picks its SIMD kernel at compile time, so
// each translation unit includes this file with its own flags and its own namespace, and
// Decoder (sync_decoder.cpp) chooses one at run time.
//
// Before including: define MATRIX_SYNC_KERNEL_NAMESPACE (a namespace name unique to the
// translation unit) and include <simdjson.h>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/sync.hpp"
#include "sync_decode_kernel_interface.hpp"

namespace matrix::sync::MATRIX_SYNC_KERNEL_NAMESPACE {

namespace od = simdjson::ondemand;

using detail::PathStep;

class OnDemandKernel final : public detail::DecodeKernel {
  public:
    std::string_view name() const noexcept override { return kKernelName; }

    SyncResponse decode(const char* data, std::size_t length, std::size_t capacity) override {
        path_.clear();
        od::document doc;
        check(parser_.iterate(data, length, capacity).get(doc), "");
        od::object top;
        check(doc.get_object().get(top), "an object");

        SyncResponse response;
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
                    response.device_one_time_keys_count.emplace_back(std::string(k), get_int(v));
                });
            }
        });
        // Trailing bytes after the top-level object mean the body is not one JSON value.
        // simdjson 3.0 has no document::at_end(); current_location() is OUT_OF_BOUNDS there.
        if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
            fail("unexpected content after the top-level object");
        }
        if (!have_next_batch) {
            path_.push_back({"next_batch"});
            fail("missing required string");
        }
        return response;
    }

  private:
    static constexpr std::string_view kKernelName = MATRIX_SYNC_KERNEL_NAME;

    // Pops the step pushed on entry when a nested value has been decoded.
    class StepScope {
      public:
        explicit StepScope(std::vector<PathStep>& path) : path_(path) {}
        StepScope(const StepScope&) = delete;
        StepScope& operator=(const StepScope&) = delete;
        ~StepScope() { path_.pop_back(); }

      private:
        std::vector<PathStep>& path_;
    };

    [[nodiscard]] StepScope enter_key(std::string_view key) {
        path_.push_back({key});
        return StepScope(path_);
    }

    [[nodiscard]] StepScope enter_index(std::size_t index) {
        path_.push_back({{}, index, true});
        return StepScope(path_);
    }

    [[noreturn]] void fail(const std::string& reason) {
        throw SyncDecodeError(detail::spell_json_path(path_.data(), path_.size()), reason);
    }

    // `expected` names the wanted type, for the message when the value has another one.
    void check(simdjson::error_code error, const char* expected) {
        if (error == simdjson::SUCCESS) [[likely]]
            return;
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
            std::string_view key;
            check(field.unescaped_key().get(key), "");
            const auto scope = enter_key(key);
            handle(key, field.value());
        }
    }

    template <typename F>
    void for_each_element(od::value value, F&& handle) {
        od::array array;
        check(value.get_array().get(array), "an array");
        path_.push_back({{}, 0, true});
        const StepScope scope(path_);
        for (auto result : array) {
            od::value element;
            check(std::move(result).get(element), "");
            handle(element);
            ++path_.back().index;
        }
    }

    od::object get_object(od::value value) {
        od::object object;
        check(value.get_object().get(object), "an object");
        return object;
    }

    std::string get_string(od::value value) {
        std::string_view text;
        check(value.get_string().get(text), "a string");
        return std::string(text);
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

    std::vector<std::string> get_string_array(od::value value) {
        std::vector<std::string> strings;
        for_each_element(value, [&](od::value element) { strings.push_back(get_string(element)); });
        return strings;
    }

    // The object's text as it appears in the input. On-Demand skips it without checking its
    // scalars, so a full DOM parse validates it before it is handed out as JSON.
    std::string get_raw_object(od::value value) {
        od::object object = get_object(value);
        std::string_view raw;
        check(object.raw_json().get(raw), "");
        // `raw` points into the padded input, so the padding the DOM parser reads is there.
        const auto error = validator_.parse(raw.data(), raw.size(), false).error();
        if (error != simdjson::SUCCESS) {
            fail(std::string("not valid JSON: ") + simdjson::error_message(error));
        }
        return std::string(raw);
    }

    Event get_event(od::value value, bool stripped) {
        Event event;
        bool have_type = false;
        for_each_field(get_object(value), [&](std::string_view key, od::value v) {
            if (key == "type") {
                event.type = get_string(v);
                have_type = true;
            } else if (key == "sender") {
                event.sender = get_string(v);
            } else if (key == "state_key") {
                event.state_key = get_string(v);
            } else if (key == "content") {
                event.content_json = get_raw_object(v);
            } else if (stripped) {
                // Stripped state carries only type, sender, state_key and content.
            } else if (key == "event_id") {
                event.event_id = get_string(v);
            } else if (key == "origin_server_ts") {
                event.origin_server_ts = get_int(v);
            } else if (key == "unsigned") {
                event.unsigned_json = get_raw_object(v);
            }
        });
        if (!have_type) {
            const auto scope = enter_key("type");
            fail("missing required string");
        }
        return event;
    }

    std::vector<Event> get_events(od::value value, bool stripped) {
        std::vector<Event> events;
        for_each_element(
            value, [&](od::value element) { events.push_back(get_event(element, stripped)); });
        return events;
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
                    response.join.emplace_back(std::string(id), get_joined_room(room));
                });
            } else if (section == "invite") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    InvitedRoom invited;
                    for_each_field(get_object(room), [&](std::string_view key, od::value v) {
                        if (key == "invite_state")
                            invited.invite_state = get_event_container(v, true);
                    });
                    response.invite.emplace_back(std::string(id), std::move(invited));
                });
            } else if (section == "leave") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    response.leave.emplace_back(std::string(id), get_left_room(room));
                });
            } else if (section == "knock") {
                for_each_field(get_object(rooms), [&](std::string_view id, od::value room) {
                    KnockedRoom knocked;
                    for_each_field(get_object(room), [&](std::string_view key, od::value v) {
                        if (key == "knock_state")
                            knocked.knock_state = get_event_container(v, true);
                    });
                    response.knock.emplace_back(std::string(id), std::move(knocked));
                });
            }
        });
    }

    od::parser parser_;
    simdjson::dom::parser validator_;
    std::vector<PathStep> path_;
};

}  // namespace matrix::sync::MATRIX_SYNC_KERNEL_NAMESPACE
