// The mock homeserver on cpp-httplib: records each request, picks a stub, answers or breaks.
#include "matrix/mock/homeserver.hpp"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <thread>

#include "admin_api.hpp"
#include "connection_fault.hpp"
#include "request_limits.hpp"

namespace matrix::mock {
namespace {

// Raised from cpp-httplib's default of 5, which makes bursts of new connections wait.
constexpr int kListenBacklog = 1024;

bool is_loopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" ||
           address.rfind("::ffff:127.", 0) == 0;
}

std::string unmatched_message(const JournalEntry& entry, const std::vector<NearMiss>& misses) {
    std::string message = "No stub matches " + entry.method + " " + entry.target;
    if (misses.empty()) return message + " (no stubs are mounted)";
    message += "; nearest: ";
    for (std::size_t i = 0; i < misses.size(); ++i) {
        if (i > 0) message += "; ";
        message += (misses[i].stub_name.empty() ? misses[i].stub_id : misses[i].stub_name) + " (" +
                   misses[i].failed_predicate + ")";
    }
    return message;
}

JournalEntry entry_from(const httplib::Request& req, std::string body) {
    JournalEntry entry;
    entry.method = req.method;
    entry.target = req.target;  // raw: req.path is already percent-decoded
    for (const auto& [name, value] : req.headers) {
        // cpp-httplib adds these itself; they were not sent by the client.
        if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
            name == "LOCAL_PORT") {
            continue;
        }
        entry.headers.push_back({name, value});
    }
    entry.body = std::move(body);
    entry.arrived = std::chrono::system_clock::now();
    entry.remote = req.remote_addr + ":" + std::to_string(req.remote_port);
    split_target(entry);
    return entry;
}

// The headers that decide where a body ends: all check_framing needs, copied for every request.
std::vector<Header> framing_headers_of(const httplib::Request& req) {
    std::vector<Header> headers;
    for (const auto& [name, value] : req.headers) {
        if (header_name_equals(name, "Content-Length") ||
            header_name_equals(name, "Transfer-Encoding")) {
            headers.push_back({name, value});
        }
    }
    return headers;
}

// What happened to the request this worker thread is serving. cpp-httplib serves each
// connection on one thread from request line to response, and calls its error handler and
// logger on that thread, so they learn here whether a handler answered and whether the
// connection must end.
struct RequestVerdict {
    bool answered = false;  // our handler wrote the response (httplib must not replace it)
    bool end_connection = false;
};
thread_local RequestVerdict t_verdict;

}  // namespace

struct MockHomeserver::Impl {
    MockHomeserverOptions options;
    Journal journal;
    StubRegistry stubs;
    std::string files_dir = ".";
    httplib::Server server;
    std::thread listener;
    int port = -1;
    int listen_socket = -1;
    bool stopped = false;

    std::unique_ptr<Simulation> simulation;

    explicit Impl(MockHomeserverOptions opts)
        : options(std::move(opts)), journal(options.journal_capacity) {
        if (options.simulation)
            simulation = std::make_unique<Simulation>(options.simulation_options);
    }

    // Methods with a body: read it here, within the body limit, rather than let cpp-httplib
    // read it, because cpp-httplib bounds only bodies that announce a Content-Length: a
    // chunked body, or one that runs until the connection closes, would grow without limit.
    void handle_streamed(const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader) {
        std::string body;
        bool too_large = false;
        const auto take = [&](const char* data, std::size_t length) {
            if (length > options.max_body_bytes - body.size()) {
                too_large = true;
                return false;
            }
            body.append(data, length);
            return true;
        };
        // multipart/form-data is handed over only part by part (as before, the journal does
        // not keep such bodies); their size still counts against the limit.
        std::size_t multipart_bytes = 0;
        const bool read = req.is_multipart_form_data()
                              ? reader([](const httplib::MultipartFormData&) { return true; },
                                       [&](const char*, std::size_t length) {
                                           multipart_bytes += length;
                                           too_large = multipart_bytes > options.max_body_bytes;
                                           return !too_large;
                                       })
                              : reader(take);
        if (!read) {
            const Refusal refusal =
                too_large ? Refusal{413, "M_TOO_LARGE",
                                    request_name(req.method, req.target) +
                                        ": the body grew past the limit of " +
                                        std::to_string(options.max_body_bytes) +
                                        " bytes (matrix-mockserver --max-body-bytes)",
                                    true}
                          : Refusal{400, "M_UNRECOGNIZED",
                                    request_name(req.method, req.target) +
                                        ": the body could not be read (a malformed chunked "
                                        "body, or the client stopped sending)",
                                    true};
            t_verdict = {true, true};
            if (!(options.admin_api && is_admin_path(req.path))) {
                JournalEntry entry = entry_from(req, std::move(body));  // what arrived of it
                entry.status = refusal.status;
                journal.record(std::move(entry));
            }
            res.status = refusal.status;
            res.set_header("Connection", "close");
            res.set_content(refusal.body(), "application/json");
            return;
        }
        handle(req, std::move(body), res);
    }

