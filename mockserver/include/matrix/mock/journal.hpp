// The journal: every request the mock homeserver received, exactly as received.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/mock/shared_bytes.hpp"
#include "matrix/request.hpp"
#include "matrix/spec_validation.hpp"

namespace matrix::mock {

class RequestPattern;

// Why a stub did not answer an unmatched request: the stubs that came nearest, best first.
struct NearMiss {
    std::string stub_id;
    std::string stub_name;         // may be empty
    std::string failed_predicate;  // the first predicate that failed, e.g. "urlPath: expected ..."
    std::size_t predicates_passed = 0;
    std::size_t predicates_total = 0;
};

// Who answered a request: a stub (JournalEntry::matched_stub names it), the simulation, the real
// homeserver behind --proxy-to, or none (the server itself: an unmatched request's 404, a
// refusal of a malformed or, with --strict-spec, a violating request).
enum class Answerer { none, stub, simulation, proxy };

// "none", "stub", "simulation" or "proxy".
std::string_view to_string(Answerer answerer) noexcept;

struct JournalEntry {
    std::uint64_t id = 0;  // 1, 2, 3, ... in arrival order; never reused
    std::string method;
    std::string target;             // the raw request target, byte for byte as received
    std::string raw_path;           // target up to the first '?'
    std::string raw_query;          // target after the first '?' ("" when none)
    std::vector<QueryParam> query;  // raw_query split and percent-decoded ('+' is a space)
    bool query_decodes = true;      // false when raw_query holds a malformed %-escape
    std::vector<Header> headers;    // in the order sent, names as sent
    SharedBytes body;               // the body bytes, shared with readers and the simulation
    std::chrono::system_clock::time_point arrived;
    std::string remote;                       // "address:port" of the client
    std::optional<std::string> matched_stub;  // id of the stub that answered, or none
    int status = 0;                           // the status answered
    Answerer answerer = Answerer::none;
    // The answer as sent (a fault sends none): its headers and body, which shares the bytes the
    // connection writes, so keeping it costs no copy; footprint() counts it against the bound.
    std::vector<Header> response_headers;
    SharedBytes response_body;
    std::vector<NearMiss> near_misses;  // for unmatched requests
    std::vector<std::string> flags;     // client mistakes the simulation noticed
    // The spec operation the request is (matrix::match_operation(): its method and path, on any
    // version the operation's path has had), or nullptr; set on arrival, whoever answers.
    const EndpointSpec* operation = nullptr;
    // The version segment of its path; none for paths without one (/versions, /.well-known).
    std::optional<PathVersion> path_version;
    // What the request breaks of its operation's rules (matrix::validate_request()); empty when
    // it conforms or is no operation.
    std::vector<SpecViolation> violations;
    // Whether the path is the RFC 3986 encoding of its decoded segments; when not, the
    // canonical form (a warning only: servers accept both).
    bool path_canonical = true;
    std::string canonical_path;
    // The homeserver that answered it (MockHomeserverOptions::proxy_to), or "" when none did.
    std::string proxied_to;

    // The request in the form the conformance comparator reads.
    WireRequest wire() const { return {method, target, headers, body.str()}; }
};

// The memory one entry keeps alive, approximately (its strings, vectors and body), as the
// journal counts it against its byte bound.
std::size_t footprint(const JournalEntry& entry);

// Fills raw_path, raw_query, query and query_decodes from entry.target.
void split_target(JournalEntry& entry);

struct WaitResult {
    bool complete = false;               // n matching requests arrived in time
    std::vector<JournalEntry> matching;  // those that arrived (all of them, even beyond n)
};

// Thread-safe record of requests, bounded by entry count and by bytes (the oldest go first).
// Readers always get copies; bodies are shared, so copies are cheap.
class Journal {
  public:
    static constexpr std::size_t kDefaultCapacity = 100'000;
    static constexpr std::size_t kDefaultMaxBytes = 256 * 1024 * 1024;

    explicit Journal(std::size_t capacity = kDefaultCapacity,
                     std::size_t max_bytes = kDefaultMaxBytes);

    // Assigns the entry's id, stores it (evicting the oldest beyond either bound, but never the
    // entry just recorded: one entry larger than max_bytes stays alone until the next one),
    // completes waiters it satisfies, and tells the listener. Returns the id.
    std::uint64_t record(JournalEntry entry);

