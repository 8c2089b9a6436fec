// matrix-mockserver: the mock Matrix homeserver as a standalone program.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/seed_file.hpp"

namespace {

constexpr const char* kUsage = R"(Usage: matrix-mockserver [OPTIONS]

A mock Matrix homeserver. Every request is recorded in a journal, byte for byte, and answered
from stubs (WireMock-style JSON mappings). By default an in-memory homeserver (the
simulation: accounts, rooms, events, long-polling /sync, ...) answers what no stub matches,
so real clients work without a single fixture; a request neither answers gets
404 {"errcode": "M_UNRECOGNIZED"} and the journal says which stubs came nearest.

Options:
  --host HOST            address to listen on (default 127.0.0.1)
  --port PORT            port to listen on (default 8008; 0 picks a free one)
  --port-file FILE       write the chosen port to FILE once listening
  --mappings DIR         load every *.json mapping in DIR; stubs win over the simulation;
                         POST /__admin/mappings/save writes admin-added stubs there
  --no-simulation        answer from stubs only; without --mappings, the shipped
                         fixtures/mappings are loaded (/versions, /login, whoami,
                         capabilities, /.well-known/matrix/client, guest, join, send, sync)
  --no-default-mappings  with --no-simulation: start with no stubs at all
  --versions PROFILE     what the simulation's /versions offers: r0, v1.1 or latest
                         (default latest)
  --server-name NAME     the simulation's server name in user, room and event ids
                         (default localhost)
  --user NAME:PASSWORD   (repeatable) add user NAME (a localpart) with PASSWORD to the
                         simulation at start-up and log them in; their user id, device id
                         and access token are printed before "listening on"
  --seed FILE            seed the simulation from FILE at start-up (after --user): users,
                         rooms with members, state and messages (docs/seeding.md); a bad
                         file stops start-up with exit code 2, naming the file and key
  --sim-state-capacity-bytes N
                         the simulation's state (users, tokens, rooms, events, account
                         data, ...; counted approximately, by the strings held) stays
                         under N bytes: a request that would pass it gets 403
                         M_RESOURCE_LIMIT_EXCEEDED until POST /__admin/sim/reset
                         (default 268435456, 256 MiB; uploads have their own 64 MiB)
  --proxy-to URL         forward every request no stub matches to the homeserver at URL
                         (http://HOST[:PORT][/PREFIX]; https is not supported) and answer
                         with its response (status, headers, body); stubs still win, the
                         simulation is off and no default mappings are loaded. An
                         unreachable or silent (90 s) upstream gives 502 M_UNKNOWN
  --proxy-threads N      with --proxy-to: forward N requests at once (default 16), each on
                         a thread of its own, never a worker's; a /sync held upstream keeps
                         one, so give more than the clients that sync at once
  --record DIR           with --proxy-to: write each proxied exchange into DIR (created;
                         must hold no *.json yet) as a mapping file, one per operation and
                         distinct request (sync-1.json, login-1.json, ...), access tokens
                         and passwords replaced by placeholders, user, room and event ids
                         by pseudonyms consistent across the files; replay the session
                         with --no-simulation --mappings DIR (docs/record-replay.md)
  --journal-out FILE     append every request to FILE as JSON Lines, flushed as it goes
  --strict-spec          answer a request that breaks the spec (a missing token, a body
                         that is not JSON, a missing or mistyped parameter or member) with
                         the Matrix error a homeserver gives (401 M_MISSING_TOKEN, 400
                         M_NOT_JSON, M_MISSING_PARAM, M_BAD_JSON, M_INVALID_PARAM) naming
                         the culprit, instead of serving it
  --no-spec-validation   do not check requests against the spec (the journal's
                         "violations" stay empty); for the last few percent of throughput
  --journal-capacity N   keep at most N requests in memory (default 100000)
  --journal-max-bytes N  keep at most N bytes of requests in memory (bodies, headers,
                         targets; default 268435456, 256 MiB); the oldest go first, and
                         GET /__admin/health counts what is held and what was evicted
  --max-connections N    serve at most N open connections (default 20000); a connection
                         past it gets 429 M_LIMIT_EXCEEDED with retry_after_ms and
                         Retry-After, is closed, and is counted as refused in
                         GET /__admin/health
  --threads N            threads running stubs, the simulation and the admin API
                         (default 4); no request holds one while it waits
  --io-threads N         event loops reading and writing connections (default 2)
  --max-body-bytes N     larger request bodies get 413 M_TOO_LARGE (default 33554432,
                         32 MiB)
  --read-timeout SECONDS how long a client may stay silent mid-request (default 30)
  --admin-host HOST      also answer the admin API (/__admin/...) for clients at HOST
                         ("0.0.0.0" for any); by default only loopback clients
  --no-admin             serve no admin API
  --version              print the version and exit
  -h, --help             show this help

Once listening it prints "listening on http://HOST:PORT". It stops cleanly on SIGINT or
SIGTERM.

Connections and their bounds: the server runs on epoll event loops, and a request that waits
(a long-polling /sync, POST /__admin/requests/wait, a stub's delay) holds no thread, so
thousands of clients can each keep a /sync open. At start-up the open-file limit is raised
to its hard limit; the connection limit is --max-connections or that limit less 64,
whichever is lower (it prints which). What remains bounded: request heads (a request line
or header line of 8 KiB, 100 header lines, 64 KiB in all: 414 or 431), bodies
(--max-body-bytes), idle connections (closed after 5 s between requests), silent clients
(--read-timeout), clients that stop reading their answer (30 s), the journal (--journal-*),
the simulation's state and uploads (--sim-state-capacity-bytes; 64 MiB), and /sync and
admin waits (60 s and 5 min at most).

Dashboard: open http://127.0.0.1:PORT/__admin/ui in a browser (the live request list with
each answer, the spec coverage, the stubs; docs/dashboard.md). It follows the admin API's
rules: loopback clients only unless --admin-host, none with --no-admin.

Admin API (WireMock's paths):
  GET  /__admin/health                 GET|POST /__admin/mappings
  GET|PUT|DELETE /__admin/mappings/{id}
  POST /__admin/mappings/import {"mappings": [...]}   (add or replace each; all or nothing)
  POST /__admin/mappings/save          (admin-added stubs to the --mappings folder, ID.json)
  GET  /__admin/requests[?limit=N][&since=2026-12-07T03:55:00Z]   DELETE /__admin/requests
  GET  /__admin/requests?after=ID|before=ID[&limit=N][&wait_ms=N][&view=summary]
                                       (id paging; wait_ms: a long-poll for requests after ID)
  GET|DELETE /__admin/requests/{id}    (ids are never reused; with the answer sent)
  GET  /__admin/requests/unmatched     POST /__admin/requests/count   (a request pattern)
  POST /__admin/requests/find          (a request pattern: the matching requests)
  POST /__admin/requests/wait  {"request": pattern, "count": n, "timeoutMs": t}
  POST /__admin/reset                  (journal, unsaved mappings added since start-up,
                                       simulation)
  GET  /__admin/conformance[?format=json|markdown|junit]
                                       the spec conformance report over the journal
  GET  /__admin/coverage               every spec operation: exercised, conformant,
                                       violating or never, with its request ids
  GET  /__admin/stubs                  the stubs with their uses and uses remaining
  GET  /__admin/ui                     the dashboard
  Simulation: POST /__admin/sim/users, POST /__admin/sim/rooms,
  POST /__admin/sim/rooms/{roomId}/events, GET /__admin/sim/state, POST /__admin/sim/reset,
  GET /__admin/sim/reports (the content reports clients sent)
  GET /__admin/sim/3pid/tokens        (3PID validation sessions and the tokens sent)
  POST /__admin/sim/3pid/validate {"sid": s, "token": t}   (follow the email's link)

Simulation seeding bodies (JSON objects; other keys are refused with 400 M_BAD_JSON naming
the key; users are named by user id or localpart; docs/seeding.md has the details):
  POST /__admin/sim/users   {"username": s, "password": s, "displayname"?: s, "device_id"?: s}
                            -> {"user_id", "access_token", "device_id"} (logged in)
  POST /__admin/sim/rooms   {"creator": s, "name"?: s, "topic"?: s, "room_alias_name"?: s,
                            "preset"?: s, "visibility"?: s, "room_version"?: s,
                            "members"?: [s] (joined), "invite"?: [s], "is_direct"?: b,
                            "initial_state"?: [{"type", "state_key"?, "content"?}],
                            "creation_content"?: {}, "power_level_content_override"?: {}}
                            -> {"room_id"}
  POST /__admin/sim/rooms/{roomId}/events
                            {"sender": s, "type": s, "content": {}, "state_key"?: s}
                            -> {"event_id"}
  A --seed file: {"users": [users bodies], "rooms": [rooms bodies, each with
  "messages"?: [{"sender", "body"} (m.text) or an events body]]}

Example:
  matrix-mockserver --port 8008 &
  curl http://127.0.0.1:8008/_matrix/client/versions
  curl http://127.0.0.1:8008/__admin/requests
)";

struct Arguments {
    matrix::mock::MockHomeserverOptions server;
    std::optional<std::string> port_file;
    std::optional<std::string> mappings;
    bool default_mappings = true;
    bool simulation = true;
    std::optional<std::string> journal_out;
    std::vector<std::pair<std::string, std::string>> users;  // --user NAME:PASSWORD
    std::optional<std::string> seed_file;                    // --seed FILE
    bool proxy_threads_given = false;                        // --proxy-threads N
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "matrix-mockserver: " << message << " (see matrix-mockserver --help)\n";
    std::exit(2);
}

long long parse_number(std::string_view option, std::string_view text, long long low,
                       long long high) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
        usage_error(std::string(option) + " needs a number from " + std::to_string(low) + " to " +
                    std::to_string(high) + ", got '" + std::string(text) + "'");
    }
    return value;
}

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    arguments.server.port = 8008;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(std::string(option) + " needs a value");
            return argv[++i];
        };
        if (option == "-h" || option == "--help") {
            std::cout << kUsage;
            std::exit(0);
        } else if (option == "--version") {
            std::cout << "matrix-mockserver " << MATRIX_VERSION << "\n";
            std::exit(0);
        } else if (option == "--host") {
            arguments.server.host = value();
        } else if (option == "--port") {
            arguments.server.port = static_cast<int>(parse_number(option, value(), 0, 65535));
        } else if (option == "--port-file") {
            arguments.port_file = value();
        } else if (option == "--mappings") {
            arguments.mappings = value();
        } else if (option == "--no-default-mappings") {
            arguments.default_mappings = false;
        } else if (option == "--no-simulation") {
            arguments.simulation = false;
        } else if (option == "--strict-spec") {
            arguments.server.strict_spec = true;
        } else if (option == "--no-spec-validation") {
            arguments.server.validate_requests = false;
        } else if (option == "--versions") {
            const std::string profile = value();
            if (profile == "r0") {
                arguments.server.simulation_options.versions =
                    matrix::mock::VersionsProfile::r0_only;
            } else if (profile == "v1.1") {
                arguments.server.simulation_options.versions = matrix::mock::VersionsProfile::v1_1;
            } else if (profile == "latest") {
                arguments.server.simulation_options.versions =
                    matrix::mock::VersionsProfile::latest;
            } else {
                usage_error("--versions takes r0, v1.1 or latest, got '" + profile + "'");
            }
        } else if (option == "--server-name") {
            arguments.server.simulation_options.server_name = value();
        } else if (option == "--user") {
            const std::string user = value();
            const std::size_t colon = user.find(':');
            if (colon == std::string::npos || colon == 0) {
                usage_error("--user takes NAME:PASSWORD (e.g. --user alice:secret), got '" + user +
                            "'");
            }
            arguments.users.emplace_back(user.substr(0, colon), user.substr(colon + 1));
        } else if (option == "--seed") {
            arguments.seed_file = value();
        } else if (option == "--sim-state-capacity-bytes") {
            arguments.server.simulation_options.state_capacity_bytes =
                static_cast<std::size_t>(parse_number(option, value(), 0, 1'000'000'000'000));
        } else if (option == "--proxy-to") {
            arguments.server.proxy_to = value();
        } else if (option == "--proxy-threads") {
            arguments.server.proxy_threads =
                static_cast<std::size_t>(parse_number(option, value(), 1, 4096));
            arguments.proxy_threads_given = true;
        } else if (option == "--record") {
            arguments.server.record_dir = value();
        } else if (option == "--journal-out") {
            arguments.journal_out = value();
        } else if (option == "--journal-capacity") {
            arguments.server.journal_capacity =
                static_cast<std::size_t>(parse_number(option, value(), 1, 100'000'000));
        } else if (option == "--journal-max-bytes") {
            arguments.server.journal_max_bytes =
                static_cast<std::size_t>(parse_number(option, value(), 1, 1'000'000'000'000));
        } else if (option == "--max-connections") {
            arguments.server.max_connections =
                static_cast<std::size_t>(parse_number(option, value(), 1, 10'000'000));
        } else if (option == "--threads") {
            arguments.server.worker_threads =
                static_cast<std::size_t>(parse_number(option, value(), 1, 256));
        } else if (option == "--io-threads") {
            arguments.server.io_threads =
                static_cast<std::size_t>(parse_number(option, value(), 1, 64));
        } else if (option == "--max-body-bytes") {
            arguments.server.max_body_bytes =
                static_cast<std::size_t>(parse_number(option, value(), 0, 1'000'000'000'000));
        } else if (option == "--read-timeout") {
            arguments.server.read_timeout =
                std::chrono::seconds(parse_number(option, value(), 1, 86'400));
        } else if (option == "--admin-host") {
            arguments.server.admin_host = value();
        } else if (option == "--no-admin") {
            arguments.server.admin_api = false;
        } else {
            usage_error("unknown option " + std::string(option));
        }
    }
    if (arguments.server.strict_spec && !arguments.server.validate_requests)
        usage_error("--strict-spec needs the validation --no-spec-validation turns off");
    if (!arguments.simulation && (!arguments.users.empty() || arguments.seed_file))
        usage_error("--user and --seed seed the simulation, which --no-simulation turns off");
    if (!arguments.server.record_dir.empty() && arguments.server.proxy_to.empty())
        usage_error("--record DIR records what --proxy-to URL forwards: give both");
    if (arguments.proxy_threads_given && arguments.server.proxy_to.empty())
        usage_error("--proxy-threads N sizes what --proxy-to URL forwards: give both");
    if (!arguments.server.proxy_to.empty()) {
        // The upstream homeserver takes the simulation's place.
        if (!arguments.users.empty() || arguments.seed_file)
            usage_error("--user and --seed seed the simulation, which --proxy-to replaces");
        arguments.simulation = false;
        arguments.default_mappings = false;
    }
    arguments.server.simulation = arguments.simulation;
    return arguments;
}