    void handle(const httplib::Request& req, std::string body, httplib::Response& res) {
        t_verdict.answered = true;
        if (options.admin_api && is_admin_path(req.path)) {
            serve_admin(req, body, res);
            return;
        }
        JournalEntry entry = entry_from(req, std::move(body));
        Selection selection = stubs.select(entry);
        ResponseDefinition response;
        if (selection.stub_id) {
            response = std::move(selection.response);
            entry.matched_stub = selection.stub_id;
        } else if (const std::optional<Refusal> refusal = refuse_malformed(entry)) {
            // Stubs may still match such requests on purpose; the simulation never sees them.
            response = ResponseDefinition::matrix_error(refusal->errcode, refusal->error, {}, {},
                                                        refusal->status);
        } else if (auto simulated = simulation ? simulation->handle(entry) : std::nullopt) {
            // May have held the request (a long-polling /sync); recorded once answered.
            response = std::move(simulated->response);
            entry.simulated = true;
            entry.flags = std::move(simulated->flags);
        } else {
            response = ResponseDefinition::matrix_error(
                "M_UNRECOGNIZED", unmatched_message(entry, selection.near_misses), {}, {}, 404);
            entry.near_misses = std::move(selection.near_misses);
        }
        entry.status = response.status;
        journal.record(std::move(entry));

        if (response.fixed_delay.count() > 0) std::this_thread::sleep_for(response.fixed_delay);
        if (response.fault != Fault::none) {
            t_verdict = {};  // the response write fails, so after_response will not run
            apply_connection_fault(response.fault, req.remote_addr, req.remote_port, port);
            return;
        }
        res.status = response.status;
        bool has_content_type = false;
        for (const Header& header : response.headers) {
            has_content_type = has_content_type || header_name_equals(header.name, "Content-Type");
            res.set_header(header.name.c_str(), header.value);
        }
        res.body = std::move(response.body);
        if (!has_content_type && response.json) res.set_header("Content-Type", "application/json");
    }

    static std::optional<Refusal> refuse_malformed(const JournalEntry& entry) {
        if (auto refusal = check_path_encoding(entry.raw_path)) return refusal;
        if (auto refusal = check_query(entry.raw_query, entry.query)) return refusal;
        if (body_is_binary(entry.raw_path)) return std::nullopt;
        return check_json_body(entry.body);
    }

