// Seed files (docs/seeding.md): the admin routes' bodies gathered in one document, applied
// through the typed seeding calls so that a file and the routes take the same keys.
#include "matrix/mock/seed_file.hpp"

#include <rapidjson/document.h>

#include <array>
#include <fstream>
#include <sstream>

#include "json_text_dom.hpp"
#include "simulation/seed_bodies.hpp"
#include "simulation/state.hpp"

namespace matrix::mock {

namespace {

using sim::key_path;

inline constexpr std::array<std::string_view, 2> kFileKeys = {"users", "rooms"};
// A message is a text ({sender, body}) or any event (the events route's body).
inline constexpr std::array<std::string_view, 5> kMessageKeys = {"sender", "body", "type",
                                                                 "content", "state_key"};

// Reads one document; every SeedError is reported as "NAME: KEY: reason".
class SeedReader {
  public:
    SeedReader(Simulation& simulation, std::string_view name)
        : simulation_(simulation), name_(name) {}

    std::vector<Session> apply(std::string_view text) {
        rapidjson::Document document;
        if (const std::string failure = matrix::detail::parse_text_dom(text, document);
            !failure.empty()) {
            fail({}, "not valid JSON: " + failure);
        }
        if (!document.IsObject())
            fail({}, "must be a JSON object {\"users\": [...], \"rooms\": [...]}");
        guard({}, [&] { sim::refuse_unknown_keys(document, {}, kFileKeys); });
        std::vector<Session> sessions;
        for_each(document, "users", [&](const rapidjson::Value& user, const std::string& at) {
            guard(at, [&] {
                const sim::SeedUserBody body = sim::read_seed_user(user);
                sessions.push_back(
                    simulation_.add_user(body.username, body.password, body.options));
            });
        });
        for_each(document, "rooms",
                 [&](const rapidjson::Value& room, const std::string& at) { add_room(room, at); });
        return sessions;
    }

  private:
    [[noreturn]] void fail(const std::string& key, const std::string& reason) const {
        throw SeedFileError(name_ + ": " + (key.empty() ? "" : key + ": ") + reason);
    }

    // Runs a seeding step whose SeedError keys are relative to `at`.
    template <typename Step>
    void guard(const std::string& at, Step&& step) const {
        try {
            step();
        } catch (const SeedError& refused) {
            fail(key_path(at, refused.key()), refused.reason());
        }
    }

    template <typename Visit>
    void for_each(const rapidjson::Value& document, const char* key, Visit&& visit) const {
        const auto it = document.FindMember(key);
        if (it == document.MemberEnd()) return;
        if (!it->value.IsArray()) fail(key, "must be an array of objects");
        for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
            const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
            if (!it->value[i].IsObject()) fail(at, "must be an object");
            visit(it->value[i], at);
        }
    }

    void add_room(const rapidjson::Value& room, const std::string& at) {
        std::vector<std::string_view> known(sim::kSeedRoomKeys.begin(), sim::kSeedRoomKeys.end());
        known.push_back("messages");
        std::string room_id;
        guard(at, [&] {
            const sim::SeedRoomBody body = sim::read_seed_room(room, {}, known);
            room_id = simulation_.create_room(body.creator, body.options);
        });
        for_each(room, "messages", [&](const rapidjson::Value& message, const std::string& key) {
            guard(key_path(at, key), [&] { add_message(room_id, message); });
        });
    }

    void add_message(const std::string& room_id, const rapidjson::Value& message) {
        sim::refuse_unknown_keys(message, {}, kMessageKeys);
        if (message.HasMember("body")) {
            for (const char* key : {"type", "content", "state_key"}) {
                if (message.HasMember(key)) {
                    throw SeedError(key,
                                    "goes with an event, not with \"body\" (a text message "
                                    "takes sender and body only)");
                }
            }
            const auto text = [&](const char* key) {
                const auto it = message.FindMember(key);
                if (it == message.MemberEnd() || !sim::is_client_string(it->value)) {
                    throw SeedError(key, "must be a string");
                }
                return std::string(it->value.GetString(), it->value.GetStringLength());
            };
            simulation_.send(room_id, text("sender"), text("body"));
            return;
        }
        const sim::SeedEventBody event = sim::read_seed_event(message);
        simulation_.inject_event(room_id, event.sender, event.type,
                                 Json::from_trusted_text(event.content, Json::Kind::object),
                                 event.state_key);
    }

    Simulation& simulation_;
    std::string name_;
};

}  // namespace

std::vector<Session> seed_from_text(Simulation& simulation, std::string_view text,
                                    std::string_view name) {
    return SeedReader(simulation, name).apply(text);
}

std::vector<Session> seed_from_file(Simulation& simulation, const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw SeedFileError(file.string() + ": cannot be read (does it exist?)");
    std::stringstream text;
    text << in.rdbuf();
    return seed_from_text(simulation, text.str(), file.string());
}

}  // namespace matrix::mock
