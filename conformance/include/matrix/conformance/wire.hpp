// Wire level: vectors sent by the SDK's HTTP client to an in-process mock homeserver and
// compared, with the same comparator as the builder level, from the bytes the server received.
#pragma once

#include <memory>
#include <string>

#include "matrix/conformance/runner.hpp"
#include "matrix/conformance/vector.hpp"

namespace matrix::conformance {

class WireLevelChecker {
  public:
    // Starts a mock homeserver on an ephemeral loopback port that answers every request 200 {}.
    WireLevelChecker();
    ~WireLevelChecker();
    WireLevelChecker(const WireLevelChecker&) = delete;
    WireLevelChecker& operator=(const WireLevelChecker&) = delete;

    // Builds the vector's request, points it at the mock server (the vector's own base URL is
    // named in the result), sends it and compares what the server recorded. An expect_error
    // vector must be refused before anything is sent.
    VectorResult check(const Vector& vector);

    std::string server_url() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

RunReport run_wire_level(const std::vector<std::string>& files);

}  // namespace matrix::conformance
