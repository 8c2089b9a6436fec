// The README's in-process example: a typed mock whose guard fails the test unless whoami is
// asked exactly once, and a matcher on what the client sent.
#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/testing.hpp"

using namespace matrix;
using namespace matrix::mock;

TEST(TypedMock, AsksWhoamiOnce) {
    MockHomeserver hs;  // no simulation unless MockHomeserverOptions::simulation
    auto guard =
        hs.mock(endpoints::whoami).ok(R"({"user_id":"@me:localhost"})").expect(exactly(1)).mount();
    const Response response = HttpClient().send(api::whoami(hs.url(), "token"));
    EXPECT_EQ(response.status, 200);
    EXPECT_THAT(hs.journal().entries(),
                testing::ElementsAre(HasHeader("Authorization", testing::Eq("Bearer token"))));
}
