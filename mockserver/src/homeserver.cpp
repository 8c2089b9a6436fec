// The mock homeserver: records each request, picks a stub or the simulation, answers or breaks.
#include "matrix/mock/homeserver.hpp"

#include <algorithm>
#include <mutex>
#include <string_view>

#include "admin_api.hpp"
#include "http/server.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "request_limits.hpp"
#include "strict_spec.hpp"
#include "stub_json.hpp"
#include "timer_thread.hpp"
#include "upstream_proxy.hpp"

namespace matrix::mock {
namespace {

bool is_loopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" ||
           address.rfind("::ffff:127.", 0) == 0;
}

// Names the spec operation the request is, when it is one: the client sent a request the spec
// has, and what is missing is a stub (or the simulation's handler) for it.
std::string unmatched_message(const JournalEntry& entry, const std::vector<NearMiss>& misses,
                              bool simulating) {
    std::string message = "No stub matches " + entry.method + " " + entry.target;
    if (entry.operation != nullptr) {
        const std::string id(entry.operation->operation_id);
        message += " (spec operation " + id +
                   (simulating ? ": the simulation does not implement " + id + ")" : ")");
    }
    if (misses.empty()) {
        message += " (no stubs are mounted)";
    } else {
        message += "; nearest: ";
        for (std::size_t i = 0; i < misses.size(); ++i) {
            if (i > 0) message += "; ";
            message += (misses[i].stub_name.empty() ? misses[i].stub_id : misses[i].stub_name) +
                       " (" + misses[i].failed_predicate + ")";
        }
    }
    // Off is the in-process default, so a user expecting a homeserver's answer is told how.
    if (!simulating) {
        message +=
            ". The simulation is off: turn it on with MockHomeserverOptions::simulation = true "
            "in-process, or run matrix-mockserver without --no-simulation";
    }
    return message;
}

// The path verdict and what the request breaks of its operation's rules.
void validate(JournalEntry& entry, const OperationMatch* match) {
    const std::optional<std::string> canonical = canonical_path(entry.raw_path);
    entry.path_canonical = canonical && *canonical == entry.raw_path;
    if (!entry.path_canonical && canonical) entry.canonical_path = *canonical;
    if (match == nullptr) return;
    const ArrivedRequest arrived{entry.method, entry.target, entry.headers, entry.body.view(),
                                 entry.query};
    entry.violations = validate_identified_request(arrived, *entry.operation, match->path_params);
}

// `validate_request` is false for requests refused before their body was read: a partial body would
// read as a client's mistake.
JournalEntry entry_from(http::Request&& request, bool validate_request) {
    JournalEntry entry;
    entry.method = std::move(request.head.method);
    entry.target = std::move(request.head.target);  // raw, byte for byte
    entry.headers = std::move(request.head.headers);
    entry.body = std::move(request.body);
    entry.arrived = std::chrono::system_clock::now();
    entry.remote = request.remote_address + ":" + std::to_string(request.remote_port);
    split_target(entry);
    const auto match = match_operation(entry.method, std::string_view(entry.raw_path));
    if (match) {
        entry.operation = &tell_apart(*match->operation, entry.query, entry.body.view());
        entry.path_version = match->version;
    }
    if (validate_request) validate(entry, match ? &*match : nullptr);
    return entry;
}

// The decoded path, for routing the admin API; the raw one when it does not decode.
std::string decoded_path(std::string_view target) {
    const std::string_view raw = target.substr(0, target.find('?'));
    auto decoded = percent_decode(raw);
    return decoded ? std::move(*decoded) : std::string(raw);
}

http::Response to_http(ResponseDefinition response) {
    http::Response out;
    out.status = response.status;
    bool has_content_type = false;
    for (Header& header : response.headers) {
        has_content_type = has_content_type || header_name_equals(header.name, "Content-Type");
        out.headers.push_back(std::move(header));
    }
    if (!has_content_type && response.json)
        out.headers.push_back({"Content-Type", "application/json"});
    out.body = SharedBytes(std::move(response.body));
    return out;
}

http::ServerOptions server_options(const MockHomeserverOptions& options) {
    http::ServerOptions out;
    out.host = options.host;
    out.port = options.port;
    out.io_threads = options.io_threads;
    out.worker_threads = options.worker_threads;
    out.max_connections = options.max_connections;
    out.read_timeout = options.read_timeout;
    out.keep_alive_timeout = options.keep_alive_timeout;
    out.write_timeout = options.write_timeout;
    out.max_body_bytes = options.max_body_bytes;
    return out;
}

}  // namespace

struct MockHomeserver::Impl final : http::Handler {
    MockHomeserverOptions options;
    Journal journal;
    StubRegistry stubs;
    // The two folders: load_mappings() may set them while the server already answers admin
    // requests (it listens from construction), so both are read and written under this lock.
    mutable std::mutex folders_mutex;
    std::string files_dir = ".";
    std::string save_dir;  // where POST /__admin/mappings/save writes; "" for nowhere