// The shipped default mappings: next to an installed binary, else in the source tree.
std::optional<std::string> default_mappings_dir(const char* argv0) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path exe = fs::canonical("/proc/self/exe", error);
    if (!error) {
        const fs::path installed =
            exe.parent_path().parent_path() / "share" / "matrix-conformance" / "mappings";
        if (fs::is_directory(installed, error)) return installed.string();
    }
    (void)argv0;
    if (fs::is_directory(MATRIX_DEFAULT_MAPPINGS, error))
        return std::string(MATRIX_DEFAULT_MAPPINGS);
    return std::nullopt;
}

// Raises the soft open-file limit to the hard one (each connection is a descriptor; the
// default soft limit of 1024 would cap the server near a thousand clients). Returns the limit
// now in force.
rlim_t raise_open_file_limit() {
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) != 0) return 0;
    if (files.rlim_cur < files.rlim_max) {
        rlimit raised = files;
        raised.rlim_cur = files.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) files = raised;
    }
    return files.rlim_cur;
}

void print_session(const matrix::mock::Session& session) {
    std::cout << "user " << session.user_id << " device_id " << session.device_id
              << " access_token " << session.access_token << std::endl;
}

// A start-up step refused for what the command line asked: exit code 2, as a usage error.
struct BadSeeding {
    std::string message;
};

