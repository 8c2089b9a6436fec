// The simulation's server-side key backup (the room_keys operations), over real sockets: backup
// versions created, updated and deleted; keys kept unless a better one comes; the etag and count;
// the wrong version refused; and the state budget charged and given back.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "matrix/mock/homeserver.hpp"
#include "response_schema_check.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

const std::string kVersions = kV3 + "/room_keys/version";
const std::string kKeys = kV3 + "/room_keys/keys";
constexpr const char* kAlgorithm = "m.megolm_backup.v1.curve25519-aes-sha2";

std::string config(const std::string& public_key, const std::string& algorithm = kAlgorithm) {
    return R"({"algorithm":")" + algorithm + R"(","auth_data":{"public_key":")" + public_key +
           R"("}})";
}

// Creates a backup version; its id.
std::string create_version(const MockHomeserver& hs, const Account& who,
                           const std::string& public_key = "pk") {
    const RawResponse r = call(hs.port(), "POST", kVersions, who.token, config(public_key));
    EXPECT_EQ(r.status, 200) << r.body;
    expect_valid("postRoomKeysVersion", r);
    return str(parse(r.body), "version");
}

std::string key_data(bool verified, int first_message_index, int forwarded_count,
                     const std::string& ciphertext = "c") {
    return R"({"first_message_index":)" + std::to_string(first_message_index) +
           R"(,"forwarded_count":)" + std::to_string(forwarded_count) + R"(,"is_verified":)" +
           (verified ? "true" : "false") + R"(,"session_data":{"ciphertext":")" + ciphertext +
           R"(","ephemeral":"e","mac":"m"}})";
}

std::string session_path(const std::string& room, const std::string& session,
                         const std::string& version) {
    return kKeys + "/" + path_id(room) + "/" + session + "?version=" + version;
}

RawResponse put_key(const MockHomeserver& hs, const Account& who, const std::string& version,
                    const std::string& session, const std::string& data) {
    return call(hs.port(), "PUT", session_path("!room:localhost", session, version), who.token,
                data);
}

