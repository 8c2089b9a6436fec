// Load without loss: concurrent keep-alive clients, every request answered and journaled once
// with its body intact, and a journal that stays at its cap under load.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_connection.hpp"

namespace matrix::mock {
namespace {

using testing::keep_alive_request;
using testing::RawConnection;

constexpr int kClients = 8;

// A distinct body per request, of varied length, with multi-byte UTF-8 and JSON escapes, so a
// lost, duplicated, truncated or mixed-up body shows.
std::string body_for(int client, int i) {
    std::string body = "{\"client\":" + std::to_string(client) + ",\"i\":" + std::to_string(i) +
                       ",\"text\":\"h\\u00e9llo \xE2\x82\xAC \\\"q\\\" ";
    body.append(static_cast<std::size_t>((client * 7919 + i * 104729) % 1500),
                'a' + static_cast<char>(i % 26));
    return body + "\"}";
}

struct LoadResult {
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
};

// Each client keeps one connection and sends `each` requests on it, one after another.
void drive(const MockHomeserver& hs, int each, LoadResult& result) {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&hs, &result, each, c] {
            RawConnection connection(hs.port());
            for (int i = 0; i < each; ++i) {
                const bool sent =
                    connection.send_bytes(keep_alive_request("POST", "/load", body_for(c, i)));
                const auto response = connection.read_response(std::chrono::seconds(30));
                if (sent && response && response->status == 200) {
                    ++result.ok;
                } else {
                    ++result.failed;
                    return;  // the connection is unusable; the count shows the loss
                }
            }
        });
    }
    for (std::thread& client : clients) client.join();
}

TEST(MockHomeserverLoad, EightKeepAliveClientsLoseNoRequestAndKeepEveryBodyIntact) {
    MockHomeserver hs;
    hs.on(RequestPattern::for_path("POST", "/load"));
    constexpr int kEach = 1000;
    LoadResult result;
    drive(hs, kEach, result);
    EXPECT_EQ(result.failed.load(), 0);
    EXPECT_EQ(result.ok.load(), kClients * kEach);

    const std::vector<JournalEntry> entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(kClients * kEach));
    EXPECT_EQ(hs.journal().evicted(), 0u);
    std::map<std::string, int> seen;
    for (const JournalEntry& entry : entries) {
        ++seen[entry.body.str()];
        EXPECT_EQ(entry.status, 200);
    }
    for (int c = 0; c < kClients; ++c) {
        for (int i = 0; i < kEach; ++i) {
            const auto it = seen.find(body_for(c, i));
            ASSERT_NE(it, seen.end()) << "client " << c << " request " << i << " is missing";
            EXPECT_EQ(it->second, 1) << "client " << c << " request " << i << " recorded twice";
        }
    }
    // Requests on one connection are recorded in the order they were sent.
    std::vector<int> last(kClients, -1);
    for (const JournalEntry& entry : entries) {
        const int c = entry.body.view()[10] - '0';
        const int i = std::stoi(std::string(entry.body.view().substr(16)));
        EXPECT_GT(i, last[static_cast<std::size_t>(c)]);
        last[static_cast<std::size_t>(c)] = i;
    }
}

TEST(MockHomeserverLoad, TheJournalStaysAtItsCapAndCountsWhatItEvicted) {
    MockHomeserverOptions options;
    options.journal_capacity = 100;
    MockHomeserver hs(options);
    hs.on(RequestPattern::for_path("POST", "/load"));
    constexpr int kEach = 250;
    LoadResult result;
    drive(hs, kEach, result);
    EXPECT_EQ(result.ok.load(), kClients * kEach);
    EXPECT_EQ(hs.journal().size(), 100u);
    EXPECT_EQ(hs.journal().evicted(), static_cast<std::uint64_t>(kClients * kEach - 100));
    // What stays is the newest: ids are consecutive and end at the last one assigned.
    const std::vector<JournalEntry> entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 100u);
    EXPECT_EQ(entries.back().id, static_cast<std::uint64_t>(kClients * kEach));
    for (std::size_t i = 1; i < entries.size(); ++i)
        EXPECT_EQ(entries[i].id, entries[i - 1].id + 1);
}

}  // namespace
}  // namespace matrix::mock
