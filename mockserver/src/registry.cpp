// The stubs in force: selection by priority and age, use counting and near-miss reports.
#include "matrix/mock/registry.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace matrix::mock {
namespace {

constexpr std::size_t kNearMissesReported = 3;

bool used_up(const Stub& stub) { return stub.max_uses && stub.uses >= *stub.max_uses; }

}  // namespace

std::string StubRegistry::add(Stub stub) {
    std::lock_guard lock(mutex_);
    return add_locked(std::move(stub));
}

void StubRegistry::add_all(std::vector<Stub> stubs) {
    std::lock_guard lock(mutex_);
    for (Stub& stub : stubs) add_locked(std::move(stub));
}

bool StubRegistry::replace(Stub stub) {
    std::lock_guard lock(mutex_);
    if (std::ranges::none_of(stubs_, [&](const Stub& existing) { return existing.id == stub.id; }))
        return false;
    add_locked(std::move(stub));
    return true;
}

std::string StubRegistry::add_locked(Stub stub) {
    if (stub.id.empty()) stub.id = new_stub_id();
    stub.uses = 0;
    stub.sequence_number = next_sequence_number_++;
    // A replacement goes to the end, so stubs_ stays in creation order and it wins ties as the
    // newest stub.
    std::erase_if(stubs_, [&](const Stub& existing) { return existing.id == stub.id; });
    stubs_.push_back(std::move(stub));
    return stubs_.back().id;
}

bool StubRegistry::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(stubs_, [&](const Stub& stub) { return stub.id == id; }) > 0;
}

std::vector<Stub> StubRegistry::list() const {
    std::lock_guard lock(mutex_);
    return stubs_;
}

std::optional<Stub> StubRegistry::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    for (const Stub& stub : stubs_) {
        if (stub.id == id) return stub;
    }
    return std::nullopt;
}

Selection StubRegistry::select(const JournalEntry& request) {
    std::lock_guard lock(mutex_);
    // The fast pass decides; failures are described only when nothing matched.
    Stub* chosen = nullptr;
    for (Stub& stub : stubs_) {
        if (used_up(stub) || !stub.request.matches(request)) continue;
        const bool better =
            chosen == nullptr || stub.priority < chosen->priority ||
            (stub.priority == chosen->priority && stub.sequence_number > chosen->sequence_number);
        if (better) chosen = &stub;
    }

    Selection selection;
    if (chosen != nullptr) {
        const std::size_t uses_before = chosen->uses++;
        selection.stub_id = chosen->id;
        if (chosen->responses.empty()) {
            // A stub given no response yet answers 200 {} (the in-process API's default).
            selection.response = ResponseDefinition::json_body(200, Json());
        } else {
            selection.response =
                chosen->responses[std::min(uses_before, chosen->responses.size() - 1)];
        }
        return selection;
    }

    struct Candidate {
        const Stub* stub;
        MatchResult result;
    };
    std::vector<Candidate> misses;
    for (const Stub& stub : stubs_) {
        MatchResult result = stub.request.match(request);
        if (result.matched) {
            // It would have answered but for maxUses: say so rather than blame no predicate.
            result.first_failure = "maxUses: used up (" + std::to_string(stub.uses) + " of " +
                                   std::to_string(*stub.max_uses) + ")";
            result.matched = false;
        }
        misses.push_back({&stub, std::move(result)});
    }
    std::ranges::stable_sort(misses, [](const Candidate& a, const Candidate& b) {
        if (a.result.predicates_passed != b.result.predicates_passed)
            return a.result.predicates_passed > b.result.predicates_passed;
        return a.stub->sequence_number > b.stub->sequence_number;
    });
    for (std::size_t i = 0; i < misses.size() && i < kNearMissesReported; ++i) {
        const Candidate& miss = misses[i];
        selection.near_misses.push_back({miss.stub->id, miss.stub->name, miss.result.first_failure,
                                         miss.result.predicates_passed,
                                         miss.result.predicates_total});
    }
    return selection;
}

void StubRegistry::reset_to_files() {
    std::lock_guard lock(mutex_);
    std::erase_if(stubs_, [](const Stub& stub) { return !stub.from_files; });
    for (Stub& stub : stubs_) stub.uses = 0;
}

void StubRegistry::clear() {
    std::lock_guard lock(mutex_);
    stubs_.clear();
}

}  // namespace matrix::mock
