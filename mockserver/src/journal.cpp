// The journal: records requests verbatim, answers readers with copies, and writes entries as JSON.
#include "matrix/mock/journal.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <condition_variable>
#include <limits>
#include <utility>

#include "matrix/error.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/query_string.hpp"
#include "matrix/utf8.hpp"
#include "timestamp.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock {

namespace {

using detail::JsonWriter;

using detail::write_string;

void write_pair(JsonWriter& writer, std::string_view name, std::string_view value) {
    writer.StartArray();
    write_string(writer, name);
    write_string(writer, value);
    writer.EndArray();
}

void write_headers(JsonWriter& writer, const std::vector<Header>& headers) {
    writer.StartArray();
    for (const Header& header : headers) write_pair(writer, header.name, header.value);
    writer.EndArray();
}

// "id", "method" and "target": the members both forms of an entry open with.
void write_request_line(JsonWriter& writer, const JournalEntry& entry) {
    writer.Key("id");
    writer.Uint64(entry.id);
    writer.Key("method");
    write_string(writer, entry.method);
    writer.Key("target");
    write_string(writer, entry.target);
}

void write_arrived(JsonWriter& writer, const JournalEntry& entry) {
    writer.Key("arrived");
    const std::string arrived = format_rfc3339(entry.arrived);
    writer.String(arrived.data(), static_cast<rapidjson::SizeType>(arrived.size()));
}

void write_status_and_operation(JsonWriter& writer, const JournalEntry& entry) {
    writer.Key("status");
    writer.Int(entry.status);
    writer.Key("operation");
    if (entry.operation != nullptr) {
        write_string(writer, entry.operation->operation_id);
    } else {
        writer.Null();
    }
}

// "body" when the bytes are text JSON can hold; otherwise "body_base64", keeping every byte.
void write_body(JsonWriter& writer, std::string_view body) {
    if (is_valid_utf8(body)) {
        writer.Key("body");
        writer.String(body.data(), static_cast<rapidjson::SizeType>(body.size()));
    } else {
        writer.Key("body_base64");
        const std::string encoded = base64_encode(body);
        writer.String(encoded.data(), static_cast<rapidjson::SizeType>(encoded.size()));
    }
}

}  // namespace

void split_target(JournalEntry& entry) {
    const std::string_view target = entry.target;
    const std::size_t question = target.find('?');
    entry.raw_path = std::string(target.substr(0, question));
    entry.raw_query = question == std::string_view::npos ? std::string()
                                                         : std::string(target.substr(question + 1));
    // The raw query keeps the bytes of malformed pairs; query_decodes tells matchers the decoded
    // pairs are incomplete.
    ParsedQuery parsed = parse_query(entry.raw_query);
    entry.query = std::move(parsed.params);
    entry.query_decodes = parsed.decodes();
}

namespace {

// A heap block holds its bytes plus the allocator's header (and rounding).
constexpr std::size_t kHeapBlockOverhead = 16;

std::size_t string_footprint(const std::string& text) {
    // Up to 15 characters live inside the string object itself (libstdc++'s small buffer).
    return text.capacity() > 15 ? text.capacity() + 1 + kHeapBlockOverhead : 0;
}

template <typename Pair>
std::size_t pairs_footprint(const std::vector<Pair>& pairs) {
    std::size_t bytes = pairs.capacity() * sizeof(Pair) + (pairs.empty() ? 0 : kHeapBlockOverhead);
    for (const Pair& pair : pairs)
        bytes += string_footprint(pair.name) + string_footprint(pair.value);
    return bytes;
}

}  // namespace

