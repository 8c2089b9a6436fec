// Generates seeded, spec-shaped /sync responses (matrix/testing/sync_corpus.hpp) with
// RapidJSON's Writer.
#include "matrix/testing/sync_corpus.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "matrix/testing/seeded_random.hpp"

namespace matrix::sync {

namespace {

// The seeded generator plus the picks the corpus needs.
class Rng : public SeededRandom {
  public:
    using SeededRandom::SeededRandom;

    std::size_t between(std::size_t low, std::size_t high) { return low + below(high - low + 1); }
    bool percent(std::size_t p) { return below(100) < p; }

    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[below(N)];
    }
    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }
};

constexpr std::array<std::string_view, 8> kServers = {"matrix.org",  "example.com", "kde.org",
                                                      "mozilla.org", "fosdem.org",  "gnome.org",
                                                      "tchncs.de",   "envs.net"};

constexpr std::array<std::string_view, 24> kLocalparts = {
    "alice", "bob",    "carol",   "dave", "erin",   "frank", "grace",  "heidi",
    "ivan",  "judy",   "mallory", "niaj", "olivia", "peggy", "rupert", "sybil",
    "trent", "victor", "walter",  "yuki", "zoe",    "amir",  "bao",    "chen"};

// Display names cover accents, CJK, Cyrillic, RTL scripts and emoji.
constexpr std::array<std::string_view, 16> kDisplayNames = {
    "Alice",  "Bob B.", "Zoë Müller", "José Núñez",   "李雷",    "山田太郎",
    "Миша",   "محمد",   "שרה",        "🦊 fox",     "Chloé 🎉", "Ólafur",
    "김민준", "Ελένη",  "Bjørn",      "D'Arcy \"DJ\""};

constexpr std::array<std::string_view, 64> kWords = {
    "the",       "matrix",  "room",       "message",    "server",  "client",  "sync",   "event",
    "today",     "meeting", "release",    "build",      "test",    "review",  "deploy", "please",
    "thanks",    "agree",   "merge",      "branch",     "issue",   "fixed",   "broken", "again",
    "tomorrow",  "lunch",   "coffee",     "update",     "version", "keys",    "device", "verify",
    "encrypted", "bridge",  "homeserver", "federation", "latency", "is",      "a",      "we",
    "should",    "could",   "maybe",      "never",      "always",  "works",   "now",    "here",
    "there",     "with",    "without",    "before",     "after",   "because", "and",    "or",
    "but",       "not",     "very",       "quite",      "slow",    "fast",    "good",   "bad"};

// Phrases in other scripts, mixed into message bodies.
constexpr std::array<std::string_view, 14> kUnicodePhrases = {
    "café crème",   "naïve façade",  "日本語のテキストです",
    "中文消息测试", "한국어 메시지", "😀🎉👍🔥",
    "שלום עולם",    "مرحبا بالعالم", "Ελληνικά γράμματα",
    "Привет, мир",  "ñandú señor",   "👨‍👩‍👧‍👦 family",
    "straße ß",     "ไทย ภาษา"};

// Bodies that need JSON escapes: quotes, backslashes, newlines and tabs.
constexpr std::array<std::string_view, 6> kEscapedBodies = {
    "He said \"hello\" and left",
    "path is C:\\Users\\matrix\\sync.json",
    "line one\nline two\nline three",
    "col1\tcol2\tcol3",
    "```\nint main() {\n\treturn \"\\n\";\n}\n```",
    "quote: \"a\\b\" \\\\ done"};

constexpr std::array<std::string_view, 8> kReactionKeys = {"👍", "❤️", "😂",  "🎉",
                                                           "👀", "🚀",      "+1", "✅"};

constexpr std::array<std::string_view, 6> kImageNames = {
    "photo.jpg", "screenshot.png", "IMG_2041.jpg", "diagram.png", "cat.gif", "Übersicht.png"};

constexpr char kIdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Shared by every room: the users who appear, and the user the response is for.
struct Cast {
    std::vector<std::string> users;
    std::string me;
};

