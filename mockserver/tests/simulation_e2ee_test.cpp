// The simulation's end-to-end encryption support over real sockets: one-time and fallback keys,
// to-device messages delivered exactly once, device list changes, cross-signing with
// user-interactive auth, and signatures. Key material is opaque to the simulation, so the keys
// here are placeholders with the shapes clients send.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "response_schema_check.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

std::string device_of(const MockHomeserver& hs, const Account& who) {
    return str(parse(call(hs.port(), "GET", kV3 + "/account/whoami", who.token).body), "device_id");
}

std::string device_keys_json(const std::string& user_id, const std::string& device_id,
                             const std::string& curve = "curve") {
    return R"({"user_id":")" + user_id + R"(","device_id":")" + device_id +
           R"(","algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],)"
           R"("keys":{"curve25519:)" +
           device_id + R"(":")" + curve + R"(","ed25519:)" + device_id +
           R"(":"edkey"},"signatures":{")" + user_id + R"(":{"ed25519:)" + device_id +
           R"(":"sig"}}})";
}

std::string otk(const std::string& key) {
    return R"({"key":")" + key + R"(","signatures":{"@x:localhost":{"ed25519:D":"s"}}})";
}

RawResponse post(const MockHomeserver& hs, const Account& who, const std::string& path,
                 const std::string& body) {
    return call(hs.port(), "POST", kV3 + path, who.token, body);
}

RawResponse upload_keys(const MockHomeserver& hs, const Account& who, const std::string& body) {
    const RawResponse r = post(hs, who, "/keys/upload", body);
    if (r.status == 200) expect_valid("uploadKeys", r);
    return r;
}

std::int64_t count_of(const rapidjson::Value& counts, const char* algorithm) {
    return counts.HasMember(algorithm) ? counts[algorithm].GetInt64() : -1;
}

// The one key a claim gave for (user, device), as "key_id=key"; "" when none.
std::string claimed(const MockHomeserver& hs, const Account& who, const std::string& user_id,
                    const std::string& device_id) {
    const RawResponse r = post(
        hs, who, "/keys/claim",
        R"({"one_time_keys":{")" + user_id + R"(":{")" + device_id + R"(":"signed_curve25519"}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    expect_valid("claimKeys", r);
    const auto json = parse(r.body);
    const auto& keys = json["one_time_keys"];
    if (!keys.HasMember(user_id.c_str()) || !keys[user_id.c_str()].HasMember(device_id.c_str())) {
        return {};
    }
    const auto& one = keys[user_id.c_str()][device_id.c_str()];
    EXPECT_EQ(one.MemberCount(), 1u) << r.body;
    const auto member = one.MemberBegin();
    return std::string(member->name.GetString()) + "=" + str(member->value, "key");
}

// Until the simulation holds a sync (the one just started in the background).
void wait_until_held(MockHomeserver& hs) {
    while (hs.simulation()->held_count() == 0) std::this_thread::yield();
}

std::int64_t state_bytes(const MockHomeserver& hs) {
    const auto json = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    return json.HasMember("state_bytes") ? json["state_bytes"].GetInt64() : -1;
}

std::vector<std::string> strings_in(const rapidjson::Value& array) {
    std::vector<std::string> out;
    for (const auto& item : array.GetArray()) out.emplace_back(item.GetString());
    return out;
}

TEST(SimulationE2ee, DeviceKeysMustBeTheCallersOwnAndComplete) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string device = device_of(hs, alice);
    RawResponse r = upload_keys(
        hs, alice, R"({"device_keys":)" + device_keys_json("@bob:localhost", device) + "}");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(errcode(r), "M_INVALID_PARAM");
    r = upload_keys(hs, alice,
                    R"({"device_keys":{"user_id":")" + alice.user_id + R"(","device_id":")" +
                        device + R"(","keys":{}}})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(errcode(r), "M_BAD_JSON");
    r = upload_keys(hs, alice,
                    R"({"device_keys":)" + device_keys_json(alice.user_id, device) + "}");
    ASSERT_EQ(r.status, 200) << r.body;

    // Listed by keys/query, for all devices ([]) and by id; unknown users and devices left out.
    const Account bob = add_user(hs, "bob");
    r = post(hs, bob, "/keys/query",
             R"({"device_keys":{")" + alice.user_id + R"(":[],"@nobody:localhost":[]}})");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("queryKeys", r);
    auto json = parse(r.body);
    ASSERT_TRUE(json["device_keys"][alice.user_id.c_str()].HasMember(device.c_str())) << r.body;
    EXPECT_EQ(str(json["device_keys"][alice.user_id.c_str()][device.c_str()], "device_id"), device);
    EXPECT_FALSE(json["device_keys"].HasMember("@nobody:localhost")) << r.body;
    r = post(hs, bob, "/keys/query", R"({"device_keys":{")" + alice.user_id + R"(":["NOPE"]}})");
    json = parse(r.body);
    EXPECT_EQ(json["device_keys"][alice.user_id.c_str()].MemberCount(), 0u) << r.body;
}

