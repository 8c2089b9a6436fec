// Wire-level checking through the in-process mock homeserver.
#include "matrix/conformance/wire.hpp"

#include "matrix/client.hpp"
#include "matrix/encoded_request.hpp"
#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/named_builder.hpp"

namespace matrix::conformance {

struct WireLevelChecker::Impl {
    static mock::MockHomeserverOptions server_options() {
        mock::MockHomeserverOptions options;
        options.worker_threads = 4;  // one client, one connection at a time
        return options;
    }

    Impl() : server(server_options()) {
        // Every request gets 200 {}: the check reads the journal, not the answer.
        server.on(mock::RequestPattern()).respond_json(200, Json::object({}));
    }

    mock::MockHomeserver server;
    HttpClient client;
};

WireLevelChecker::WireLevelChecker() : impl_(std::make_unique<Impl>()) {}
WireLevelChecker::~WireLevelChecker() = default;

std::string WireLevelChecker::server_url() const { return impl_->server.url(); }

VectorResult WireLevelChecker::check(const Vector& vector) {
    mock::Journal& journal = impl_->server.journal();
    journal.clear();
    VectorResult result;
    std::optional<Request> request = build_vector_request(vector, result);
    if (!request) {
        // Refused or malformed: it must not have reached the server.
        if (journal.size() != 0) {
            result.outcome = Outcome::failed;
            result.mismatches.push_back(
                {"journal", "nothing sent", std::to_string(journal.size()) + " request(s)"});
        }
        return result;
    }
    result.detail = "wire: sent to " + server_url() + " for base_url " + request->base_url;
    // What goes on the wire is the encoder's bytes (encode_by_name, the benchmarked path), for
    // the server's base URL; the builder level above checked the Request value.
    try {
        const std::string args = Json::parse(vector.args_json)
                                     .with_member("base_url", Json::string(server_url()))
                                     .text();
        const EncodedRequest encoded =
            encode_by_name(vector.endpoint, args, BuildOptions{.version = vector.version});
        impl_->client.send(server_url(), encoded);
    } catch (const InvalidArgument& e) {
        result.outcome = Outcome::failed;
        result.mismatches.push_back(
            {"encode", "the request the builder built", std::string("refused: ") + e.what()});
        return result;
    } catch (const TransportError& e) {
        result.outcome = Outcome::failed;
        result.mismatches.push_back({"transport", "a response", e.what()});
        return result;
    }
    const std::vector<mock::JournalEntry> received = journal.entries();
    if (received.size() != 1) {
        result.outcome = Outcome::failed;
        result.mismatches.push_back(
            {"journal", "1 request", std::to_string(received.size()) + " request(s) recorded"});
        return result;
    }
    result.mismatches = compare(*vector.expect, received.front().wire());
    if (!result.mismatches.empty()) result.outcome = Outcome::failed;
    return result;
}

RunReport run_wire_level(const std::vector<std::string>& files) {
    WireLevelChecker checker;
    return run_vectors(files, [&checker](const Vector& vector) { return checker.check(vector); });
}

}  // namespace matrix::conformance
