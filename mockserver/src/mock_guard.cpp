// The guard of a mounted typed mock: checks its expectation, reports what came nearest, and
// unmounts the stub when it goes out of scope.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/mock_builder.hpp"

namespace matrix::mock {
namespace {

// The installed handler (empty: the default). A function's static, not a global: other files'
// static initializers install handlers (matrix/mock/testing.hpp does), possibly before this
// file's globals would be constructed.
struct HandlerSlot {
    std::mutex mutex;
    MockFailureHandler handler;
};

HandlerSlot& handler_slot() {
    static HandlerSlot slot;
    return slot;
}

void default_handler(const MockFailure& failure) {
    std::cerr << failure.file << ':' << failure.line << ": " << failure.report << '\n';
    // An exception already unwinding the stack says what went wrong first; aborting here would
    // hide it.
    if (std::uncaught_exceptions() == 0) std::abort();
}

// The journal entries shown with an unmet expectation: those the stub answered when it got too
// many; otherwise the ones that passed the most of its predicates, newest first among equals (a
// near miss shows which of method, path, query or body the client got wrong).
std::string nearest_requests(const MockHomeserver& server, const std::string& id,
                             const RequestPattern& pattern, bool too_many) {
    constexpr std::size_t kShown = 3;
    const std::vector<JournalEntry> entries = server.journal().entries();
    if (entries.empty()) return "\n  the journal is empty: no request arrived";
    struct Ranked {
        std::size_t passed;
        const JournalEntry* entry;
        std::string failure;
    };
    std::vector<Ranked> ranked;
    for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
        if (too_many) {
            if (entry->matched_stub == id) ranked.push_back({0, &*entry, {}});
            continue;
        }
        MatchResult result = pattern.match(*entry);
        ranked.push_back({result.predicates_passed, &*entry, std::move(result.first_failure)});
    }
    std::ranges::stable_sort(ranked,
                             [](const Ranked& a, const Ranked& b) { return a.passed > b.passed; });
    std::string out = too_many ? "\n  requests it answered:" : "\n  nearest requests:";
    for (std::size_t i = 0; i < std::min(kShown, ranked.size()); ++i) {
        const JournalEntry& entry = *ranked[i].entry;
        out += "\n    #" + std::to_string(entry.id) + " " + entry.method + " " + entry.target +
               " -> " + std::to_string(entry.status);
        if (!ranked[i].failure.empty()) out += " (" + ranked[i].failure + ")";
    }
    if (ranked.size() > kShown)
        out += "\n    ... and " + std::to_string(ranked.size() - kShown) + " more";
    return out;
}

}  // namespace

MockFailureHandler set_mock_failure_handler(MockFailureHandler handler) {
    HandlerSlot& slot = handler_slot();
    std::lock_guard lock(slot.mutex);
    return std::exchange(slot.handler, std::move(handler));
}

MockGuard::MockGuard(MockHomeserver& server, std::string id, std::string label,
                     RequestPattern pattern, std::optional<Expectation> expectation,
                     std::source_location mounted_at)
    : server_(&server),
      server_lifetime_(server.lifetime()),
      id_(std::move(id)),
      label_(std::move(label)),
      pattern_(std::move(pattern)),
      expectation_(expectation),
      mounted_at_(mounted_at) {}

MockGuard::MockGuard(MockGuard&& other) noexcept
    : server_(std::exchange(other.server_, nullptr)),
      server_lifetime_(std::move(other.server_lifetime_)),
      id_(std::move(other.id_)),
      label_(std::move(other.label_)),
      pattern_(std::move(other.pattern_)),
      expectation_(other.expectation_),
      mounted_at_(other.mounted_at_) {}

MockGuard& MockGuard::operator=(MockGuard&& other) noexcept {
    if (this != &other) {
        finish();
        server_ = std::exchange(other.server_, nullptr);
        server_lifetime_ = std::move(other.server_lifetime_);
        id_ = std::move(other.id_);
        label_ = std::move(other.label_);
        pattern_ = std::move(other.pattern_);
        expectation_ = other.expectation_;
        mounted_at_ = other.mounted_at_;
    }
    return *this;
}

MockGuard::~MockGuard() { finish(); }

std::size_t MockGuard::uses() const {
    if (server_ == nullptr) return 0;
    if (server_lifetime_.expired())
        throw std::logic_error(label_ + ": its MockHomeserver is gone; declare the guard after it");
    const std::optional<Stub> stub = server_->stubs().find(id_);
    return stub ? stub->uses : 0;
}

std::optional<std::string> MockGuard::failure() const {
    if (server_ == nullptr || !expectation_) return std::nullopt;
    if (server_lifetime_.expired()) {
        return label_ + " expected " + expectation_->describe() +
               ", but its MockHomeserver was destroyed before the guard, so nothing was checked: "
               "declare the guard after the server";
    }
    const std::optional<Stub> stub = server_->stubs().find(id_);
    const std::size_t uses = stub ? stub->uses : 0;
    if (expectation_->holds(uses)) return std::nullopt;
    std::string report = label_ + " (" + pattern_.describe() + ", stub " + id_ + ") expected " +
                         expectation_->describe() + ", got " + std::to_string(uses);
    if (!stub) report += " (the stub was removed before the guard ended: reset()?)";
    const bool too_many = expectation_->max && uses > *expectation_->max;
    return report + nearest_requests(*server_, id_, pattern_, too_many);
}

void MockGuard::verify() const {
    if (std::optional<std::string> report = failure()) throw VerificationError(*report);
}

void MockGuard::finish() noexcept {
    if (server_ == nullptr) return;
    try {
        std::optional<std::string> report = failure();
        if (!server_lifetime_.expired()) server_->stubs().remove(id_);
        server_ = nullptr;
        if (!report) return;
        MockFailureHandler handler;
        {
            HandlerSlot& slot = handler_slot();
            std::lock_guard lock(slot.mutex);
            handler = slot.handler;
        }
        const MockFailure failure{std::move(*report), mounted_at_.file_name(),
                                  static_cast<int>(mounted_at_.line())};
        if (handler) {
            handler(failure);
        } else {
            default_handler(failure);
        }
    } catch (const std::exception& error) {
        // A destructor cannot throw: a handler that does (or a failed allocation) is reported.
        std::cerr << label_ << ": reporting the mock's check failed: " << error.what() << '\n';
    } catch (...) {
        std::cerr << label_ << ": reporting the mock's check failed\n";
    }
}

}  // namespace matrix::mock