TEST(SimulationE2ee, EachOneTimeKeyIsClaimedOnceAndCountsGoDown) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string device = device_of(hs, alice);
    RawResponse r = upload_keys(hs, alice,
                                R"({"device_keys":)" + device_keys_json(alice.user_id, device) +
                                    R"(,"one_time_keys":{"signed_curve25519:AAAA":)" + otk("k1") +
                                    R"(,"signed_curve25519:AAAB":)" + otk("k2") + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(count_of(parse(r.body)["one_time_key_counts"], "signed_curve25519"), 2);
    // The same id with other content is refused; with the same content it is a retry.
    r = upload_keys(hs, alice,
                    R"({"one_time_keys":{"signed_curve25519:AAAA":)" + otk("other") + "}}");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(errcode(r), "M_INVALID_PARAM");
    r = upload_keys(hs, alice, R"({"one_time_keys":{"signed_curve25519:AAAA":)" + otk("k1") + "}}");
    EXPECT_EQ(count_of(parse(r.body)["one_time_key_counts"], "signed_curve25519"), 2) << r.body;

    const std::string first = claimed(hs, bob, alice.user_id, device);
    const std::string second = claimed(hs, bob, alice.user_id, device);
    EXPECT_EQ(std::set<std::string>({first, second}),
              std::set<std::string>({"signed_curve25519:AAAA=k1", "signed_curve25519:AAAB=k2"}));
    EXPECT_EQ(claimed(hs, bob, alice.user_id, device), "");  // none left, no fallback key

    r = upload_keys(hs, alice, "{}");
    EXPECT_EQ(count_of(parse(r.body)["one_time_key_counts"], "signed_curve25519"), 0) << r.body;
    r = sync(hs, alice, "timeout=0");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("sync", r);
    EXPECT_EQ(count_of(parse(r.body)["device_one_time_keys_count"], "signed_curve25519"), 0);
}

TEST(SimulationE2ee, FallbackKeyIsGivenWhenOneTimeKeysRunOut) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string device = device_of(hs, alice);
    ASSERT_EQ(upload_keys(hs, alice,
                          R"({"one_time_keys":{"signed_curve25519:A1":)" + otk("one") +
                              R"(},"fallback_keys":{"signed_curve25519:F1":)" + otk("fb") + "}}")
                  .status,
              200);
    auto unused = [&] {
        const RawResponse r = sync(hs, alice, "timeout=0");
        EXPECT_EQ(r.status, 200) << r.body;
        expect_valid("sync", r);
        return strings_in(parse(r.body)["device_unused_fallback_key_types"]);
    };
    EXPECT_EQ(unused(), std::vector<std::string>{"signed_curve25519"});
    EXPECT_EQ(claimed(hs, bob, alice.user_id, device), "signed_curve25519:A1=one");
    EXPECT_EQ(unused(), std::vector<std::string>{"signed_curve25519"});  // not used yet
    // Out of one-time keys: the fallback key, every time, and it is then marked used.
    EXPECT_EQ(claimed(hs, bob, alice.user_id, device), "signed_curve25519:F1=fb");
    EXPECT_EQ(claimed(hs, bob, alice.user_id, device), "signed_curve25519:F1=fb");
    EXPECT_TRUE(unused().empty());
    // A new fallback key replaces it, unused.
    ASSERT_EQ(
        upload_keys(hs, alice, R"({"fallback_keys":{"signed_curve25519:F2":)" + otk("fb2") + "}}")
            .status,
        200);
    EXPECT_EQ(unused(), std::vector<std::string>{"signed_curve25519"});
    EXPECT_EQ(claimed(hs, bob, alice.user_id, device), "signed_curve25519:F2=fb2");
}

// The to_device events of a sync from `since`, as "sender type content.body".
std::vector<std::string> to_device_of(const RawResponse& r) {
    const auto json = parse(r.body);
    std::vector<std::string> out;
    for (const auto& event : json["to_device"]["events"].GetArray()) {
        out.push_back(str(event, "sender") + " " + str(event, "type") + " " +
                      str(event["content"], "body"));
    }
    return out;
}

