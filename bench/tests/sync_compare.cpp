// Field-by-field comparison of decoded /sync responses, naming the first difference.
#include "sync_compare.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matrix::bench::testing {

namespace {

using namespace matrix::sync;

std::string quoted(std::string_view text) {
    // Long raw JSON is cut so a failure message stays readable.
    constexpr std::size_t kMax = 200;
    if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
    return "\"" + std::string(text.substr(0, kMax)) + "...\" (" + std::to_string(text.size()) +
           " bytes)";
}

class Differ {
  public:
    explicit Differ(RawJson raw) : raw_(raw) {}

    std::optional<std::string> difference;

    void compare(const SyncResponse& a, const SyncResponse& b) {
        value("next_batch", a.next_batch, b.next_batch);
        pairs("join", a.join, b.join, [&](const JoinedRoom& x, const JoinedRoom& y) {
            timeline("timeline", x.timeline, y.timeline);
            events("state", x.state, y.state);
            events("ephemeral", x.ephemeral, y.ephemeral);
            events("account_data", x.account_data, y.account_data);
            value("unread_notifications.highlight_count", x.unread_notifications.highlight_count,
                  y.unread_notifications.highlight_count);
            value("unread_notifications.notification_count",
                  x.unread_notifications.notification_count,
                  y.unread_notifications.notification_count);
            strings("summary.heroes", x.summary.heroes, y.summary.heroes);
            optional("summary.joined_member_count", x.summary.joined_member_count,
                     y.summary.joined_member_count);
            optional("summary.invited_member_count", x.summary.invited_member_count,
                     y.summary.invited_member_count);
        });
        pairs("invite", a.invite, b.invite, [&](const InvitedRoom& x, const InvitedRoom& y) {
            events("invite_state", x.invite_state, y.invite_state);
        });
        pairs("leave", a.leave, b.leave, [&](const LeftRoom& x, const LeftRoom& y) {
            timeline("timeline", x.timeline, y.timeline);
            events("state", x.state, y.state);
            events("account_data", x.account_data, y.account_data);
        });
        pairs("knock", a.knock, b.knock, [&](const KnockedRoom& x, const KnockedRoom& y) {
            events("knock_state", x.knock_state, y.knock_state);
        });
        events("presence", a.presence, b.presence);
        events("account_data", a.account_data, b.account_data);
        events("to_device", a.to_device, b.to_device);
        strings("device_lists.changed", a.device_lists.changed, b.device_lists.changed);
        strings("device_lists.left", a.device_lists.left, b.device_lists.left);
        pairs("device_one_time_keys_count", a.device_one_time_keys_count,
              b.device_one_time_keys_count, [&](std::int64_t x, std::int64_t y) {
                  if (x != y) note("", std::to_string(x), std::to_string(y));
              });
    }

  private:
    // Records the difference at path_ + "." + field (only the first one counts).
    void note(const std::string& field, const std::string& a, const std::string& b) {
        if (difference) return;
        std::string where = path_;
        if (!field.empty()) where += (where.empty() ? "" : ".") + field;
        difference = where + ": " + a + " != " + b;
    }

    void value(const std::string& field, std::string_view a, std::string_view b) {
        if (a != b) note(field, quoted(a), quoted(b));
    }
    void value(const std::string& field, std::int64_t a, std::int64_t b) {
        if (a != b) note(field, std::to_string(a), std::to_string(b));
    }
    void value(const std::string& field, bool a, bool b) {
        if (a != b) note(field, a ? "true" : "false", b ? "true" : "false");
    }
    template <typename T>
    void optional(const std::string& field, const std::optional<T>& a, const std::optional<T>& b) {
        if (a.has_value() != b.has_value()) {
            note(field, a ? "a value" : "nothing", b ? "a value" : "nothing");
        } else if (a) {
            value(field, *a, *b);
        }
    }