    std::string mapping_files_dir() const {
        std::lock_guard lock(folders_mutex);
        return files_dir;
    }
    std::string mappings_save_dir() const {
        std::lock_guard lock(folders_mutex);
        return save_dir;
    }
    // Declared before the simulation, so it is still there while the simulation, going,
    // answers its held syncs through finish().
    TimerThread timers;  // stubs' delays and admin waits' timeouts
    std::unique_ptr<Simulation> simulation;
    // With proxy_to: answers what no stub matches instead of the simulation. Declared after
    // the journal and the timers, which its forwarding threads use until it is gone.
    std::unique_ptr<UpstreamProxy> proxy;
    std::unique_ptr<http::Server> server;
    bool stopped = false;
    std::shared_ptr<const bool> lifetime = std::make_shared<const bool>(true);

    explicit Impl(MockHomeserverOptions opts)
        : options(std::move(opts)), journal(options.journal_capacity, options.journal_max_bytes) {
        if (!options.mappings_dir.empty()) files_dir = save_dir = options.mappings_dir;
        if (options.simulation)
            simulation = std::make_unique<Simulation>(options.simulation_options);
        if (!options.proxy_to.empty()) {
            proxy = std::make_unique<UpstreamProxy>(options.proxy_to, options.record_dir,
                                                    ProxyLimits{.threads = options.proxy_threads});
        } else if (!options.record_dir.empty()) {
            throw std::invalid_argument("record_dir records what proxy_to forwards: set both");
        }
    }

    std::optional<Refusal> check_head(const http::RequestHead& head) override {
        return check_framing(head.method, head.target, head.headers, options.max_body_bytes);
    }

    void refused(http::Request request, const Refusal& refusal) override {
        if (options.admin_api && is_admin_path(decoded_path(request.head.target))) return;
        JournalEntry entry = entry_from(std::move(request), false);  // what arrived of its body
        entry.status = refusal.status;
        journal.record(std::move(entry));
    }

    void handle(http::Request request, http::Exchange exchange) override {
        if (options.admin_api) {
            std::string path = decoded_path(request.head.target);
            if (is_admin_path(path)) {
                serve_admin(std::move(request), std::move(path), std::move(exchange));
                return;
            }
        }
        JournalEntry entry = entry_from(std::move(request), options.validate_requests);
        if (options.strict_spec) {
            if (std::optional<ResponseDefinition> refusal = strict_refusal(entry.violations)) {
                finish(std::move(entry), std::move(*refusal), exchange);
                return;
            }
        }
        Selection selection = stubs.select(entry);
        if (selection.stub_id) {
            entry.matched_stub = selection.stub_id;
            entry.answerer = Answerer::stub;
            finish(std::move(entry), std::move(selection.response), exchange);
        } else if (const std::optional<Refusal> refusal = refuse_malformed(entry)) {
            // Stubs may still match such requests on purpose; the simulation never sees them.
            finish(std::move(entry),
                   ResponseDefinition::matrix_error(refusal->errcode, refusal->error, {}, {},
                                                    refusal->status),
                   exchange);
        } else {
            // The stubs that came nearest are kept even when the simulation answers: a user
            // whose stub did not match wants to know why, whoever answered instead.
            entry.near_misses = std::move(selection.near_misses);
            auto shared = std::make_shared<JournalEntry>(std::move(entry));
            if (proxy) {
                // The real homeserver stands in for the simulation (docs/record-replay.md).
                proxy->answer(shared,
                              [this, exchange](JournalEntry proxied, ResponseDefinition response) {
                                  finish(std::move(proxied), std::move(response), exchange);
                              });
            } else if (!simulate(shared, exchange)) {
                ResponseDefinition response = ResponseDefinition::matrix_error(
                    "M_UNRECOGNIZED",
                    unmatched_message(*shared, shared->near_misses, simulation != nullptr), {}, {},
                    404);
                if (simulation != nullptr && shared->operation != nullptr) {
                    shared->flags.push_back("the simulation does not implement " +
                                            std::string(shared->operation->operation_id));
                }
                finish(std::move(*shared), std::move(response), exchange);
            }
        }
    }

    // Hands the request to the simulation; false when it has no such endpoint (`entry` is then
    // untouched). The answer may come later (a held /sync), on the thread of whatever wakes it;
    // the client leaving hurries it.
    bool simulate(const std::shared_ptr<JournalEntry>& entry, const http::Exchange& exchange) {
        if (!simulation) return false;
        const SimulationDispatch dispatch =
            simulation->handle_async(*entry, [this, entry, exchange](SimulatedResponse simulated) {
                entry->answerer = Answerer::simulation;
                entry->flags = std::move(simulated.flags);
                finish(std::move(*entry), std::move(simulated.response), exchange);
            });
        if (dispatch.held != 0) {
            exchange.on_abandoned([simulation = simulation.get(), held = dispatch.held] {
                simulation->release(held);
            });
        }
        return dispatch.handled;
    }

