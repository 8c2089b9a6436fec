// GET /__admin/ui: the dashboard's page and its files, from the copy embedded in the binary,
// with a Content-Security-Policy that lets the page run only its own scripts.
#include <string>
#include <string_view>

#include "admin_routes.hpp"
#include "admin_support.hpp"
#include "ui_assets.hpp"

namespace matrix::mock::admin {
namespace {

// Scripts, styles and requests from the server itself only, and no inline script: a value
// that slipped into the page as markup still could not run.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'none'";

std::string_view content_type_of(std::string_view name) {
    const auto ends_with = [name](std::string_view suffix) { return name.ends_with(suffix); };
    if (ends_with(".html")) return "text/html; charset=utf-8";
    if (ends_with(".js")) return "text/javascript; charset=utf-8";
    if (ends_with(".css")) return "text/css; charset=utf-8";
    if (ends_with(".svg")) return "image/svg+xml";
    if (ends_with(".json")) return "application/json";
    return "application/octet-stream";
}

}  // namespace

AdminResponse dashboard(std::string_view file) {
    if (file.empty()) file = "index.html";
    std::string names;
    for (const EmbeddedFile& asset : ui_assets()) {
        if (asset.name == file) {
            AdminResponse response{200, std::string(asset.bytes),
                                   std::string(content_type_of(asset.name))};
            response.headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                                {"X-Content-Type-Options", "nosniff"},
                                {"Cache-Control", "no-cache"}};
            return response;
        }
        names += names.empty() ? "" : ", ";
        names += asset.name;
    }
    return error(404, "M_NOT_FOUND",
                 "the dashboard has no file '" + std::string(file) + "' (files: " + names + ")");
}

}  // namespace matrix::mock::admin
