// Journal routes: listing (limit, since), one entry by id (read or delete), find and count by
// request pattern.
#include <charconv>
#include <optional>
#include <string>

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
           ",\"evicted\":" + std::to_string(journal.evicted()) + "}";
}

}  // namespace

AdminResponse list_requests(AdminContext& context, const AdminRequest& request) {
    if (auto refusal = refuse_unknown_params(request.query, {"limit", "since"})) return *refusal;
    std::optional<std::size_t> limit;
    if (const auto text = query_param(request.query, "limit")) {
        const auto value = parse_count(*text);
        if (!value) {
            return error(400, "M_INVALID_PARAM",
                         "'limit' must be a non-negative integer (the number of newest requests "
                         "to list), got '" +
                             *text + "'",
                         "limit");
        }
        limit = static_cast<std::size_t>(*value);
    }
    std::optional<std::chrono::system_clock::time_point> since;
    if (const auto text = query_param(request.query, "since")) {
        since = parse_rfc3339(*text);
        if (!since) {
            // An unencoded '+' in a query reads as a space: "+01:00" arrives as " 01:00".
            std::string plus = *text;
            for (std::size_t i = 11; i < plus.size(); ++i) {
                if (plus[i] == ' ') plus[i] = '+';
            }
            since = parse_rfc3339(plus);
        }
        if (!since) {
            return error(400, "M_INVALID_PARAM",
                         "'since' must be an ISO 8601 (RFC 3339) date-time with a zone, such as "
                         "2026-12-07T03:55:00Z or 2026-12-07T04:55:00.123456+01:00 (an entry's "
                         "\"arrived\"; '+' may be written %2B), got '" +
                             *text + "'",
                         "since");
        }
    }
    const Journal& journal = context.journal;
    return {200, requests_json(journal.recent(limit, since), journal_meta(journal))};
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