std::size_t footprint(const JournalEntry& entry) {
    std::size_t bytes = sizeof(JournalEntry) + string_footprint(entry.method) +
                        string_footprint(entry.target) + string_footprint(entry.raw_path) +
                        string_footprint(entry.raw_query) + string_footprint(entry.remote) +
                        pairs_footprint(entry.headers) + pairs_footprint(entry.query) +
                        entry.body.footprint();
    if (entry.matched_stub) bytes += string_footprint(*entry.matched_stub);
    bytes += entry.near_misses.capacity() * sizeof(NearMiss);
    for (const NearMiss& miss : entry.near_misses) {
        bytes += string_footprint(miss.stub_id) + string_footprint(miss.stub_name) +
                 string_footprint(miss.failed_predicate);
    }
    bytes += entry.flags.capacity() * sizeof(std::string);
    for (const std::string& flag : entry.flags) bytes += string_footprint(flag);
    bytes += string_footprint(entry.canonical_path);
    bytes += pairs_footprint(entry.response_headers) + entry.response_body.footprint();
    bytes += string_footprint(entry.proxied_to);
    bytes += entry.violations.capacity() * sizeof(SpecViolation);
    for (const SpecViolation& violation : entry.violations) {
        bytes += string_footprint(violation.where) + string_footprint(violation.rule) +
                 string_footprint(violation.message);
    }
    return bytes;
}

// A pending wait: the ids that matched so far, tested once each as entries arrive.
struct Journal::Waiter {
    RequestPattern pattern;
    std::size_t n = 0;
    std::uint64_t after_id = 0;  // entries up to this id do not count
    std::deque<std::uint64_t> matched_ids;
    std::function<void(WaitResult)> done;
};

Journal::Journal(std::size_t capacity, std::size_t max_bytes)
    : capacity_(capacity), max_bytes_(max_bytes) {
    if (capacity == 0) throw InvalidArgument("capacity", "must be at least 1");
    if (max_bytes == 0) throw InvalidArgument("max_bytes", "must be at least 1");
}

WaitResult Journal::result_of(Waiter& waiter) const {
    // Ids in entries_ increase (records append, evictions pop the front, clear() empties, and
    // remove() leaves a gap), so ids below the front are gone, and the rest are looked up.
    const std::uint64_t front_id = entries_.empty() ? next_id_ : entries_.front().id;
    while (!waiter.matched_ids.empty() && waiter.matched_ids.front() < front_id)
        waiter.matched_ids.pop_front();
    std::erase_if(waiter.matched_ids, [this](std::uint64_t id) { return locate(id) < 0; });
    WaitResult result;
    result.complete = waiter.matched_ids.size() >= waiter.n;
    result.matching.reserve(waiter.matched_ids.size());
    for (const std::uint64_t id : waiter.matched_ids)
        result.matching.push_back(entries_[static_cast<std::size_t>(locate(id))]);
    return result;
}

std::ptrdiff_t Journal::locate(std::uint64_t id) const {
    const auto it = std::lower_bound(
        entries_.begin(), entries_.end(), id,
        [](const JournalEntry& entry, std::uint64_t wanted) { return entry.id < wanted; });
    if (it == entries_.end() || it->id != id) return -1;
    return it - entries_.begin();
}

std::uint64_t Journal::record(JournalEntry entry) {
    std::function<void(const JournalEntry&)> listener;
    std::optional<JournalEntry> for_listener;
    std::vector<std::pair<std::function<void(WaitResult)>, WaitResult>> completed;
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        entry.id = id;
        if (listener_) {
            // Copied under the lock: once stored, another record() may evict the entry.
            listener = listener_;
            for_listener = entry;
        }
        const std::size_t bytes = footprint(entry);
        entries_.push_back(std::move(entry));
        footprints_.push_back(bytes);
        bytes_ += bytes;
        while (entries_.size() > 1 && (entries_.size() > capacity_ || bytes_ > max_bytes_)) {
            bytes_ -= footprints_.front();
            evicted_bytes_ += footprints_.front();
            entries_.pop_front();
            footprints_.pop_front();
            ++evicted_;
        }
        const JournalEntry& stored = entries_.back();
        for (auto it = waiters_.begin(); it != waiters_.end();) {
            Waiter& waiter = *it->second;
            if (id > waiter.after_id && waiter.pattern.matches(stored))
                waiter.matched_ids.push_back(id);
            if (waiter.matched_ids.size() >= waiter.n) {
                WaitResult result = result_of(waiter);
                if (result.complete) {
                    completed.emplace_back(std::move(waiter.done), std::move(result));
                    it = waiters_.erase(it);
                    continue;
                }
            }
            ++it;
        }
    }
    // Outside the lock so a slow listener (a file write) never stalls readers, and a listener
    // or waiter that reads the journal cannot deadlock.
    for (auto& [done, result] : completed) done(std::move(result));
    if (listener) listener(*for_listener);
    return id;
}

