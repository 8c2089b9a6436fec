// HttpClient on cpp-httplib: keep-alive per origin, exact targets, clear failures, retries.
#include <httplib.h>

#include <map>
#include <mutex>
#include <thread>

#include "base_url.hpp"
#include "connect_diagnosis.hpp"
#include "matrix/client.hpp"
#include "retry_plan.hpp"

namespace matrix {
namespace {

// Well-known OpenSSL verification results (X509_V_ERR_*), so a certificate failure says why
// without this library linking OpenSSL itself.
std::string verify_reason(long result) {
    switch (result) {
        case 0:
            return "the certificate does not match the host name";
        case 10:
            return "the certificate has expired";
        case 9:
            return "the certificate is not yet valid";
        case 18:
            return "the certificate is self-signed";
        case 19:
            return "a self-signed certificate is in the chain";
        case 20:
        case 21:
            return "the issuer is not a trusted certificate authority";
        case 62:
            return "the certificate does not match the host name";
        default:
            return "OpenSSL verify result " + std::to_string(result);
    }
}

bool has_header(const httplib::Headers& headers, const std::string& name) {
    return headers.find(name) != headers.end();  // Headers compares names ignoring case
}

// What goes on the wire, from a Request value or from the encoder's bytes: the full target
// (with the base URL's path prefix and the query), the request's own headers and the body.
struct Outgoing {
    Method method = Method::get;
    std::string target;
    std::vector<Header> headers;
    std::string_view body;
    BodyKind body_kind = BodyKind::none;
    std::string_view path;  // for messages: the target without its query (may hold credentials)
};

std::string_view without_query(std::string_view target) {
    return target.substr(0, target.find('?'));
}

// One origin's client. cpp-httplib's client keeps one socket, which must not carry two
// requests at once, so sends take turns under `mutex`.
struct Connection {
    std::mutex mutex;
    std::unique_ptr<httplib::ClientImpl> client;
    httplib::SSLClient* tls = nullptr;  // the same object when the origin is https
};

}  // namespace

struct HttpClient::Impl {
    ClientOptions options;
    std::mutex connections_mutex;
    std::map<std::string, std::unique_ptr<Connection>> connections;  // by origin

    Connection& connection_for(const detail::BaseUrl& url) {
        std::lock_guard lock(connections_mutex);
        std::unique_ptr<Connection>& slot = connections[url.origin()];
        if (!slot) slot = open(url);
        return *slot;
    }

    std::unique_ptr<Connection> open(const detail::BaseUrl& url) const {
        auto connection = std::make_unique<Connection>();
        if (url.https) {
            auto tls = std::make_unique<httplib::SSLClient>(url.host, url.port);
            tls->enable_server_certificate_verification(options.verify_tls);
            if (!options.ca_cert_file.empty()) tls->set_ca_cert_path(options.ca_cert_file);
            connection->tls = tls.get();
            connection->client = std::move(tls);
        } else {
            connection->client = std::make_unique<httplib::ClientImpl>(url.host, url.port);
        }
        httplib::ClientImpl& client = *connection->client;
        // The target is already percent-encoded exactly as the builder decided.
        client.set_url_encode(false);
        client.set_keep_alive(true);
        // Headers and body go out in separate writes; without this the body waits for the
        // server's delayed ACK (~40 ms) on every request.
        client.set_tcp_nodelay(true);
        client.set_connection_timeout(options.connect_timeout);
        client.set_read_timeout(options.read_timeout);
        client.set_write_timeout(options.read_timeout);
        return connection;
    }

    // Sends, and again as options.retry says. Throws TransportError when no response came.
    Response send_with_retries(const Outgoing& request, const detail::BaseUrl& url);

    // Sends once. Throws TransportError when no response came.
    Response send_once(const Outgoing& request, const detail::BaseUrl& url) {
        const std::string& target = request.target;
        // What messages name: never the query (it may carry credentials) nor headers.
        const std::string what = std::string(to_string(request.method)) + " " + url.origin() +
                                 std::string(request.path) + ": ";

        httplib::Headers headers;
        for (const Header& header : request.headers) headers.emplace(header.name, header.value);
        if (!has_header(headers, "User-Agent") && !options.user_agent.empty())
            headers.emplace("User-Agent", options.user_agent);
        if (request.body_kind == BodyKind::json && !has_header(headers, "Content-Type"))
            headers.emplace("Content-Type", "application/json");

        Connection& connection = connection_for(url);
        std::lock_guard lock(connection.mutex);
        httplib::ClientImpl& client = *connection.client;
        if (!client.is_valid()) {
            throw TransportError(TransportErrorKind::tls,
                                 what + "cannot set up TLS (OpenSSL context creation failed)");
        }

        const auto started = std::chrono::steady_clock::now();
        httplib::Result result = transmit(client, request, target, headers);
        if (result) {
            Response response;
            response.status = result->status;
            for (const auto& [name, value] : result->headers)
                response.headers.push_back({name, value});
            response.body = std::move(result->body);
            return response;
        }
        // A failed exchange may leave a late response in the socket, which the next request
        // would read as its own: start over on a fresh connection.
        client.stop();
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        throw failure(result.error(), what, url, elapsed, connection);
    }

    static httplib::Result transmit(httplib::ClientImpl& client, const Outgoing& request,
                                    const std::string& target, const httplib::Headers& headers) {
        const bool untyped_body = !request.body.empty() && !has_header(headers, "Content-Type");
        if (untyped_body && (request.method == Method::post || request.method == Method::put)) {
            // Given the body as a string, cpp-httplib labels it text/plain; given a content
            // provider it adds no Content-Type, so an upload without one goes out without one.
            const std::string_view body = request.body;
            httplib::ContentProvider provider = [body](std::size_t offset, std::size_t length,
                                                       httplib::DataSink& sink) {
                return sink.write(body.data() + offset, length);
            };
            return request.method == Method::post
                       ? client.Post(target, headers, body.size(), provider, std::string())
                       : client.Put(target, headers, body.size(), provider, std::string());
        }
        httplib::Request wire;
        wire.method = std::string(to_string(request.method));
        wire.path = target;
        wire.headers = headers;
        wire.body = std::string(request.body);
        return client.send(wire);
    }

