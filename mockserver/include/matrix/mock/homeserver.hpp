// The mock Matrix homeserver: in-process from a test (own ephemeral port) or behind the
// matrix-mockserver binary. Records every request in its journal and answers from stubs.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/mock_builder.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/registry.hpp"
#include "matrix/mock/simulation.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

struct MockHomeserverOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    // The journal keeps the newest requests within both bounds: a count and bytes (bodies,
    // headers and targets, as footprint() counts them).
    std::size_t journal_capacity = Journal::kDefaultCapacity;
    std::size_t journal_max_bytes = Journal::kDefaultMaxBytes;
    // Threads running stubs, the simulation and the admin API. No request keeps one while it
    // waits (a held /sync, an admin wait, a stub's delay), so a few serve any number of
    // connections.
    std::size_t worker_threads = 4;
    // Event loops reading and writing connections (epoll). Two, because answering thousands
    // of held syncs at once is mostly the kernel's send path, which two loops share
    // (bench/RESULTS.md: 10,000 held syncs answered in 17-20 us each, against 25-30 with one).
    std::size_t io_threads = 2;
    // Open connections served at once; a connection past it gets 429 M_LIMIT_EXCEEDED (with
    // retry_after_ms and Retry-After) for its first request and is closed, and is counted in
    // GET /__admin/health. Lowered to fit the process's open-file limit (RLIMIT_NOFILE).
    std::size_t max_connections = 20'000;
    bool admin_api = true;
    // Admin requests are answered only from loopback clients unless this is set to an
    // address the admin API may also be reached from ("0.0.0.0" or "::" allows any).
    std::string admin_host = "127.0.0.1";
    // How long a connection may sit silent mid-request before it is closed.
    std::chrono::milliseconds read_timeout{30'000};
    // How long an idle connection is kept between requests.
    std::chrono::milliseconds keep_alive_timeout{5'000};
    // How long a client may leave an answer unread before its connection is closed.
    std::chrono::milliseconds write_timeout{30'000};
    // Larger request bodies get 413 M_TOO_LARGE without being read.
    std::size_t max_body_bytes = 32 * 1024 * 1024;
    // Answer what no stub matches from an in-memory homeserver (off in-process unless asked;
    // the standalone binary turns it on).
    bool simulation = false;
    // Initialized, so that MockHomeserverOptions{.simulation = true} builds warning-free.
    SimulationOptions simulation_options{};
    // Check every request against its spec operation (matrix::validate_request()) and record
    // the violations and the path verdict in its journal entry.
    bool validate_requests = true;
    // Answer a request that violates the spec with the Matrix error a homeserver would give
    // (401 M_MISSING_TOKEN, 400 M_NOT_JSON, M_MISSING_PARAM, M_BAD_JSON, M_INVALID_PARAM),
    // naming the culprit, instead of serving it from a stub or the simulation. Needs
    // validate_requests.
    bool strict_spec = false;
    // The mappings folder: where bodyFileName is looked up and POST /__admin/mappings/save
    // writes the admin-added stubs. Nothing is loaded from it (load_mappings() does that, and
    // sets it when it is empty); "" for none.
    std::string mappings_dir{};
    // Forward what no stub matches to this homeserver (http://HOST[:PORT][/PREFIX]; https is
    // refused) and answer with its response; the simulation is then not asked. ""
    // for none. docs/record-replay.md.
    std::string proxy_to{};
    // Requests forwarded at once, each on a thread of its own (a /sync held upstream keeps
    // one); up to 1024 more wait for one.
    std::size_t proxy_threads = 16;
    // With proxy_to: write each proxied exchange into this folder as a mapping file, secrets
    // replaced by placeholders and ids by pseudonyms, for `--no-simulation --mappings DIR` to
    // replay. Created when missing; must not already hold *.json files. "" for none.
    std::string record_dir{};
};

// Whether POST /__admin/mappings/save may write into a folder load_mappings() reads.
enum class MappingsFolder { writable, read_only };

// Thrown when the server cannot start: the port is taken, the host is not an address here.
class StartError : public StandardError<std::runtime_error> {
  public:
    using StandardError::StandardError;
};

class MockHomeserver;

// A stub added through the in-process API: on() mounts 200 {} at once, and each call changes
// the mounted stub in place (its admin API copy follows). To mount a stub only once it is
// complete, build it with mock() instead.
class StubHandle {
  public:
    StubHandle(MockHomeserver& server, std::string id) : server_(&server), id_(std::move(id)) {}

    StubHandle& respond(ResponseDefinition response);  // replaces any earlier responses
    StubHandle& respond_json(int status, const Json& body);
    StubHandle& respond_json(int status, std::string_view json_text);
    StubHandle& respond_error(std::string_view errcode, std::string_view error = {});
    StubHandle& then_respond(ResponseDefinition response);  // appends to the sequence
    StubHandle& times(std::size_t n);                       // verify() expects exactly n uses
    StubHandle& max_uses(std::size_t n);                    // stops matching after n uses
    StubHandle& priority(int priority);                     // lower wins
    StubHandle& with_query(std::string_view name, ValueMatcher matcher);
    StubHandle& with_header(std::string_view name, ValueMatcher matcher);
    StubHandle& with_body(BodyPattern pattern);

    const std::string& id() const noexcept { return id_; }
    std::size_t uses() const;

  private:
    MockHomeserver* server_;
    std::string id_;
};

class VerificationError : public StandardError<std::runtime_error> {
  public:
    using StandardError::StandardError;
};

class MockHomeserver {
  public:
    // Starts listening at once; throws StartError when it cannot.
    explicit MockHomeserver(MockHomeserverOptions options = {});
    ~MockHomeserver();
    MockHomeserver(const MockHomeserver&) = delete;
    MockHomeserver& operator=(const MockHomeserver&) = delete;

    std::string url() const;  // http://HOST:PORT
    int port() const;
    // The open connections served at once: max_connections, or less to fit the open-file limit.
    std::size_t connection_limit() const;

    // A stub answering 200 {} until told otherwise: by SDK endpoint name (every path version
    // of it), or by pattern.
    StubHandle on(std::string_view endpoint);
    StubHandle on(RequestPattern pattern);

    // A typed mock (mock_builder.hpp), built completely before mount() adds it: by endpoint
    // constant (every path version of it; a misspelt name does not compile), or by pattern.
    //   auto guard = hs.mock(endpoints::whoami).ok(body).expect(exactly(1)).mount();
    MockBuilder mock(EndpointName endpoint);
    MockBuilder mock(RequestPattern pattern);

    // Adds a mapping in WireMock JSON; returns its id. Throws MappingError.
    std::string add_mapping(std::string_view json);
    // Loads every *.json in `dir` as start-up mappings (kept across reset()). Unless read_only
    // (shipped fixtures), it becomes the folder POST /__admin/mappings/save writes to when
    // options.mappings_dir named none.
    void load_mappings(const std::string& dir, MappingsFolder folder = MappingsFolder::writable);

    // Throws VerificationError naming every stub whose .times(n) was not met exactly.
    void verify() const;

    // Clears the journal and removes the stubs not loaded from files.
    void reset();

    void stop();  // idempotent; the destructor calls it

    Journal& journal() noexcept;
    const Journal& journal() const noexcept;
    StubRegistry& stubs() noexcept;
    // The simulation, or nullptr when options.simulation is off.
    Simulation* simulation() noexcept;
    // Expires when this server is destroyed, so that a MockGuard outliving it reports the
    // mistake instead of reaching into freed memory.
    std::weak_ptr<const void> lifetime() const noexcept;

    // --- typed seeding (docs/seeding.md) ---------------------------------------------------
    // Forward to simulation(): users, rooms and events made directly, no JSON. Each throws
    // SeedError when refused, and when the simulation is off (it is off in-process unless
    // MockHomeserverOptions{.simulation = true}).
    // A new user and a logged-in device: hs.add_user("alice", "secret").access_token.
    Session add_user(std::string_view name, std::string_view password,
                     SeedUserOptions options = {});
    std::string create_room(std::string_view creator, const SeedRoomOptions& options = {});
    std::string create_room(const Session& creator, const SeedRoomOptions& options = {});
    std::string send(std::string_view room_id, std::string_view sender, std::string_view text);
    std::string inject_event(std::string_view room_id, std::string_view sender,
                             std::string_view type, const Json& content,
                             std::optional<std::string> state_key = {});
    // --- end of typed seeding ---------------------------------------------------------------

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace matrix::mock