class CorpusWriter {
  public:
    CorpusWriter(const CorpusShape& shape, std::uint64_t seed)
        : shape_(shape), rng_(seed), writer_(buffer_) {}

    std::string generate() {
        make_cast();
        writer_.StartObject();
        string_field("next_batch",
                     "s" + number_id(9) + "_" + number_id(6) + "_0_1_" + number_id(4));
        key("rooms");
        writer_.StartObject();
        write_rooms();
        writer_.EndObject();
        write_presence();
        write_account_data();
        write_to_device();
        write_device_lists();
        key("device_one_time_keys_count");
        writer_.StartObject();
        int_field("signed_curve25519", static_cast<std::int64_t>(rng_.between(0, 100)));
        writer_.EndObject();
        key("device_unused_fallback_key_types");
        writer_.StartArray();
        string("signed_curve25519");
        writer_.EndArray();
        writer_.EndObject();
        return {buffer_.GetString(), buffer_.GetSize()};
    }

  private:
    using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

    // ---- primitives -----------------------------------------------------------------------

    void key(std::string_view name) {
        writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    }
    void string(std::string_view text) {
        writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    }
    void string_field(std::string_view name, std::string_view text) {
        key(name);
        string(text);
    }
    void int_field(std::string_view name, std::int64_t value) {
        key(name);
        writer_.Int64(value);
    }
    void bool_field(std::string_view name, bool value) {
        key(name);
        writer_.Bool(value);
    }

    std::string random_id(std::size_t length) {
        std::string id(length, 'A');
        for (char& c : id) c = kIdAlphabet[rng_.below(sizeof kIdAlphabet - 1)];
        return id;
    }
    std::string number_id(std::size_t digits) {
        std::string id(digits, '0');
        for (char& c : id) c = static_cast<char>('0' + rng_.below(10));
        return id;
    }
    std::string event_id() { return "$" + random_id(43); }
    std::string room_id() {
        std::string id = "!";
        for (std::size_t i = 0; i < 18; ++i) id += static_cast<char>('a' + rng_.below(26));
        return id + ":" + std::string(rng_.pick(kServers));
    }
    std::string mxc() { return "mxc://" + std::string(rng_.pick(kServers)) + "/" + random_id(24); }
    const std::string& someone() { return rng_.pick(cast_.users); }

    void make_cast() {
        // Enough users that big corpora do not repeat one sender everywhere; distinct ids.
        const std::size_t count = 16 + shape_.joined_rooms / 2;
        for (std::size_t i = 0; i < count; ++i) {
            std::string user = "@" + std::string(kLocalparts[i % kLocalparts.size()]);
            if (i >= kLocalparts.size()) user += std::to_string(i / kLocalparts.size());
            user += ":" + std::string(kServers[(i * 7 + i / kServers.size()) % kServers.size()]);
            cast_.users.push_back(std::move(user));
        }
        cast_.me = cast_.users[0];
    }

    // ---- text -----------------------------------------------------------------------------

    std::string words(std::size_t low, std::size_t high) {
        std::string text;
        const std::size_t count = rng_.between(low, high);
        for (std::size_t i = 0; i < count; ++i) {
            if (i > 0) text += ' ';
            text += rng_.pick(kWords);
        }
        return text;
    }

    std::string message_body() {
        const std::size_t kind = rng_.below(100);
        if (kind < 55) return words(3, 30);
        if (kind < 75) return words(1, 8) + " " + std::string(rng_.pick(kUnicodePhrases));
        if (kind < 90) return std::string(rng_.pick(kEscapedBodies));
        return words(40, 120);  // the occasional long message
    }

    // ---- events ---------------------------------------------------------------------------

    // Starts an event object with the fields every room event has; the caller writes content
    // and ends the object.
    void begin_room_event(std::string_view type, const std::string& sender, const std::string& id) {
        writer_.StartObject();
        string_field("type", type);
        string_field("event_id", id);
        string_field("sender", sender);
        clock_ += static_cast<std::int64_t>(rng_.between(1000, 600000));
        int_field("origin_server_ts", clock_);
    }