std::vector<JournalEntry> Journal::entries() const {
    std::lock_guard lock(mutex_);
    return {entries_.begin(), entries_.end()};
}

std::optional<JournalEntry> Journal::find(std::uint64_t id) const {
    std::lock_guard lock(mutex_);
    const std::ptrdiff_t at = locate(id);
    if (at < 0) return std::nullopt;
    return entries_[static_cast<std::size_t>(at)];
}

std::vector<JournalEntry> Journal::recent(
    std::optional<std::size_t> limit,
    std::optional<std::chrono::system_clock::time_point> after) const {
    std::lock_guard lock(mutex_);
    // Entries are in the order they were recorded (answered), and a held request arrives long
    // before it is recorded, so "arrived" is tested on every entry rather than searched for.
    std::vector<const JournalEntry*> picked;
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (limit && picked.size() >= *limit) break;
        // To the microsecond, as "arrived" is written: an entry's own "arrived" leaves it out.
        if (after && std::chrono::floor<std::chrono::microseconds>(it->arrived) <= *after) continue;
        picked.push_back(&*it);
    }
    std::vector<JournalEntry> out;
    out.reserve(picked.size());
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) out.push_back(**it);
    return out;
}

std::vector<JournalEntry> Journal::page(std::optional<std::uint64_t> after,
                                        std::optional<std::uint64_t> before,
                                        std::optional<std::size_t> limit) const {
    std::lock_guard lock(mutex_);
    // Ids increase along entries_, so both bounds are found by binary search.
    const auto by_id = [](const JournalEntry& entry, std::uint64_t id) { return entry.id < id; };
    auto first = entries_.begin();
    auto last = entries_.end();
    if (after && *after < std::numeric_limits<std::uint64_t>::max())
        first = std::lower_bound(entries_.begin(), entries_.end(), *after + 1, by_id);
    else if (after)
        first = last;
    if (before) last = std::lower_bound(first, entries_.end(), *before, by_id);
    if (limit && static_cast<std::size_t>(last - first) > *limit) {
        const auto take = static_cast<std::ptrdiff_t>(*limit);
        if (after) {
            last = first + take;
        } else {
            first = last - take;
        }
    }
    return {first, last};
}

bool Journal::remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    const std::ptrdiff_t at = locate(id);
    if (at < 0) return false;
    bytes_ -= footprints_[static_cast<std::size_t>(at)];
    entries_.erase(entries_.begin() + at);
    footprints_.erase(footprints_.begin() + at);
    return true;
}

std::uint64_t Journal::last_id() const {
    std::lock_guard lock(mutex_);
    return next_id_ - 1;
}

std::vector<JournalEntry> Journal::matching(const RequestPattern& pattern) const {
    std::lock_guard lock(mutex_);
    std::vector<JournalEntry> out;
    for (const JournalEntry& entry : entries_) {
        if (pattern.matches(entry)) out.push_back(entry);
    }
    return out;
}

std::size_t Journal::count(const RequestPattern& pattern) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(),
                      [&](const JournalEntry& entry) { return pattern.matches(entry); }));
}