    TransportError failure(httplib::Error error, const std::string& what,
                           const detail::BaseUrl& url, std::chrono::milliseconds elapsed,
                           const Connection& connection) const {
        using Kind = TransportErrorKind;
        const std::string timeout_ms = std::to_string(options.read_timeout.count());
        switch (error) {
            case httplib::Error::Connection: {
                const detail::ConnectFailure cause = detail::diagnose_connect_failure(
                    url.host, url.port, url.host_port(), options.connect_timeout);
                return TransportError(cause.kind, what + cause.reason);
            }
            case httplib::Error::ConnectionTimeout:
                return TransportError(Kind::connection_failed,
                                      what + "no connection to " + url.host_port() + " within " +
                                          std::to_string(options.connect_timeout.count()) +
                                          " ms (connect timeout)");
            case httplib::Error::Read:
                // cpp-httplib reports a silent server and a closed connection alike; the time
                // spent tells them apart.
                if (elapsed + std::chrono::milliseconds(20) >= options.read_timeout) {
                    return TransportError(Kind::timeout, what + "no response within " + timeout_ms +
                                                             " ms (read timeout)");
                }
                return TransportError(Kind::connection_reset,
                                      what +
                                          "the server closed the connection without a "
                                          "response (reset, closed, or not HTTP)");
            case httplib::Error::Write:
                return TransportError(Kind::connection_reset,
                                      what + "the connection broke while sending the request");
            case httplib::Error::SSLConnection:
                return TransportError(Kind::tls, what + "TLS handshake failed (is " +
                                                     url.host_port() + " serving https?)");
            case httplib::Error::SSLServerVerification:
                return TransportError(
                    Kind::tls, what + "TLS certificate verification failed: " +
                                   verify_reason(connection.tls != nullptr
                                                     ? connection.tls->get_openssl_verify_result()
                                                     : -1));
            case httplib::Error::SSLLoadingCerts:
                return TransportError(Kind::tls, what + "TLS: cannot load CA certificates from " +
                                                     (options.ca_cert_file.empty()
                                                          ? "the system store"
                                                          : "'" + options.ca_cert_file + "'"));
            default:
                return TransportError(Kind::other,
                                      what + "request failed (" + httplib::to_string(error) + ")");
        }
    }
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
}

HttpClient::~HttpClient() = default;

const ClientOptions& HttpClient::options() const noexcept { return impl_->options; }

Response HttpClient::send(const Request& request) {
    detail::BaseUrl url;
    try {
        url = detail::parse_base_url(request.base_url);
    } catch (const TransportError& e) {
        throw TransportError(e.kind(), std::string(to_string(request.method)) + " " + request.path +
                                           ": " + e.what());
    }
    Outgoing outgoing{request.method, url.path_prefix,   request.headers,
                      request.body,   request.body_kind, {}};
    append_target(outgoing.target, request);
    outgoing.path = without_query(outgoing.target);
    return impl_->send_with_retries(outgoing, url);
}

Response HttpClient::send(std::string_view base_url, const EncodedRequest& request) {
    Outgoing outgoing{Method::get,    std::string(request.target()), {},
                      request.body(), request.body_kind(),           {}};
    outgoing.path = without_query(outgoing.target);
    const std::string_view method = request.method();
    bool known_method = false;
    for (const Method candidate : {Method::get, Method::post, Method::put, Method::del}) {
        if (to_string(candidate) != method) continue;
        outgoing.method = candidate;
        known_method = true;
    }
    if (!known_method) {
        throw TransportError(TransportErrorKind::other, std::string(method) + " " +
                                                            std::string(outgoing.path) +
                                                            ": not a method this client sends");
    }
    for (const HeaderView header : request.headers()) {
        outgoing.headers.push_back({std::string(header.name), std::string(header.value)});
    }
    detail::BaseUrl url;
    try {
        url = detail::parse_base_url(base_url);
    } catch (const TransportError& e) {
        throw TransportError(
            e.kind(), std::string(method) + " " + std::string(outgoing.path) + ": " + e.what());
    }
    return impl_->send_with_retries(outgoing, url);
}

Response HttpClient::Impl::send_with_retries(const Outgoing& request, const detail::BaseUrl& url) {
    const RetryPolicy& policy = options.retry;
    const int max_attempts = policy.enabled ? std::max(1, policy.max_attempts) : 1;
    detail::RetryPlan plan(policy, request.method);
    std::vector<std::chrono::milliseconds> waits;
    for (int attempt = 1;; ++attempt) {
        std::optional<std::chrono::milliseconds> wait;
        try {
            Response response = send_once(request, url);
            if (attempt < max_attempts) wait = plan.after(response);
            if (!wait) {
                response.attempts = attempt;
                response.retry_waits = std::move(waits);
                return response;
            }
        } catch (const TransportError& e) {
            if (attempt < max_attempts) wait = plan.after(e);
            if (!wait) {
                if (attempt == 1) throw;
                throw TransportError(e.kind(), std::string(e.what()) + " (after " +
                                                   std::to_string(attempt) + " attempts)");
            }
        }
        waits.push_back(*wait);
        if (options.sleep) {
            options.sleep(*wait);
        } else {
            std::this_thread::sleep_for(*wait);
        }
    }
}

}  // namespace matrix