    void write_unsigned(const std::string& sender, bool with_prev_content = false) {
        key("unsigned");
        writer_.StartObject();
        int_field("age", static_cast<std::int64_t>(rng_.between(50, 90000000)));
        if (sender == cast_.me && rng_.percent(60)) {
            string_field("transaction_id", "m" + number_id(13) + "." + number_id(2));
        }
        if (with_prev_content) {
            key("prev_content");
            writer_.StartObject();
            string_field("membership", "invite");
            writer_.EndObject();
        }
        writer_.EndObject();
    }

    void write_message_content(std::string_view msgtype, const std::string& reply_to) {
        key("content");
        writer_.StartObject();
        if (msgtype == "m.image") {
            const std::string_view name = rng_.pick(kImageNames);
            string_field("body", name);
            key("info");
            writer_.StartObject();
            int_field("h", static_cast<std::int64_t>(rng_.between(64, 4000)));
            string_field("mimetype", name.ends_with(".png")   ? "image/png"
                                     : name.ends_with(".gif") ? "image/gif"
                                                              : "image/jpeg");
            int_field("size", static_cast<std::int64_t>(rng_.between(1000, 9000000)));
            int_field("w", static_cast<std::int64_t>(rng_.between(64, 4000)));
            key("thumbnail_info");
            writer_.StartObject();
            int_field("h", 240);
            string_field("mimetype", "image/jpeg");
            int_field("size", static_cast<std::int64_t>(rng_.between(1000, 60000)));
            int_field("w", 320);
            writer_.EndObject();
            string_field("thumbnail_url", mxc());
            writer_.EndObject();
            string_field("msgtype", msgtype);
            string_field("url", mxc());
        } else {
            const std::string body = message_body();
            string_field("body", body);
            if (msgtype == "m.text" && rng_.percent(25)) {
                const std::string& who = someone();
                string_field("format", "org.matrix.custom.html");
                string_field("formatted_body", "<a href=\"https://matrix.to/#/" + who + "\">" +
                                                   who.substr(1, who.find(':') - 1) +
                                                   "</a>: <strong>" + body + "</strong> <em>" +
                                                   words(1, 4) + "</em>");
            }
            string_field("msgtype", msgtype);
        }
        if (!reply_to.empty()) {
            key("m.relates_to");
            writer_.StartObject();
            key("m.in_reply_to");
            writer_.StartObject();
            string_field("event_id", reply_to);
            writer_.EndObject();
            writer_.EndObject();
        }
        writer_.EndObject();
    }

    void write_message(const std::string& reply_to) {
        const std::size_t kind = rng_.below(100);
        const std::string_view msgtype = kind < 75   ? "m.text"
                                         : kind < 85 ? "m.notice"
                                         : kind < 92 ? "m.emote"
                                                     : "m.image";
        const std::string sender = someone();
        const std::string id = event_id();
        begin_room_event("m.room.message", sender, id);
        write_message_content(msgtype, reply_to);
        write_unsigned(sender);
        writer_.EndObject();
        recent_.push_back(id);
    }

    void write_edit(const std::string& target) {
        const std::string sender = someone();
        begin_room_event("m.room.message", sender, event_id());
        key("content");
        writer_.StartObject();
        const std::string body = words(3, 20);
        string_field("body", "* " + body);
        key("m.new_content");
        writer_.StartObject();
        string_field("body", body);
        string_field("msgtype", "m.text");
        writer_.EndObject();
        key("m.relates_to");
        writer_.StartObject();
        string_field("event_id", target);
        string_field("rel_type", "m.replace");
        writer_.EndObject();
        string_field("msgtype", "m.text");
        writer_.EndObject();
        write_unsigned(sender);
        writer_.EndObject();
    }

