// BM_SyncDecode*: typed /sync decoding of the seeded corpora, simdjson against two baselines.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "baselines/sync_decode_nlohmann.hpp"
#include "baselines/sync_decode_rapidjson_dom.hpp"
#include "matrix/sync.hpp"
#include "matrix/testing/sync_corpus.hpp"

namespace {

using matrix::sync::CorpusSize;

// Fixed, so every run and every machine decodes the same bytes.
constexpr std::uint64_t kCorpusSeed = 1;

constexpr std::array<CorpusSize, 3> kSizes = {CorpusSize::small, CorpusSize::medium,
                                              CorpusSize::large};

// Generated on first use: the large corpus takes half a second and 50 MB, so a run filtered
// to other benchmarks never builds it. No files, so matrix-bench runs from any directory.
const std::string& corpus(CorpusSize size) {
    static std::array<std::unique_ptr<const std::string>, kSizes.size()> corpora;
    auto& slot = corpora[static_cast<std::size_t>(size)];
    if (!slot) {
        slot = std::make_unique<const std::string>(
            matrix::sync::generate_sync_response(size, kCorpusSeed));
    }
    return *slot;
}

// `decode` gets the body as a std::string it may pad (decode_in_place), as an HTTP client's
// response body would be; the copy is made once, outside the timed loop.
template <typename Decode>
void decode_corpus(benchmark::State& state, CorpusSize size, Decode decode) {
    std::string body = corpus(size);
    for (auto _ : state) {
        matrix::sync::SyncResponse response = decode(body);
        benchmark::DoNotOptimize(response);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(body.size()));
}

void register_size(CorpusSize size) {
    const std::string suffix = "/" + std::string(matrix::sync::corpus_size_name(size));
    // One Decoder for the whole run, as a sync loop keeps one: its parser buffers are reused,
    // and the body is decoded where it lies.
    benchmark::RegisterBenchmark(
        ("BM_SyncDecode" + suffix).c_str(), [size](benchmark::State& state) {
            matrix::sync::Decoder decoder;
            state.SetLabel(std::string(matrix::sync::Decoder::instruction_set()));
            decode_corpus(state, size,
                          [&decoder](std::string& body) { return decoder.decode_in_place(body); });
        });
    // The same from a string_view, which costs a copy into the Decoder's padded buffer.
    benchmark::RegisterBenchmark(
        ("BM_SyncDecodeFromView" + suffix).c_str(), [size](benchmark::State& state) {
            matrix::sync::Decoder decoder;
            decode_corpus(state, size, [&decoder](const std::string& body) {
                return decoder.decode(std::string_view(body));
            });
        });
    benchmark::RegisterBenchmark(
        ("BM_SyncDecodeBaselineNlohmann" + suffix).c_str(), [size](benchmark::State& state) {
            decode_corpus(state, size, matrix::bench::decode_sync_nlohmann);
        });
    benchmark::RegisterBenchmark(
        ("BM_SyncDecodeBaselineRapidJsonDom" + suffix).c_str(), [size](benchmark::State& state) {
            decode_corpus(state, size, matrix::bench::decode_sync_rapidjson_dom);
        });
}

// Registered before main() runs, so encode_bench.cpp's main() needs no change for these.
[[maybe_unused]] const bool registered = [] {
    for (const CorpusSize size : kSizes) register_size(size);
    return true;
}();

}  // namespace