    std::vector<JournalEntry> entries() const;
    std::optional<JournalEntry> find(std::uint64_t id) const;
    // The newest `limit` entries (all without one) among those that arrived strictly after
    // `after` (all without it; arrival counted to the microsecond, as to_json writes it), in
    // the journal's order (the order they were recorded).
    std::vector<JournalEntry> recent(
        std::optional<std::size_t> limit,
        std::optional<std::chrono::system_clock::time_point> after) const;
    // Id-based paging: the entries with after < id < before (each bound optional). With
    // `after`, the oldest `limit` of them, so a reader that continues from the last id it got
    // misses none; otherwise the newest `limit`. In id order either way.
    std::vector<JournalEntry> page(std::optional<std::uint64_t> after,
                                   std::optional<std::uint64_t> before,
                                   std::optional<std::size_t> limit) const;
    // Drops one entry and its bytes; false when no entry has that id. Ids are not reused.
    bool remove(std::uint64_t id);
    std::uint64_t last_id() const;  // the id the newest record() gave, 0 before the first
    std::vector<JournalEntry> matching(const RequestPattern& pattern) const;
    std::size_t count(const RequestPattern& pattern) const;
    std::vector<JournalEntry> unmatched() const;  // answerer none: no stub, simulation or proxy

    // Blocks until `n` entries match `pattern` or `timeout` passes; woken by each record().
    WaitResult wait_for(const RequestPattern& pattern, std::size_t n,
                        std::chrono::milliseconds timeout) const;

    // The same wait without a thread: calls `done` once `n` entries match (from the thread
    // that records the last of them, or from this call when they already do, returning 0), or
    // from finish_wait(), whichever comes first. Returns an id for finish_wait().
    // Only entries with an id above `after_id` count (a long-poll for what is new).
    std::uint64_t when_matched(const RequestPattern& pattern, std::size_t n,
                               std::function<void(WaitResult)> done,
                               std::uint64_t after_id = 0) const;
    // Completes a pending wait now with what matched so far (complete: false unless n did).
    // False when it had already completed.
    bool finish_wait(std::uint64_t wait_id) const;

    void clear();  // entries only; ids keep counting, the evicted counts are kept
    std::size_t size() const;
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t max_bytes() const noexcept { return max_bytes_; }
    std::size_t bytes() const;            // footprint() of the entries held
    std::uint64_t evicted() const;        // entries dropped to stay within the bounds
    std::uint64_t evicted_bytes() const;  // their footprint

    // Called (outside the journal's lock, in arrival order per thread) for every entry
    // recorded; used to stream the journal to a file.
    void set_listener(std::function<void(const JournalEntry&)> listener);

  private:
    struct Waiter;
    // Under the lock: the result for `waiter` from the entries held now.
    WaitResult result_of(Waiter& waiter) const;
    // Under the lock: the position in entries_ of the entry with `id`, or -1.
    std::ptrdiff_t locate(std::uint64_t id) const;

    const std::size_t capacity_;
    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::deque<JournalEntry> entries_;
    std::deque<std::size_t> footprints_;  // parallel to entries_
    std::size_t bytes_ = 0;
    std::uint64_t next_id_ = 1;
    std::uint64_t evicted_ = 0;
    std::uint64_t evicted_bytes_ = 0;
    std::function<void(const JournalEntry&)> listener_;
    mutable std::map<std::uint64_t, std::shared_ptr<Waiter>> waiters_;
    mutable std::uint64_t next_wait_id_ = 1;
};

}  // namespace matrix::mock

namespace matrix::mock {

// One entry as the admin API and --journal-out write it: {"id", "method", "target", "path",
// "query": [[name, value], ...], "headers": [[name, value], ...], "body" (when valid UTF-8) or
// "body_base64", "arrived" (RFC 3339, UTC, microseconds), "remote", "matched": id | null,
// "status", "operation": operationId | null, "path_version": "r0" | "v3" | "v1" | null,
// "path_canonical", "canonical_path" (only when path_canonical is false), "violations":
// [{"where", "rule", "message"}, ...], "near_misses": [...], "answered_by": the stub's id,
// "simulation", "proxy" or "none", "response": {"status", "headers": [[name, value], ...],
// "body" (when valid UTF-8) or "body_base64"}} on one line.
std::string to_json(const JournalEntry& entry);

// The short form of an entry, for long lists: {"id", "method", "target", "arrived", "status",
// "operation": operationId | null, "answered_by", "violations": count, "near_misses": count}.
std::string to_summary_json(const JournalEntry& entry);

// The stub's id, "simulation", "proxy" or "none": who answered, as the admin API names it.
std::string answered_by(const JournalEntry& entry);

std::string base64_encode(std::string_view bytes);

}  // namespace matrix::mock
