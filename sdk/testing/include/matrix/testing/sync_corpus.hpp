// Seeded, deterministic /sync response bodies: the corpora shared by the decoder tests, the
// benchmarks and the mock server's sync fixtures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace matrix::sync {

// The named corpora: small ~100 KB, medium ~5 MB with 500 joined rooms, large ~50 MB.
enum class CorpusSize { small, medium, large };

// How much a corpus holds. The named sizes are fixed shapes; tests use smaller ones, since
// decoding every prefix of a corpus is only affordable when the corpus is tiny.
struct CorpusShape {
    std::size_t joined_rooms = 0;
    std::size_t invited_rooms = 0;
    std::size_t left_rooms = 0;
    std::size_t knocked_rooms = 0;
    std::size_t mean_timeline_events = 0;  // per joined room; each room varies around it
    std::size_t mean_state_members = 0;    // m.room.member state events per joined room
};

CorpusShape corpus_shape(CorpusSize size);
std::string_view corpus_size_name(CorpusSize size);
// "small", "medium" or "large"; throws std::invalid_argument naming the unknown name.
CorpusSize parse_corpus_size(std::string_view name);

// Compact JSON, the same bytes for the same shape and seed on every compiler and platform.
// Strings hold no \u escapes and no control characters but \n and \t, numbers are integers and
// keys are unique, so re-serializing any part of it with a JSON library gives the same bytes.
std::string generate_sync_response(CorpusSize size, std::uint64_t seed);
std::string generate_sync_response(const CorpusShape& shape, std::uint64_t seed);

// A mock-server mapping (WireMock JSON) that answers GET /sync, r0 and v3, with `body`, which
// must be a JSON object (a generated corpus).
std::string sync_stub_mapping(std::string_view body);

}  // namespace matrix::sync
