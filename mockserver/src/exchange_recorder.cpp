// Turning a proxied exchange into a replayable mapping: the request as a pattern a replaying
// client meets (any token, any password, any transaction id; its ids the pseudonyms it was
// answered with), the answer scrubbed, both deduplicated per distinct request.
#include "exchange_recorder.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <utility>

#include "json_text_dom.hpp"
#include "mapping_save.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "matrix/utf8.hpp"
#include "pattern_paths.hpp"
#include "stub_json.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;

// Path parameters a client makes up afresh each time: a replaying client sends another one.
bool is_volatile_path_param(std::string_view name) { return name == "txnId"; }

// Query parameters a client makes up afresh each time (matrix-js-sdk's cache buster).
bool is_volatile_query_param(std::string_view name) { return name == "_cacheBuster"; }

std::size_t leaf_count(const rapidjson::Value& value) {
    if (value.IsObject()) {
        std::size_t count = 0;
        for (const auto& member : value.GetObject()) count += leaf_count(member.value);
        return count;
    }
    if (value.IsArray()) {
        std::size_t count = 0;
        for (const rapidjson::Value& element : value.GetArray()) count += leaf_count(element);
        return count;
    }
    return 1;
}

std::size_t leaf_count(const Json& json) {
    rapidjson::Document document;
    matrix::detail::parse_text_dom(json.text(), document);
    return leaf_count(static_cast<const rapidjson::Value&>(document));
}

// Mapping files are for people to read too: indented, numbers as they were written.
std::string pretty_text(const Json& json) {
    rapidjson::Document document;
    matrix::detail::parse_text_dom(json.text(), document);
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    matrix::detail::NumberTextOutput<rapidjson::PrettyWriter<rapidjson::StringBuffer>> output(
        writer);
    document.Accept(output);
    return {buffer.GetString(), buffer.GetSize()};
}

// Whether the delay of the answers differs or not, they are the same answer.
bool same_response(const ResponseDefinition& a, const ResponseDefinition& b) {
    return a.status == b.status && a.headers == b.headers && a.body == b.body && a.json == b.json;
}

// A request the server may hold until something happens (/sync, /events with a timeout): live,
// its answer came when the client's other requests had made something happen, so a replay
// holds it as long, or the client would see the answer before making it happen.
bool is_long_poll(const JournalEntry& request) {
    return std::ranges::any_of(request.query, [](const QueryParam& param) {
        return param.name == "timeout" && !param.value.empty() && param.value != "0";
    });
}

// The urlPathTemplate of the request: each segment decoded, its ids pseudonymised and encoded
// again; a transaction id a placeholder.
std::string path_template(const JournalEntry& request, Pseudonyms& pseudonyms) {
    const std::optional<OperationMatch> match =
        match_operation(request.method, std::string_view(request.raw_path));
    std::vector<std::string_view> volatile_values;
    if (match) {
        for (const auto& [name, value] : match->path_params) {
            if (is_volatile_path_param(name)) volatile_values.push_back(value);
        }
    }
    std::string out;
    const std::vector<std::string_view> segments = detail::split_path(request.raw_path);
    for (std::size_t i = 1; i < segments.size(); ++i) {
        out += '/';
        const std::optional<std::string> decoded = percent_decode(segments[i]);
        if (!decoded) {
            out += segments[i];
            continue;
        }
        const auto volatile_value = std::ranges::find(volatile_values, *decoded);
        if (volatile_value != volatile_values.end() && !decoded->empty()) {
            out += "{txnId}";
            volatile_values.erase(volatile_value);
            continue;
        }
        out += percent_encode(pseudonyms.in_text(*decoded));
    }
    return out.empty() ? "/" : out;
}

}  // namespace

ExchangeRecorder::ExchangeRecorder(std::string dir) : dir_(std::move(dir)) {
    std::error_code error;
    fs::create_directories(dir_, error);
    if (error || !fs::is_directory(dir_, error)) {
        throw RecordFolderError("--record " + dir_ + ": cannot create the folder" +
                                (error ? ": " + error.message() : std::string()));
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_, error)) {
        if (entry.path().extension() == ".json") {
            throw RecordFolderError("--record " + dir_ + ": the folder already holds " +
                                    entry.path().filename().string() +
                                    "; record each session into an empty or new folder (the "
                                    "pseudonyms of two sessions would clash)");
        }
    }
    if (error) throw RecordFolderError("--record " + dir_ + ": cannot list it: " + error.message());
}

