// What checking one request against the spec costs (matrix::validate_request: identify the
// operation, then token, path, query and body against its rules), for typical requests. The
// mock server's throughput with and without validation is bench/validation_load.sh.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "matrix/operation_match.hpp"
#include "matrix/spec_validation.hpp"

namespace {

struct TypicalRequest {
    const char* method;
    const char* target;
    std::vector<matrix::Header> headers;
    const char* body;
};

const std::vector<matrix::Header> kTokenJson = {{"Authorization", "Bearer syt_bench_token"},
                                                {"Content-Type", "application/json"}};

const TypicalRequest kRequests[] = {
    {"PUT", "/_matrix/client/v3/rooms/%21bench%3Alocalhost/send/m.room.message/t1", kTokenJson,
     R"({"msgtype":"m.text","body":"Hello from the benchmark, with a little text to parse","m.mentions":{}})"},
    {"GET",
     "/_matrix/client/v3/sync?filter=0&timeout=30000&since=s72594_4483_1934",
     {{"Authorization", "Bearer syt_bench_token"}},
     ""},
    {"POST", "/_matrix/client/v3/createRoom", kTokenJson,
     R"({"preset":"private_chat","name":"Bench","invite":["@bob:localhost"],"is_direct":true,)"
     R"("initial_state":[{"type":"m.room.encryption","state_key":"","content":{"algorithm":"m.megolm.v1.aes-sha2"}}]})"},
};

void BM_ValidateRequest(benchmark::State& state) {
    const TypicalRequest& request = kRequests[state.range(0)];
    const matrix::ArrivedRequest arrived{request.method, request.target, request.headers,
                                         request.body};
    for (auto _ : state) {
        matrix::SpecVerdict verdict = matrix::validate_request(arrived);
        if (!verdict.violations.empty())
            state.SkipWithError("the typical request violates the spec");
        benchmark::DoNotOptimize(verdict);
    }
    state.SetLabel(request.method + std::string(" ") + request.target);
}
BENCHMARK(BM_ValidateRequest)->ArgName("request")->DenseRange(0, 2);

// What the mock server adds per request: it has identified the request and decoded its query
// already (for the journal and the stubs), so it pays only the checks.
void BM_ValidateIdentifiedRequest(benchmark::State& state) {
    const TypicalRequest& request = kRequests[state.range(0)];
    const std::string_view target = request.target;
    const auto match = matrix::match_operation(request.method, target.substr(0, target.find('?')));
    if (!match) {
        state.SkipWithError("the typical request is no operation");
        return;
    }
    std::vector<matrix::QueryParam> query;
    if (const std::size_t question = target.find('?'); question != std::string_view::npos) {
        for (const auto& pair :
             {std::pair{"filter", "0"}, {"timeout", "30000"}, {"since", "s72594_4483_1934"}})
            query.push_back({pair.first, pair.second});
    }
    const matrix::ArrivedRequest arrived{request.method, request.target, request.headers,
                                         request.body, query};
    for (auto _ : state) {
        auto violations =
            matrix::validate_identified_request(arrived, *match->operation, match->path_params);
        if (!violations.empty()) state.SkipWithError("the typical request violates the spec");
        benchmark::DoNotOptimize(violations);
    }
    state.SetLabel(request.method + std::string(" ") + std::string(match->operation->operation_id));
}
BENCHMARK(BM_ValidateIdentifiedRequest)->ArgName("request")->DenseRange(0, 2);

}  // namespace
