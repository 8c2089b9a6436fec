// Truncated and mutated /sync corpora: every decoder returns a struct or throws
// SyncDecodeError, never crashes or hangs, and where two succeed they agree.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "baselines/sync_decode_nlohmann.hpp"
#include "baselines/sync_decode_rapidjson_dom.hpp"
#include "matrix/sync.hpp"
#include "matrix/testing/seeded_random.hpp"
#include "matrix/testing/sync_corpus.hpp"
#include "sync_compare.hpp"

namespace matrix::bench {
namespace {

using matrix::sync::CorpusShape;
using matrix::sync::CorpusSize;
using matrix::sync::SyncResponse;

// Every kind of room and event, in a few kilobytes: small enough to decode every prefix.
constexpr CorpusShape kTiny{.joined_rooms = 1,
                            .invited_rooms = 1,
                            .left_rooms = 1,
                            .knocked_rooms = 1,
                            .mean_timeline_events = 4,
                            .mean_state_members = 1};

struct NamedDecoder {
    const char* name;
    std::function<SyncResponse(std::string_view)> decode;
};

const std::array<NamedDecoder, 3>& decoders() {
    static const std::array<NamedDecoder, 3> all = {
        NamedDecoder{"simdjson", [](std::string_view json) { return matrix::sync::decode(json); }},
        NamedDecoder{"nlohmann", decode_sync_nlohmann},
        NamedDecoder{"RapidJSON DOM", decode_sync_rapidjson_dom},
    };
    return all;
}

// The response, or nullopt for SyncDecodeError; anything else thrown is a test failure.
std::optional<SyncResponse> attempt(const NamedDecoder& decoder, const std::string& input,
                                    const std::string& what) {
    try {
        return decoder.decode(input);
    } catch (const matrix::sync::SyncDecodeError&) {
        return std::nullopt;
    } catch (const std::exception& e) {
        ADD_FAILURE() << decoder.name << " threw something other than SyncDecodeError on " << what
                      << ": " << e.what();
        return std::nullopt;
    }
}

struct Tally {
    std::size_t inputs = 0;
    std::size_t all_accepted = 0;
    std::size_t compared = 0;
};

// Runs every decoder on `input`. The simdjson decoder must accept exactly what the nlohmann
// baseline (a strict parser: grammar, UTF-8, surrogate pairs) accepts, and where it and a
// baseline both succeed, their structs must agree. RapidJSON's default Parse does not validate
// UTF-8, so it may accept more. On input with a repeated member name, decoders legitimately
// keep the first, the last or both, so agreement is not asked there. Raw content is compared
// as JSON values, as its spelling may differ once mutated (see RawJson).
void check(const std::string& input, const std::string& what, Tally& tally) {
    ++tally.inputs;
    std::array<std::optional<SyncResponse>, 3> results;
    for (std::size_t i = 0; i < results.size(); ++i)
        results[i] = attempt(decoders()[i], input, what);
    if (results[0] && results[1] && results[2]) ++tally.all_accepted;
    EXPECT_EQ(results[0].has_value(), results[1].has_value())
        << "simdjson " << (results[0] ? "accepts" : "refuses") << " what nlohmann "
        << (results[1] ? "accepts" : "refuses") << ": " << what;
    if (!results[0]) return;
    bool duplicates_known = false;
    bool duplicates = false;
    for (std::size_t i = 1; i < results.size(); ++i) {
        if (!results[i]) continue;
        if (!duplicates_known) {
            duplicates = testing::has_duplicate_keys(input).value_or(false);
            duplicates_known = true;
        }
        if (duplicates) continue;
        ++tally.compared;
        const auto difference =
            testing::first_difference(*results[0], *results[i], testing::RawJson::same_value);
        EXPECT_FALSE(difference) << "simdjson vs " << decoders()[i].name << " on " << what << ": "
                                 << *difference;
    }
}

// The corpus generator's seeded generator: the mutations are the same on every platform.
using Rng = matrix::SeededRandom;

// Bytes that matter to a JSON parser, plus arbitrary ones.
constexpr std::string_view kInteresting = "{}[]\":,\\ 0-9.eE+tfnul\x01\x7f\x80\xbf\xc3\xff";

// One deterministic edit at a random position: flip a bit, replace, delete or insert a byte.
std::string mutate(const std::string& input, Rng& rng, std::string& what) {
    std::string out = input;
    const std::size_t at = rng.below(out.size());
    const auto some_byte = [&] {
        return rng.below(2) == 0 ? kInteresting[rng.below(kInteresting.size())]
                                 : static_cast<char>(rng.below(256));
    };
    switch (rng.below(4)) {
        case 0:
            out[at] = static_cast<char>(out[at] ^ (1 << rng.below(8)));
            what = "bit flip at " + std::to_string(at);
            break;
        case 1:
            out[at] = some_byte();
            what = "replacement at " + std::to_string(at);
            break;
        case 2:
            out.erase(at, 1);
            what = "deletion at " + std::to_string(at);
            break;
        default:
            out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), some_byte());
            what = "insertion at " + std::to_string(at);
            break;
    }
    return out;
}