    void write_reaction(const std::string& target) {
        const std::string sender = someone();
        begin_room_event("m.reaction", sender, event_id());
        key("content");
        writer_.StartObject();
        key("m.relates_to");
        writer_.StartObject();
        string_field("event_id", target);
        string_field("key", rng_.pick(kReactionKeys));
        string_field("rel_type", "m.annotation");
        writer_.EndObject();
        writer_.EndObject();
        write_unsigned(sender);
        writer_.EndObject();
    }

    // The redaction event itself; also written inside unsigned.redacted_because.
    void write_redaction_event(const std::string& sender, const std::string& id,
                               const std::string& target) {
        begin_room_event("m.room.redaction", sender, id);
        key("content");
        writer_.StartObject();
        string_field("reason", words(1, 5));
        string_field("redacts", target);
        writer_.EndObject();
        string_field("redacts", target);
        writer_.EndObject();
    }

    void write_redaction(const std::string& target) {
        write_redaction_event(someone(), event_id(), target);
    }

    // A message already redacted: empty content, and the redaction in unsigned.
    void write_redacted_message() {
        const std::string sender = someone();
        const std::string id = event_id();
        begin_room_event("m.room.message", sender, id);
        key("content");
        writer_.StartObject();
        writer_.EndObject();
        key("unsigned");
        writer_.StartObject();
        int_field("age", static_cast<std::int64_t>(rng_.between(50, 90000000)));
        key("redacted_because");
        write_redaction_event(someone(), event_id(), id);
        writer_.EndObject();
        writer_.EndObject();
    }

    void write_member(const std::string& user, std::string_view membership, bool timeline) {
        const std::string sender = membership == "invite" ? someone() : user;
        begin_room_event("m.room.member", sender, event_id());
        key("content");
        writer_.StartObject();
        if (membership != "leave" && rng_.percent(70)) string_field("avatar_url", mxc());
        if (membership != "leave") string_field("displayname", rng_.pick(kDisplayNames));
        string_field("membership", membership);
        writer_.EndObject();
        string_field("state_key", user);
        write_unsigned(sender, timeline && membership == "join" && rng_.percent(30));
        writer_.EndObject();
    }

    void write_simple_state(std::string_view type, std::string_view content_key,
                            std::string_view content_value) {
        const std::string sender = someone();
        begin_room_event(type, sender, event_id());
        key("content");
        writer_.StartObject();
        string_field(content_key, content_value);
        writer_.EndObject();
        string_field("state_key", "");
        write_unsigned(sender);
        writer_.EndObject();
    }

    void write_create(const std::string& creator) {
        begin_room_event("m.room.create", creator, event_id());
        key("content");
        writer_.StartObject();
        string_field("creator", creator);
        string_field("room_version", rng_.percent(80) ? "10" : "9");
        writer_.EndObject();
        string_field("state_key", "");
        write_unsigned(creator);
        writer_.EndObject();
    }

    void write_power_levels(const std::string& admin) {
        begin_room_event("m.room.power_levels", admin, event_id());
        key("content");
        writer_.StartObject();
        int_field("ban", 50);
        key("events");
        writer_.StartObject();
        int_field("m.room.avatar", 50);
        int_field("m.room.name", 50);
        int_field("m.room.power_levels", 100);
        writer_.EndObject();
        int_field("events_default", 0);
        int_field("invite", 0);
        int_field("kick", 50);
        int_field("redact", 50);
        int_field("state_default", 50);
        key("users");
        writer_.StartObject();
        int_field(admin, 100);
        writer_.EndObject();
        int_field("users_default", 0);
        writer_.EndObject();
        string_field("state_key", "");
        write_unsigned(admin);
        writer_.EndObject();
    }

    // Stripped state (invite_state, knock_state): type, state_key, sender and content only.
    void write_stripped(std::string_view type, const std::string& sender,
                        const std::string& state_key, std::string_view content_key,
                        std::string_view content_value) {
        writer_.StartObject();
        key("content");
        writer_.StartObject();
        string_field(content_key, content_value);
        writer_.EndObject();
        string_field("sender", sender);
        string_field("state_key", state_key);
        string_field("type", type);
        writer_.EndObject();
    }

