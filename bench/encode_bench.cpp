// matrix-bench: what it costs (time and heap allocations) to build each seed endpoint's request
// with the SDK and encode it to wire bytes, against a hand-written nlohmann::json baseline.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <deque>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_help.hpp"
#include "counting_allocator.hpp"
#include "matrix/api.hpp"
#include "matrix/encoded_request.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/events.hpp"
#include "matrix/json.hpp"
#include "matrix/request.hpp"

namespace {

constexpr std::string_view kBaseUrl = "https://matrix.org";
constexpr std::string_view kToken = "syt_YWxpY2U_bQkSVxWvzqHyLMPTwBtD_1ZS5ma";
constexpr std::string_view kRoomId = "!someroom:matrix.org";
constexpr std::string_view kTransactionId = "m1700000000000.42";
constexpr std::string_view kMessageBody = "Hello, world! Ça va? 👋";

// Runs `encode` in the timed loop and reports heap allocations per iteration. The counter is
// read around the whole loop so the benchmark library's own bookkeeping between iterations
// (none in 1.7.1's hot loop) cannot skew it.
template <typename Encode>
void run_counted(benchmark::State& state, Encode&& encode) {
    const std::uint64_t before = matrix_bench::allocations();
    for (auto _ : state) encode();
    const std::uint64_t during = matrix_bench::allocations() - before;
    state.counters["allocs"] =
        benchmark::Counter(static_cast<double>(during) / static_cast<double>(state.iterations()));
}

// Arguments for one endpoint form, owning everything its ArgValues point into.
struct PreparedCall {
    const matrix::EndpointSpec* spec = nullptr;
    std::vector<matrix::ArgValue> args;
};

// Realistic values keyed on the parameter's name, so paths and bodies look like real traffic.
std::string_view string_value_for(std::string_view name) {
    if (name == "base_url") return kBaseUrl;
    if (name == "token") return kToken;
    if (name.ends_with("room_id") || name == "room_id_or_alias") return kRoomId;
    if (name.ends_with("user_id")) return "@user:matrix.org";
    if (name == "room_alias") return "#somealias:matrix.org";
    if (name.ends_with("event_id")) return "$143273582443PhrSn:matrix.org";
    if (name.ends_with("transaction_id")) return kTransactionId;
    if (name.ends_with("type")) return "m.room.message";
    if (name.ends_with("state_key")) return "";
    if (name == "visibility") return "public";
    if (name == "dir") return "b";
    if (name == "from") return "s72595_4483_1934";
    if (name == "medium") return "email";
    if (name == "address" || name == "email") return "alice@example.org";
    if (name == "server_name") return "matrix.org";
    if (name == "media_id") return "ascERGshawAWawugaAcauga";
    return "some-value_42";
}

PreparedCall prepare(const matrix::EndpointSpec& spec, const matrix::Json& object,
                     const matrix::Json& array, std::string_view bytes) {
    PreparedCall call{&spec, {}};
    call.args.reserve(spec.params.size());
    for (const matrix::ParamSpec& param : spec.params) {
        // Optional parameters stay unset: every form then carries exactly its required shape.
        if (!param.required) {
            call.args.emplace_back(std::monostate{});
            continue;
        }
        switch (param.type) {
            case matrix::ParamType::string:
                call.args.emplace_back(string_value_for(param.name));
                break;
            case matrix::ParamType::integer:
                call.args.emplace_back(std::int64_t{1});
                break;
            case matrix::ParamType::boolean:
                call.args.emplace_back(true);
                break;
            case matrix::ParamType::json_object:
            case matrix::ParamType::json_value:
                call.args.emplace_back(matrix::JsonArg{&object});
                break;
            case matrix::ParamType::json_array:
                call.args.emplace_back(matrix::JsonArg{&array});
                break;
            case matrix::ParamType::bytes:
                call.args.emplace_back(matrix::BytesArg{bytes});
                break;
        }
    }
    return call;
}

std::string benchmark_name(std::string_view family, const matrix::EndpointSpec& spec) {
    std::string name(family);
    name += '/';
    name += spec.name;
    if (!spec.form.empty()) {
        name += '_';
        name += spec.form;
    }
    return name;
}

matrix::RoomEvent sample_room_event() {
    return matrix::RoomEvent::message(kRoomId, matrix::MessageType::text, kMessageBody,
                                      kTransactionId);
}

// What a user of the typed API calls to get the bytes to send: a fresh buffer every time.
void encode_typed_send_room_event(benchmark::State& state) {
    const matrix::RoomEvent event = sample_room_event();
    run_counted(state, [&] {
        matrix::EncodedRequest wire =
            matrix::api::send_room_event<matrix::EncodedRequest>(kBaseUrl, kToken, event);
        benchmark::DoNotOptimize(wire);
    });
}

// The naive encoder an application would write by hand: RFC 3986 unreserved bytes pass,
// everything else becomes %XX, one push_back at a time.
std::string naive_percent_encode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : value) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

