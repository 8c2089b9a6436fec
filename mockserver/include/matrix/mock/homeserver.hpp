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

#include "matrix/json.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/registry.hpp"
#include "matrix/mock/simulation.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

struct MockHomeserverOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    std::size_t journal_capacity = Journal::kDefaultCapacity;
    // One thread per open connection: enough for hundreds of idle or long-polling clients.
    std::size_t worker_threads = 256;
    bool admin_api = true;
    // Admin requests are answered only from loopback clients unless this is set to an
    // address the admin API may also be reached from ("0.0.0.0" or "::" allows any).
    std::string admin_host = "127.0.0.1";
    // How long a connection may sit silent mid-request; each open connection holds a worker
    // thread meanwhile. Milliseconds, so a test or fuzz server can make it short.
    std::chrono::milliseconds read_timeout{30'000};
    // How long an idle keep-alive connection is kept after a response (cpp-httplib's default).
    // Whole seconds, as cpp-httplib takes it; 0 closes a connection as soon as it has been idle
    // for one of cpp-httplib's 10 ms polls.
    std::chrono::seconds keep_alive_timeout{5};
    // Larger request bodies get 413 M_TOO_LARGE without being read.
    std::size_t max_body_bytes = 32 * 1024 * 1024;
    // Answer what no stub matches from an in-memory homeserver (off in-process unless asked;
    // the standalone binary turns it on).
    bool simulation = false;
    SimulationOptions simulation_options;
};

// Thrown when the server cannot start: the port is taken, the host is not an address here.
class StartError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class MockHomeserver;

// A stub added through the in-process API; each call changes it in place.
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

class VerificationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
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

    // A stub answering 200 {} until told otherwise: by SDK endpoint name (every path version
    // of it), or by pattern.
    StubHandle on(std::string_view endpoint);
    StubHandle on(RequestPattern pattern);

    // Adds a mapping in WireMock JSON; returns its id. Throws MappingError.
    std::string add_mapping(std::string_view json);
    // Loads every *.json in `dir` as start-up mappings (kept across reset()).
    void load_mappings(const std::string& dir);

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

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace matrix::mock
