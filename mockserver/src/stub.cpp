// Stubs from mapping JSON: response definitions, canned Matrix errors, mapping files on disk.
#include "matrix/mock/stub.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mapping_json.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;

using detail::check_members;
using detail::expect_array;
using detail::expect_object;
using detail::expect_string;
using detail::find_member;
using detail::index_key;
using detail::join_key;
using detail::quote;
using detail::view_of;

constexpr std::int64_t kMaxFixedDelayMs = 600'000;
constexpr std::uintmax_t kMaxBodyFileBytes = 64 * 1024 * 1024;

struct CannedError {
    std::string_view errcode;
    int status;
    std::string_view error;  // the default human-readable sentence
};

constexpr std::array kCannedErrors = {
    CannedError{"M_LIMIT_EXCEEDED", 429, "Too many requests"},
    CannedError{"M_UNKNOWN_TOKEN", 401, "Unrecognised access token"},
    CannedError{"M_MISSING_TOKEN", 401, "Missing access token"},
    CannedError{"M_FORBIDDEN", 403, "Forbidden"},
    CannedError{"M_NOT_FOUND", 404, "Not found"},
    CannedError{"M_UNRECOGNIZED", 404, "Unrecognized request"},
    CannedError{"M_TOO_LARGE", 413, "Request too large"},
    CannedError{"M_BAD_JSON", 400, "Malformed JSON"},
    CannedError{"M_NOT_JSON", 400, "Content not JSON"},
    CannedError{"M_INVALID_PARAM", 400, "Invalid parameter"},
    CannedError{"M_MISSING_PARAM", 400, "Missing parameter"},
    CannedError{"M_USER_IN_USE", 400, "User ID already taken"},
    CannedError{"M_INVALID_USERNAME", 400, "Invalid username"},
    CannedError{"M_ROOM_IN_USE", 400, "Room alias already taken"},
    CannedError{"M_BAD_STATE", 400, "Bad state"},
    CannedError{"M_GUEST_ACCESS_FORBIDDEN", 403, "Guest access forbidden"},
    CannedError{"M_UNKNOWN", 400, "Unknown error"},
    CannedError{"M_EXCLUSIVE", 400, "Reserved by an application service"},
    CannedError{"M_UNSUPPORTED_ROOM_VERSION", 400, "Unsupported room version"},
};

