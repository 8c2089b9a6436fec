// URL previews without outbound requests: the simulation never fetches the page (a test must
// not depend on the network), so a preview only names the URL it was asked about.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

Reply url_preview(const Call& call) {
    const auto url = query(call, "url");
    if (!url || url->empty()) return error("M_MISSING_PARAM", "url is required", 400);
    return ok(JsonObject().str("og:title", *url).text());
}

}  // namespace matrix::mock::sim
