// Media: uploads kept in memory (bounded), including to ids created ahead (POST /create), and
// downloads and thumbnails. The simulation links no image library: a thumbnail of an image is
// the original image (the spec lets a server answer larger than asked); anything else cannot be
// thumbnailed and gets the spec's 400.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::string header_value(const Call& call, std::string_view name) {
    for (const Header& header : call.entry.headers) {
        if (header_name_equals(header.name, name)) return header.value;
    }
    return {};
}

// Synapse's default for how long a created media id waits for its upload (24 hours).
constexpr std::int64_t kUnusedMediaLifetimeMs = 24 * 60 * 60 * 1000;
constexpr std::size_t kMediaIdChars = 24;

std::size_t pending_media_cost(std::string_view user_id) {
    return entry_cost(2 * sizeof(std::string) + sizeof(std::int64_t),
                      {std::string(kMediaIdChars, 'm'), user_id});
}

// Keeps the request's body as media `id`; the caller checked the id is free.
Reply store_upload(State& state, const Call& call, const std::string& id) {
    const std::size_t size = call.entry.body.size();
    if (state.media_bytes + size > state.options.media_capacity_bytes) {
        return error("M_TOO_LARGE", "The simulation's media store is full", 413);
    }
    Media& media = state.media[id];
    media.bytes = call.entry.body;
    media.content_type = header_value(call, "Content-Type");
    if (media.content_type.empty()) media.content_type = "application/octet-stream";
    media.filename = query(call, "filename").value_or("");
    state.media_bytes += size;
    return std::nullopt;
}

Reply create_media(State& state, const Device& me) {
    if (Reply full = refuse_if_full(state, pending_media_cost(me.user_id))) return full;
    const std::string id = random_id(state, kMediaIdChars);
    const std::int64_t expires_at = now_ms() + kUnusedMediaLifetimeMs;
    state.pending_media[id] = {me.user_id, expires_at};
    charge(state, pending_media_cost(me.user_id));
    return ok(JsonObject()
                  .str("content_uri", "mxc://" + state.options.server_name + "/" + id)
                  .num("unused_expires_at", expires_at)
                  .text());
}

// PUT /upload/{serverName}/{mediaId}: fills an id from create_media, once, by its creator.
Reply upload_to_created(State& state, const Call& call, const Device& me) {
    const std::string& id = call.path[2];
    if (call.path[1] == state.options.server_name && state.media.contains(id)) {
        return error("M_CANNOT_OVERWRITE_MEDIA", "Media already uploaded", 409);
    }
    const auto pending = state.pending_media.find(id);
    if (call.path[1] != state.options.server_name || pending == state.pending_media.end() ||
        pending->second.second <= now_ms()) {
        return error("M_NOT_FOUND",
                     "Unknown media ID: create it with POST /_matrix/media/v1/create", 404);
    }
    if (pending->second.first != me.user_id) {
        return error("M_FORBIDDEN", "Only the user who created this media ID may upload to it",
                     403);
    }
    if (Reply failed = store_upload(state, call, id)) return failed;
    release(state, pending_media_cost(pending->second.first));
    state.pending_media.erase(pending);
    return ok("{}");
}

// The content types the spec names as ones a server should thumbnail.
bool thumbnailable(std::string_view content_type) {
    const std::string_view type = content_type.substr(0, content_type.find(';'));
    return type == "image/jpeg" || type == "image/png" || type == "image/apng" ||
           type == "image/gif" || type == "image/webp";
}

// width and height are required positive integers.
Reply check_thumbnail_size(const Call& call) {
    for (const char* name : {"width", "height"}) {
        const auto value = query(call, name);
        if (!value) return error("M_MISSING_PARAM", std::string(name) + " is required", 400);
        if (value->empty() || value->size() > 9 ||
            value->find_first_not_of("0123456789") != std::string::npos ||
            value->find_first_not_of('0') == std::string::npos) {
            return error("M_INVALID_PARAM",
                         std::string(name) + " must be a positive integer, not '" + *value + "'",
                         400);
        }
    }
    return std::nullopt;
}

}  // namespace

Reply handle_media(State& state, Call& call, bool authenticated) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool upload = !authenticated && p.size() == 1 && p[0] == "upload" && m == "POST";
    const bool upload_to = !authenticated && p.size() == 3 && p[0] == "upload" && m == "PUT";
    const bool create = !authenticated && p.size() == 1 && p[0] == "create" && m == "POST";
    const bool config = p.size() == 1 && p[0] == "config" && m == "GET";
    const bool preview = p.size() == 1 && p[0] == "preview_url" && m == "GET";
    const bool fetch = (p.size() == 3 || p.size() == 4) &&
                       (p[0] == "download" || p[0] == "thumbnail") && m == "GET";
    if (!upload && !upload_to && !create && !config && !preview && !fetch) return std::nullopt;
    std::optional<Device> me;
    if (!fetch || authenticated) {
        const Auth auth = authenticate(state, call);
        if (!auth.device) return auth.error;
        me = auth.device;
    }
    if (create) return create_media(state, *me);
    if (upload_to) return upload_to_created(state, call, *me);
    if (preview) return url_preview(call);
    if (config) {
        return ok(
            JsonObject()
                .num("m.upload.size", static_cast<std::int64_t>(state.options.media_capacity_bytes))
                .text());
    }
    if (upload) {
        const std::string id = random_id(state, kMediaIdChars);
        if (Reply failed = store_upload(state, call, id)) return failed;
        return ok(JsonObject()
                      .str("content_uri", "mxc://" + state.options.server_name + "/" + id)
                      .text());
    }
    const auto it = state.media.find(p[2]);
    if (p[1] == state.options.server_name && it == state.media.end() &&
        state.pending_media.contains(p[2])) {
        // Created but not uploaded yet: the spec's answer once the wait (timeout_ms) is over;
        // the simulation does not wait.
        return error("M_NOT_YET_UPLOADED", "The media is not uploaded yet", 504);
    }
    if (p[1] != state.options.server_name || it == state.media.end()) {
        return error("M_NOT_FOUND", "No such media", 404);
    }
    if (p[0] == "thumbnail") {
        if (Reply bad = check_thumbnail_size(call)) return bad;
        if (!thumbnailable(it->second.content_type)) {
            return error(
                "M_UNKNOWN",
                "Cannot generate thumbnails for content of type " + it->second.content_type, 400);
        }
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