TEST(SyncDecodersFuzz, EveryProperPrefixOfATinyCorpusIsAnError) {
    const std::string corpus = matrix::sync::generate_sync_response(kTiny, 17);
    ASSERT_LT(corpus.size(), 12'000u);  // keeps this test near a second
    for (std::size_t length = 0; length < corpus.size(); ++length) {
        const std::string prefix = corpus.substr(0, length);
        for (const NamedDecoder& decoder : decoders()) {
            // An unclosed top-level object is never a /sync response.
            EXPECT_FALSE(attempt(decoder, prefix, "prefix " + std::to_string(length)))
                << decoder.name << " accepted the first " << length << " bytes";
        }
    }
}

TEST(SyncDecodersFuzz, SampledPrefixesOfTheSmallCorpusAreErrors) {
    const std::string corpus = matrix::sync::generate_sync_response(CorpusSize::small, 4);
    Rng rng(4);
    for (int i = 0; i < 200; ++i) {
        const std::size_t length = rng.below(corpus.size());
        for (const NamedDecoder& decoder : decoders()) {
            EXPECT_FALSE(attempt(decoder, corpus.substr(0, length), "prefix"))
                << decoder.name << " accepted the first " << length << " bytes";
        }
    }
}

TEST(SyncDecodersFuzz, MutatedTinyCorporaDecodeOrFailAndAgree) {
    Tally tally;
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
        const std::string corpus = matrix::sync::generate_sync_response(kTiny, seed);
        Rng rng(seed * 7919 + 1);
        for (int i = 0; i < 800; ++i) {
            std::string what;
            const std::string mutant = mutate(corpus, rng, what);
            check(mutant, "corpus seed " + std::to_string(seed) + ", " + what, tally);
        }
    }
    // Most single-byte edits land in string text and leave a valid response: the agreement
    // check above must have had plenty to compare.
    EXPECT_GT(tally.compared, tally.inputs / 2);
    RecordProperty("inputs", static_cast<int>(tally.inputs));
    RecordProperty("all_accepted", static_cast<int>(tally.all_accepted));
}

TEST(SyncDecodersFuzz, MutatedSmallCorporaDecodeOrFailAndAgree) {
    Tally tally;
    const std::string corpus = matrix::sync::generate_sync_response(CorpusSize::small, 8);
    Rng rng(8);
    for (int i = 0; i < 150; ++i) {
        std::string what;
        std::string mutant = corpus;
        // Several edits at once, so structure breaks in more than one place.
        for (int edits = 0; edits < 3; ++edits) mutant = mutate(mutant, rng, what);
        check(mutant, "small corpus mutant " + std::to_string(i), tally);
    }
    EXPECT_GT(tally.compared, 0u);
}

}  // namespace
}  // namespace matrix::bench
