// first_after(), the search every sync and page starts from, against a walk of the whole room.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {
namespace {

// The answer by walking the timeline from the start, as the simulation once did.
std::size_t walked(const State& state, const Room& room, std::uint64_t after) {
    std::size_t slot = 0;
    while (slot < room.timeline.size() && state.events[room.timeline[slot]].position <= after)
        ++slot;
    return slot;
}

TEST(FirstAfter, FindsTheSameSlotAsAWalkOfTheWholeRoomForEveryPosition) {
    State state{SimulationOptions{}};
    std::mt19937 random(7);
    for (int i = 0; i < 3000; ++i) {
        // Other rooms and account data move the stream on too, leaving gaps between positions.
        const std::string room = random() % 3 == 0 ? "!other:x" : "!room:x";
        append_event(state, room, "@a:x", "m.room.message", SharedBytes(std::string("{}")));
        if (random() % 5 == 0) bump(state);
    }
    const Room& room = state.rooms.at("!room:x");
    for (std::uint64_t after = 0; after <= state.position + 1; ++after) {
        const auto found = first_after(state, room, after);
        ASSERT_EQ(static_cast<std::size_t>(found - room.timeline.begin()),
                  walked(state, room, after))
            << "after " << after;
    }
}

TEST(FirstAfter, AnswersAnEmptyRoomAndOneEventRoom) {
    State state{SimulationOptions{}};
    Room empty;
    EXPECT_EQ(first_after(state, empty, 0), empty.timeline.end());
    append_event(state, "!one:x", "@a:x", "m.room.message", SharedBytes(std::string("{}")));
    const Room& one = state.rooms.at("!one:x");
    EXPECT_EQ(first_after(state, one, 0), one.timeline.begin());
    EXPECT_EQ(first_after(state, one, 1), one.timeline.end());
}

}  // namespace
}  // namespace matrix::mock::sim
