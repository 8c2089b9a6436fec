// Journal routes: listing (limit, since, id paging, long-poll), one entry by id (read or delete),
// find and count by request pattern.
#include <charconv>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "admin_routes.hpp"
#include "admin_support.hpp"
#include "timestamp.hpp"

namespace matrix::mock::admin {
namespace {

// Digits only: a sign, a space or a fraction is refused rather than read as something else.
std::optional<std::uint64_t> parse_count(std::string_view text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string journal_meta(const Journal& journal) {
    return "\"meta\":{\"total\":" + std::to_string(journal.size()) +
           ",\"evicted\":" + std::to_string(journal.evicted()) +
           ",\"last_id\":" + std::to_string(journal.last_id()) + "}";
}

}  // namespace

namespace {

// The reading of GET /__admin/requests' parameters.
struct ListQuery {
    std::optional<std::size_t> limit;
    std::optional<std::chrono::system_clock::time_point> since;
    std::optional<std::uint64_t> after;
    std::optional<std::uint64_t> before;
    std::optional<std::int64_t> wait_ms;
    EntryForm form = EntryForm::full;
};

// An id parameter (after, before), or nullopt with `failure` set.
std::optional<std::uint64_t> id_param(std::string_view query, std::string_view name,
                                      std::optional<AdminResponse>& failure) {
    const auto text = query_param(query, name);
    if (!text) return std::nullopt;
    const auto value = parse_count(*text);
    if (!value) {
        failure = error(400, "M_INVALID_PARAM",
                        "'" + std::string(name) +
                            "' must be a journal id (a non-negative integer, an entry's \"id\"), "
                            "got '" +
                            *text + "'",
                        name);
    }
    return value;
}

std::optional<std::chrono::system_clock::time_point> since_param(
    std::string_view query, std::optional<AdminResponse>& failure) {
    const auto text = query_param(query, "since");
    if (!text) return std::nullopt;
    auto since = parse_rfc3339(*text);
    if (!since) {
        // An unencoded '+' in a query reads as a space: "+01:00" arrives as " 01:00".
        std::string plus = *text;
        for (std::size_t i = 11; i < plus.size(); ++i) {
            if (plus[i] == ' ') plus[i] = '+';
        }
        since = parse_rfc3339(plus);
    }
    if (!since) {
        failure = error(400, "M_INVALID_PARAM",
                        "'since' must be an ISO 8601 (RFC 3339) date-time with a zone, such as "
                        "2026-12-07T03:55:00Z or 2026-12-07T04:55:00.123456+01:00 (an entry's "
                        "\"arrived\"; '+' may be written %2B), got '" +
                            *text + "'",
                        "since");
    }
    return since;
}

// The parameters, or the refusal naming the first that is wrong.
std::variant<ListQuery, AdminResponse> read_list_query(std::string_view query) {
    if (auto refusal =
            refuse_unknown_params(query, {"limit", "since", "after", "before", "wait_ms", "view"}))
        return *refusal;
    ListQuery out;
    std::optional<AdminResponse> failure;
    if (const auto text = query_param(query, "limit")) {
        const auto value = parse_count(*text);
        if (!value) {
            return error(400, "M_INVALID_PARAM",
                         "'limit' must be a non-negative integer (the number of newest requests "
                         "to list), got '" +
                             *text + "'",
                         "limit");
        }
        out.limit = static_cast<std::size_t>(*value);
    }
    out.since = since_param(query, failure);
    if (failure) return *failure;
    out.after = id_param(query, "after", failure);
    if (failure) return *failure;
    out.before = id_param(query, "before", failure);
    if (failure) return *failure;
    if (out.since && (out.after || out.before)) {
        return error(400, "M_INVALID_PARAM",
                     "'since' pages by time and 'after'/'before' by id: give one or the other",
                     "since");
    }
    if (const auto text = query_param(query, "wait_ms")) {
        const auto value = parse_count(*text);
        if (!value || *value > static_cast<std::uint64_t>(kMaxWaitMilliseconds)) {
            return error(400, "M_INVALID_PARAM",
                         "'wait_ms' must be an integer from 0 to " +
                             std::to_string(kMaxWaitMilliseconds) + ", got '" + *text + "'",
                         "wait_ms");
        }
        if (!out.after || out.before) {
            return error(400, "M_INVALID_PARAM",
                         "'wait_ms' waits for requests newer than 'after': give 'after' (the "
                         "newest id you have, 0 for any) and no 'before'",
                         "wait_ms");
        }
        out.wait_ms = static_cast<std::int64_t>(*value);
    }
    if (const auto text = query_param(query, "view")) {
        if (*text != "full" && *text != "summary") {
            return error(400, "M_INVALID_PARAM",
                         "'view' must be full or summary, got '" + *text + "'", "view");
        }
        out.form = *text == "summary" ? EntryForm::summary : EntryForm::full;
    }
    return out;
}

std::vector<JournalEntry> listed(const Journal& journal, const ListQuery& query) {
    if (query.after || query.before) return journal.page(query.after, query.before, query.limit);
    return journal.recent(query.limit, query.since);
}

AdminResponse listing(const Journal& journal, const ListQuery& query) {
    return {200, requests_json(listed(journal, query), journal_meta(journal), query.form)};
}

}  // namespace

void list_requests(AdminContext& context, const AdminRequest& request,
                   std::function<void(AdminResponse)> respond) {
    auto read = read_list_query(request.query);
    if (auto* refusal = std::get_if<AdminResponse>(&read)) return respond(std::move(*refusal));
    const ListQuery query = std::get<ListQuery>(std::move(read));
    const Journal& journal = context.journal;
    if (!query.wait_ms || *query.wait_ms == 0) return respond(listing(journal, query));
    // A long-poll: woken by the record() of the first newer entry (or at once when there is one
    // already), or by the timer; no thread waits. The page is written on the timer's thread:
    // record() runs on the thread answering a client, which should not wait for a listing.
    const auto later = context.after;
    const std::uint64_t wait_id = journal.when_matched(
        RequestPattern(), 1,
        [&journal, query, respond, later](const WaitResult&) {
            auto answer = [&journal, query, respond] { respond(listing(journal, query)); };
            if (later) {
                later(std::chrono::milliseconds(0), std::move(answer));
            } else {
                answer();
            }
        },
        *query.after);
    if (wait_id != 0) end_wait_in(context, wait_id, std::chrono::milliseconds(*query.wait_ms));
}

AdminResponse request_by_id(AdminContext& context, const AdminRequest& request,
                            std::string_view id_text) {
    const auto id = parse_count(id_text);
    if (!id || *id == 0) {
        return error(400, "M_INVALID_PARAM",
                     "'" + std::string(id_text) +
                         "' is not a journal id: ids are the positive integers in each "
                         "entry's \"id\" (GET /__admin/requests lists them)",
                     "id");
    }
    Journal& journal = context.journal;
    if (request.method == "DELETE") {
        if (journal.remove(*id)) return {200, "{}"};
    } else if (const std::optional<JournalEntry> entry = journal.find(*id)) {
        return {200, to_json(*entry)};
    }
    const std::uint64_t last = journal.last_id();
    if (*id > last) {
        const std::string newest =
            last == 0 ? "none has arrived" : "the newest is " + std::to_string(last);
        return error(404, "M_NOT_FOUND",
                     "no request has had id " + std::to_string(*id) + " yet (" + newest + ")");
    }
    return error(404, "M_NOT_FOUND",
                 "request " + std::to_string(*id) +
                     " is no longer in the journal: it was evicted (see --journal-capacity and "
                     "--journal-max-bytes), cleared or deleted");
}

AdminResponse find_requests(AdminContext& context, const AdminRequest& request) {
    AdminResponse failure;
    const std::optional<RequestPattern> pattern = posted_pattern(request, failure);
    if (!pattern) return failure;
    return {200, requests_json(context.journal.matching(*pattern))};
}

AdminResponse count_requests(AdminContext& context, const AdminRequest& request) {
    AdminResponse failure;
    const std::optional<RequestPattern> pattern = posted_pattern(request, failure);
    if (!pattern) return failure;
    return {200, "{\"count\":" + std::to_string(context.journal.count(*pattern)) + "}"};
}

}  // namespace matrix::mock::admin