    // Records the exchange, with the answer it gets, and answers it (after the stub's delay),
    // or breaks the connection.
    void finish(JournalEntry entry, ResponseDefinition response, http::Exchange exchange) {
        entry.status = response.status;
        if (exchange.abandoned()) {
            entry.flags.push_back("the client closed its connection before this answer");
        }
        const auto delay = response.fixed_delay;
        const Fault fault = response.fault;
        http::Response out;
        if (fault == Fault::none) {
            out = to_http(std::move(response));
            entry.response_headers = out.headers;
            entry.response_body = out.body;  // shared, not copied
        }
        journal.record(std::move(entry));
        auto answer = [exchange, fault, out = std::move(out)]() mutable {
            if (fault == Fault::connection_reset) {
                exchange.break_connection(http::Breakage::reset);
            } else if (fault == Fault::empty_response) {
                exchange.break_connection(http::Breakage::empty_response);
            } else {
                exchange.respond(std::move(out));
            }
        };
        if (delay.count() > 0) {
            timers.schedule(TimerThread::Clock::now() + delay, std::move(answer));
        } else {
            answer();
        }
    }

    static std::optional<Refusal> refuse_malformed(const JournalEntry& entry) {
        if (auto refusal = check_path_encoding(entry.raw_path)) return refusal;
        if (auto refusal = check_query(entry.raw_query, entry.query)) return refusal;
        if (body_is_binary(entry.raw_path)) return std::nullopt;
        return check_json_body(entry.body);
    }

    void serve_admin(http::Request request, std::string path, http::Exchange exchange) {
        const auto respond = [exchange](AdminResponse response) {
            http::Response out;
            out.status = response.status;
            out.headers.push_back({"Content-Type", std::move(response.content_type)});
            for (Header& header : response.headers) out.headers.push_back(std::move(header));
            out.body = SharedBytes(std::move(response.body));
            exchange.respond(std::move(out));
        };
        const std::string& address = request.remote_address;
        const bool allowed = is_loopback(address) || options.admin_host == "0.0.0.0" ||
                             options.admin_host == "::" || address == options.admin_host;
        if (!allowed) {
            respond(
                {403,
                 R"json({"errcode":"M_FORBIDDEN","error":"the admin API answers loopback clients only (see --admin-host)"})json"});
            return;
        }
        const std::string& method = request.head.method;
        const std::string body = request.body.str();
        if (simulation && path.starts_with("/__admin/sim/")) {
            if (const std::optional<Refusal> refusal = check_json_body(body)) {
                respond({refusal->status, refusal->body()});
                return;
            }
            if (const auto simulated = simulation->handle_admin(method, path, body)) {
                respond({simulated->status, simulated->body});
                return;
            }
        }
        AdminContext context{
            journal,
            stubs,
            mapping_files_dir(),
            [this] { reset(); },
            [this] { return health(); },
            [this](std::chrono::milliseconds delay, std::function<void()> task) {
                timers.schedule(TimerThread::Clock::now() + delay, std::move(task));
            },
            [exchange](std::function<void()> task) { exchange.on_abandoned(std::move(task)); },
            mappings_save_dir()};
        const std::string_view target = request.head.target;
        const std::size_t question = target.find('?');
        std::string query(question == std::string_view::npos ? std::string_view()
                                                             : target.substr(question + 1));
        handle_admin(context, {method, path, body, std::move(query)}, respond);
    }

    ServerHealth health() const {
        ServerHealth out{server->stats(), std::nullopt};
        if (simulation) out.held_syncs = simulation->held_count();
        return out;
    }

    void reset() {
        journal.clear();
        stubs.reset_to_files();
        if (simulation) simulation->reset();
    }
};

MockHomeserver::MockHomeserver(MockHomeserverOptions options) {
    try {
        impl_ = std::make_unique<Impl>(std::move(options));
    } catch (const std::invalid_argument& e) {
        throw StartError(e.what());
    } catch (const RecordFolderError& e) {
        throw StartError(e.what());
    }
    try {
        impl_->server = std::make_unique<http::Server>(server_options(impl_->options), *impl_);
    } catch (const std::runtime_error& e) {
        throw StartError(e.what());
    }
    impl_->server->start();
}

MockHomeserver::~MockHomeserver() { stop(); }