    // Before the body is read: framing the server cannot trust, or a body over the limit.
    httplib::Server::HandlerResponse refuse_framing(const httplib::Request& req,
                                                    httplib::Response& res) {
        t_verdict = {};
        std::optional<Refusal> refusal =
            check_framing(req.method, req.target, framing_headers_of(req), options.max_body_bytes);
        if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
        t_verdict = {true, true};
        if (!(options.admin_api && is_admin_path(req.path))) {
            JournalEntry entry = entry_from(req, {});  // recorded without its unread body
            entry.status = refusal->status;
            journal.record(std::move(entry));
        }
        res.status = refusal->status;
        res.set_header("Connection", "close");
        res.set_content(refusal->body(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
    }

    // cpp-httplib answers some bad requests itself (request line or header too long, a
    // malformed chunked body) with an empty body; give those a Matrix error saying why.
    httplib::Server::HandlerResponse explain_http_error(const httplib::Request&,
                                                        httplib::Response& res) {
        if (t_verdict.answered) return httplib::Server::HandlerResponse::Unhandled;
        const Refusal refusal = refusal_for_http_status(res.status, options.max_body_bytes);
        t_verdict.end_connection = t_verdict.end_connection || refusal.close_connection;
        res.set_content(refusal.body(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
    }

    // Runs after the response is written.
    void after_response(const httplib::Request& req) {
        if (t_verdict.end_connection && !req.remote_addr.empty())
            end_connection_after_response(req.remote_addr, req.remote_port, port);
        t_verdict = {};
    }

    void serve_admin(const httplib::Request& req, const std::string& body, httplib::Response& res) {
        const bool allowed = is_loopback(req.remote_addr) || options.admin_host == "0.0.0.0" ||
                             options.admin_host == "::" || req.remote_addr == options.admin_host;
        AdminResponse response;
        if (!allowed) {
            response = {
                403,
                R"json({"errcode":"M_FORBIDDEN","error":"the admin API answers loopback clients only (see --admin-host)"})json"};
        } else {
            const bool simulated_route = simulation && req.path.starts_with("/__admin/sim/");
            const std::optional<Refusal> refusal =
                simulated_route ? check_json_body(body) : std::nullopt;
            const auto simulated = simulated_route && !refusal
                                       ? simulation->handle_admin(req.method, req.path, body)
                                       : std::nullopt;
            if (refusal) {
                response = {refusal->status, refusal->body()};
            } else if (simulated) {
                response = {simulated->status, simulated->body};
            } else {
                AdminContext context{journal, stubs, files_dir, [this] { reset(); }};
                response = handle_admin(context, {req.method, req.path, body});
            }
        }
        res.status = response.status;
        res.set_content(response.body, "application/json");
    }

    void reset() {
        journal.clear();
        stubs.reset_to_files();
        if (simulation) simulation->reset();
    }
};

MockHomeserver::MockHomeserver(MockHomeserverOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
    Impl& impl = *impl_;
    httplib::Server& server = impl.server;
    const std::size_t threads = std::max<std::size_t>(impl.options.worker_threads, 2);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // Without TCP_NODELAY each keep-alive response waits ~40 ms for the delayed ACK.
    server.set_tcp_nodelay(true);
    // cpp-httplib closes a connection after 5 requests by default; a hundred million is
    // "never" in practice and still fits the 32-bit integer a client may parse "max=" into.
    server.set_keep_alive_max_count(100'000'000);
    server.set_read_timeout(impl.options.read_timeout);
    server.set_keep_alive_timeout(static_cast<time_t>(impl.options.keep_alive_timeout.count()));
    // Only bounds bodies with a Content-Length; refuse_framing answers those before reading.
    server.set_payload_max_length(impl.options.max_body_bytes);
    server.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
        return impl.refuse_framing(req, res);
    });
    // A client that asks before sending its body (Expect: 100-continue) hears the refusal
    // instead of "100 Continue", so it never sends a body that would be refused.
    server.set_expect_100_continue_handler(
        [&impl](const httplib::Request& req, httplib::Response& res) {
            if (impl.refuse_framing(req, res) != httplib::Server::HandlerResponse::Handled)
                return 100;
            // cpp-httplib adds Content-Length to routed answers only.
            res.set_header("Content-Length", std::to_string(res.body.size()));
            return res.status;
        });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [&impl](const httplib::Request& req, httplib::Response& res) {
            return impl.explain_http_error(req, res);
        }));
    server.set_logger([&impl](const httplib::Request& req, const httplib::Response&) {
        impl.after_response(req);
    });
    // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind the same
    // port and silently take half the traffic; SO_REUSEADDR alone refuses that.
    server.set_socket_options([&impl](int socket) {
        const int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        impl.listen_socket = socket;
    });
    // GET and OPTIONS bodies are refused by check_framing, so req.body is empty for them.
    const auto handler = [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.handle(req, req.body, res);
    };
    const auto streamed = [&impl](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
        impl.handle_streamed(req, res, reader);
    };
    server.Get(".*", handler);
    server.Post(".*", streamed);
    server.Put(".*", streamed);
    server.Delete(".*", streamed);
    server.Patch(".*", streamed);
    server.Options(".*", handler);

    const std::string& host = impl.options.host;
    if (impl.options.port == 0) {
        impl.port = server.bind_to_any_port(host);
    } else if (server.bind_to_port(host, impl.options.port)) {
        impl.port = impl.options.port;
    }
    if (impl.port <= 0) {
        throw StartError("cannot listen on " + host + ":" + std::to_string(impl.options.port) +
                         ": the port is in use or the address is not one of this machine's");
    }
    // Listening again on a listening socket only changes its backlog.
    if (impl.listen_socket >= 0) ::listen(impl.listen_socket, kListenBacklog);
    impl.listener = std::thread([&server] { server.listen_after_bind(); });
    // cpp-httplib's stop() does nothing until its accept loop runs, so a server stopped right
    // after starting would otherwise never stop. Requests sent meanwhile wait in the backlog.
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::microseconds(50));
}

MockHomeserver::~MockHomeserver() { stop(); }

void MockHomeserver::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    // Held /sync requests would otherwise keep their worker threads until their timeout.
    if (impl_->simulation) impl_->simulation->reset();
    impl_->server.stop();
    if (impl_->listener.joinable()) impl_->listener.join();
}

