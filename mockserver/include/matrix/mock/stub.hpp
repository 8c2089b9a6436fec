// Stubs: a request pattern and the response(s) to give, as mapping JSON describes them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/request.hpp"

namespace matrix::mock {

enum class Fault { none, connection_reset, empty_response };

struct ResponseDefinition {
    int status = 200;
    std::vector<Header> headers;
    std::string body;   // bytes to send (jsonBody serialized, body, or bodyFileName's contents)
    bool json = false;  // adds Content-Type: application/json unless a header sets one
    std::chrono::milliseconds fixed_delay{0};
    Fault fault = Fault::none;

    static ResponseDefinition json_body(int status, const Json& body);
    // A canned Matrix error: the status for errcode (429, 401, 403, 404, 413, 400, ...), the
    // standard body, Retry-After for M_LIMIT_EXCEEDED, soft_logout for M_UNKNOWN_TOKEN.
    static ResponseDefinition matrix_error(std::string_view errcode, std::string_view error = {},
                                           std::optional<std::int64_t> retry_after_ms = {},
                                           std::optional<bool> soft_logout = {},
                                           std::optional<int> status = {});
};

// The status a canned Matrix error gets when the mapping gives none; nullopt if unknown.
std::optional<int> default_status_for(std::string_view errcode);

struct Stub {
    std::string id;    // a UUID unless the mapping gives one
    std::string name;  // optional, for reports
    RequestPattern request;
    std::vector<ResponseDefinition> responses;  // one, or a sequence (the last repeats)
    int priority = 5;                           // lower wins; WireMock's default is 5
    std::optional<std::size_t> max_uses;        // stops matching after this many uses
    std::string source;                         // where it came from: "file.json#0", "admin", "api"
    std::string source_json;  // the mapping JSON as given, with "id" set, for the admin API
    bool from_files = false;  // loaded at start-up: survives POST /__admin/reset

    // Bookkeeping kept by the registry.
    std::uint64_t sequence_number = 0;  // creation order, newer wins priority ties
    std::size_t uses = 0;
    std::optional<std::size_t> expected_uses;  // .times(n), checked by verify()
};

// Parses one mapping object ({"request", "response" | "sequence", "priority", "maxUses", "id",
// "name"}). `base_dir` is where bodyFileName is looked up (never outside it); `key_prefix`
// names the mapping in errors. Throws MappingError.
Stub parse_mapping(std::string_view json, const std::string& base_dir,
                   std::string_view key_prefix = "");

// A mapping file holds one mapping or {"mappings": [...]}.
struct MappingFileError : StandardError<std::runtime_error> {
    MappingFileError(std::string file, std::optional<std::size_t> index, std::string key,
                     const std::string& reason);
    std::string file;
    std::optional<std::size_t> index;  // position in "mappings", when the file has the list
    std::string key;
};

// Every stub in one file, or a MappingFileError naming file, mapping index and key.
std::vector<Stub> load_mapping_file(const std::string& path, const std::string& base_dir);

// Every *.json in `dir` (sorted by name). Throws MappingFileError on the first bad file.
std::vector<Stub> load_mapping_dir(const std::string& dir);

std::string new_stub_id();  // a random UUID (version 4)

}  // namespace matrix::mock
