// The journal: every request the mock homeserver received, exactly as received.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "matrix/request.hpp"

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

struct JournalEntry {
    std::uint64_t id = 0;  // 1, 2, 3, ... in arrival order; never reused
    std::string method;
    std::string target;             // the raw request target, byte for byte as received
    std::string raw_path;           // target up to the first '?'
    std::string raw_query;          // target after the first '?' ("" when none)
    std::vector<QueryParam> query;  // raw_query split and percent-decoded ('+' is a space)
    bool query_decodes = true;      // false when raw_query holds a malformed %-escape
    std::vector<Header> headers;    // as the HTTP layer delivered them
    std::string body;               // the body bytes
    std::chrono::system_clock::time_point arrived;
    std::string remote;                       // "address:port" of the client
    std::optional<std::string> matched_stub;  // id of the stub that answered, or none
    int status = 0;                           // the status answered
    std::vector<NearMiss> near_misses;        // for unmatched requests
    bool simulated = false;                   // answered by the simulation, not a stub
    std::vector<std::string> flags;           // client mistakes the simulation noticed

    // The request in the form the conformance comparator reads.
    WireRequest wire() const { return {method, target, headers, body}; }
};

// Fills raw_path, raw_query, query and query_decodes from entry.target.
void split_target(JournalEntry& entry);

struct WaitResult {
    bool complete = false;               // n matching requests arrived in time
    std::vector<JournalEntry> matching;  // those that arrived (all of them, even beyond n)
};

// Thread-safe, bounded record of requests. Readers always get copies.
class Journal {
  public:
    static constexpr std::size_t kDefaultCapacity = 100'000;

    explicit Journal(std::size_t capacity = kDefaultCapacity);

    // Assigns the entry's id, stores it (evicting the oldest beyond capacity), wakes waiters,
    // and tells the listener. Returns the id.
    std::uint64_t record(JournalEntry entry);

    std::vector<JournalEntry> entries() const;
    std::optional<JournalEntry> find(std::uint64_t id) const;
    std::vector<JournalEntry> matching(const RequestPattern& pattern) const;
    std::size_t count(const RequestPattern& pattern) const;
    std::vector<JournalEntry> unmatched() const;  // neither a stub nor the simulation answered

    // Blocks until `n` entries match `pattern` or `timeout` passes; woken by each record().
    WaitResult wait_for(const RequestPattern& pattern, std::size_t n,
                        std::chrono::milliseconds timeout) const;

    void clear();  // entries only; ids keep counting, the evicted count is kept
    std::size_t size() const;
    std::size_t capacity() const noexcept { return capacity_; }
    std::uint64_t evicted() const;  // entries dropped to stay within capacity

    // Called (outside the journal's lock, in arrival order per thread) for every entry
    // recorded; used to stream the journal to a file.
    void set_listener(std::function<void(const JournalEntry&)> listener);

  private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::deque<JournalEntry> entries_;
    std::uint64_t next_id_ = 1;
    std::uint64_t evicted_ = 0;
    std::function<void(const JournalEntry&)> listener_;
};

}  // namespace matrix::mock

namespace matrix::mock {

// One entry as the admin API and --journal-out write it: {"id", "method", "target", "path",
// "query": [[name, value], ...], "headers": [[name, value], ...], "body" (when valid UTF-8) or
// "body_base64", "arrived" (RFC 3339, UTC, microseconds), "remote", "matched": id | null,
// "status", "near_misses": [...]} on one line.
std::string to_json(const JournalEntry& entry);

std::string base64_encode(std::string_view bytes);

}  // namespace matrix::mock