std::vector<JournalEntry> Journal::unmatched() const {
    std::lock_guard lock(mutex_);
    std::vector<JournalEntry> out;
    for (const JournalEntry& entry : entries_) {
        if (entry.answerer == Answerer::none) out.push_back(entry);
    }
    return out;
}

WaitResult Journal::wait_for(const RequestPattern& pattern, std::size_t n,
                             std::chrono::milliseconds timeout) const {
    // Clamped so that an absurd timeout cannot overflow the deadline.
    constexpr std::chrono::milliseconds kLongest = std::chrono::hours(24 * 365);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::clamp(timeout, std::chrono::milliseconds::zero(), kLongest);
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<WaitResult> outcome;
    const std::uint64_t wait_id = when_matched(pattern, n, [&](WaitResult result) {
        std::lock_guard lock(mutex);
        outcome = std::move(result);
        answered.notify_all();
    });
    std::unique_lock lock(mutex);
    if (!answered.wait_until(lock, deadline, [&] { return outcome.has_value(); })) {
        lock.unlock();
        finish_wait(wait_id);  // answers at once, unless a record() is answering right now
        lock.lock();
        answered.wait(lock, [&] { return outcome.has_value(); });
    }
    return std::move(*outcome);
}

std::uint64_t Journal::when_matched(const RequestPattern& pattern, std::size_t n,
                                    std::function<void(WaitResult)> done,
                                    std::uint64_t after_id) const {
    auto waiter = std::make_shared<Waiter>();
    waiter->pattern = pattern;
    waiter->n = n;
    waiter->after_id = after_id;
    WaitResult result;
    {
        std::lock_guard lock(mutex_);
        for (const JournalEntry& entry : entries_) {
            if (entry.id > after_id && pattern.matches(entry))
                waiter->matched_ids.push_back(entry.id);
        }
        result = result_of(*waiter);
        if (!result.complete) {
            waiter->done = std::move(done);
            const std::uint64_t id = next_wait_id_++;
            waiters_.emplace(id, std::move(waiter));
            return id;
        }
    }
    done(std::move(result));
    return 0;
}

bool Journal::finish_wait(std::uint64_t wait_id) const {
    std::function<void(WaitResult)> done;
    WaitResult result;
    {
        std::lock_guard lock(mutex_);
        const auto it = waiters_.find(wait_id);
        if (it == waiters_.end()) return false;
        result = result_of(*it->second);
        done = std::move(it->second->done);
        waiters_.erase(it);
    }
    done(std::move(result));
    return true;
}

void Journal::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
    footprints_.clear();
    bytes_ = 0;
}

std::size_t Journal::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::uint64_t Journal::evicted_bytes() const {
    std::lock_guard lock(mutex_);
    return evicted_bytes_;
}

std::size_t Journal::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::uint64_t Journal::evicted() const {
    std::lock_guard lock(mutex_);
    return evicted_;
}

