// The mapping admin routes over HTTP beyond add, list, get and delete: PUT by id, import, and
// save to the mappings folder (read back by load_mapping_dir).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;
using testing::http_request;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;

// A scratch folder removed at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        std::random_device device;
        path_ = fs::temp_directory_path() / ("mock-admin-mappings-" + std::to_string(device()));
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string str() const { return path_.string(); }
    void write(const std::string& name, std::string_view text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }
    std::size_t json_files() const {
        std::size_t n = 0;
        for (const auto& entry : fs::directory_iterator(path_))
            n += entry.path().extension() == ".json";
        return n;
    }

  private:
    fs::path path_;
};

RawResponse admin(const MockHomeserver& hs, std::string_view method, std::string_view path,
                  std::string_view body = {}) {
    return send_raw(hs.port(), http_request(method, path, body));
}

std::string key_of(const RawResponse& response) {
    const auto document = parse(response);
    return document.HasMember("key") ? document["key"].GetString() : "";
}

constexpr std::string_view kVersions =
    R"({"id": "versions", "request": {"method": "GET", "urlPath": "/_matrix/client/versions"},
        "response": {"jsonBody": {"versions": ["v1.1"]}}})";

TEST(AdminMappings, PutReplacesTheStubWithThatId) {
    MockHomeserver hs;
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    const auto replaced =
        admin(hs, "PUT", "/__admin/mappings/versions",
              R"({"request": {"method": "GET", "urlPath": "/_matrix/client/versions"},
            "response": {"jsonBody": {"versions": ["v1.11"]}}})");
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_STREQ(parse(replaced)["id"].GetString(), "versions");
    EXPECT_EQ(hs.stubs().list().size(), 1u);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).body,
              R"({"versions":["v1.11"]})");
    EXPECT_EQ(
        parse(admin(hs, "GET", "/__admin/mappings/versions"))["response"]["jsonBody"]["versions"][0]
            .GetString(),
        std::string("v1.11"));
    // The same id in the body is fine.
    EXPECT_EQ(admin(hs, "PUT", "/__admin/mappings/versions", kVersions).status, 200);
}

TEST(AdminMappings, PutRefusesAnUnknownIdAMismatchedIdAndABadMapping) {
    MockHomeserver hs;
    const auto missing = admin(hs, "PUT", "/__admin/mappings/versions", kVersions);
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("no mapping with id versions"), std::string::npos);
    EXPECT_TRUE(hs.stubs().list().empty());

    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    const auto other = admin(hs, "PUT", "/__admin/mappings/versions",
                             R"({"id": "other", "request": {}, "response": {}})");
    EXPECT_EQ(other.status, 400);
    EXPECT_EQ(key_of(other), "id");
    EXPECT_NE(other.body.find("the id in the path (versions)"), std::string::npos) << other.body;
    EXPECT_EQ(key_of(admin(hs, "PUT", "/__admin/mappings/versions",
                           R"({"uuid": "other", "request": {}, "response": {}})")),
              "uuid");
    const auto bad = admin(hs, "PUT", "/__admin/mappings/versions",
                           R"({"request": {"metod": "GET"}, "response": {}})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(key_of(bad), "request.metod");
    EXPECT_EQ(admin(hs, "PUT", "/__admin/mappings/versions", "[]").status, 400);
    // Nothing above changed the stub.
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).body,
              R"({"versions":["v1.1"]})");
}

TEST(AdminMappings, ImportAddsOrReplacesEach) {
    MockHomeserver hs;
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    const auto imported = admin(hs, "POST", "/__admin/mappings/import", R"({"mappings": [
        {"id": "versions", "request": {"urlPath": "/_matrix/client/versions"},
         "response": {"jsonBody": {"versions": ["v1.12"]}}},
        {"request": {"urlPath": "/new"}, "response": {"status": 204}}],
        "meta": {"total": 2}})");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(parse(imported)["meta"]["total"].GetUint64(), 2u);
    EXPECT_EQ(hs.stubs().list().size(), 2u);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).body,
              R"({"versions":["v1.12"]})");
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/new")).status, 204);
}

