// The simulation's own cost, without sockets: waking held /syncs with one message, and empty
// incremental /syncs, each over a short and a long room history in the same run, so the
// history's effect shows as a ratio (bench/longpoll_load.sh measures the same over HTTP).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "matrix/mock/journal.hpp"
#include "matrix/mock/simulation.hpp"

namespace {

using matrix::mock::JournalEntry;
using matrix::mock::SimulatedResponse;
using matrix::mock::Simulation;

JournalEntry request(std::string method, std::string target, const std::string& token,
                     std::string body = {}) {
    JournalEntry entry;
    entry.method = std::move(method);
    entry.target = std::move(target);
    if (!token.empty()) entry.headers.push_back({"Authorization", "Bearer " + token});
    entry.body = std::move(body);
    matrix::mock::split_target(entry);
    return entry;
}

// The string member `key` of a flat JSON answer, found textually (the answers are ours).
std::string member(const std::string& json, const std::string& key) {
    const std::string pattern = "\"" + key + "\":\"";
    const std::size_t at = json.find(pattern);
    if (at == std::string::npos) return {};
    const std::size_t start = at + pattern.size();
    return json.substr(start, json.find('"', start) - start);
}

std::string answer(Simulation& simulation, const JournalEntry& entry) {
    const auto response = simulation.handle(entry);
    return response ? response->response.body : std::string();
}

// One user with `devices` devices in one room holding `history` messages.
struct World {
    std::unique_ptr<Simulation> simulation = std::make_unique<Simulation>();
    std::string room_id;
    std::vector<std::string> tokens;
    std::vector<std::string> since;

    World(std::size_t devices, std::size_t history) {
        Simulation& sim = *simulation;
        const std::string first =
            member(sim.handle_admin("POST", "/__admin/sim/users",
                                    R"({"username":"bench","password":"pw","device_id":"D0"})")
                       ->body,
                   "access_token");
        tokens.push_back(first);
        for (std::size_t i = 1; i < devices; ++i) {
            tokens.push_back(
                member(answer(sim, request("POST", "/_matrix/client/v3/login", {},
                                           R"({"type":"m.login.password","identifier":{"type":)"
                                           R"("m.id.user","user":"bench"},"password":"pw",)"
                                           R"("device_id":"D)" +
                                               std::to_string(i) + "\"}")),
                       "access_token"));
        }
        room_id = member(answer(sim, request("POST", "/_matrix/client/v3/createRoom", first,
                                             R"({"preset":"public_chat"})")),
                         "room_id");
        const std::string events = "/__admin/sim/rooms/" + room_id + "/events";
        for (std::size_t i = 0; i < history; ++i) {
            sim.handle_admin("POST", events,
                             R"({"sender":"@bench:localhost","type":"m.room.message",)"
                             R"("content":{"msgtype":"m.text","body":"history"}})");
        }
        for (const std::string& token : tokens) {
            since.push_back(member(
                answer(sim, request("GET",
                                    "/_matrix/client/v3/sync?filter=%7B%22room%22%3A%7B%22timeline"
                                    "%22%3A%7B%22limit%22%3A1%7D%7D%7D",
                                    token)),
                "next_batch"));
        }
    }
};

std::string room_path(const std::string& room_id) {
    std::string encoded;
    for (const char c : room_id) {
        if (c == '!') {
            encoded += "%21";
        } else if (c == ':') {
            encoded += "%3A";
        } else {
            encoded += c;
        }
    }
    return encoded;
}

// The long history: 200,000 events, or 2,000 when MATRIX_BENCH_QUICK is set (the ctest smoke
// run, which only checks that every benchmark runs, and under AddressSanitizer would spend
// minutes building 200,000 events). The size is in each benchmark's name either way.
const std::int64_t kLongHistory = std::getenv("MATRIX_BENCH_QUICK") != nullptr ? 2'000 : 200'000;

// Arguments: held syncs, events of history. Time per iteration: holding every sync, then one
// message that wakes them all; items: held syncs answered.
void BM_SimulationWakeHeldSyncs(benchmark::State& bench) {
    const auto held = static_cast<std::size_t>(bench.range(0));
    World world(held, static_cast<std::size_t>(bench.range(1)));
    std::uint64_t txn = 0;
    std::atomic<std::size_t> answered{0};
    for (auto _ : bench) {
        bench.PauseTiming();
        answered = 0;
        std::vector<std::string> next(held);
        for (std::size_t d = 0; d < held; ++d) {
            world.simulation->handle_async(
                request("GET", "/_matrix/client/v3/sync?timeout=60000&since=" + world.since[d],
                        world.tokens[d]),
                [&answered, &next, d](SimulatedResponse response) {
                    next[d] = member(response.response.body, "next_batch");
                    ++answered;
                });
        }
        const JournalEntry send = request("PUT",
                                          "/_matrix/client/v3/rooms/" + room_path(world.room_id) +
                                              "/send/m.room.message/t" + std::to_string(++txn),
                                          world.tokens[0], R"({"msgtype":"m.text","body":"wake"})");
        bench.ResumeTiming();
        answer(*world.simulation, send);
        if (answered != held) bench.SkipWithError("not every held sync was answered");
        bench.PauseTiming();
        world.since = std::move(next);
        bench.ResumeTiming();
    }
    bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations() * held));
}
BENCHMARK(BM_SimulationWakeHeldSyncs)
    ->ArgNames({"held", "history"})
    ->Args({100, 0})
    ->Args({100, kLongHistory})
    ->Args({1'000, 0})
    ->Unit(benchmark::kMillisecond);

// An incremental /sync with nothing new and timeout 0, its since fresh each time.
void BM_SimulationEmptyIncrementalSync(benchmark::State& bench) {
    World world(1, static_cast<std::size_t>(bench.range(0)));
    std::string since = world.since[0];
    for (auto _ : bench) {
        const std::string body = answer(
            *world.simulation,
            request("GET", "/_matrix/client/v3/sync?timeout=0&since=" + since, world.tokens[0]));
        since = member(body, "next_batch");
        benchmark::DoNotOptimize(since);
    }
    bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()));
}
BENCHMARK(BM_SimulationEmptyIncrementalSync)->ArgNames({"history"})->Arg(0)->Arg(kLongHistory);

}  // namespace
