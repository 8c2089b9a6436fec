// The README's in-process example, built against the installed package by ci/check-install.sh:
// a typed mock whose guard fails the test unless whoami is asked exactly once, a matcher on
// what the client sent, and a simulated homeserver seeded with a user. The lines between the
// README markers are quoted in README.md verbatim (ci/check-readme-example.sh checks it).
#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/testing.hpp"

using namespace matrix;
using namespace matrix::mock;

// README example begins
TEST(MyClient, AsksWhoamiOnce) {
    MockHomeserver hs;  // stubs only: the simulation is off in-process unless asked for
    auto guard =
        hs.mock(endpoints::whoami).ok(R"({"user_id":"@me:localhost"})").expect(exactly(1)).mount();
    const Response response = HttpClient().send(api::whoami(hs.url(), "token"));
    EXPECT_EQ(response.status, 200);
    EXPECT_THAT(hs.journal().entries(),
                testing::ElementsAre(HasHeader("Authorization", testing::Eq("Bearer token"))));
}  // the guard checks exactly(1) here, and fails the test if not

TEST(MyClient, TalksToASimulatedHomeserver) {
    MockHomeserver hs({.simulation = true});
    const Session alice = hs.add_user("alice", "secret");  // registered and logged in
    const std::string room = hs.create_room(alice, {.name = "General"});
    hs.send(room, alice.user_id, "hello");
    const Response me = HttpClient().send(api::whoami(hs.url(), alice.access_token));
    EXPECT_THAT(me.body, testing::HasSubstr(alice.user_id));
}
// README example ends