TEST(SimulationE2ee, ToDeviceMessagesAreDeliveredOnceAndAgainForARepeatedSince) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string bob_device = device_of(hs, bob);
    const std::string start = str(parse(sync(hs, bob, "timeout=0").body), "next_batch");
    const std::string message =
        R"({"messages":{")" + bob.user_id + R"(":{")" + bob_device + R"(":{"body":"hi"}}}})";
    RawResponse r = call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/txn1", alice.token, message);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("sendToDevice", r);
    // The same transaction again is a retry: no second message.
    r = call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/txn1", alice.token, message);
    ASSERT_EQ(r.status, 200) << r.body;

    r = sync(hs, bob, "timeout=0&since=" + start);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("sync", r);
    const std::vector<std::string> expected{alice.user_id + " m.test hi"};
    EXPECT_EQ(to_device_of(r), expected);
    const std::string next = str(parse(r.body), "next_batch");
    // The client repeats its since (the answer was lost): the message comes again.
    r = sync(hs, bob, "timeout=0&since=" + start);
    EXPECT_EQ(to_device_of(r), expected);
    // A sync past it acknowledges it: never again.
    r = sync(hs, bob, "timeout=0&since=" + next);
    EXPECT_TRUE(to_device_of(r).empty()) << r.body;
    r = sync(hs, bob, "timeout=0&since=" + start);
    EXPECT_TRUE(to_device_of(r).empty()) << r.body;

    // "*": every device of the user; a held sync wakes for it.
    const std::string later = str(parse(sync(hs, bob, "timeout=0").body), "next_batch");
    auto held = std::async(std::launch::async,
                           [&] { return sync(hs, bob, "timeout=20000&since=" + later); });
    wait_until_held(hs);
    r = call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/txn2", alice.token,
             R"({"messages":{")" + bob.user_id + R"(":{"*":{"body":"all"}}}})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(to_device_of(held.get()), std::vector<std::string>{alice.user_id + " m.test all"});

    r = call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/txn3", alice.token,
             R"({"messages":{")" + bob.user_id + R"(":{"*":"not an object"}}})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(errcode(r), "M_BAD_JSON");
}

TEST(SimulationE2ee, KeyUploadsShowInDeviceListsOfUsersSharingARoom) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    const std::string bob_since = str(parse(sync(hs, bob, "timeout=0").body), "next_batch");
    const std::string carol_since = str(parse(sync(hs, carol, "timeout=0").body), "next_batch");

    // A held sync of bob's wakes for alice's key upload.
    auto held = std::async(std::launch::async,
                           [&] { return sync(hs, bob, "timeout=20000&since=" + bob_since); });
    wait_until_held(hs);
    const std::string device = device_of(hs, alice);
    ASSERT_EQ(
        upload_keys(hs, alice, R"({"device_keys":)" + device_keys_json(alice.user_id, device) + "}")
            .status,
        200);
    const RawResponse woken = held.get();
    expect_valid("sync", woken);
    EXPECT_EQ(strings_in(parse(woken.body)["device_lists"]["changed"]),
              std::vector<std::string>{alice.user_id})
        << woken.body;
    const std::string now = str(parse(woken.body), "next_batch");

    // keys/changes between the two tokens says the same; carol shares no room with alice.
    RawResponse r =
        call(hs.port(), "GET", kV3 + "/keys/changes?from=" + bob_since + "&to=" + now, bob.token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("getKeysChanges", r);
    EXPECT_EQ(strings_in(parse(r.body)["changed"]), std::vector<std::string>{alice.user_id});
    r = call(hs.port(), "GET", kV3 + "/keys/changes?from=" + now + "&to=" + now, bob.token);
    EXPECT_TRUE(strings_in(parse(r.body)["changed"]).empty()) << r.body;
    r = sync(hs, carol, "timeout=0&since=" + carol_since);
    EXPECT_TRUE(strings_in(parse(r.body)["device_lists"]["changed"]).empty()) << r.body;
    r = call(hs.port(), "GET", kV3 + "/keys/changes?from=s999999&to=" + now, bob.token);
    EXPECT_EQ(r.status, 400) << r.body;

    // bob leaves: alice no longer shares a room with him.
    const std::string alice_since = str(parse(sync(hs, alice, "timeout=0").body), "next_batch");
    ASSERT_EQ(post(hs, bob, "/rooms/" + path_id(room) + "/leave", "{}").status, 200);
    r = sync(hs, alice, "timeout=0&since=" + alice_since);
    EXPECT_EQ(strings_in(parse(r.body)["device_lists"]["left"]),
              std::vector<std::string>{bob.user_id})
        << r.body;
}

