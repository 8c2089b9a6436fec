// render(): the one place a Request becomes wire bytes, so the target encoding is checked here.
#include <gtest/gtest.h>

#include "matrix/request.hpp"

namespace matrix {
namespace {

Request request_with_query(std::vector<QueryParam> query) {
    Request r;
    r.method = Method::get;
    r.path = "/_matrix/client/r0/sync";
    r.query = std::move(query);
    return r;
}

TEST(Render, WritesTheMethodAsAnUpperCaseString) {
    Request r;
    r.path = "/";
    r.method = Method::get;
    EXPECT_EQ(render(r).method, "GET");
    r.method = Method::post;
    EXPECT_EQ(render(r).method, "POST");
    r.method = Method::put;
    EXPECT_EQ(render(r).method, "PUT");
    r.method = Method::del;
    EXPECT_EQ(render(r).method, "DELETE");
}

TEST(Render, LeavesOutTheQuestionMarkWhenTheQueryIsEmpty) {
    EXPECT_EQ(render(request_with_query({})).target, "/_matrix/client/r0/sync");
}

TEST(Render, JoinsQueryPairsWithAmpersandInOrder) {
    EXPECT_EQ(render(request_with_query({{"since", "s1"}, {"timeout", "1000"}})).target,
              "/_matrix/client/r0/sync?since=s1&timeout=1000");
}

TEST(Render, EncodesSpaceAsPercent20InQueryValues) {
    EXPECT_EQ(render(request_with_query({{"since", "a b"}})).target,
              "/_matrix/client/r0/sync?since=a%20b");
}

TEST(Render, EncodesAmpersandEqualsAndPlusInQueryValues) {
    EXPECT_EQ(render(request_with_query({{"filter", "a&b=c+d"}})).target,
              "/_matrix/client/r0/sync?filter=a%26b%3Dc%2Bd");
}

TEST(Render, EncodesQueryNamesToo) {
    EXPECT_EQ(render(request_with_query({{"a b&c=d+", "v"}})).target,
              "/_matrix/client/r0/sync?a%20b%26c%3Dd%2B=v");
}

TEST(Render, EncodesInlineJsonFiltersAndNonAscii) {
    EXPECT_EQ(render(request_with_query({{"filter", R"({"a":1})"}, {"since", "é"}})).target,
              "/_matrix/client/r0/sync?filter=%7B%22a%22%3A1%7D&since=%C3%A9");
}

TEST(Render, KeepsAnEmptyQueryValue) {
    EXPECT_EQ(render(request_with_query({{"since", ""}})).target, "/_matrix/client/r0/sync?since=");
}

TEST(Render, LeavesThePathBytesAsTheyAre) {
    // The path is already encoded; encoding it again would turn %21 into %2521.
    Request r;
    r.path = "/_matrix/client/r0/rooms/%21r%3Ax/state/m.room.topic/";
    EXPECT_EQ(render(r).target, "/_matrix/client/r0/rooms/%21r%3Ax/state/m.room.topic/");
}

TEST(Render, KeepsHeadersInOrder) {
    Request r;
    r.path = "/";
    r.headers = {
        {"Authorization", "Bearer t"}, {"Content-Type", "text/plain"}, {"Accept-Language", "en"}};
    const WireRequest wire = render(r);
    EXPECT_EQ(wire.headers, r.headers);
}

TEST(Render, CopiesBodyBytesExactly) {
    Request r;
    r.method = Method::post;
    r.path = "/";
    r.body_kind = BodyKind::raw;
    r.body = std::string("\0\xff{}\r\n", 6);
    EXPECT_EQ(render(r).body, r.body);
}

TEST(Render, GivesAnEmptyBodyForARequestWithoutOne) { EXPECT_EQ(render(Request{}).body, ""); }

TEST(AppendTarget, AppendsToWhatIsAlreadyInTheBuffer) {
    std::string out = "GET ";
    append_target(out, request_with_query({{"x", "1"}}));
    EXPECT_EQ(out, "GET /_matrix/client/r0/sync?x=1");
}

TEST(RequestHeader, FindsAHeaderIgnoringCase) {
    Request r;
    r.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "text/plain"}};
    ASSERT_NE(r.header("content-type"), nullptr);
    EXPECT_EQ(*r.header("content-type"), "text/plain");
    ASSERT_NE(r.header("AUTHORIZATION"), nullptr);
    EXPECT_EQ(*r.header("AUTHORIZATION"), "Bearer t");
    EXPECT_EQ(r.header("Accept-Language"), nullptr);
    EXPECT_EQ(r.header("Content-Typ"), nullptr);
}

}  // namespace
}  // namespace matrix
