// Forwarding requests to the upstream homeserver with cpp-httplib, one client per forwarding
// thread (each keeps its connection alive), a bounded queue in front of them.
#include "proxy_forwarder.hpp"

#include <httplib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <ranges>
#include <string>
#include <thread>
#include <utility>

namespace matrix::mock {
namespace {

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::ranges::any_of(
        names, [&](std::string_view other) { return header_name_equals(name, other); });
}

// The hop-by-hop headers of RFC 9110 section 7.6.1 and the proxy ones.
bool is_connection_header(std::string_view name) {
    return is_one_of(name, {"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
                            "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"});
}

// The header names a Connection header lists: hop-by-hop as well (RFC 9110 section 7.6.1).
template <typename Headers>
std::vector<std::string> named_by_connection(const Headers& headers) {
    std::vector<std::string> names;
    for (const auto& [name, value] : headers) {
        if (!header_name_equals(name, "Connection")) continue;
        std::size_t start = 0;
        while (start <= value.size()) {
            const std::size_t comma = std::min(value.find(',', start), value.size());
            std::string_view token = std::string_view(value).substr(start, comma - start);
            while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
                token.remove_prefix(1);
            while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
                token.remove_suffix(1);
            if (!token.empty()) names.emplace_back(token);
            start = comma + 1;
        }
    }
    return names;
}

bool is_named(std::string_view name, const std::vector<std::string>& names) {
    return std::ranges::any_of(
        names, [&](const std::string& other) { return header_name_equals(name, other); });
}

struct Task {
    ForwardedRequest request;
    std::function<void(ForwardOutcome)> done;
};

}  // namespace

bool is_hop_by_hop_request_header(std::string_view name) {
    // Host names the upstream instead; Content-Length is the client library's to set; without
    // Accept-Encoding the upstream answers uncompressed, as the answer is re-framed and recorded.
    return is_connection_header(name) ||
           is_one_of(name, {"Host", "Content-Length", "Accept-Encoding", "Expect"});
}

bool is_hop_by_hop_answer_header(std::string_view name) {
    return is_connection_header(name) || header_name_equals(name, "Content-Length");
}

UpstreamUrl parse_upstream_url(std::string_view url) {
    const auto refuse = [&](const std::string& why) {
        throw std::invalid_argument("--proxy-to " + std::string(url) + ": " + why);
    };
    if (header_name_equals(url.substr(0, 8), "https://")) {
        refuse(
            "https is not supported (forward to an http:// address, e.g. the homeserver's "
            "plain listener or a local TLS-terminating proxy)");
    }
    if (!header_name_equals(url.substr(0, 7), "http://")) refuse("must start with http://");
    UpstreamUrl out;
    std::string_view rest = url.substr(7);
    while (rest.ends_with('/')) rest.remove_suffix(1);
    out.text = "http://" + std::string(rest);
    if (rest.find_first_of("?#") != std::string_view::npos)
        refuse("must not hold a query or fragment");
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) out.path_prefix = std::string(rest.substr(slash));
    if (authority.find('@') != std::string_view::npos) refuse("must not hold user info");
    std::string_view port_text;
    if (authority.starts_with('[')) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) refuse("an IPv6 host needs its closing ']'");
        out.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) refuse("expected ':PORT' after ']'");
        if (!after.empty()) port_text = after.substr(1);
    } else {
        const std::size_t colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (out.host.empty()) refuse("has no host");
    if (!port_text.empty() || authority.ends_with(':')) {
        int port = 0;
        const auto [end, error] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
            port > 65535) {
            refuse("the port must be a number from 1 to 65535, got '" + std::string(port_text) +
                   "'");
        }
        out.port = port;
    }
    return out;
}

struct ProxyForwarder::Impl {
    UpstreamUrl upstream;
    ProxyLimits limits;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Task> queue;
    bool stopping = false;
    // One client per thread, reachable from stop() to cut its in-flight call.
    std::vector<std::unique_ptr<httplib::Client>> clients;
    std::vector<std::thread> threads;

    Impl(UpstreamUrl url, ProxyLimits bounds) : upstream(std::move(url)), limits(bounds) {
        for (std::size_t i = 0; i < std::max<std::size_t>(1, limits.threads); ++i) {
            auto client = std::make_unique<httplib::Client>(upstream.host, upstream.port);
            client->set_keep_alive(true);
            client->set_url_encode(false);  // the target goes out byte for byte
            client->set_connection_timeout(limits.connect_timeout);
            client->set_read_timeout(limits.read_timeout);
            client->set_write_timeout(limits.read_timeout);
            clients.push_back(std::move(client));
        }
        for (std::size_t i = 0; i < clients.size(); ++i)
            threads.emplace_back([this, i] { run(*clients[i]); });
    }

    void run(httplib::Client& client) {
        while (true) {
            Task task;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return stopping || !queue.empty(); });
                if (stopping) return;
                task = std::move(queue.front());
                queue.pop_front();
            }
            task.done(send(client, task.request));
        }
    }

    ForwardOutcome send(httplib::Client& client, const ForwardedRequest& forwarded) const {
        httplib::Request request;
        request.method = forwarded.method;
        request.path = upstream.path_prefix + forwarded.target;
        const std::vector<std::string> hop_by_hop = named_by_connection(
            forwarded.headers | std::views::transform([](const Header& header) {
                return std::pair<const std::string&, const std::string&>(header.name, header.value);
            }));
        for (const Header& header : forwarded.headers) {
            if (!is_hop_by_hop_request_header(header.name) && !is_named(header.name, hop_by_hop))
                request.headers.emplace(header.name, header.value);
        }
        request.body = forwarded.body;
        httplib::Response response;
        httplib::Error error = httplib::Error::Success;
        const auto sent = std::chrono::steady_clock::now();
        if (!client.send(request, response, error)) {
            return {std::nullopt, "upstream " + upstream.text +
                                      " unreachable: " + httplib::to_string(error) + " (" +
                                      forwarded.method + " " + forwarded.target + ")"};
        }
        UpstreamAnswer answer;
        answer.status = response.status;
        const std::vector<std::string> answer_hop_by_hop = named_by_connection(response.headers);
        for (const auto& [name, value] : response.headers) {
            if (!is_hop_by_hop_answer_header(name) && !is_named(name, answer_hop_by_hop))
                answer.headers.push_back({name, value});
        }
        answer.body = std::move(response.body);
        answer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - sent);
        return {std::move(answer), {}};
    }

    void stop() {
        std::deque<Task> abandoned;
        {
            std::lock_guard lock(mutex);
            if (stopping) return;
            stopping = true;
            abandoned.swap(queue);
        }
        wake.notify_all();
        for (auto& client : clients) client->stop();
        for (std::thread& thread : threads) thread.join();
        for (Task& task : abandoned)
            task.done({std::nullopt,
                       "upstream " + upstream.text + " unreachable: the mock server is stopping"});
    }
};

ProxyForwarder::ProxyForwarder(UpstreamUrl upstream, ProxyLimits limits)
    : impl_(std::make_unique<Impl>(std::move(upstream), limits)) {}

ProxyForwarder::~ProxyForwarder() { stop(); }

bool ProxyForwarder::forward(ForwardedRequest request, std::function<void(ForwardOutcome)> done) {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopping || impl_->queue.size() >= impl_->limits.max_waiting) return false;
        impl_->queue.push_back({std::move(request), std::move(done)});
    }
    impl_->wake.notify_one();
    return true;
}

void ProxyForwarder::stop() { impl_->stop(); }

const UpstreamUrl& ProxyForwarder::upstream() const noexcept { return impl_->upstream; }

}  // namespace matrix::mock
