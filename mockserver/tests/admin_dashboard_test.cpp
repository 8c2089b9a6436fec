// GET /__admin/ui over HTTP: the page and its files come with their media type and a strict
// Content-Security-Policy, unknown files are a 404 naming the real ones, and --no-admin hides it.
#include <gtest/gtest.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::RawResponse;
using testing::send_raw;

RawResponse get(const MockHomeserver& hs, std::string_view target) {
    return send_raw(hs.port(), http_request("GET", target));
}

TEST(AdminDashboard, ThePageIsHtmlWithAPolicyThatAllowsOnlyTheServersOwnScripts) {
    MockHomeserver hs;
    for (const char* target : {"/__admin/ui", "/__admin/ui/", "/__admin/ui/index.html"}) {
        const RawResponse page = get(hs, target);
        ASSERT_EQ(page.status, 200) << target << page.bytes;
        EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8") << target;
        const std::string policy = page.header("Content-Security-Policy");
        EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
        EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
        EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
        EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
        EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
        // The hooks the browser test relies on (docs/dashboard.md).
        for (const char* hook :
             {"id=\"request-list\"", "id=\"detail\"", "id=\"coverage\"", "id=\"stubs\"",
              "id=\"detail-request-body\"", "id=\"detail-response-body\""}) {
            EXPECT_NE(page.body.find(hook), std::string::npos) << hook;
        }
        // No inline script: every <script> names its file.
        std::size_t at = 0;
        while ((at = page.body.find("<script", at)) != std::string::npos) {
            const std::size_t end = page.body.find('>', at);
            EXPECT_NE(page.body.substr(at, end - at).find("src="), std::string::npos)
                << page.body.substr(at, end - at);
            at = end;
        }
    }
}

TEST(AdminDashboard, ItsFilesAreServedWithTheirMediaTypesAndThePolicy) {
    MockHomeserver hs;
    const struct {
        const char* target;
        const char* type;
        const char* content;
    } files[] = {
        {"/__admin/ui/main.js", "text/javascript; charset=utf-8", "import"},
        {"/__admin/ui/dashboard.css", "text/css; charset=utf-8", "#request-list"},
        {"/__admin/ui/favicon.svg", "image/svg+xml", "<svg"},
    };
    for (const auto& file : files) {
        const RawResponse response = get(hs, file.target);
        ASSERT_EQ(response.status, 200) << file.target << response.bytes;
        EXPECT_EQ(response.header("Content-Type"), file.type) << file.target;
        EXPECT_NE(response.header("Content-Security-Policy").find("default-src 'self'"),
                  std::string::npos)
            << file.target;
        EXPECT_NE(response.body.find(file.content), std::string::npos) << file.target;
    }
}

TEST(AdminDashboard, AnUnknownFileIsA404ListingTheFilesThereAre) {
    MockHomeserver hs;
    for (const char* target :
         {"/__admin/ui/nothing.js", "/__admin/ui/../health", "/__admin/ui/main.js/x"}) {
        const RawResponse response = get(hs, target);
        EXPECT_EQ(response.status, 404) << target << response.bytes;
        EXPECT_NE(response.body.find("main.js"), std::string::npos) << response.body;
    }
}

TEST(AdminDashboard, WithoutTheAdminApiThereIsNoDashboard) {
    MockHomeserverOptions options;
    options.admin_api = false;
    MockHomeserver hs(options);
    const RawResponse response = get(hs, "/__admin/ui");
    EXPECT_EQ(response.status, 404) << response.bytes;
    EXPECT_EQ(response.body.find("<html"), std::string::npos);
    EXPECT_EQ(response.header("Content-Security-Policy"), "");
}

TEST(AdminDashboard, TheRouteListOfAnUnknownAdminRouteNamesTheNewRoutes) {
    MockHomeserver hs;
    const RawResponse response = get(hs, "/__admin/nothing");
    EXPECT_EQ(response.status, 404);
    for (const char* route : {"/__admin/ui", "/__admin/coverage", "/__admin/stubs", "wait_ms"})
        EXPECT_NE(response.body.find(route), std::string::npos) << route;
}

}  // namespace
}  // namespace matrix::mock
