// The simdjson decoder and both baselines give equal structs on the seeded /sync corpora.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "baselines/sync_decode_nlohmann.hpp"
#include "baselines/sync_decode_rapidjson_dom.hpp"
#include "matrix/sync.hpp"
#include "matrix/testing/sync_corpus.hpp"
#include "sync_compare.hpp"

namespace matrix::bench {
namespace {

using matrix::sync::CorpusSize;
using testing::first_difference;

// Byte-exact: on canonical input the baselines' re-serialized content equals the raw text the
// simdjson decoder keeps.
void expect_all_agree(CorpusSize size, std::uint64_t seed) {
    SCOPED_TRACE(std::string(matrix::sync::corpus_size_name(size)) + " seed " +
                 std::to_string(seed));
    const std::string corpus = matrix::sync::generate_sync_response(size, seed);
    const matrix::sync::SyncResponse expected = matrix::sync::decode(corpus);
    EXPECT_EQ(expected.join.size(), matrix::sync::corpus_shape(size).joined_rooms);

    const auto nlohmann_difference = first_difference(expected, decode_sync_nlohmann(corpus));
    EXPECT_FALSE(nlohmann_difference) << "simdjson vs nlohmann: " << *nlohmann_difference;
    const auto rapidjson_difference = first_difference(expected, decode_sync_rapidjson_dom(corpus));
    EXPECT_FALSE(rapidjson_difference) << "simdjson vs RapidJSON DOM: " << *rapidjson_difference;
}

TEST(SyncDecodersAgree, OnTheSmallCorpusForSeveralSeeds) {
    for (const std::uint64_t seed : {1u, 2u, 3u, 42u, 1000u})
        expect_all_agree(CorpusSize::small, seed);
}

TEST(SyncDecodersAgree, OnTheMediumCorpusForTwoSeeds) {
    for (const std::uint64_t seed : {1u, 7u}) expect_all_agree(CorpusSize::medium, seed);
}

TEST(SyncDecodersAgree, ComparisonNamesTheFirstDifference) {
    const std::string corpus = matrix::sync::generate_sync_response(CorpusSize::small, 1);
    const matrix::sync::SyncResponse expected = matrix::sync::decode(corpus);
    matrix::sync::SyncResponse changed = expected;
    changed.join.at(12).second.timeline.events.at(3).sender = "@someone:else";
    const auto difference = first_difference(expected, changed);
    ASSERT_TRUE(difference);
    EXPECT_TRUE(difference->starts_with("join[12].second.timeline.events[3].sender: "))
        << *difference;
}

TEST(SyncDecodersAgree, ComparisonOfRawJsonCanIgnoreSpelling) {
    matrix::sync::SyncResponse a;
    matrix::sync::Event event;
    event.type = "m.presence";
    event.content_json = R"({"a":"é","b":1})";
    a.presence.push_back(event);
    matrix::sync::SyncResponse b = a;
    b.presence[0].content_json = R"({ "a" : "\u00e9", "b" : 1 })";
    EXPECT_TRUE(first_difference(a, b, testing::RawJson::exact));
    EXPECT_FALSE(first_difference(a, b, testing::RawJson::same_value));
    b.presence[0].content_json = R"({"a":"é","b":2})";
    EXPECT_TRUE(first_difference(a, b, testing::RawJson::same_value));
}

// The baselines keep the decoder's error semantics: required fields, types, stripped state.
TEST(SyncDecodersAgree, OnWhatIsAnError) {
    const char* const invalid[] = {
        R"([])",
        R"({})",
        R"({"next_batch":1})",
        R"({"next_batch":"s","rooms":{"join":{"!r:x":{"timeline":{"events":[{"sender":"@a:b"}]}}}}})",
        R"({"next_batch":"s","rooms":{"join":{"!r:x":{"timeline":{"limited":"yes"}}}}})",
        R"({"next_batch":"s","presence":{"events":[{"type":"t","origin_server_ts":1.5}]}})",
        R"({"next_batch":"s","presence":{"events":[{"type":"t","origin_server_ts":9223372036854775808}]}})",
        R"({"next_batch":"s","presence":{"events":[{"type":"t","content":[]}]}})",
        R"({"next_batch":"s","device_one_time_keys_count":{"signed_curve25519":"5"}})",
        R"({"next_batch":"s"} x)",
    };
    for (const char* json : invalid) {
        EXPECT_THROW(matrix::sync::decode(json), matrix::sync::SyncDecodeError) << json;
        EXPECT_THROW(decode_sync_nlohmann(json), matrix::sync::SyncDecodeError) << json;
        EXPECT_THROW(decode_sync_rapidjson_dom(json), matrix::sync::SyncDecodeError) << json;
    }
    // Stripped state ignores fields other than type, sender, state_key and content, and unknown
    // fields are ignored everywhere.
    const std::string valid =
        R"({"next_batch":"s","unknown":[1,{"x":null}],"rooms":{"invite":{"!r:x":{"invite_state":)"
        R"({"events":[{"type":"m.room.name","event_id":5,"origin_server_ts":"x","content":{}}]}}}}})";
    const matrix::sync::SyncResponse expected = matrix::sync::decode(valid);
    const auto nlohmann_difference = first_difference(expected, decode_sync_nlohmann(valid));
    EXPECT_FALSE(nlohmann_difference) << *nlohmann_difference;
    const auto rapidjson_difference = first_difference(expected, decode_sync_rapidjson_dom(valid));
    EXPECT_FALSE(rapidjson_difference) << *rapidjson_difference;
}

TEST(SyncDecodersAgree, BaselineErrorsNameTheJsonPath) {
    const std::string json =
        R"({"next_batch":"s","rooms":{"join":{"!r:x":{"timeline":{"events":[{"type":"t"},)"
        R"({"type":"t","sender":7}]}}}}})";
    for (auto decode : {&decode_sync_nlohmann, &decode_sync_rapidjson_dom}) {
        try {
            decode(json);
            ADD_FAILURE() << "expected SyncDecodeError";
        } catch (const matrix::sync::SyncDecodeError& e) {
            EXPECT_EQ(e.path(), "$.rooms.join['!r:x'].timeline.events[1].sender");
        }
    }
}

}  // namespace
}  // namespace matrix::bench