    void raw_json(const std::string& field, std::string_view a, std::string_view b) {
        if (a == b) return;
        if (raw_ == RawJson::same_value && !a.empty() && !b.empty()) {
            const auto x = nlohmann::ordered_json::parse(a, nullptr, false);
            const auto y = nlohmann::ordered_json::parse(b, nullptr, false);
            if (!x.is_discarded() && !y.is_discarded() && x == y) return;
        }
        note(field, quoted(a), quoted(b));
    }

    // Runs `body` with path_ extended by `suffix`.
    template <typename F>
    void nested(const std::string& suffix, F&& body) {
        const std::size_t length = path_.size();
        if (!path_.empty() && suffix.front() != '[') path_ += '.';
        path_ += suffix;
        body();
        path_.resize(length);
    }

    void event(const Event& a, const Event& b) {
        value("type", a.type, b.type);
        value("event_id", a.event_id, b.event_id);
        value("sender", a.sender, b.sender);
        value("origin_server_ts", a.origin_server_ts, b.origin_server_ts);
        optional("state_key", a.state_key, b.state_key);
        raw_json("content_json", a.content_json, b.content_json);
        raw_json("unsigned_json", a.unsigned_json, b.unsigned_json);
    }

    void events(const std::string& field, const std::vector<Event>& a,
                const std::vector<Event>& b) {
        sequence(field, a, b, [&](const Event& x, const Event& y) { event(x, y); });
    }

    void strings(const std::string& field, const std::vector<std::string_view>& a,
                 const std::vector<std::string_view>& b) {
        sequence(field, a, b, [&](std::string_view x, std::string_view y) {
            if (x != y) note("", quoted(x), quoted(y));
        });
    }

    void timeline(const std::string& field, const Timeline& a, const Timeline& b) {
        nested(field, [&] {
            events("events", a.events, b.events);
            value("limited", a.limited, b.limited);
            value("prev_batch", a.prev_batch, b.prev_batch);
        });
    }

    template <typename T, typename F>
    void sequence(const std::string& field, const std::vector<T>& a, const std::vector<T>& b,
                  F&& element) {
        if (a.size() != b.size()) {
            note(field + ".size()", std::to_string(a.size()), std::to_string(b.size()));
            return;
        }
        for (std::size_t i = 0; i < a.size() && !difference; ++i) {
            nested(field,
                   [&] { nested("[" + std::to_string(i) + "]", [&] { element(a[i], b[i]); }); });
        }
    }

    template <typename T, typename F>
    void pairs(const std::string& field, const std::vector<std::pair<std::string_view, T>>& a,
               const std::vector<std::pair<std::string_view, T>>& b, F&& second) {
        sequence(
            field, a, b,
            [&](const std::pair<std::string_view, T>& x, const std::pair<std::string_view, T>& y) {
                value("first", x.first, y.first);
                nested("second", [&] { second(x.second, y.second); });
            });
    }

    RawJson raw_;
    std::string path_;
};

// Tracks member names per open object; nlohmann's SAX interface reports every key as read.
class DuplicateKeyFinder : public nlohmann::json_sax<nlohmann::json> {
  public:
    bool found = false;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        open_.emplace_back();
        return true;
    }
    bool key(string_t& name) override {
        if (!open_.back().insert(name).second) found = true;
        return true;
    }
    bool end_object() override {
        open_.pop_back();
        return true;
    }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    std::vector<std::set<std::string>> open_;
};

}  // namespace

std::optional<std::string> first_difference(const SyncResponse& expected,
                                            const SyncResponse& actual, RawJson raw) {
    Differ differ(raw);
    differ.compare(expected, actual);
    return differ.difference;
}

std::optional<bool> has_duplicate_keys(const std::string& json) {
    DuplicateKeyFinder finder;
    if (!nlohmann::json::sax_parse(json, &finder)) return std::nullopt;
    return finder.found;
}

}  // namespace matrix::bench::testing