// --user, then --seed. A refusal stops start-up like a usage error: the command line or the
// seed file must change.
void seed(matrix::mock::MockHomeserver& server, const Arguments& arguments) {
    for (const auto& [name, password] : arguments.users) {
        try {
            print_session(server.add_user(name, password));
        } catch (const matrix::mock::SeedError& refused) {
            throw BadSeeding{"--user " + name + ": " + refused.reason()};
        }
    }
    if (!arguments.seed_file) return;
    try {
        for (const matrix::mock::Session& session :
             matrix::mock::seed_from_file(*server.simulation(), *arguments.seed_file)) {
            print_session(session);
        }
    } catch (const matrix::mock::SeedFileError& bad) {
        throw BadSeeding{std::string("bad seed file: ") + bad.what()};
    }
}

}  // namespace

int main(int argc, char** argv) {
    Arguments arguments = parse_arguments(argc, argv);
    const rlim_t open_files = raise_open_file_limit();

    // Signals are taken by sigwait below, so every thread started from here on blocks them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // A client that hangs up mid-response must not kill the server.
    signal(SIGPIPE, SIG_IGN);

    std::ofstream journal_file;
    std::mutex journal_file_mutex;
    try {
        matrix::mock::MockHomeserver server(arguments.server);
        std::optional<std::string> mappings = arguments.mappings;
        // The shipped stubs answer what the simulation answers better; they are the default
        // only when the simulation is off.
        if (!mappings && arguments.default_mappings && !arguments.simulation) {
            mappings = default_mappings_dir(argv[0]);
        }
        // POST /__admin/mappings/save writes only into a folder the user named.
        if (mappings) {
            server.load_mappings(*mappings, arguments.mappings
                                                ? matrix::mock::MappingsFolder::writable
                                                : matrix::mock::MappingsFolder::read_only);
        }

        if (arguments.journal_out) {
            journal_file.open(*arguments.journal_out, std::ios::app | std::ios::binary);
            if (!journal_file) {
                std::cerr << "matrix-mockserver: cannot open " << *arguments.journal_out
                          << " for writing\n";
                return 1;
            }
            server.journal().set_listener([&](const matrix::mock::JournalEntry& entry) {
                std::lock_guard lock(journal_file_mutex);
                journal_file << matrix::mock::to_json(entry) << '\n';
                journal_file.flush();
            });
        }
        // Before the port file is written: a client waiting for it finds the seeded state.
        seed(server, arguments);
        if (arguments.port_file) {
            std::ofstream port_file(*arguments.port_file, std::ios::trunc);
            port_file << server.port() << '\n';
            if (!port_file) {
                std::cerr << "matrix-mockserver: cannot write " << *arguments.port_file << "\n";
                return 1;
            }
        }
        std::cout << "listening on " << server.url() << std::endl;
        const std::size_t limit = server.connection_limit();
        std::cout << "serving up to " << limit << " connections";
        if (limit < arguments.server.max_connections) {
            std::cout << " (the open-file limit is " << open_files
                      << "; raise it with ulimit -n for more)";
        }
        std::cout << std::endl;
        if (arguments.simulation)
            std::cout << "simulation on (--no-simulation for stubs only)" << std::endl;
        if (!arguments.server.proxy_to.empty()) {
            std::cout << "forwarding what no stub matches to " << arguments.server.proxy_to;
            if (!arguments.server.record_dir.empty())
                std::cout << ", recording into " << arguments.server.record_dir;
            std::cout << std::endl;
        }
        if (mappings) {
            std::cout << "loaded " << server.stubs().list().size() << " stubs from " << *mappings
                      << std::endl;
        }

        int signal_number = 0;
        sigwait(&stop_signals, &signal_number);
        std::cout << "stopping (signal " << signal_number << ")" << std::endl;
        server.stop();
        server.journal().set_listener(nullptr);
        return 0;
    } catch (const matrix::mock::StartError& e) {
        std::cerr << "matrix-mockserver: " << e.what() << "\n";
        return 1;
    } catch (const matrix::mock::MappingFileError& e) {
        std::cerr << "matrix-mockserver: bad mapping file: " << e.what() << "\n";
        return 1;
    } catch (const BadSeeding& e) {
        std::cerr << "matrix-mockserver: " << e.message << "\n";
        return 2;
    }
}