std::string cross_signing_key(const std::string& user_id, const std::string& usage,
                              const std::string& key) {
    return R"({"user_id":")" + user_id + R"(","usage":[")" + usage + R"("],"keys":{"ed25519:)" +
           key + R"(":")" + key + R"("}})";
}

TEST(SimulationE2ee, CrossSigningNeedsUserInteractiveAuthOnceAMasterKeyExists) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string first =
        R"({"master_key":)" + cross_signing_key(alice.user_id, "master", "MASTER1") +
        R"(,"self_signing_key":)" + cross_signing_key(alice.user_id, "self_signing", "SELF1") +
        R"(,"user_signing_key":)" + cross_signing_key(alice.user_id, "user_signing", "USER1") + "}";
    RawResponse r = post(hs, alice, "/keys/device_signing/upload", first);
    ASSERT_EQ(r.status, 200) << r.body;  // no master key yet: no auth needed
    expect_valid("uploadCrossSigningKeys", r);
    // The same keys again need none either.
    EXPECT_EQ(post(hs, alice, "/keys/device_signing/upload", first).status, 200);

    const std::string replacement =
        R"({"master_key":)" + cross_signing_key(alice.user_id, "master", "MASTER2");
    r = post(hs, alice, "/keys/device_signing/upload", replacement + "}");
    ASSERT_EQ(r.status, 401) << r.body;
    const std::string session = str(parse(r.body), "session");
    EXPECT_FALSE(session.empty()) << r.body;
    r = post(hs, alice, "/keys/device_signing/upload",
             replacement + R"(,"auth":{"type":"m.login.password","password":"wrong","session":")" +
                 session + R"(","identifier":{"type":"m.id.user","user":"alice"}}})");
    EXPECT_EQ(r.status, 401) << r.body;
    r = post(hs, alice, "/keys/device_signing/upload",
             replacement + R"(,"auth":{"type":"m.login.password","password":"pw","session":")" +
                 session + R"(","identifier":{"type":"m.id.user","user":"alice"}}})");
    ASSERT_EQ(r.status, 200) << r.body;

    // bob sees alice's master and self-signing keys, not her user-signing key; she sees all.
    r = post(hs, bob, "/keys/query", R"({"device_keys":{")" + alice.user_id + R"(":[]}})");
    auto json = parse(r.body);
    EXPECT_EQ(str(json["master_keys"][alice.user_id.c_str()]["keys"], "ed25519:MASTER2"), "MASTER2")
        << r.body;
    EXPECT_TRUE(json["self_signing_keys"].HasMember(alice.user_id.c_str())) << r.body;
    EXPECT_FALSE(json["user_signing_keys"].HasMember(alice.user_id.c_str())) << r.body;
    r = post(hs, alice, "/keys/query", R"({"device_keys":{")" + alice.user_id + R"(":[]}})");
    EXPECT_TRUE(parse(r.body)["user_signing_keys"].HasMember(alice.user_id.c_str())) << r.body;

    // Keys for someone else, or without the usage they are uploaded as, are refused.
    r = post(hs, alice, "/keys/device_signing/upload",
             R"({"master_key":)" + cross_signing_key(bob.user_id, "master", "X") + "}");
    EXPECT_EQ(r.status, 400) << r.body;
}

TEST(SimulationE2ee, UploadedSignaturesShowInKeysQuery) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string device = device_of(hs, alice);
    ASSERT_EQ(
        upload_keys(hs, alice, R"({"device_keys":)" + device_keys_json(alice.user_id, device) + "}")
            .status,
        200);
    ASSERT_EQ(post(hs, alice, "/keys/device_signing/upload",
                   R"({"master_key":)" + cross_signing_key(alice.user_id, "master", "MK") +
                       R"(,"self_signing_key":)" +
                       cross_signing_key(alice.user_id, "self_signing", "SSK") + "}")
                  .status,
              200);
    // The device signed by the self-signing key, the master key by the device; one unknown key.
    const std::string signed_device = R"({"user_id":")" + alice.user_id + R"(","device_id":")" +
                                      device + R"(","signatures":{")" + alice.user_id +
                                      R"(":{"ed25519:SSK":"by-ssk"}}})";
    const std::string signed_master = R"({"user_id":")" + alice.user_id +
                                      R"(","usage":["master"],"signatures":{")" + alice.user_id +
                                      R"(":{"ed25519:)" + device + R"(":"by-device"}}})";
    RawResponse r = post(hs, alice, "/keys/signatures/upload",
                         R"({")" + alice.user_id + R"(":{")" + device + R"(":)" + signed_device +
                             R"(,"MK":)" + signed_master + R"(,"UNKNOWN":)" + signed_master + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("uploadCrossSigningSignatures", r);
    auto json = parse(r.body);
    EXPECT_EQ(str(json["failures"][alice.user_id.c_str()]["UNKNOWN"], "errcode"), "M_NOT_FOUND")
        << r.body;
    EXPECT_FALSE(json["failures"][alice.user_id.c_str()].HasMember(device.c_str())) << r.body;

    r = post(hs, alice, "/keys/query", R"({"device_keys":{")" + alice.user_id + R"(":[]}})");
    json = parse(r.body);
    const auto& device_signatures = json["device_keys"][alice.user_id.c_str()][device.c_str()]
                                        ["signatures"][alice.user_id.c_str()];
    EXPECT_EQ(str(device_signatures, "ed25519:SSK"), "by-ssk") << r.body;
    EXPECT_EQ(str(device_signatures, ("ed25519:" + device).c_str()), "sig") << r.body;  // kept
    EXPECT_EQ(str(json["master_keys"][alice.user_id.c_str()]["signatures"][alice.user_id.c_str()],
                  ("ed25519:" + device).c_str()),
              "by-device")
        << r.body;
}