// The KeyBackupData stored for a session of !room:localhost in the version.
rapidjson::Document stored_key(const MockHomeserver& hs, const Account& who,
                               const std::string& version, const std::string& session) {
    const RawResponse r =
        call(hs.port(), "GET", session_path("!room:localhost", session, version), who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    expect_valid("getRoomKeyBySessionId", r);
    return parse(r.body);
}

std::int64_t state_bytes(const MockHomeserver& hs) {
    const auto json = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    return json.HasMember("state_bytes") ? json["state_bytes"].GetInt64() : -1;
}

void expect_error(const RawResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(errcode(r), code) << r.body;
}

TEST(SimulationKeyBackup, VersionsAreCreatedUpdatedAndDeleted) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    expect_error(call(hs.port(), "GET", kVersions, alice.token), 404, "M_NOT_FOUND");
    expect_error(call(hs.port(), "POST", kVersions, alice.token, R"({"algorithm":"x"})"), 400,
                 "M_MISSING_PARAM");
    // Only the algorithm the spec lists, with its AuthData: a public_key, signatures an object.
    expect_error(call(hs.port(), "POST", kVersions, alice.token, config("pk", "other")), 400,
                 "M_INVALID_PARAM");
    for (const std::string auth_data :
         {"1", "{}", R"({"public_key":1})", R"({"public_key":"pk","signatures":[]})"}) {
        expect_error(call(hs.port(), "POST", kVersions, alice.token,
                          R"({"algorithm":")" + std::string(kAlgorithm) + R"(","auth_data":)" +
                              auth_data + "}"),
                     400, "M_INVALID_PARAM");
    }

    EXPECT_EQ(create_version(hs, alice, "first"), "1");
    EXPECT_EQ(create_version(hs, alice, "second"), "2");
    // The newest version is the current one; the older one stays readable.
    RawResponse current = call(hs.port(), "GET", kVersions, alice.token);
    ASSERT_EQ(current.status, 200) << current.body;
    expect_valid("getRoomKeysVersionCurrent", current);
    auto json = parse(current.body);
    EXPECT_EQ(str(json, "version"), "2");
    EXPECT_EQ(str(json, "algorithm"), kAlgorithm);
    EXPECT_EQ(str(json["auth_data"], "public_key"), "second");
    EXPECT_EQ(json["count"].GetInt64(), 0);
    const RawResponse first = call(hs.port(), "GET", kVersions + "/1", alice.token);
    ASSERT_EQ(first.status, 200) << first.body;
    expect_valid("getRoomKeysVersion", first);
    EXPECT_EQ(str(parse(first.body)["auth_data"], "public_key"), "first");

    // Only auth_data changes: the algorithm must stay the spec's, and a version in the body
    // must be the path's.
    expect_error(call(hs.port(), "PUT", kVersions + "/1", alice.token, config("x", "other")), 400,
                 "M_INVALID_PARAM");
    expect_error(call(hs.port(), "PUT", kVersions + "/1", alice.token,
                      R"({"algorithm":")" + std::string(kAlgorithm) +
                          R"(","auth_data":{"public_key":"x"},"version":"2"})"),
                 400, "M_INVALID_PARAM");
    expect_error(call(hs.port(), "PUT", kVersions + "/9", alice.token, config("x")), 404,
                 "M_NOT_FOUND");
    const RawResponse updated = call(hs.port(), "PUT", kVersions + "/1", alice.token,
                                     R"({"algorithm":")" + std::string(kAlgorithm) +
                                         R"(","auth_data":{"public_key":"new"},"version":"1"})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    expect_valid("putRoomKeysVersion", updated);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", kVersions + "/1", alice.token).body)["auth_data"],
                  "public_key"),
              "new");

    // Deleting the current version makes the one before current; a deleted version is gone,
    // deleting it again succeeds, and its id is not handed out again.
    const RawResponse deleted = call(hs.port(), "DELETE", kVersions + "/2", alice.token);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    expect_valid("deleteRoomKeysVersion", deleted);
    expect_error(call(hs.port(), "GET", kVersions + "/2", alice.token), 404, "M_NOT_FOUND");
    EXPECT_EQ(call(hs.port(), "DELETE", kVersions + "/2", alice.token).status, 200);
    expect_error(call(hs.port(), "DELETE", kVersions + "/7", alice.token), 404, "M_NOT_FOUND");
    expect_error(call(hs.port(), "GET", kVersions + "/01", alice.token), 404, "M_NOT_FOUND");
    EXPECT_EQ(str(parse(call(hs.port(), "GET", kVersions, alice.token).body), "version"), "1");
    EXPECT_EQ(create_version(hs, alice), "3");

    // Versions are per user.
    const Account bob = add_user(hs, "bob");
    expect_error(call(hs.port(), "GET", kVersions + "/1", bob.token), 404, "M_NOT_FOUND");
    EXPECT_EQ(create_version(hs, bob), "1");
}

