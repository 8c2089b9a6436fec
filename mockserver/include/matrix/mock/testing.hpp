// GoogleTest support for the mock homeserver (target matrix::mock_testing, links GTest::gmock):
// readable journal entries in failure messages, matchers for them, a wait that shows what it
// saw, and guards of typed mocks that fail the running test when their expectation is unmet.
//
//   EXPECT_THAT(hs.journal().entries(),
//               Contains(AllOf(IsOperation(endpoints::whoami), HasHeader("Authorization"))));
//   ASSERT_TRUE(ReceivedRequests(hs, endpoints::sync, 2, std::chrono::seconds(5)));
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "matrix/endpoints.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/pattern.hpp"

namespace matrix::mock {

// "#3 GET /_matrix/client/v3/account/whoami -> 200 (getTokenOwner, stub ID)", then its headers
// and its body (the first 200 bytes). GoogleTest finds it for every JournalEntry it prints.
void PrintTo(const JournalEntry& entry, std::ostream* out);

// A header of that name (any case), with a value the matcher accepts when one is given.
::testing::Matcher<const JournalEntry&> HasHeader(std::string name);
::testing::Matcher<const JournalEntry&> HasHeader(std::string name,
                                                  ::testing::Matcher<const std::string&> value);

// A JSON body holding `subset`: every member it names, recursively, with an equal value;
// members it does not name are allowed. Or a JSON body the matcher accepts.
::testing::Matcher<const JournalEntry&> HasJsonBody(Json subset);
::testing::Matcher<const JournalEntry&> HasJsonBody(::testing::Matcher<const Json&> body);

// A request of that operation (on any path version): an endpoint constant, or a name as
// find_endpoint_forms() takes it ("getTokenOwner", "whoami"); an unknown name throws
// std::invalid_argument.
::testing::Matcher<const JournalEntry&> IsOperation(EndpointName endpoint);
::testing::Matcher<const JournalEntry&> IsOperation(std::string_view name);

// Waits up to `timeout` for `n` requests matching; on failure the message lists what the
// journal holds, so a wrong path or a missing request shows at once.
::testing::AssertionResult ReceivedRequests(const MockHomeserver& server,
                                            const RequestPattern& pattern, std::size_t n,
                                            std::chrono::milliseconds timeout);
::testing::AssertionResult ReceivedRequests(const MockHomeserver& server, EndpointName endpoint,
                                            std::size_t n, std::chrono::milliseconds timeout);

// Makes a typed mock's guard that finds its expectation unmet fail the running test
// (ADD_FAILURE) instead of aborting. Every file including this header installs it at start-up;
// calling it again is harmless.
void install_gtest_mock_failure_handler();

namespace detail {
// One per file that includes this header (internal linkage, so no linker can drop it the way it
// drops an unreferenced object file of a static library).
[[maybe_unused]] static const bool gtest_handler_installed =
    (install_gtest_mock_failure_handler(), true);
}  // namespace detail

}  // namespace matrix::mock