void MockHomeserver::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    // Connections close first: a request arriving meanwhile must not meet a simulation that
    // is being emptied. Held syncs end with their connections; the simulation answers them
    // into the journal when it goes.
    impl_->server->stop();
    // In-flight forwarded requests are cut (their clients are gone), before the timers stop.
    if (impl_->proxy) impl_->proxy->stop();
    impl_->timers.stop();
}

std::string MockHomeserver::url() const {
    const std::string& host = impl_->options.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

int MockHomeserver::port() const { return impl_->server->port(); }

std::size_t MockHomeserver::connection_limit() const {
    return impl_->server->stats().connection_limit;
}

Journal& MockHomeserver::journal() noexcept { return impl_->journal; }
const Journal& MockHomeserver::journal() const noexcept { return impl_->journal; }
StubRegistry& MockHomeserver::stubs() noexcept { return impl_->stubs; }
Simulation* MockHomeserver::simulation() noexcept { return impl_->simulation.get(); }
std::weak_ptr<const void> MockHomeserver::lifetime() const noexcept { return impl_->lifetime; }

namespace {

Stub api_stub(RequestPattern pattern) {
    Stub stub;
    stub.id = new_stub_id();
    stub.request = std::move(pattern);
    stub.responses = {ResponseDefinition::json_body(200, Json::object({}))};
    stub.source = "api";
    return stub;
}

// Changes a stub built in code and its admin API copy together, under the registry's lock, so
// that GET /__admin/mappings never shows a stale copy.
template <typename F>
void edit_api_stub(StubRegistry& stubs, const std::string& id, F&& change) {
    stubs.update(id, [&](Stub& stub) {
        change(stub);
        stub.source_json = mapping_json(stub).text();
    });
}

}  // namespace

StubHandle MockHomeserver::on(std::string_view endpoint) {
    return on(RequestPattern::for_endpoint(endpoint));
}

StubHandle MockHomeserver::on(RequestPattern pattern) {
    Stub stub = api_stub(std::move(pattern));
    stub.source_json = mapping_json(stub).text();
    const std::string id = impl_->stubs.add(std::move(stub));
    return StubHandle(*this, id);
}

MockBuilder MockHomeserver::mock(EndpointName endpoint) {
    return {*this, RequestPattern::for_endpoint(endpoint.name),
            "mock " + std::string(endpoint.name)};
}

MockBuilder MockHomeserver::mock(RequestPattern pattern) {
    std::string label = "mock " + pattern.describe();
    return {*this, std::move(pattern), std::move(label)};
}

std::string MockHomeserver::add_mapping(std::string_view json) {
    Stub stub = parse_mapping(json, impl_->mapping_files_dir());
    stub.source = "api";
    return impl_->stubs.add(std::move(stub));
}

void MockHomeserver::load_mappings(const std::string& dir, MappingsFolder folder) {
    std::vector<Stub> loaded = load_mapping_dir(dir);
    {
        std::lock_guard lock(impl_->folders_mutex);
        impl_->files_dir = dir;
        if (folder == MappingsFolder::writable && impl_->options.mappings_dir.empty())
            impl_->save_dir = dir;
    }
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
    edit_api_stub(server_->stubs(), id_,
                  [&](Stub& stub) { stub.responses = {std::move(response)}; });
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
    edit_api_stub(server_->stubs(), id_,
                  [&](Stub& stub) { stub.responses.push_back(std::move(response)); });
    return *this;
}

StubHandle& StubHandle::times(std::size_t n) {
    edit_api_stub(server_->stubs(), id_, [&](Stub& stub) { stub.expected_uses = n; });
    return *this;
}

StubHandle& StubHandle::max_uses(std::size_t n) {
    edit_api_stub(server_->stubs(), id_, [&](Stub& stub) { stub.max_uses = n; });
    return *this;
}

StubHandle& StubHandle::priority(int priority) {
    edit_api_stub(server_->stubs(), id_, [&](Stub& stub) { stub.priority = priority; });
    return *this;
}

StubHandle& StubHandle::with_query(std::string_view name, ValueMatcher matcher) {
    edit_api_stub(server_->stubs(), id_,
                  [&](Stub& stub) { stub.request.with_query(name, std::move(matcher)); });
    return *this;
}

StubHandle& StubHandle::with_header(std::string_view name, ValueMatcher matcher) {
    edit_api_stub(server_->stubs(), id_,
                  [&](Stub& stub) { stub.request.with_header(name, std::move(matcher)); });
    return *this;
}

StubHandle& StubHandle::with_body(BodyPattern pattern) {
    edit_api_stub(server_->stubs(), id_,
                  [&](Stub& stub) { stub.request.with_body(std::move(pattern)); });
    return *this;
}

std::size_t StubHandle::uses() const {
    const auto stub = server_->stubs().find(id_);
    return stub ? stub->uses : 0;
}

}  // namespace matrix::mock