TEST(SimulationKeyBackup, EtagChangesOnlyWhenTheKeysDoAndCountCountsThem) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string version = create_version(hs, alice);
    const std::string initial =
        str(parse(call(hs.port(), "GET", kVersions, alice.token).body), "etag");

    RawResponse r = put_key(hs, alice, version, "s1", key_data(false, 3, 0));
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("putRoomKeyBySessionId", r);
    const std::string one = str(parse(r.body), "etag");
    EXPECT_NE(one, initial);
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 1);
    auto info = parse(call(hs.port(), "GET", kVersions + "/" + version, alice.token).body);
    EXPECT_EQ(str(info, "etag"), one);
    EXPECT_EQ(info["count"].GetInt64(), 1);

    // The same key again, or a worse one: nothing changes.
    r = put_key(hs, alice, version, "s1", key_data(false, 3, 0));
    EXPECT_EQ(str(parse(r.body), "etag"), one) << r.body;
    r = put_key(hs, alice, version, "s1", key_data(false, 4, 0, "worse"));
    EXPECT_EQ(str(parse(r.body), "etag"), one) << r.body;
    EXPECT_EQ(str(stored_key(hs, alice, version, "s1")["session_data"], "ciphertext"), "c");

    // Several keys at once, for a room and for every room.
    r = call(hs.port(), "PUT", kKeys + "/" + path_id("!room:localhost") + "?version=" + version,
             alice.token, R"({"sessions":{"s2":)" + key_data(false, 0, 0) + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("putRoomKeysByRoomId", r);
    const std::string two = str(parse(r.body), "etag");
    EXPECT_NE(two, one);
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 2);
    r = call(hs.port(), "PUT", kKeys + "?version=" + version, alice.token,
             R"({"rooms":{"!other:localhost":{"sessions":{"s3":)" + key_data(true, 0, 0) + "}}}}");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("putRoomKeys", r);
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 3);
    const std::string three = str(parse(r.body), "etag");
    EXPECT_NE(three, two);

    const RawResponse all = call(hs.port(), "GET", kKeys + "?version=" + version, alice.token);
    ASSERT_EQ(all.status, 200) << all.body;
    expect_valid("getRoomKeys", all);
    const auto rooms = parse(all.body);
    EXPECT_EQ(rooms["rooms"]["!room:localhost"]["sessions"].MemberCount(), 2u) << all.body;
    EXPECT_TRUE(rooms["rooms"]["!other:localhost"]["sessions"].HasMember("s3")) << all.body;

    // Deleting nothing keeps the etag; deleting a key changes it.
    r = call(hs.port(), "DELETE", session_path("!room:localhost", "nope", version), alice.token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("deleteRoomKeyBySessionId", r);
    EXPECT_EQ(str(parse(r.body), "etag"), three);
    r = call(hs.port(), "DELETE", session_path("!room:localhost", "s1", version), alice.token);
    EXPECT_NE(str(parse(r.body), "etag"), three) << r.body;
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 2);
    r = call(hs.port(), "DELETE", kKeys + "/" + path_id("!room:localhost") + "?version=" + version,
             alice.token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("deleteRoomKeysByRoomId", r);
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 1);
    r = call(hs.port(), "DELETE", kKeys + "?version=" + version, alice.token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("deleteRoomKeys", r);
    EXPECT_EQ(parse(r.body)["count"].GetInt64(), 0);
}

TEST(SimulationKeyBackup, AStoredKeyIsReplacedOnlyByABetterOne) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string version = create_version(hs, alice);
    const auto ciphertext = [&] {
        return str(stored_key(hs, alice, version, "s")["session_data"], "ciphertext");
    };
    ASSERT_EQ(put_key(hs, alice, version, "s", key_data(false, 5, 2, "a")).status, 200);
    // A later first message loses, however few forwards.
    put_key(hs, alice, version, "s", key_data(false, 6, 0, "b"));
    EXPECT_EQ(ciphertext(), "a");
    // The same first message with fewer forwards wins.
    put_key(hs, alice, version, "s", key_data(false, 5, 1, "c"));
    EXPECT_EQ(ciphertext(), "c");
    // An earlier first message wins, however many forwards.
    put_key(hs, alice, version, "s", key_data(false, 0, 9, "d"));
    EXPECT_EQ(ciphertext(), "d");
    // A verified key beats an unverified one, whatever its index and forwards ...
    put_key(hs, alice, version, "s", key_data(true, 10, 10, "e"));
    EXPECT_EQ(ciphertext(), "e");
    EXPECT_TRUE(stored_key(hs, alice, version, "s")["is_verified"].GetBool());
    // ... and an unverified one never replaces a verified one.
    put_key(hs, alice, version, "s", key_data(false, 0, 0, "f"));
    EXPECT_EQ(ciphertext(), "e");
    // A tie keeps the stored key.
    put_key(hs, alice, version, "s", key_data(true, 10, 10, "g"));
    EXPECT_EQ(ciphertext(), "e");

    // Malformed key data is refused whole: none of the request's keys is stored.
    const RawResponse bad =
        call(hs.port(), "PUT", kKeys + "?version=" + version, alice.token,
             R"({"rooms":{"!room:localhost":{"sessions":{"t":)" + key_data(true, 0, 0) +
                 R"(,"u":{"first_message_index":"1"}}}}})");
    expect_error(bad, 400, "M_BAD_JSON");
    expect_error(call(hs.port(), "GET", session_path("!room:localhost", "t", version), alice.token),
                 404, "M_NOT_FOUND");
    expect_error(call(hs.port(), "PUT", kKeys + "?version=" + version, alice.token, "[]"), 400,
                 "M_NOT_JSON");
}

