// Wraps a generated /sync corpus in a mock-server mapping, so fixtures and tests share one builder.
#include <stdexcept>
#include <string>
#include <string_view>

#include "matrix/testing/sync_corpus.hpp"

namespace matrix::sync {

std::string sync_stub_mapping(std::string_view body) {
    // The body goes in verbatim as jsonBody: no re-escaping of megabytes of JSON, and the
    // mock server re-serializes it compactly, which for a generated corpus gives the same bytes.
    if (body.empty() || body.front() != '{' || body.back() != '}') {
        throw std::invalid_argument("a /sync stub body must be a JSON object");
    }
    std::string mapping;
    mapping.reserve(body.size() + 256);
    mapping += R"({"name":"generated /sync corpus",)"
               R"("request":{"method":"GET","urlPathPattern":"/_matrix/client/(r0|v3)/sync"},)"
               R"("response":{"status":200,"jsonBody":)";
    mapping += body;
    mapping += "}}\n";
    return mapping;
}

}  // namespace matrix::sync