std::optional<ResponseDefinition> ExchangeRecorder::recorded_answer(const UpstreamAnswer& answer,
                                                                    std::string& why_not) {
    ResponseDefinition response;
    response.status = answer.status;
    // Only the body's type: dates, server names and the like vary and say nothing a replay needs.
    for (const Header& header : answer.headers) {
        if (header_name_equals(header.name, "Content-Type")) response.headers.push_back(header);
    }
    if (answer.body.empty()) return response;
    try {
        const Json body = Json::parse(answer.body, "the answer's body");
        response.body = pseudonyms_.in_json(secrets_.in_json(body)).text();
        response.json = true;
        return response;
    } catch (const InvalidArgument&) {
        // Not JSON: kept as text when it is text.
    }
    if (!is_valid_utf8(answer.body)) {
        why_not = "not recorded: the answer's body (" + std::to_string(answer.body.size()) +
                  " bytes) is not UTF-8 text, and recordings keep text only";
        return std::nullopt;
    }
    response.body = pseudonyms_.in_text(answer.body);
    return response;
}

std::string ExchangeRecorder::next_file_stem(const JournalEntry& request) {
    const std::string operation = request.operation != nullptr
                                      ? std::string(request.operation->operation_id)
                                      : std::string("unknown-operation");
    return operation + "-" + std::to_string(++per_operation_[operation]);
}

std::optional<std::string> ExchangeRecorder::record(const JournalEntry& request,
                                                    const UpstreamAnswer& answer) {
    std::lock_guard lock(mutex_);
    std::string why_not;
    std::optional<ResponseDefinition> response = recorded_answer(answer, why_not);
    if (!response) return why_not;
    if (is_long_poll(request)) response->fixed_delay = answer.elapsed;

    const std::string url_template = path_template(request, pseudonyms_);
    std::string key = request.method + " " + url_template + "\n";
    std::vector<std::pair<std::string, std::string>> query;
    for (const QueryParam& param : request.query) {
        if (is_secret_query_parameter(param.name) || is_volatile_query_param(param.name)) continue;
        query.emplace_back(param.name, pseudonyms_.in_text(param.value));
    }
    std::vector<std::pair<std::string, std::string>> sorted_query = query;
    std::ranges::sort(sorted_query);
    for (const auto& [name, value] : sorted_query) key += name + "=" + value + "\n";
    std::optional<Json> body;
    if (!request.body.empty()) {
        try {
            body = pseudonyms_.in_json(
                without_secrets(Json::parse(request.body.view(), "the request's body")));
            key += body->text();
        } catch (const InvalidArgument&) {
            // Not JSON (an upload): the pattern does not look at it.
        }
    }

    auto recording = by_request_.find(key);
    if (recording == by_request_.end()) {
        Recording made;
        made.file_stem = next_file_stem(request);
        made.label = request.method + " " + url_template;
        made.request =
            RequestPattern::parse(Json::object({{"method", Json::string(request.method)},
                                                {"urlPathTemplate", Json::string(url_template)}})
                                      .text());
        for (const auto& [name, value] : query) made.request.with_query(name, equal_to(value));
        std::size_t specificity = query.size();
        if (body) {
            made.request.with_body(equal_to_json(*body, true));
            specificity += leaf_count(*body);
        }
        // Several recordings may match one request (a body pattern ignores extra members, a
        // query pattern extra parameters): the one that constrains the most is the request's
        // own, and wins (a lower priority wins).
        made.priority = static_cast<int>(1000 - std::min<std::size_t>(specificity, 999));
        recording = by_request_.emplace(key, std::move(made)).first;
    }
    recording->second.responses.push_back(std::move(*response));
    return write(recording->second);
}

std::optional<std::string> ExchangeRecorder::write(const Recording& recording) const {
    Stub stub;
    stub.id = recording.file_stem;
    stub.name = "recorded " + recording.label;
    stub.request = recording.request;
    stub.priority = recording.priority;
    stub.source = "recorded through --proxy-to";
    // A request answered the same every time is one answer; otherwise the answers in the order
    // they came, the last repeating (a /sync asked again with the same since token).
    const std::vector<ResponseDefinition>& all = recording.responses;
    const bool all_same = std::ranges::all_of(
        all, [&](const ResponseDefinition& response) { return same_response(response, all[0]); });
    stub.responses = all_same ? std::vector<ResponseDefinition>{all[0]} : all;
    const fs::path file = fs::path(dir_) / (recording.file_stem + ".json");
    try {
        write_mapping_file(file, pretty_text(mapping_json(stub)));
    } catch (const MappingSaveError& e) {
        return "not recorded: " + std::string(e.what());
    }
    return std::nullopt;
}

}  // namespace matrix::mock