void Journal::set_listener(std::function<void(const JournalEntry&)> listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

std::string to_json(const JournalEntry& entry) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    write_request_line(writer, entry);
    if (!is_valid_utf8(entry.target)) {
        // "target" had bytes replaced; this keeps the exact bytes.
        writer.Key("target_base64");
        const std::string encoded = base64_encode(entry.target);
        writer.String(encoded.data(), static_cast<rapidjson::SizeType>(encoded.size()));
    }
    writer.Key("path");
    write_string(writer, entry.raw_path);
    writer.Key("query");
    writer.StartArray();
    for (const QueryParam& param : entry.query) write_pair(writer, param.name, param.value);
    writer.EndArray();
    writer.Key("headers");
    write_headers(writer, entry.headers);
    write_body(writer, entry.body);
    write_arrived(writer, entry);
    writer.Key("remote");
    write_string(writer, entry.remote);
    writer.Key("matched");
    if (entry.matched_stub) {
        write_string(writer, *entry.matched_stub);
    } else {
        writer.Null();
    }
    write_status_and_operation(writer, entry);
    writer.Key("path_version");
    if (entry.path_version) {
        write_string(writer, to_string(*entry.path_version));
    } else {
        writer.Null();
    }
    writer.Key("path_canonical");
    writer.Bool(entry.path_canonical);
    if (!entry.path_canonical) {
        writer.Key("canonical_path");
        write_string(writer, entry.canonical_path);
    }
    writer.Key("violations");
    writer.StartArray();
    for (const SpecViolation& violation : entry.violations) {
        writer.StartObject();
        writer.Key("where");
        write_string(writer, violation.where);
        writer.Key("rule");
        write_string(writer, violation.rule);
        writer.Key("message");
        write_string(writer, violation.message);
        writer.EndObject();
    }
    writer.EndArray();
    writer.Key("near_misses");
    writer.StartArray();
    for (const NearMiss& miss : entry.near_misses) {
        writer.StartObject();
        writer.Key("stub_id");
        write_string(writer, miss.stub_id);
        writer.Key("stub_name");
        write_string(writer, miss.stub_name);
        writer.Key("failed_predicate");
        write_string(writer, miss.failed_predicate);
        writer.Key("predicates_passed");
        writer.Uint64(miss.predicates_passed);
        writer.Key("predicates_total");
        writer.Uint64(miss.predicates_total);
        writer.EndObject();
    }
    writer.EndArray();
    writer.Key("answered_by");
    write_string(writer, answered_by(entry));
    writer.Key("response");
    writer.StartObject();
    writer.Key("status");
    writer.Int(entry.status);
    writer.Key("headers");
    write_headers(writer, entry.response_headers);
    write_body(writer, entry.response_body);
    writer.EndObject();
    // Only present when set, so stub-only journals read as before.
    if (entry.answerer == Answerer::simulation) {
        writer.Key("simulated");
        writer.Bool(true);
    }
    if (!entry.proxied_to.empty()) {
        writer.Key("proxied_to");
        write_string(writer, entry.proxied_to);
    }
    if (!entry.flags.empty()) {
        writer.Key("flags");
        writer.StartArray();
        for (const std::string& flag : entry.flags) write_string(writer, flag);
        writer.EndArray();
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string_view to_string(Answerer answerer) noexcept {
    switch (answerer) {
        case Answerer::none:
            return "none";
        case Answerer::stub:
            return "stub";
        case Answerer::simulation:
            return "simulation";
        case Answerer::proxy:
            return "proxy";
    }
    return "none";
}

std::string answered_by(const JournalEntry& entry) {
    if (entry.answerer == Answerer::stub && entry.matched_stub) return *entry.matched_stub;
    return std::string(to_string(entry.answerer));
}

std::string to_summary_json(const JournalEntry& entry) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    write_request_line(writer, entry);
    write_arrived(writer, entry);
    write_status_and_operation(writer, entry);
    writer.Key("answered_by");
    write_string(writer, answered_by(entry));
    writer.Key("violations");
    writer.Uint64(entry.violations.size());
    writer.Key("near_misses");
    writer.Uint64(entry.near_misses.size());
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string base64_encode(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t triple =
            (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
            std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        out += kAlphabet[(triple >> 18) & 0x3F];
        out += kAlphabet[(triple >> 12) & 0x3F];
        out += kAlphabet[(triple >> 6) & 0x3F];
        out += kAlphabet[triple & 0x3F];
    }
    const std::size_t left = bytes.size() - i;
    if (left > 0) {
        std::uint32_t triple = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (left == 2) triple |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        out += kAlphabet[(triple >> 18) & 0x3F];
        out += kAlphabet[(triple >> 12) & 0x3F];
        out += left == 2 ? kAlphabet[(triple >> 6) & 0x3F] : '=';
        out += '=';
    }
    return out;
}

}  // namespace matrix::mock