TEST(SimulationKeyBackup, KeysGoToTheCurrentVersionOnly) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    // No backup at all: not found.
    expect_error(put_key(hs, alice, "1", "s", key_data(false, 0, 0)), 404, "M_NOT_FOUND");
    const std::string old_version = create_version(hs, alice);
    ASSERT_EQ(put_key(hs, alice, old_version, "s", key_data(false, 0, 0)).status, 200);
    const std::string current = create_version(hs, alice);

    for (const std::string& wrong : {old_version, std::string("9")}) {
        const RawResponse r = put_key(hs, alice, wrong, "s", key_data(true, 0, 0));
        expect_error(r, 403, "M_WRONG_ROOM_KEYS_VERSION");
        EXPECT_EQ(str(parse(r.body), "current_version"), current) << r.body;
    }
    expect_error(call(hs.port(), "PUT", kKeys + "/" + path_id("!room:localhost") + "/s",
                      alice.token, key_data(false, 0, 0)),
                 400, "M_MISSING_PARAM");
    expect_error(call(hs.port(), "GET", kKeys, alice.token), 400, "M_MISSING_PARAM");
    // The older version's keys stay readable, unchanged by the refused upload.
    EXPECT_FALSE(stored_key(hs, alice, old_version, "s")["is_verified"].GetBool());
    expect_error(call(hs.port(), "GET", kKeys + "?version=9", alice.token), 404, "M_NOT_FOUND");
    ASSERT_EQ(put_key(hs, alice, current, "s", key_data(true, 0, 0)).status, 200);
}

TEST(SimulationKeyBackup, DeletingAVersionForgetsItsKeys) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string version = create_version(hs, alice);
    ASSERT_EQ(put_key(hs, alice, version, "s", key_data(false, 0, 0)).status, 200);
    ASSERT_EQ(call(hs.port(), "DELETE", kVersions + "/" + version, alice.token).status, 200);
    expect_error(call(hs.port(), "GET", kKeys + "?version=" + version, alice.token), 404,
                 "M_NOT_FOUND");
    expect_error(call(hs.port(), "GET", session_path("!room:localhost", "s", version), alice.token),
                 404, "M_NOT_FOUND");

    const std::string next = create_version(hs, alice);
    const RawResponse all = call(hs.port(), "GET", kKeys + "?version=" + next, alice.token);
    ASSERT_EQ(all.status, 200) << all.body;
    expect_valid("getRoomKeys", all);
    EXPECT_EQ(all.body, R"({"rooms":{}})");
    // A room without keys answers an empty sessions object, a missing session 404.
    const RawResponse room =
        call(hs.port(), "GET", kKeys + "/" + path_id("!room:localhost") + "?version=" + next,
             alice.token);
    ASSERT_EQ(room.status, 200) << room.body;
    expect_valid("getRoomKeysByRoomId", room);
    EXPECT_EQ(room.body, R"({"sessions":{}})");
    expect_error(call(hs.port(), "GET", session_path("!room:localhost", "s", next), alice.token),
                 404, "M_NOT_FOUND");
    EXPECT_EQ(
        parse(call(hs.port(), "GET", kVersions + "/" + next, alice.token).body)["count"].GetInt64(),
        0);
}

