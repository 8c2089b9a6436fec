// Executes built requests over HTTP(S) with cpp-httplib: the path and query go out byte for
// byte as built, connections are kept alive per base URL, and failures come back as clear
// errors, never a crash or a hang beyond the timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/encoded_request.hpp"
#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/request.hpp"

namespace matrix {

// The Matrix error a non-2xx response carries ({"errcode", "error", ...}).
struct MatrixError {
    int status = 0;
    std::string errcode;  // "M_UNKNOWN" when the body is not a Matrix error
    std::string error;
    std::optional<std::int64_t> retry_after_ms;
    std::optional<bool> soft_logout;
    std::optional<std::chrono::seconds> retry_after;  // the Retry-After header (delta-seconds)
};

struct Response {
    int status = 0;
    std::vector<Header> headers;  // as received
    std::string body;
    int attempts = 1;  // how many times the request was sent (more with retries)
    // The waits the retry policy took before each retry, as planned.
    std::vector<std::chrono::milliseconds> retry_waits;

    bool ok() const noexcept { return status >= 200 && status < 300; }
    const std::string* header(std::string_view name) const;  // case-insensitive
    // The body as JSON. Throws ResponseError when it is not JSON.
    Json json() const;
    // For a non-2xx response: its Matrix error (errcode M_UNKNOWN when the body has none).
    std::optional<MatrixError> matrix_error() const;
};

enum class TransportErrorKind {
    invalid_url,         // the base URL cannot be used (scheme, host)
    connection_refused,  // nothing listens there
    connection_failed,   // DNS, unreachable, connect timeout
    connection_reset,    // the server closed or reset the connection mid-request
    timeout,             // no response within the read timeout
    tls,                 // handshake or certificate failure
    other,
};

// The request never got an HTTP response.
class TransportError : public StandardError<std::runtime_error> {
  public:
    TransportError(TransportErrorKind kind, const std::string& message)
        : StandardError(message), kind_(kind) {}
    TransportErrorKind kind() const noexcept { return kind_; }

  private:
    TransportErrorKind kind_;
};

// A response that is not what was expected: not JSON, or missing a required field.
class ResponseError : public StandardError<std::runtime_error> {
  public:
    using StandardError::StandardError;
};

// A typed read of a non-2xx response.
class MatrixApiError : public StandardError<std::runtime_error> {
  public:
    explicit MatrixApiError(MatrixError error);
    const MatrixError& error() const noexcept { return error_; }

  private:
    MatrixError error_;
};

// Off by default. When on: 429 is retried after the server's retry_after_ms (else its
// Retry-After header, else the backoff); 5xx answers and connection failures are retried with
// capped exponential backoff, for idempotent requests (GET, PUT, DELETE: a PUT to /send/ or
// /redact/ carries its transaction id) unless retry_non_idempotent is set. Never more than
// max_attempts sends. A retry re-sends the request unchanged.
struct RetryPolicy {
    bool enabled = false;
    int max_attempts = 3;
    std::chrono::milliseconds initial_backoff{500};
    double backoff_multiplier = 2.0;
    std::chrono::milliseconds max_backoff{30'000};
    // A server asking for a longer wait than this is not retried; its 429 is returned.
    std::chrono::milliseconds max_rate_limit_wait{60'000};
    bool retry_non_idempotent = false;
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    // Must exceed the longest /sync long-poll timeout the caller uses.
    std::chrono::milliseconds read_timeout{60'000};
    std::string user_agent = "matrix-conformance/0.1";
    RetryPolicy retry;
    // For https: verify the server's certificate (on by default) against the system's CA
    // store, or against ca_cert_file when set.
    bool verify_tls = true;
    std::string ca_cert_file;
    // Called before each wait between attempts; tests and logs use it. Defaults to sleeping.
    std::function<void(std::chrono::milliseconds)> sleep;
};

// Thread-safe. One keep-alive connection per base URL; requests to the same base URL are
// sent one at a time on it.
class HttpClient {
  public:
    explicit HttpClient(ClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends `request` to request.base_url. Throws TransportError when no response came (after
    // retries, when enabled). A non-2xx response is returned, not thrown.
    Response send(const Request& request);

    // Sends the encoder's bytes as they are: its target (which holds the base URL's path
    // prefix) and body, its own headers, to `base_url`, the base URL it was encoded for.
    // Transport headers (Host, Content-Length, User-Agent) are the connection's, as for send().
    Response send(std::string_view base_url, const EncodedRequest& request);

    const ClientOptions& options() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace matrix