const CannedError* find_canned(std::string_view errcode) {
    for (const CannedError& canned : kCannedErrors) {
        if (canned.errcode == errcode) return &canned;
    }
    return nullptr;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// RFC 9110 token characters, so a mapping cannot smuggle a second header line in a name.
bool is_header_name(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

bool is_header_value(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Ids appear in admin API paths (/__admin/mappings/{id}); keeping them to URL-safe characters
// means they never need escaping there.
bool is_stub_id(std::string_view id) {
    return !id.empty() && id.size() <= 128 &&
           std::ranges::all_of(id, [](char c) { return is_unreserved(c); });
}

std::vector<Header> parse_headers(const rapidjson::Value& value, const std::string& key) {
    expect_object(value, key);
    std::vector<Header> headers;
    std::unordered_set<std::string> seen;  // lower-cased names; a set, as there may be many
    for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
        const std::string name(view_of(member->name));
        const std::string member_key = join_key(key, name);
        if (!is_header_name(name)) throw MappingError(member_key, "is not a valid header name");
        if (!seen.insert(to_lower(name)).second)
            throw MappingError(member_key, "is given twice (give repeated values as a list)");
        const auto add = [&](const rapidjson::Value& text, const std::string& text_key) {
            std::string header_value = expect_string(text, text_key);
            if (!is_header_value(header_value))
                throw MappingError(text_key, "must not hold CR, LF or NUL");
            headers.push_back({name, std::move(header_value)});
        };
        if (member->value.IsArray()) {
            for (rapidjson::SizeType i = 0; i < member->value.Size(); ++i)
                add(member->value[i], index_key(member_key, i));
        } else {
            if (!detail::is_text_string(member->value))
                throw MappingError(member_key, "must be a string or a list of strings");
            add(member->value, member_key);
        }
    }
    return headers;
}

// The contents of `name` under `base_dir`. Checked twice: lexically, so "../x" is refused
// even when it does not exist, and after resolving symlinks, so a link cannot lead out.
std::string read_body_file(const std::string& name, const std::string& base_dir,
                           const std::string& key) {
    if (base_dir.empty()) throw MappingError(key, "needs a fixtures folder, and none is set");
    const fs::path relative(name);
    if (name.empty()) throw MappingError(key, "must not be empty");
    if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
        throw MappingError(key, "must be a path relative to the fixtures folder");
    const fs::path normal = relative.lexically_normal();
    if (!normal.empty() && *normal.begin() == "..")
        throw MappingError(key, quote(name) + " leads outside the fixtures folder");

    std::error_code error;
    const fs::path base = fs::canonical(base_dir, error);
    if (error) {
        throw MappingError(key, "cannot be looked up: the fixtures folder " + quote(base_dir) +
                                    " " + error.message());
    }
    const fs::path file = fs::canonical(base / relative, error);
    if (error) throw MappingError(key, quote(name) + " cannot be opened: " + error.message());
    const auto [base_end, file_at] =
        std::mismatch(base.begin(), base.end(), file.begin(), file.end());
    if (base_end != base.end() || file_at == file.end())
        throw MappingError(key, quote(name) + " leads outside the fixtures folder");
    if (!fs::is_regular_file(file, error))
        throw MappingError(key, quote(name) + " is not a regular file");
    const std::uintmax_t size = fs::file_size(file, error);
    if (error || size > kMaxBodyFileBytes) {
        throw MappingError(
            key, quote(name) + " is larger than " + std::to_string(kMaxBodyFileBytes) + " bytes");
    }

    std::ifstream in(file, std::ios::binary);
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw MappingError(key, quote(name) + " cannot be read");
    return contents;
}

ResponseDefinition parse_matrix_error(const rapidjson::Value& value, const std::string& key,
                                      std::optional<int> status) {
    expect_object(value, key);
    check_members(value, key, {"errcode", "error", "retry_after_ms", "soft_logout"});
    const rapidjson::Value* errcode_value = find_member(value, "errcode");
    const std::string errcode_key = join_key(key, "errcode");
    if (errcode_value == nullptr) throw MappingError(errcode_key, "is required");
    const std::string errcode = expect_string(*errcode_value, errcode_key);
    if (errcode.empty()) throw MappingError(errcode_key, "must not be empty");
    if (!status && !default_status_for(errcode)) {
        throw MappingError(errcode_key, quote(errcode) +
                                            " is not an errcode with a known status; give the "
                                            "response a \"status\" too");
    }
    std::string error;
    if (const rapidjson::Value* text = find_member(value, "error"))
        error = expect_string(*text, join_key(key, "error"));
    std::optional<std::int64_t> retry_after_ms;
    if (const rapidjson::Value* retry = find_member(value, "retry_after_ms")) {
        if (!retry->IsInt64() || retry->GetInt64() < 0)
            throw MappingError(join_key(key, "retry_after_ms"), "must be an integer >= 0");
        retry_after_ms = retry->GetInt64();
    }
    std::optional<bool> soft_logout;
    if (const rapidjson::Value* soft = find_member(value, "soft_logout"))
        soft_logout = detail::expect_bool(*soft, join_key(key, "soft_logout"));
    return ResponseDefinition::matrix_error(errcode, error, retry_after_ms, soft_logout, status);
}

ResponseDefinition parse_response(const rapidjson::Value& value, const std::string& key,
                                  const std::string& base_dir) {
    expect_object(value, key);
    check_members(value, key,
                  {"status", "headers", "jsonBody", "body", "bodyFileName", "matrixError",
                   "fixedDelayMilliseconds", "fault"});

    std::optional<int> status;
    if (const rapidjson::Value* given = find_member(value, "status")) {
        if (!given->IsInt() || given->GetInt() < 100 || given->GetInt() > 599)
            throw MappingError(join_key(key, "status"), "must be an integer from 100 to 599");
        status = given->GetInt();
    }

    std::optional<std::string_view> body_key;
    for (const std::string_view candidate : {"jsonBody", "body", "bodyFileName", "matrixError"}) {
        if (find_member(value, candidate) == nullptr) continue;
        if (body_key) {
            throw MappingError(join_key(key, candidate),
                               "cannot be given with " + std::string(*body_key) +
                                   ": a response has one of jsonBody, body, bodyFileName, "
                                   "matrixError");
        }
        body_key = candidate;
    }

    ResponseDefinition response;
    if (const rapidjson::Value* error = find_member(value, "matrixError")) {
        response = parse_matrix_error(*error, join_key(key, "matrixError"), status);
    } else if (const rapidjson::Value* json = find_member(value, "jsonBody")) {
        response.body = detail::compact_text(*json);
        response.json = true;
    } else if (const rapidjson::Value* body = find_member(value, "body")) {
        response.body = expect_string(*body, join_key(key, "body"));
    } else if (const rapidjson::Value* file = find_member(value, "bodyFileName")) {
        const std::string file_key = join_key(key, "bodyFileName");
        const std::string name = expect_string(*file, file_key);
        response.body = read_body_file(name, base_dir, file_key);
        // A .json fixture is served as JSON, as jsonBody would be.
        response.json = fs::path(name).extension() == ".json";
    }
    if (status) response.status = *status;

    if (const rapidjson::Value* headers = find_member(value, "headers")) {
        std::vector<Header> given = parse_headers(*headers, join_key(key, "headers"));
        // A header the mapping sets replaces the one a canned error would add (Retry-After).
        std::erase_if(response.headers, [&](const Header& generated) {
            return std::ranges::any_of(
                given, [&](const Header& h) { return header_name_equals(h.name, generated.name); });
        });
        response.headers.insert(response.headers.end(), given.begin(), given.end());
    }

    if (const rapidjson::Value* delay = find_member(value, "fixedDelayMilliseconds")) {
        if (!delay->IsInt64() || delay->GetInt64() < 0 || delay->GetInt64() > kMaxFixedDelayMs) {
            throw MappingError(join_key(key, "fixedDelayMilliseconds"),
                               "must be an integer from 0 to " + std::to_string(kMaxFixedDelayMs));
        }
        response.fixed_delay = std::chrono::milliseconds(delay->GetInt64());
    }

    if (const rapidjson::Value* fault = find_member(value, "fault")) {
        const std::string fault_key = join_key(key, "fault");
        const std::string name = expect_string(*fault, fault_key);
        if (name == "CONNECTION_RESET") {
            response.fault = Fault::connection_reset;
        } else if (name == "EMPTY_RESPONSE") {
            response.fault = Fault::empty_response;
        } else {
            throw MappingError(fault_key, quote(name) +
                                              " is not supported (supported: CONNECTION_RESET, "
                                              "EMPTY_RESPONSE)");
        }
    }
    return response;
}

// The reason a MappingError gives, without the "'key': " lead-in its what() starts with.
std::string reason_of(const MappingError& error) {
    std::string reason = error.what();
    const std::string lead = "'" + error.key() + "': ";
    if (!error.key().empty() && reason.starts_with(lead)) reason.erase(0, lead.size());
    return reason;
}

std::string file_message(const std::string& file, const std::optional<std::size_t>& index,
                         const std::string& key, const std::string& reason) {
    std::string out = file + ": ";
    if (index) out += "mapping #" + std::to_string(*index) + ": ";
    if (!key.empty()) out += "'" + key + "': ";
    return out + reason;
}

}  // namespace

// --- Responses ---------------------------------------------------------------------------------

ResponseDefinition ResponseDefinition::json_body(int status, const Json& body) {
    ResponseDefinition response;
    response.status = status;
    response.body = body.text();
    response.json = true;
    return response;
}

std::optional<int> default_status_for(std::string_view errcode) {
    const CannedError* canned = find_canned(errcode);
    if (canned == nullptr) return std::nullopt;
    return canned->status;
}

ResponseDefinition ResponseDefinition::matrix_error(std::string_view errcode,
                                                    std::string_view error,
                                                    std::optional<std::int64_t> retry_after_ms,
                                                    std::optional<bool> soft_logout,
                                                    std::optional<int> status) {
    const CannedError* canned = find_canned(errcode);
    if (!status && canned == nullptr) {
        throw MappingError(
            "errcode", quote(errcode) + " is not an errcode with a known status; give a status");
    }
    if (retry_after_ms && *retry_after_ms < 0)
        throw MappingError("retry_after_ms", "must be an integer >= 0");
    const int code = status ? *status : canned->status;

    std::string sentence(error);
    if (sentence.empty())
        sentence = canned != nullptr ? std::string(canned->error) : "Error " + std::string(errcode);
    std::vector<std::pair<std::string, Json>> members;
    try {
        members.emplace_back("errcode", Json::string(errcode, "errcode"));
        members.emplace_back("error", Json::string(sentence, "error"));
    } catch (const InvalidArgument& e) {
        throw MappingError(e.argument(), "is not valid UTF-8");
    }
    if (retry_after_ms) members.emplace_back("retry_after_ms", Json::number(*retry_after_ms));
    // Clients read a missing soft_logout as false; the spec's examples spell it out.
    if (soft_logout || errcode == "M_UNKNOWN_TOKEN")
        members.emplace_back("soft_logout", Json::boolean(soft_logout.value_or(false)));

    ResponseDefinition response = json_body(code, Json::object(members));
    if (code == 429 && retry_after_ms) {
        // Retry-After counts whole seconds: round up, and never say 0 (that means "now").
        const std::int64_t seconds =
            std::max<std::int64_t>(1, *retry_after_ms / 1000 + (*retry_after_ms % 1000 != 0));
        response.headers.push_back({"Retry-After", std::to_string(seconds)});
    }
    return response;
}

// --- Mappings ----------------------------------------------------------------------------------

Stub parse_mapping(std::string_view json, const std::string& base_dir,
                   std::string_view key_prefix) {
    const std::string prefix(key_prefix);
    const rapidjson::Document document = detail::parse_document(json, prefix);
    if (!document.IsObject()) throw MappingError(prefix, "a mapping must be a JSON object");

    // Ignoring scenario state would quietly turn a stateful mapping into a stateless one.
    for (const std::string_view scenario :
         {"scenarioName", "requiredScenarioState", "newScenarioState"}) {
        if (find_member(document, scenario) != nullptr) {
            throw MappingError(join_key(prefix, scenario),
                               "is not supported: scenarios are not implemented; use "
                               "\"sequence\" for responses that change");
        }
    }
    check_members(document, prefix,
                  {"id", "uuid", "name", "priority", "maxUses", "request", "response", "sequence",
                   "metadata", "persistent"});

    Stub stub;
    const rapidjson::Value* id = find_member(document, "id");
    std::string id_key = join_key(prefix, "id");
    if (id == nullptr) {
        id = find_member(document, "uuid");
        id_key = join_key(prefix, "uuid");
    }
    if (id != nullptr) {
        stub.id = expect_string(*id, id_key);
        if (!is_stub_id(stub.id)) {
            throw MappingError(id_key,
                               "must be 1 to 128 characters of A-Z a-z 0-9 - . _ ~ (a UUID does)");
        }
    } else {
        stub.id = new_stub_id();
    }
    if (const rapidjson::Value* name = find_member(document, "name"))
        stub.name = expect_string(*name, join_key(prefix, "name"));
    if (const rapidjson::Value* priority = find_member(document, "priority")) {
        if (!priority->IsInt())
            throw MappingError(join_key(prefix, "priority"), "must be an integer");
        stub.priority = priority->GetInt();
    }
    if (const rapidjson::Value* max_uses = find_member(document, "maxUses")) {
        if (!max_uses->IsUint64() || max_uses->GetUint64() == 0)
            throw MappingError(join_key(prefix, "maxUses"), "must be a positive integer");
        stub.max_uses = static_cast<std::size_t>(max_uses->GetUint64());
    }

    const rapidjson::Value* request = find_member(document, "request");
    if (request == nullptr) throw MappingError(join_key(prefix, "request"), "is required");
    stub.request =
        RequestPattern::parse(detail::compact_text(*request), join_key(prefix, "request"));

    const rapidjson::Value* response = find_member(document, "response");
    const rapidjson::Value* sequence = find_member(document, "sequence");
    if (response != nullptr && sequence != nullptr) {
        throw MappingError(join_key(prefix, "sequence"),
                           "cannot be given with response: give one response or a sequence");
    }
    if (response != nullptr) {
        stub.responses.push_back(parse_response(*response, join_key(prefix, "response"), base_dir));
    } else if (sequence != nullptr) {
        const std::string key = join_key(prefix, "sequence");
        expect_array(*sequence, key);
        if (sequence->Empty()) throw MappingError(key, "must hold at least one response");
        for (rapidjson::SizeType i = 0; i < sequence->Size(); ++i)
            stub.responses.push_back(parse_response((*sequence)[i], index_key(key, i), base_dir));
    } else {
        throw MappingError(join_key(prefix, "response"), "is required (or a \"sequence\")");
    }

    stub.source_json =
        Json::parse(detail::compact_text(document)).with_member("id", Json::string(stub.id)).text();
    return stub;
}

MappingFileError::MappingFileError(std::string file_, std::optional<std::size_t> index_,
                                   std::string key_, const std::string& reason)
    : StandardError(file_message(file_, index_, key_, reason)),
      file(std::move(file_)),
      index(index_),
      key(std::move(key_)) {}

std::vector<Stub> load_mapping_file(const std::string& path, const std::string& base_dir) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw MappingFileError(path, std::nullopt, "",
                               "cannot be read: " + std::string(std::strerror(errno)));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw MappingFileError(path, std::nullopt, "", "cannot be read");

    rapidjson::Document document;
    try {
        document = detail::parse_document(text, "");
    } catch (const MappingError& e) {
        throw MappingFileError(path, std::nullopt, "", reason_of(e));
    }
    if (!document.IsObject()) {
        throw MappingFileError(path, std::nullopt, "",
                               "must hold one mapping (an object with \"request\") or "
                               "{\"mappings\": [...]}");
    }

    const auto parse_one = [&](const rapidjson::Value& mapping, std::optional<std::size_t> index) {
        try {
            Stub stub = parse_mapping(detail::compact_text(mapping), base_dir);
            stub.source = index ? path + "#" + std::to_string(*index) : path;
            stub.from_files = true;
            return stub;
        } catch (const MappingError& e) {
            throw MappingFileError(path, index, e.key(), reason_of(e));
        }
    };

    std::vector<Stub> stubs;
    const rapidjson::Value* list = find_member(document, "mappings");
    if (list == nullptr) {
        if (find_member(document, "request") == nullptr) {
            throw MappingFileError(path, std::nullopt, "",
                                   "must hold one mapping (an object with \"request\") or "
                                   "{\"mappings\": [...]}");
        }
        stubs.push_back(parse_one(document, std::nullopt));
    } else {
        // WireMock's exports carry "meta": {"total": n} beside the list.
        try {
            check_members(document, "", {"mappings", "meta"});
        } catch (const MappingError& e) {
            throw MappingFileError(path, std::nullopt, e.key(), reason_of(e));
        }
        if (!list->IsArray())
            throw MappingFileError(path, std::nullopt, "mappings", "must be an array");
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
            stubs.push_back(parse_one((*list)[i], i));
    }

    for (std::size_t i = 0; i < stubs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (stubs[i].id == stubs[j].id) {
                throw MappingFileError(
                    path, list != nullptr ? std::optional(i) : std::nullopt, "id",
                    quote(stubs[i].id) + " is already used by mapping #" + std::to_string(j));
            }
        }
    }
    return stubs;
}

