// Waiting for requests in a test, with the journal shown when they do not come.
#include <sstream>

#include "matrix/mock/testing.hpp"

namespace matrix::mock {

::testing::AssertionResult ReceivedRequests(const MockHomeserver& server,
                                            const RequestPattern& pattern, std::size_t n,
                                            std::chrono::milliseconds timeout) {
    const WaitResult result = server.journal().wait_for(pattern, n, timeout);
    if (result.complete) return ::testing::AssertionSuccess();
    std::ostringstream message;
    message << "expected " << n << " request(s) matching " << pattern.describe() << " within "
            << timeout.count() << " ms, got " << result.matching.size();
    const std::vector<JournalEntry> entries = server.journal().entries();
    message << "; the journal holds " << entries.size() << ':';
    for (const JournalEntry& entry : entries) {
        message << "\n  ";
        PrintTo(entry, &message);
        const MatchResult match = pattern.match(entry);
        if (!match.matched) message << "\n    not matching: " << match.first_failure;
    }
    return ::testing::AssertionFailure() << message.str();
}

::testing::AssertionResult ReceivedRequests(const MockHomeserver& server, EndpointName endpoint,
                                            std::size_t n, std::chrono::milliseconds timeout) {
    return ReceivedRequests(server, RequestPattern::for_endpoint(endpoint.name), n, timeout);
}

}  // namespace matrix::mock
