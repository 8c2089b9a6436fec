// match_operation(): every operation's request, built from its spec vector at each version its
// path has had, is recognised as that operation; and the rules for ambiguous, short and foreign
// paths.
#include "matrix/operation_match.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "matrix/named_builder.hpp"
#include "typed_operations_cases.hpp"

namespace matrix {
namespace {

TEST(OperationMatch, EveryOperationsRequestIsThatOperationAtEveryVersion) {
    std::size_t checked = 0;
    for (const typed_cases::TypedCase& typed : typed_cases::all()) {
        const EndpointSpec& operation = *find_operation(typed.operation_id);
        // Where two operations share a method and path (getEvents and peekEvents, inviteBy3PID
        // and inviteUser), the request is the first one declared: the other is not expected back.
        const EndpointSpec& first_with_that_path =
            *std::ranges::find_if(spec_operations(), [&](const EndpointSpec& other) {
                return other.method == operation.method &&
                       other.path_template == operation.path_template;
            });
        for (const PathVersion version : {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
            const bool unversioned = operation.versions.empty();
            if (!unversioned && !operation.versions.has(version)) continue;
            BuildOptions options;
            if (!unversioned) options.version = version;
            const Request request = build_by_name(typed.operation_id, typed.args_json, options);
            const auto match = match_operation(to_string(request.method), request.path);
            ASSERT_TRUE(match.has_value()) << typed.operation_id << ": " << request.path;
            EXPECT_EQ(match->operation->operation_id, first_with_that_path.operation_id)
                << request.path;
            if (unversioned) {
                EXPECT_FALSE(match->version.has_value()) << request.path;
                break;
            }
            EXPECT_EQ(match->version, version) << request.path;
            ++checked;
        }
    }
    EXPECT_GT(checked, spec_operations().size());  // most operations have two versions
}

TEST(OperationMatch, PathParametersAreDecoded) {
    const auto match = match_operation(
        "PUT", "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/txn%2F1");
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->operation->operation_id, "sendMessage");
    EXPECT_EQ(match->version, PathVersion::v3);
    ASSERT_NE(match->path_param("roomId"), nullptr);
    EXPECT_EQ(*match->path_param("roomId"), "!abc:example.org");
    EXPECT_EQ(*match->path_param("txnId"), "txn/1");
    EXPECT_EQ(match->path_param("stateKey"), nullptr);
}

TEST(OperationMatch, AnEmptyStateKeyMayBeLeftOutWithItsSlash) {
    for (const char* path : {"/_matrix/client/r0/rooms/!a:b/state/m.room.name/",
                             "/_matrix/client/r0/rooms/!a:b/state/m.room.name"}) {
        const auto match = match_operation("GET", std::string_view(path));
        ASSERT_TRUE(match.has_value()) << path;
        EXPECT_EQ(match->operation->operation_id, "getRoomStateWithKey") << path;
        ASSERT_NE(match->path_param("stateKey"), nullptr);
        EXPECT_EQ(*match->path_param("stateKey"), "");
    }
    // Only an empty-able parameter may be left out: the event ID of /event/{eventId} may not.
    EXPECT_FALSE(match_operation("GET", std::string_view("/_matrix/client/v3/rooms/!a:b/event")));
}

TEST(OperationMatch, MoreLiteralSegmentsWin) {
    const auto global =
        match_operation("GET", std::string_view("/_matrix/client/v3/pushrules/global/"));
    ASSERT_TRUE(global.has_value());
    EXPECT_EQ(global->operation->operation_id, "getPushRulesGlobal");
    const auto all = match_operation("GET", std::string_view("/_matrix/client/v3/pushrules/"));
    ASSERT_TRUE(all.has_value());
    EXPECT_EQ(all->operation->operation_id, "getPushRules");
}

TEST(OperationMatch, OnlyTheVersionsAnOperationsPathHad) {
    // Relations were added under v1 only; the authenticated media paths too.
    EXPECT_TRUE(
        match_operation("GET", std::string_view("/_matrix/client/v1/rooms/!a:b/relations/$e")));
    EXPECT_FALSE(
        match_operation("GET", std::string_view("/_matrix/client/r0/rooms/!a:b/relations/$e")));
    EXPECT_FALSE(match_operation("GET", std::string_view("/_matrix/client/v2/sync")));
    EXPECT_TRUE(match_operation("GET", std::string_view("/_matrix/client/r0/sync")));
}

TEST(OperationMatch, ForeignMethodsAndPathsAreNoOperation) {
    EXPECT_FALSE(match_operation("DELETE", std::string_view("/_matrix/client/v3/sync")));
    EXPECT_FALSE(match_operation("GET", std::string_view("/_matrix/client/v3/no/such/thing")));
    EXPECT_FALSE(match_operation("GET", std::string_view("_matrix/client/v3/sync")));
    EXPECT_FALSE(match_operation("GET", std::string_view("/_matrix/client/v3/rooms/%ZZ/members")));
    EXPECT_FALSE(match_operation("GET", std::string_view("/__admin/requests")));
}

}  // namespace
}  // namespace matrix