// Same wire bytes as the SDK's encoded send_room_event (checked before timing), built the
// straightforward way: nlohmann's dump for the body, string concatenation for the rest. The
// content object is prebuilt, like the typed benchmark's RoomEvent.
std::string baseline_send_room_event(const nlohmann::json& content, std::string_view room_id,
                                     std::string_view type, std::string_view transaction_id) {
    const std::string base_url(kBaseUrl);
    const std::string host = base_url.substr(base_url.find("://") + 3);
    const std::string target = "/_matrix/client/r0/rooms/" + naive_percent_encode(room_id) +
                               "/send/" + naive_percent_encode(type) + "/" +
                               naive_percent_encode(transaction_id);
    const std::string body = content.dump();
    return "PUT " + target + " HTTP/1.1\r\n" + "Authorization: Bearer " + std::string(kToken) +
           "\r\n" + "Content-Type: application/json\r\n" + "Host: " + host + "\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n" + "\r\n" + body;
}

void encode_baseline_send_room_event(benchmark::State& state) {
    const matrix::RoomEvent event = sample_room_event();
    const nlohmann::json content = nlohmann::json::parse(event.content.text());
    run_counted(state, [&] {
        std::string wire =
            baseline_send_room_event(content, event.room_id, event.type, event.transaction_id);
        benchmark::DoNotOptimize(wire);
    });
}

// The comparison is moot if the baseline's bytes drift from the SDK's: refuse to run then.
bool check_baseline_matches_sdk() {
    const matrix::RoomEvent event = sample_room_event();
    const matrix::EncodedRequest sdk =
        matrix::api::send_room_event<matrix::EncodedRequest>(kBaseUrl, kToken, event);
    const std::string baseline =
        baseline_send_room_event(nlohmann::json::parse(event.content.text()), event.room_id,
                                 event.type, event.transaction_id);
    if (sdk.bytes() == baseline) return true;
    std::cerr << "matrix-bench: the nlohmann baseline differs from the SDK:\n--- sdk:\n"
              << sdk.bytes() << "\n--- baseline:\n"
              << baseline << '\n';
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    // Owned here so every registered benchmark's ArgValues stay valid until the run ends.
    const matrix::Json object = sample_room_event().content;
    const matrix::Json array = matrix::Json::string_array({"@user:matrix.org"});
    const std::string upload_bytes(4096, '\x5a');
    std::deque<PreparedCall> calls;  // deque: references stay valid as it grows

    for (const matrix::EndpointSpec& spec : matrix::seed_endpoints()) {
        const PreparedCall& call = calls.emplace_back(prepare(spec, object, array, upload_bytes));
        // Fail at startup, not mid-run, if a prepared argument set is refused by the builder.
        try {
            static_cast<void>(matrix::encode(spec, call.args));
        } catch (const std::exception& error) {
            std::cerr << "matrix-bench: " << benchmark_name("BM_Encode", spec) << ": "
                      << error.what() << '\n';
            return 1;
        }
        // The hot path: arguments to the bytes to send, a fresh result every iteration.
        benchmark::RegisterBenchmark(
            benchmark_name("BM_Encode", spec).c_str(), [&call](benchmark::State& state) {
                run_counted(state, [&] {
                    matrix::EncodedRequest wire = matrix::encode(*call.spec, call.args);
                    benchmark::DoNotOptimize(wire);
                });
            });
        // The Request value, then render(): what the hot path is measured against.
        benchmark::RegisterBenchmark(benchmark_name("BM_EncodeRequestValue", spec).c_str(),
                                     [&call](benchmark::State& state) {
                                         run_counted(state, [&] {
                                             matrix::Request request =
                                                 matrix::build(*call.spec, call.args);
                                             matrix::WireRequest wire = matrix::render(request);
                                             benchmark::DoNotOptimize(wire);
                                         });
                                     });
    }
    benchmark::RegisterBenchmark("BM_EncodeTyped/send_room_event", encode_typed_send_room_event);
    benchmark::RegisterBenchmark("BM_EncodeBaselineNlohmann/send_room_event",
                                 encode_baseline_send_room_event);
    if (!check_baseline_matches_sdk()) return 1;

    benchmark::Initialize(&argc, argv, matrix::bench::print_usage);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
