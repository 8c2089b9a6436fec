// Typed in-process mocks in the style of matrix-rust-sdk's MatrixMockServer:
//   auto guard = hs.mock(endpoints::whoami).ok(json).expect(at_least(1)).mount();
// The builder is a value holding the whole stub; mount() adds it to the registry in one step,
// so no client ever sees it half built, and returns a guard that checks the expectation and
// unmounts the stub when it goes out of scope.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

#include "matrix/endpoints.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

class MockHomeserver;

// How many requests a mounted mock must answer: [min, max], max none for no bound.
struct Expectation {
    std::size_t min = 0;
    std::optional<std::size_t> max;

    bool holds(std::size_t uses) const noexcept;
    std::string describe() const;  // "at least 1 request", "exactly 2 requests", "no request"
};

Expectation at_least(std::size_t n);
Expectation at_most(std::size_t n);
Expectation exactly(std::size_t n);
Expectation never();
Expectation between(std::size_t low, std::size_t high);  // std::invalid_argument if low > high

// Reports an expectation a guard found unmet as it went out of scope (a destructor cannot
// throw). The default handler writes the report to stderr and calls std::abort(), as a
// matrix-rust-sdk mock panics on drop: a test that cannot fail would be worse. It only writes
// when the guard dies while an exception unwinds the stack (that exception tells the story).
// Including matrix/mock/testing.hpp installs a handler that fails the running GoogleTest test.
struct MockFailure {
    std::string report;  // the mock, its expectation, the count, the nearest requests
    std::string file;    // where the guard's mount() was called
    int line = 0;
};
using MockFailureHandler = std::function<void(const MockFailure& failure)>;
// Installs `handler` for every guard of the process (an empty one restores the default);
// returns the one it replaces. Thread-safe.
MockFailureHandler set_mock_failure_handler(MockFailureHandler handler);

// A mounted mock. Destroying it checks the expectation (reporting an unmet one through the
// failure handler) and removes the stub. Declare it after its homeserver: one that outlives the
// server reports that instead of its check.
class [[nodiscard]] MockGuard {
  public:
    MockGuard(MockHomeserver& server, std::string id, std::string label, RequestPattern pattern,
              std::optional<Expectation> expectation, std::source_location mounted_at);
    MockGuard(MockGuard&& other) noexcept;
    MockGuard& operator=(MockGuard&& other) noexcept;
    MockGuard(const MockGuard&) = delete;
    MockGuard& operator=(const MockGuard&) = delete;
    ~MockGuard();

    const std::string& id() const noexcept { return id_; }
    std::size_t uses() const;  // requests the stub has answered so far
    // Throws VerificationError with the report when the expectation does not hold now.
    void verify() const;
    // The report verify() would throw, or nullopt when the expectation holds (or none was set).
    std::optional<std::string> failure() const;

  private:
    void finish() noexcept;  // checks, reports, unmounts; leaves the guard empty

    MockHomeserver* server_;                     // nullptr once moved from
    std::weak_ptr<const void> server_lifetime_;  // expired: the server is gone
    std::string id_;
    std::string label_;  // "mock whoami", for reports
    RequestPattern pattern_;
    std::optional<Expectation> expectation_;
    std::source_location mounted_at_;
};

// A stub being built; nothing is mounted until mount().
class MockBuilder {
  public:
    MockBuilder(MockHomeserver& server, RequestPattern pattern, std::string label);

    MockBuilder& with_query(std::string_view name, ValueMatcher matcher);
    MockBuilder& with_header(std::string_view name, ValueMatcher matcher);
    MockBuilder& with_body(BodyPattern pattern);

    // Each replaces the responses given so far with one; then_* append to the sequence (the
    // last response repeats). Without any, the stub answers 200 {}.
    MockBuilder& respond(ResponseDefinition response);
    MockBuilder& ok(const Json& body);
    MockBuilder& ok(std::string_view json_text);  // std::invalid_argument naming json_text
    MockBuilder& error(std::string_view errcode, std::string_view error = {});
    MockBuilder& then(ResponseDefinition response);
    MockBuilder& then_ok(const Json& body);
    MockBuilder& then_error(std::string_view errcode, std::string_view error = {});

    MockBuilder& priority(int priority);   // lower wins; default 5, as WireMock's
    MockBuilder& max_uses(std::size_t n);  // stops matching after n requests
    MockBuilder& up_to_n_times(std::size_t n) { return max_uses(n); }
    MockBuilder& named(std::string name);  // shown in near misses and the admin API
    MockBuilder& expect(Expectation expectation);

    // Mounts a copy of the stub (a builder may mount several) and returns its guard, which
    // names the caller's file and line in its reports.
    MockGuard mount(std::source_location at = std::source_location::current()) const;
    // Mounts for good: the stub stays until removed or reset(). An expectation other than
    // exactly(n) (which MockHomeserver::verify() checks) needs mount()'s guard and is refused
    // with std::logic_error. Returns the stub's id.
    std::string mount_as_persistent() const;

    const Stub& stub() const noexcept { return stub_; }  // as built so far (id not yet given)

  private:
    Stub completed() const;

    MockHomeserver* server_;
    Stub stub_;
    std::string label_;
    std::optional<Expectation> expectation_;
    bool responded_ = false;
};

}  // namespace matrix::mock