TEST(AdminMappings, ImportWithABadMappingAddsNothingAndNamesIndexAndKey) {
    MockHomeserver hs;
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    const auto bad = admin(hs, "POST", "/__admin/mappings/import", R"({"mappings": [
        {"id": "versions", "request": {"urlPath": "/changed"}, "response": {}},
        {"request": {"urlPath": "/fine"}, "response": {}},
        {"request": {"urlPath": "/x", "metod": "GET"}, "response": {}}]})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(key_of(bad), "mappings[2].request.metod") << bad.body;
    EXPECT_NE(bad.body.find("nothing was imported"), std::string::npos) << bad.body;
    ASSERT_EQ(hs.stubs().list().size(), 1u);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).body,
              R"({"versions":["v1.1"]})");

    const auto twice = admin(hs, "POST", "/__admin/mappings/import", R"({"mappings": [
        {"id": "a", "request": {}, "response": {}}, {"id": "a", "request": {}, "response": {}}]})");
    EXPECT_EQ(twice.status, 400);
    EXPECT_EQ(key_of(twice), "mappings[1].id") << twice.body;
    EXPECT_EQ(key_of(admin(hs, "POST", "/__admin/mappings/import", R"({"mappings": {}})")),
              "mappings");
    EXPECT_EQ(key_of(admin(hs, "POST", "/__admin/mappings/import", R"({"mappings": [7]})")),
              "mappings[0]");
    EXPECT_EQ(key_of(admin(hs, "POST", "/__admin/mappings/import",
                           R"({"mappings": [], "importOptions": {}})")),
              "importOptions");
    EXPECT_EQ(hs.stubs().list().size(), 1u);
}

TEST(AdminMappings, SaveWithoutAMappingsFolderIsRefused) {
    MockHomeserver hs;
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    const auto response = admin(hs, "POST", "/__admin/mappings/save");
    EXPECT_EQ(response.status, 409);
    EXPECT_NE(response.body.find("--mappings DIR"), std::string::npos) << response.body;
}

TEST(AdminMappings, SavedStubsLoadBackIdentically) {
    ScratchDir dir;
    MockHomeserverOptions options;
    options.mappings_dir = dir.str();
    MockHomeserver hs(options);
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings", kVersions).status, 201);
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings",
                    R"({"name": "big number", "priority": 1, "request": {"bodyPatterns":
                        [{"equalToJson": {"n": 12345678901234567890123}}]},
                        "sequence": [{"status": 500}, {"jsonBody": {"x": 1.50}}]})")
                  .status,
              201);
    hs.on("whoami");  // the in-process API's stubs are not the admin API's to save
    const auto saved = admin(hs, "POST", "/__admin/mappings/save");
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(parse(saved)["saved"].Size(), 2u);
    EXPECT_EQ(dir.json_files(), 2u);

    std::vector<Stub> loaded = load_mapping_dir(dir.str());
    ASSERT_EQ(loaded.size(), 2u);
    for (const Stub& original : hs.stubs().list()) {
        if (original.id == loaded[0].id || original.id == loaded[1].id) {
            const Stub& back = original.id == loaded[0].id ? loaded[0] : loaded[1];
            EXPECT_EQ(back.source_json, original.source_json);
            EXPECT_EQ(back.priority, original.priority);
            EXPECT_EQ(back.responses.size(), original.responses.size());
            EXPECT_TRUE(original.from_files) << "saved stubs survive reset as loaded ones do";
        }
    }
    // Saving again rewrites the same files; reset keeps what was saved.
    EXPECT_EQ(admin(hs, "POST", "/__admin/mappings/save").status, 200);
    EXPECT_EQ(dir.json_files(), 2u);
    admin(hs, "POST", "/__admin/reset");
    EXPECT_EQ(hs.stubs().list().size(), 2u);
}

TEST(AdminMappings, SaveGoesToTheFolderLoadMappingsRead) {
    ScratchDir dir;
    dir.write("versions.json", kVersions);
    MockHomeserver hs;
    hs.load_mappings(dir.str());
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings",
                    R"({"id": "added", "request": {"urlPath": "/a"}, "response": {}})")
                  .status,
              201);
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings/save").status, 200);
    EXPECT_EQ(load_mapping_dir(dir.str()).size(), 2u);

    MockHomeserver fixtures;
    fixtures.load_mappings(dir.str(), MappingsFolder::read_only);
    EXPECT_EQ(admin(fixtures, "POST", "/__admin/mappings/save").status, 409);
}

TEST(AdminMappings, SaveRefusesToGiveAnIdTwiceAndWritesNothing) {
    ScratchDir dir;
    dir.write("all.json", R"({"mappings": [)" + std::string(kVersions) + "]}");
    MockHomeserver hs;
    hs.load_mappings(dir.str());
    ASSERT_EQ(admin(hs, "POST", "/__admin/mappings",
                    R"({"id": "fresh", "request": {"urlPath": "/a"}, "response": {}})")
                  .status,
              201);
    // Replacing a stub loaded from a list file would leave its id in two files.
    ASSERT_EQ(admin(hs, "PUT", "/__admin/mappings/versions",
                    R"({"request": {"urlPath": "/b"}, "response": {}})")
                  .status,
              200);
    const auto response = admin(hs, "POST", "/__admin/mappings/save");
    EXPECT_EQ(response.status, 409);
    EXPECT_NE(response.body.find("all.json"), std::string::npos) << response.body;
    EXPECT_NE(response.body.find("nothing was saved"), std::string::npos) << response.body;
    EXPECT_EQ(dir.json_files(), 1u);
    EXPECT_EQ(load_mapping_dir(dir.str()).size(), 1u);
}

}  // namespace
}  // namespace matrix::mock