    // ---- rooms ----------------------------------------------------------------------------

    void write_timeline_event() {
        const std::size_t kind = rng_.below(100);
        const bool has_target = !recent_.empty();
        if (kind < 62 || !has_target) {
            write_message(has_target && rng_.percent(12) ? rng_.pick(recent_) : std::string());
        } else if (kind < 76) {
            write_reaction(rng_.pick(recent_));
        } else if (kind < 80) {
            write_edit(rng_.pick(recent_));
        } else if (kind < 83) {
            write_redaction(rng_.pick(recent_));
        } else if (kind < 87) {
            write_redacted_message();
        } else if (kind < 97) {
            const std::size_t which = rng_.below(10);
            write_member(someone(), which < 6 ? "join" : which < 8 ? "leave" : "invite", true);
        } else {
            write_simple_state("m.room.topic", "topic", words(4, 16));
        }
    }

    void write_timeline(std::size_t events) {
        key("timeline");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        recent_.clear();
        for (std::size_t i = 0; i < events; ++i) write_timeline_event();
        writer_.EndArray();
        bool_field("limited", rng_.percent(70));
        string_field("prev_batch", "t" + number_id(5) + "-" + number_id(9) + "_0_0_0_0_0_0_0_0");
        writer_.EndObject();
    }

    void write_ephemeral() {
        key("ephemeral");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        if (!recent_.empty()) {
            writer_.StartObject();
            key("content");
            writer_.StartObject();
            // The latest events, each once: receipt keys stay unique.
            const std::size_t receipts = std::min(rng_.between(1, 3), recent_.size());
            for (std::size_t i = 0; i < receipts; ++i) {
                key(recent_[recent_.size() - 1 - i]);
                writer_.StartObject();
                key(i % 2 == 0 ? "m.read" : "m.read.private");
                writer_.StartObject();
                // Distinct users within one receipt: keys stay unique.
                key(cast_.users[(i * 2 + 1) % cast_.users.size()]);
                writer_.StartObject();
                if (rng_.percent(30)) string_field("thread_id", "main");
                int_field("ts", clock_ - static_cast<std::int64_t>(rng_.between(0, 500000)));
                writer_.EndObject();
                writer_.EndObject();
                writer_.EndObject();
            }
            writer_.EndObject();
            string_field("type", "m.receipt");
            writer_.EndObject();
        }
        writer_.StartObject();
        key("content");
        writer_.StartObject();
        key("user_ids");
        writer_.StartArray();
        const std::size_t typing = rng_.below(3);
        for (std::size_t i = 0; i < typing; ++i) string(someone());
        writer_.EndArray();
        writer_.EndObject();
        string_field("type", "m.typing");
        writer_.EndObject();
        writer_.EndArray();
        writer_.EndObject();
    }

    void write_room_account_data() {
        key("account_data");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        if (!recent_.empty()) {
            writer_.StartObject();
            key("content");
            writer_.StartObject();
            string_field("event_id", recent_.back());
            writer_.EndObject();
            string_field("type", "m.fully_read");
            writer_.EndObject();
        }
        if (rng_.percent(30)) {
            writer_.StartObject();
            key("content");
            writer_.StartObject();
            key("tags");
            writer_.StartObject();
            key(rng_.percent(50) ? "m.favourite" : "u.work");
            writer_.StartObject();
            writer_.EndObject();
            writer_.EndObject();
            writer_.EndObject();
            string_field("type", "m.tag");
            writer_.EndObject();
        }
        writer_.EndArray();
        writer_.EndObject();
    }

