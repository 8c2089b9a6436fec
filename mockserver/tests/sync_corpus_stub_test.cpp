// A generated /sync corpus served by the mock homeserver from its mapping, fetched with
// HttpClient and decoded: the same builder feeds the server's sync fixtures and the tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/sync.hpp"
#include "matrix/testing/sync_corpus.hpp"

namespace matrix::mock {
namespace {

using matrix::sync::CorpusSize;

Request sync_request(const std::string& base_url, std::string_view version) {
    Request request = matrix::api::sync(base_url, "token");
    // The builder emits r0, as the seed does; v3 is the same endpoint under another prefix.
    const std::string r0 = "/_matrix/client/r0/";
    if (version != "r0" && request.path.starts_with(r0))
        request.path.replace(0, r0.size(), "/_matrix/client/" + std::string(version) + "/");
    return request;
}

TEST(SyncCorpusStub, ServesTheCorpusOnR0AndV3SyncAndItDecodes) {
    const std::string corpus = matrix::sync::generate_sync_response(CorpusSize::small, 3);
    const matrix::sync::CorpusShape shape = matrix::sync::corpus_shape(CorpusSize::small);
    MockHomeserver hs;
    hs.add_mapping(matrix::sync::sync_stub_mapping(corpus));

    HttpClient client;
    for (const std::string_view version : {"r0", "v3"}) {
        SCOPED_TRACE(std::string(version));
        const Response response = client.send(sync_request(hs.url(), version));
        ASSERT_EQ(response.status, 200) << response.body.substr(0, 200);
        // The server re-serializes jsonBody; a generated corpus comes back byte for byte.
        EXPECT_EQ(response.body, corpus);
        const matrix::sync::SyncResponse decoded = matrix::sync::decode(response.body);
        EXPECT_EQ(decoded.join.size(), shape.joined_rooms);
        EXPECT_EQ(decoded.invite.size(), shape.invited_rooms);
        EXPECT_EQ(decoded.leave.size(), shape.left_rooms);
        EXPECT_EQ(decoded.knock.size(), shape.knocked_rooms);
    }
}

// As matrix-mockserver would read it: a mapping file in a mappings folder.
TEST(SyncCorpusStub, LoadsFromAMappingsFolderLikeTheShippedStubs) {
    // The process id keeps concurrent runs (other build folders, ctest -j) apart.
    const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                      ("sync_corpus_stub_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string corpus = matrix::sync::generate_sync_response(CorpusSize::medium, 1);
    {
        std::ofstream file(dir / "sync.json", std::ios::binary);
        file << matrix::sync::sync_stub_mapping(corpus);
    }
    MockHomeserver hs;
    hs.load_mappings(dir.string());
    std::filesystem::remove_all(dir);

    HttpClient client;
    const Response response = client.send(sync_request(hs.url(), "v3"));
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(matrix::sync::decode(response.body).join.size(), 500u);
}

}  // namespace
}  // namespace matrix::mock
