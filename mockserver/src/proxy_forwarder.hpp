// Forwarding requests to a real homeserver (--proxy-to) on threads of its own, so that a slow
// or unreachable upstream never holds one of the server's workers.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/request.hpp"

namespace matrix::mock {

// Where forwarded requests go: http://HOST[:PORT][/PREFIX] (https is not supported).
struct UpstreamUrl {
    std::string text;  // as given, without a trailing '/'
    std::string host;  // without brackets for IPv6
    int port = 80;
    std::string path_prefix;  // "" or "/prefix": prepended to every forwarded target
};

// Throws std::invalid_argument saying what is wrong with `url` (https, no host, a bad port, a
// query, user info).
UpstreamUrl parse_upstream_url(std::string_view url);

struct ForwardedRequest {
    std::string method;
    std::string target;  // raw, byte for byte as the client sent it
    std::vector<Header> headers;
    std::string body;
};

struct UpstreamAnswer {
    int status = 0;
    std::vector<Header> headers;  // end-to-end headers only (no hop-by-hop, no Content-Length)
    std::string body;
    // From sending the request to the whole answer: a long poll's hold, mostly.
    std::chrono::milliseconds elapsed{0};
};

// What came back: an answer, or why none came (connection refused, timeout, ...).
struct ForwardOutcome {
    std::optional<UpstreamAnswer> answer;
    std::string failure;  // set when answer is empty
};

struct ProxyLimits {
    // Requests forwarded at once; each holds one thread while upstream answers (a held /sync
    // for its whole timeout), so this bounds the upstream connections too.
    std::size_t threads = 16;
    // Requests waiting for a thread; beyond it forward() refuses at once.
    std::size_t max_waiting = 1024;
    std::chrono::seconds connect_timeout{10};
    // Longer than any /sync long poll a client asks for (the mock caps its own at 60 s).
    std::chrono::seconds read_timeout{90};
};

// Whether a request header is the client's connection's rather than the request's (RFC 9110
// section 7.6.1), or one the forwarder sets itself (Host, Content-Length, Accept-Encoding).
bool is_hop_by_hop_request_header(std::string_view name);
// The same for an answer's headers (Content-Length is recomputed when the mock answers).
bool is_hop_by_hop_answer_header(std::string_view name);

class ProxyForwarder {
  public:
    ProxyForwarder(UpstreamUrl upstream, ProxyLimits limits = {});
    // Stops: in-flight upstream calls are cut, waiting requests get a failure.
    ~ProxyForwarder();
    ProxyForwarder(const ProxyForwarder&) = delete;
    ProxyForwarder& operator=(const ProxyForwarder&) = delete;

    // Queues `request`; `done` runs later on a forwarding thread with the outcome. False (and
    // `done` never called) when max_waiting requests are already queued.
    bool forward(ForwardedRequest request, std::function<void(ForwardOutcome)> done);

    // Idempotent. Cuts in-flight calls and answers queued ones with a failure.
    void stop();

    const UpstreamUrl& upstream() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace matrix::mock