    void write_joined_room() {
        const std::size_t members =
            shape_.mean_state_members == 0 ? 1 : rng_.between(1, 2 * shape_.mean_state_members);
        const std::size_t events = shape_.mean_timeline_events == 0
                                       ? 0
                                       : rng_.between(shape_.mean_timeline_events / 2,
                                                      shape_.mean_timeline_events * 3 / 2);
        // Members are a distinct slice of the cast, so heroes and state keys do not repeat.
        const std::size_t first = rng_.below(cast_.users.size());
        std::vector<std::string> room_members;
        for (std::size_t i = 0; i < members && i < cast_.users.size(); ++i)
            room_members.push_back(cast_.users[(first + i) % cast_.users.size()]);

        writer_.StartObject();
        key("summary");
        writer_.StartObject();
        key("m.heroes");
        writer_.StartArray();
        for (std::size_t i = 0; i < room_members.size() && i < 5; ++i) string(room_members[i]);
        writer_.EndArray();
        int_field("m.invited_member_count", static_cast<std::int64_t>(rng_.below(3)));
        int_field("m.joined_member_count",
                  static_cast<std::int64_t>(room_members.size() + rng_.below(200)));
        writer_.EndObject();

        key("state");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        write_create(room_members.front());
        write_power_levels(room_members.front());
        write_simple_state("m.room.name", "name", words(1, 4));
        write_simple_state("m.room.join_rules", "join_rule",
                           rng_.percent(50) ? "public" : "invite");
        write_simple_state("m.room.history_visibility", "history_visibility", "shared");
        if (rng_.percent(40)) {
            write_simple_state("m.room.encryption", "algorithm", "m.megolm.v1.aes-sha2");
        }
        for (const std::string& member : room_members) write_member(member, "join", false);
        writer_.EndArray();
        writer_.EndObject();

        write_timeline(events);
        write_ephemeral();
        write_room_account_data();

        key("unread_notifications");
        writer_.StartObject();
        int_field("highlight_count", static_cast<std::int64_t>(rng_.below(4)));
        int_field("notification_count", static_cast<std::int64_t>(rng_.below(60)));
        writer_.EndObject();
        writer_.EndObject();
    }

    void write_invited_room() {
        const std::string inviter = someone();
        writer_.StartObject();
        key("invite_state");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        write_stripped("m.room.name", inviter, "", "name", words(1, 4));
        write_stripped("m.room.join_rules", inviter, "", "join_rule", "invite");
        write_stripped("m.room.member", inviter, inviter, "membership", "join");
        write_stripped("m.room.member", inviter, cast_.me, "membership", "invite");
        writer_.EndArray();
        writer_.EndObject();
        writer_.EndObject();
    }

    void write_knocked_room() {
        writer_.StartObject();
        key("knock_state");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        const std::string admin = someone();
        write_stripped("m.room.name", admin, "", "name", words(1, 4));
        write_stripped("m.room.join_rules", admin, "", "join_rule", "knock");
        write_stripped("m.room.member", cast_.me, cast_.me, "membership", "knock");
        writer_.EndArray();
        writer_.EndObject();
        writer_.EndObject();
    }

    void write_left_room() {
        writer_.StartObject();
        key("account_data");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        writer_.EndArray();
        writer_.EndObject();
        key("state");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        write_simple_state("m.room.name", "name", words(1, 4));
        writer_.EndArray();
        writer_.EndObject();
        key("timeline");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        recent_.clear();
        const std::size_t events = rng_.between(0, 4);
        for (std::size_t i = 0; i < events; ++i) write_message(std::string());
        write_member(cast_.me, "leave", true);
        writer_.EndArray();
        bool_field("limited", false);
        string_field("prev_batch", "t" + number_id(5) + "-" + number_id(9) + "_0_0_0_0_0_0_0_0");
        writer_.EndObject();
        writer_.EndObject();
    }

