// The stubs in force: thread-safe selection by priority and age, use counting, near misses.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "matrix/mock/journal.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

struct Selection {
    std::optional<std::string> stub_id;  // none when nothing matched
    ResponseDefinition response;         // the response to give (sequence position applied)
    std::vector<NearMiss> near_misses;   // when nothing matched: up to 3, nearest first
};

class StubRegistry {
  public:
    // Adds a stub, giving it a creation number; returns its id. A stub with an id already in
    // use replaces that stub.
    std::string add(Stub stub);
    // Adds or replaces each, at once: a request meets all of them or none.
    void add_all(std::vector<Stub> stubs);
    // Replaces the stub with stub.id as add() does; false, adding nothing, when there is none.
    bool replace(Stub stub);
    bool remove(const std::string& id);
    std::vector<Stub> list() const;  // copies, in creation order
    std::optional<Stub> find(const std::string& id) const;

    // Changes a stub in place under the lock (used by the fluent in-process API).
    template <typename F>
    bool update(const std::string& id, F&& change) {
        std::lock_guard lock(mutex_);
        for (Stub& stub : stubs_) {
            if (stub.id == id) {
                change(stub);
                return true;
            }
        }
        return false;
    }

    // Picks the stub for `request`: matching, not used up, lowest priority number, newest on
    // ties. Counts the use and advances its sequence. Otherwise reports the near misses.
    Selection select(const JournalEntry& request);

    // Removes stubs not loaded from files (POST /__admin/reset), and resets use counts.
    void reset_to_files();
    void clear();

  private:
    std::string add_locked(Stub stub);  // add() with the lock held

    mutable std::mutex mutex_;
    std::vector<Stub> stubs_;
    std::uint64_t next_sequence_number_ = 1;
};

}  // namespace matrix::mock
