// Operations only an application service may call. The simulation registers no application
// service, so no access token is one's: every caller with a token is refused.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

Reply handle_appservice(State& state, Call& call) {
    const auto& p = call.path;
    const bool ping =
        p.size() == 3 && p[0] == "appservice" && p[2] == "ping" && call.method == "POST";
    const bool directory = p.size() == 5 && p[0] == "directory" && p[1] == "list" &&
                           p[2] == "appservice" && call.method == "PUT";
    if (!ping && !directory) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    return error("M_FORBIDDEN",
                 "The access token is not an application service's: the simulation has none", 403);
}

}  // namespace matrix::mock::sim