    void write_rooms() {
        key("invite");
        writer_.StartObject();
        for (std::size_t i = 0; i < shape_.invited_rooms; ++i) {
            key(next_room_id());
            write_invited_room();
        }
        writer_.EndObject();
        key("join");
        writer_.StartObject();
        for (std::size_t i = 0; i < shape_.joined_rooms; ++i) {
            key(next_room_id());
            write_joined_room();
        }
        writer_.EndObject();
        key("knock");
        writer_.StartObject();
        for (std::size_t i = 0; i < shape_.knocked_rooms; ++i) {
            key(next_room_id());
            write_knocked_room();
        }
        writer_.EndObject();
        key("leave");
        writer_.StartObject();
        for (std::size_t i = 0; i < shape_.left_rooms; ++i) {
            key(next_room_id());
            write_left_room();
        }
        writer_.EndObject();
    }

    // Room ids are random, and drawn again on the (unlikely) repeat: keys must be unique.
    std::string next_room_id() {
        std::string id = room_id();
        while (!seen_room_ids_.insert(id).second) id = room_id();
        room_ids_.push_back(id);
        return id;
    }

    // ---- top level ------------------------------------------------------------------------

    void write_presence() {
        key("presence");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        const std::size_t count = 2 + shape_.joined_rooms / 10;
        for (std::size_t i = 0; i < count && i < cast_.users.size(); ++i) {
            writer_.StartObject();
            key("content");
            writer_.StartObject();
            string_field("avatar_url", mxc());
            const bool online = rng_.percent(50);
            bool_field("currently_active", online);
            int_field("last_active_ago", static_cast<std::int64_t>(rng_.between(0, 9000000)));
            string_field("presence", online             ? "online"
                                     : rng_.percent(50) ? "unavailable"
                                                        : "offline");
            if (rng_.percent(40)) string_field("status_msg", message_body());
            writer_.EndObject();
            string_field("sender", cast_.users[i]);
            string_field("type", "m.presence");
            writer_.EndObject();
        }
        writer_.EndArray();
        writer_.EndObject();
    }

    void write_push_rule(std::string_view rule_id, std::string_view event_key,
                         std::string_view pattern, bool highlight) {
        writer_.StartObject();
        key("actions");
        writer_.StartArray();
        string("notify");
        writer_.StartObject();
        string_field("set_tweak", "sound");
        string_field("value", "default");
        writer_.EndObject();
        writer_.StartObject();
        string_field("set_tweak", "highlight");
        bool_field("value", highlight);
        writer_.EndObject();
        writer_.EndArray();
        key("conditions");
        writer_.StartArray();
        writer_.StartObject();
        string_field("key", event_key);
        string_field("kind", "event_match");
        string_field("pattern", pattern);
        writer_.EndObject();
        writer_.EndArray();
        bool_field("default", true);
        bool_field("enabled", true);
        string_field("rule_id", rule_id);
        writer_.EndObject();
    }

    void write_account_data() {
        key("account_data");
        writer_.StartObject();
        key("events");
        writer_.StartArray();

        writer_.StartObject();
        key("content");
        writer_.StartObject();
        const std::size_t directs = 1 + shape_.joined_rooms / 20;
        for (std::size_t i = 0; i < directs && i + 1 < cast_.users.size(); ++i) {
            key(cast_.users[i + 1]);
            writer_.StartArray();
            string(rng_.pick(room_ids_));
            writer_.EndArray();
        }
        writer_.EndObject();
        string_field("type", "m.direct");
        writer_.EndObject();

        writer_.StartObject();
        key("content");
        writer_.StartObject();
        key("global");
        writer_.StartObject();
        key("content");
        writer_.StartArray();
        write_push_rule(".m.rule.contains_user_name", "content.body", "alice", true);
        writer_.EndArray();
        key("override");
        writer_.StartArray();
        write_push_rule(".m.rule.suppress_notices", "content.msgtype", "m.notice", false);
        write_push_rule(".m.rule.invite_for_me", "type", "m.room.member", true);
        writer_.EndArray();
        key("underride");
        writer_.StartArray();
        write_push_rule(".m.rule.message", "type", "m.room.message", false);
        write_push_rule(".m.rule.encrypted", "type", "m.room.encrypted", false);
        writer_.EndArray();
        writer_.EndObject();
        writer_.EndObject();
        string_field("type", "m.push_rules");
        writer_.EndObject();

        writer_.EndArray();
        writer_.EndObject();
    }

