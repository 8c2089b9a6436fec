// What the admin routes share: ending waits, error bodies, the journal listing, body and query
// parsing.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin_api.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/pattern.hpp"

namespace matrix::mock::admin {

// The longest an admin wait or long-poll may last. Five minutes is far beyond any test's need (a
// wait holds no thread, only a journal entry).
constexpr std::int64_t kMaxWaitMilliseconds = 300'000;

// Ends the journal wait `wait_id` (Journal::when_matched) after `timeout`, or as soon as the
// client goes, whichever comes first; a wait already answered is left alone.
void end_wait_in(AdminContext& context, std::uint64_t wait_id, std::chrono::milliseconds timeout);

std::string json_string(std::string_view text);

// {"errcode", "error", "key"?}: the key names the body member or query parameter at fault.
AdminResponse error(int status, std::string_view errcode, std::string_view message,
                    std::string_view key = {});

// How GET /__admin/requests writes each entry: to_json() or to_summary_json().
enum class EntryForm { full, summary };

// {"requests": [entry, ...], extra...}; `extra` is members text without braces.
std::string requests_json(const std::vector<JournalEntry>& entries, std::string extra = {},
                          EntryForm form = EntryForm::full);

// Parses an admin request body with Json::parse's limits, numbers kept as written
// (json_text_dom.hpp). False, with `failure` set, when it is not a JSON object.
bool parse_body(const AdminRequest& request, rapidjson::Document& document, AdminResponse& failure);

// The value of query parameter `name` (decoded; the last if repeated), or nullopt.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// Refuses query parameters other than `known`, naming the first stranger; nullopt when fine.
std::optional<AdminResponse> refuse_unknown_params(std::string_view query,
                                                   std::initializer_list<std::string_view> known);

// The pattern of member `name` of `object` (any request when absent), or nullopt with
// `failure` set.
std::optional<RequestPattern> pattern_member(const rapidjson::Value& object, const char* name,
                                             AdminResponse& failure);

// A request pattern posted as WireMock does (the pattern itself), or wrapped as
// {"request": pattern}; nullopt with `failure` set when it is not one.
std::optional<RequestPattern> posted_pattern(const AdminRequest& request, AdminResponse& failure);

}  // namespace matrix::mock::admin
