// Media: uploads kept in memory (bounded), downloads and thumbnails (the original bytes).
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::string header_value(const Call& call, std::string_view name) {
    for (const Header& header : call.entry.headers) {
        if (header_name_equals(header.name, name)) return header.value;
    }
    return {};
}

}  // namespace

Reply handle_media(State& state, Call& call, bool authenticated) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool upload = !authenticated && p.size() == 1 && p[0] == "upload" && m == "POST";
    const bool config = p.size() == 1 && p[0] == "config" && m == "GET";
    const bool fetch = (p.size() == 3 || p.size() == 4) &&
                       (p[0] == "download" || p[0] == "thumbnail") && m == "GET";
    if (!upload && !config && !fetch) return std::nullopt;
    if (upload || config || authenticated) {
        const Auth auth = authenticate(state, call);
        if (!auth.device) return auth.error;
    }
    if (config) {
        return ok(
            JsonObject()
                .num("m.upload.size", static_cast<std::int64_t>(state.options.media_capacity_bytes))
                .text());
    }
    if (upload) {
        const std::size_t size = call.entry.body.size();
        if (state.media_bytes + size > state.options.media_capacity_bytes) {
            return error("M_TOO_LARGE", "The simulation's media store is full", 413);
        }
        const std::string id = random_id(state, 24);
        Media& media = state.media[id];
        media.bytes = call.entry.body;
        media.content_type = header_value(call, "Content-Type");
        if (media.content_type.empty()) media.content_type = "application/octet-stream";
        media.filename = query(call, "filename").value_or("");
        state.media_bytes += size;
        return ok(JsonObject()
                      .str("content_uri", "mxc://" + state.options.server_name + "/" + id)
                      .text());
    }
    const auto it = state.media.find(p[2]);
    if (p[1] != state.options.server_name || it == state.media.end()) {
        return error("M_NOT_FOUND", "No such media", 404);
    }
    ResponseDefinition response;
    response.status = 200;
    response.body = it->second.bytes.str();
    response.headers.push_back({"Content-Type", it->second.content_type});
    const std::string filename = p.size() == 4 ? p[3] : it->second.filename;
    if (!filename.empty() && p[0] == "download") {
        response.headers.push_back({"Content-Disposition", "inline; filename=" + quote(filename)});
    }
    return response;
}

}  // namespace matrix::mock::sim