std::vector<Stub> load_mapping_dir(const std::string& dir) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        throw MappingFileError(
            dir, std::nullopt, "",
            fs::exists(dir, error) ? "is not a directory" : "does not exist (no mappings folder)");
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".json" && entry.is_regular_file(error))
            files.push_back(entry.path());
    }
    if (error)
        throw MappingFileError(dir, std::nullopt, "", "cannot be listed: " + error.message());
    if (files.empty())
        throw MappingFileError(dir, std::nullopt, "", "holds no *.json mapping files");
    std::ranges::sort(files, {}, [](const fs::path& p) { return p.filename().string(); });

    std::vector<Stub> stubs;
    std::map<std::string, std::string> sources;  // id -> where it was first given
    for (const fs::path& file : files) {
        std::vector<Stub> loaded = load_mapping_file(file.string(), dir);
        for (std::size_t i = 0; i < loaded.size(); ++i) {
            const auto [at, inserted] = sources.emplace(loaded[i].id, loaded[i].source);
            if (!inserted) {
                // Two files giving one id would leave only the later one in force, silently.
                const bool listed = loaded[i].source != file.string();
                throw MappingFileError(file.string(), listed ? std::optional(i) : std::nullopt,
                                       "id",
                                       quote(loaded[i].id) + " is already used by " + at->second);
            }
            stubs.push_back(std::move(loaded[i]));
        }
    }
    return stubs;
}

std::string new_stub_id() {
    // One generator per thread: no lock, and std::random_device is read once per thread.
    thread_local std::mt19937_64 generator = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    std::array<unsigned char, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        std::uint64_t word = generator();
        for (std::size_t j = 0; j < 8; ++j, word >>= 8)
            bytes[i + j] = static_cast<unsigned char>(word & 0xFF);
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 0x0F];
    }
    return out;
}

}  // namespace matrix::mock