std::string MockHomeserver::url() const {
    const std::string& host = impl_->options.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

int MockHomeserver::port() const { return impl_->port; }

Journal& MockHomeserver::journal() noexcept { return impl_->journal; }
const Journal& MockHomeserver::journal() const noexcept { return impl_->journal; }
StubRegistry& MockHomeserver::stubs() noexcept { return impl_->stubs; }
Simulation* MockHomeserver::simulation() noexcept { return impl_->simulation.get(); }

namespace {

Stub api_stub(RequestPattern pattern) {
    Stub stub;
    stub.id = new_stub_id();
    stub.request = std::move(pattern);
    stub.responses = {ResponseDefinition::json_body(200, Json::object({}))};
    stub.source = "api";
    return stub;
}

std::string api_source_json(const Stub& stub) {
    return Json::object({{"id", Json::string(stub.id)},
                         {"source", Json::string("api")},
                         {"request", Json::string(stub.request.describe())}})
        .text();
}

}  // namespace

StubHandle MockHomeserver::on(std::string_view endpoint) {
    return on(RequestPattern::for_endpoint(endpoint));
}

StubHandle MockHomeserver::on(RequestPattern pattern) {
    Stub stub = api_stub(std::move(pattern));
    stub.source_json = api_source_json(stub);
    const std::string id = impl_->stubs.add(std::move(stub));
    return StubHandle(*this, id);
}

std::string MockHomeserver::add_mapping(std::string_view json) {
    Stub stub = parse_mapping(json, impl_->files_dir);
    stub.source = "api";
    return impl_->stubs.add(std::move(stub));
}

void MockHomeserver::load_mappings(const std::string& dir) {
    std::vector<Stub> loaded = load_mapping_dir(dir);
    impl_->files_dir = dir;
    for (Stub& stub : loaded) impl_->stubs.add(std::move(stub));
}

void MockHomeserver::verify() const {
    std::string problems;
    for (const Stub& stub : impl_->stubs.list()) {
        if (stub.expected_uses && *stub.expected_uses != stub.uses) {
            problems += "\n  stub " + stub.id + " (" + stub.request.describe() + "): expected " +
                        std::to_string(*stub.expected_uses) + " uses, got " +
                        std::to_string(stub.uses);
        }
    }
    if (!problems.empty())
        throw VerificationError("mock homeserver expectations not met:" + problems);
}

void MockHomeserver::reset() { impl_->reset(); }

// --- StubHandle ---------------------------------------------------------------------------------

StubHandle& StubHandle::respond(ResponseDefinition response) {
    server_->stubs().update(id_, [&](Stub& stub) { stub.responses = {std::move(response)}; });
    return *this;
}

StubHandle& StubHandle::respond_json(int status, const Json& body) {
    return respond(ResponseDefinition::json_body(status, body));
}

StubHandle& StubHandle::respond_json(int status, std::string_view json_text) {
    return respond(ResponseDefinition::json_body(status, Json::parse(json_text, "json_text")));
}

StubHandle& StubHandle::respond_error(std::string_view errcode, std::string_view error) {
    return respond(ResponseDefinition::matrix_error(errcode, error));
}

StubHandle& StubHandle::then_respond(ResponseDefinition response) {
    server_->stubs().update(id_,
                            [&](Stub& stub) { stub.responses.push_back(std::move(response)); });
    return *this;
}

StubHandle& StubHandle::times(std::size_t n) {
    server_->stubs().update(id_, [&](Stub& stub) { stub.expected_uses = n; });
    return *this;
}

StubHandle& StubHandle::max_uses(std::size_t n) {
    server_->stubs().update(id_, [&](Stub& stub) { stub.max_uses = n; });
    return *this;
}

StubHandle& StubHandle::priority(int priority) {
    server_->stubs().update(id_, [&](Stub& stub) { stub.priority = priority; });
    return *this;
}

StubHandle& StubHandle::with_query(std::string_view name, ValueMatcher matcher) {
    server_->stubs().update(id_,
                            [&](Stub& stub) { stub.request.with_query(name, std::move(matcher)); });
    return *this;
}

StubHandle& StubHandle::with_header(std::string_view name, ValueMatcher matcher) {
    server_->stubs().update(
        id_, [&](Stub& stub) { stub.request.with_header(name, std::move(matcher)); });
    return *this;
}

StubHandle& StubHandle::with_body(BodyPattern pattern) {
    server_->stubs().update(id_, [&](Stub& stub) { stub.request.with_body(std::move(pattern)); });
    return *this;
}

std::size_t StubHandle::uses() const {
    const auto stub = server_->stubs().find(id_);
    return stub ? stub->uses : 0;
}

}  // namespace matrix::mock