TEST(SimulationE2ee, DeletedDevicesTakeTheirKeysAndMessagesWithThem) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::int64_t before = state_bytes(hs);
    const RawResponse login = call(hs.port(), "POST", kV3 + "/login", {},
                                   R"({"type":"m.login.password","identifier":{"type":"m.id.user",)"
                                   R"("user":"alice"},"password":"pw","device_id":"SECOND"})");
    ASSERT_EQ(login.status, 200) << login.body;
    const Account second{alice.user_id, str(parse(login.body), "access_token")};
    ASSERT_EQ(upload_keys(hs, second,
                          R"({"device_keys":)" + device_keys_json(alice.user_id, "SECOND") +
                              R"(,"one_time_keys":{"signed_curve25519:A":)" + otk("a") + "}}")
                  .status,
              200);
    ASSERT_EQ(call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/t", bob.token,
                   R"({"messages":{")" + alice.user_id + R"(":{"SECOND":{"body":"x"}}}})")
                  .status,
              200);
    ASSERT_EQ(post(hs, second, "/logout", "{}").status, 200);
    const RawResponse r =
        post(hs, bob, "/keys/query", R"({"device_keys":{")" + alice.user_id + R"(":[]}})");
    EXPECT_EQ(parse(r.body)["device_keys"][alice.user_id.c_str()].MemberCount(), 0u) << r.body;
    EXPECT_EQ(claimed(hs, bob, alice.user_id, "SECOND"), "");
    // What is left over: the record that alice's device list changed (twice), bob's
    // transaction id; the device, its keys and its message gave their bytes back.
    EXPECT_LT(state_bytes(hs) - before, 1000);
}

TEST(SimulationE2ee, KeysAndMessagesPastTheStateCapAreRefusedWhole) {
    MockHomeserverOptions options = simulated();
    options.simulation_options.state_capacity_bytes = 64 * 1024;
    MockHomeserver hs(options);
    const Account alice = add_user(hs, "alice");
    const std::string device = device_of(hs, alice);
    const std::int64_t before = state_bytes(hs);
    const std::string big(1024, 'k');
    std::string keys;
    for (int i = 0; i < 100; ++i) {
        keys += (keys.empty() ? "" : ",") + std::string(R"("signed_curve25519:K)") +
                std::to_string(i) + R"(":)" + otk(big);
    }
    RawResponse r = upload_keys(hs, alice, R"({"one_time_keys":{)" + keys + "}}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(errcode(r), "M_RESOURCE_LIMIT_EXCEEDED");
    r = call(hs.port(), "PUT", kV3 + "/sendToDevice/m.test/big", alice.token,
             R"({"messages":{")" + alice.user_id + R"(":{")" + device + R"(":{"body":")" +
                 std::string(100 * 1024, 'x') + R"("}}}})");
    EXPECT_EQ(r.status, 403) << r.status;
    EXPECT_EQ(state_bytes(hs), before) << "a refused request stores nothing";
    r = upload_keys(hs, alice, "{}");
    EXPECT_EQ(count_of(parse(r.body)["one_time_key_counts"], "signed_curve25519"), 0) << r.body;
    // Within the cap the same kind of upload is stored, and charged.
    r = upload_keys(hs, alice, R"({"one_time_keys":{"signed_curve25519:A":)" + otk(big) + "}}");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_GT(state_bytes(hs), before + 1024);
}

}  // namespace
}  // namespace matrix::mock