    void write_to_device() {
        key("to_device");
        writer_.StartObject();
        key("events");
        writer_.StartArray();
        const std::size_t count = 1 + shape_.joined_rooms / 50;
        for (std::size_t i = 0; i < count; ++i) {
            writer_.StartObject();
            key("content");
            writer_.StartObject();
            string_field("algorithm", "m.olm.v1.curve25519-aes-sha2");
            key("ciphertext");
            writer_.StartObject();
            key(random_id(43));
            writer_.StartObject();
            string_field("body", random_id(rng_.between(200, 1200)));
            int_field("type", static_cast<std::int64_t>(rng_.below(2)));
            writer_.EndObject();
            writer_.EndObject();
            string_field("sender_key", random_id(43));
            writer_.EndObject();
            string_field("sender", someone());
            string_field("type", "m.room.encrypted");
            writer_.EndObject();
        }
        writer_.EndArray();
        writer_.EndObject();
    }

    void write_device_lists() {
        key("device_lists");
        writer_.StartObject();
        key("changed");
        writer_.StartArray();
        const std::size_t changed = 1 + shape_.joined_rooms / 25;
        for (std::size_t i = 0; i < changed && i < cast_.users.size(); ++i)
            string(cast_.users[cast_.users.size() - 1 - i]);
        writer_.EndArray();
        key("left");
        writer_.StartArray();
        string(cast_.users[cast_.users.size() / 2]);
        writer_.EndArray();
        writer_.EndObject();
    }

    CorpusShape shape_;
    Rng rng_;
    rapidjson::StringBuffer buffer_;
    Writer writer_;
    Cast cast_;
    std::vector<std::string> room_ids_;
    std::unordered_set<std::string> seen_room_ids_;
    std::vector<std::string> recent_;  // event ids of the current room's messages
    std::int64_t clock_ = 1764219820000;
};

}  // namespace

CorpusShape corpus_shape(CorpusSize size) {
    switch (size) {
        case CorpusSize::small:
            return {.joined_rooms = 16,
                    .invited_rooms = 2,
                    .left_rooms = 2,
                    .knocked_rooms = 1,
                    .mean_timeline_events = 7,
                    .mean_state_members = 3};
        case CorpusSize::medium:
            return {.joined_rooms = 500,
                    .invited_rooms = 20,
                    .left_rooms = 20,
                    .knocked_rooms = 5,
                    .mean_timeline_events = 16,
                    .mean_state_members = 5};
        case CorpusSize::large:
            return {.joined_rooms = 5000,
                    .invited_rooms = 100,
                    .left_rooms = 100,
                    .knocked_rooms = 20,
                    .mean_timeline_events = 16,
                    .mean_state_members = 5};
    }
    throw std::invalid_argument("unknown corpus size");
}

std::string_view corpus_size_name(CorpusSize size) {
    switch (size) {
        case CorpusSize::small:
            return "small";
        case CorpusSize::medium:
            return "medium";
        case CorpusSize::large:
            return "large";
    }
    return "unknown";
}

CorpusSize parse_corpus_size(std::string_view name) {
    for (const CorpusSize size : {CorpusSize::small, CorpusSize::medium, CorpusSize::large}) {
        if (corpus_size_name(size) == name) return size;
    }
    throw std::invalid_argument("unknown corpus size '" + std::string(name) +
                                "' (expected small, medium or large)");
}

std::string generate_sync_response(CorpusSize size, std::uint64_t seed) {
    return generate_sync_response(corpus_shape(size), seed);
}

std::string generate_sync_response(const CorpusShape& shape, std::uint64_t seed) {
    if (shape.joined_rooms == 0) {
        throw std::invalid_argument("a corpus shape needs at least one joined room");
    }
    return CorpusWriter(shape, seed).generate();
}

}  // namespace matrix::sync