TEST(SimulationKeyBackup, TheStateBudgetIsChargedAndGivenBack) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string version = create_version(hs, alice);
    const std::int64_t empty = state_bytes(hs);
    ASSERT_EQ(put_key(hs, alice, version, "s", key_data(false, 0, 0)).status, 200);
    const std::int64_t one = state_bytes(hs);
    EXPECT_GT(one, empty);
    // A key that stays as it is costs nothing more; a replaced key's bytes are given back.
    put_key(hs, alice, version, "s", key_data(false, 1, 0));
    EXPECT_EQ(state_bytes(hs), one);
    // "true" is one character shorter than "false", "ccc" two longer than "c".
    put_key(hs, alice, version, "s", key_data(true, 0, 0, "ccc"));
    EXPECT_EQ(state_bytes(hs), one + 1);
    call(hs.port(), "DELETE", kKeys + "?version=" + version, alice.token);
    EXPECT_EQ(state_bytes(hs), empty);

    // Updating auth_data charges its new size only.
    const std::int64_t before_update = state_bytes(hs);
    ASSERT_EQ(call(hs.port(), "PUT", kVersions + "/" + version, alice.token, config("pk2")).status,
              200);
    EXPECT_EQ(state_bytes(hs), before_update + 1);

    // Deleting the version gives back it and its keys.
    const std::string second = create_version(hs, alice);
    const std::int64_t without_keys = state_bytes(hs);
    ASSERT_EQ(put_key(hs, alice, second, "s", key_data(false, 0, 0)).status, 200);
    ASSERT_EQ(call(hs.port(), "DELETE", kVersions + "/" + second, alice.token).status, 200);
    EXPECT_LT(state_bytes(hs), without_keys);
    EXPECT_EQ(call(hs.port(), "DELETE", kVersions + "/" + version, alice.token).status, 200);
}

// Deactivating an account gives back what its backups held: two accounts alike but for a
// backup, deactivated, give back exactly the backup's bytes more for the one that had it.
TEST(SimulationKeyBackup, DeactivationAndResetForgetTheBackups) {
    MockHomeserver hs(simulated());
    const Account plain = add_user(hs, "plain1");
    const Account backed = add_user(hs, "plain2");
    const std::int64_t users = state_bytes(hs);
    const std::string version = create_version(hs, backed);
    ASSERT_EQ(put_key(hs, backed, version, "s", key_data(false, 0, 0)).status, 200);
    const std::int64_t with_backup = state_bytes(hs);
    const std::string deactivate = R"({"auth":{"type":"m.login.dummy"}})";
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/account/deactivate", plain.token, deactivate).status,
              200);
    const std::int64_t account = with_backup - state_bytes(hs);
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/account/deactivate", backed.token, deactivate).status,
              200);
    EXPECT_EQ(state_bytes(hs), users - 2 * account);

    // A reset forgets every backup: the same user starts again from version 1.
    const Account alice = add_user(hs, "alice");
    EXPECT_EQ(create_version(hs, alice), "1");
    ASSERT_EQ(call(hs.port(), "POST", "/__admin/sim/reset").status, 200);
    const Account again = add_user(hs, "alice");
    expect_error(call(hs.port(), "GET", kVersions, again.token), 404, "M_NOT_FOUND");
    EXPECT_EQ(create_version(hs, again), "1");
}

TEST(SimulationKeyBackup, AFullStateRefusesKeysAndKeepsNoTraceOfThem) {
    MockHomeserverOptions options = simulated();
    options.simulation_options.state_capacity_bytes = 16 * 1024;
    MockHomeserver hs(options);
    const Account alice = add_user(hs, "alice");
    const std::string version = create_version(hs, alice);
    int stored = 0;
    RawResponse r;
    for (; stored < 1000; ++stored) {
        r = put_key(hs, alice, version, "s" + std::to_string(stored),
                    key_data(false, 0, 0, std::string(200, 'x')));
        if (r.status != 200) break;
    }
    ASSERT_LT(stored, 1000) << "a 16 KiB cap holds fewer than 1000 keys of 200 bytes";
    expect_error(r, 403, "M_RESOURCE_LIMIT_EXCEEDED");
    const auto info = parse(call(hs.port(), "GET", kVersions, alice.token).body);
    EXPECT_EQ(info["count"].GetInt64(), stored);
}

}  // namespace
}  // namespace matrix::mock
