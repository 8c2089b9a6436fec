// Reading a Response: headers, the body as JSON, and the Matrix error of a non-2xx answer.
#include <algorithm>
#include <cctype>

#include "json_dom.hpp"
#include "matrix/client.hpp"
#include "matrix/error.hpp"
#include "text_excerpt.hpp"

namespace matrix {
namespace {

// Retry-After is delta-seconds or an HTTP date; only the first says how long without a clock.
std::optional<std::chrono::seconds> delta_seconds(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    // Nine digits is over 30 years: more is not a wait anyone means, and would overflow.
    if (value.empty() || value.size() > 9) return std::nullopt;
    std::int64_t seconds = 0;
    for (const char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        seconds = seconds * 10 + (c - '0');
    }
    return std::chrono::seconds(seconds);
}

std::string describe_error(const MatrixError& error) {
    std::string message = "HTTP " + std::to_string(error.status) + " " + error.errcode;
    if (!error.error.empty()) message += ": " + error.error;
    return message;
}

}  // namespace

const std::string* Response::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (header_name_equals(h.name, name)) return &h.value;
    }
    return nullptr;
}

Json Response::json() const {
    try {
        return Json::parse(body, "body");
    } catch (const InvalidArgument&) {
        // Parsed again only to say where and why: Json::parse words it for request arguments.
        rapidjson::Document document;
        std::string reason = detail::parse_dom(body, document);
        if (reason.empty()) reason = "not exactly one valid JSON value";
        throw ResponseError("HTTP " + std::to_string(status) + " response body is not JSON: " +
                            reason + " (body: \"" + detail::excerpt(body) + "\")");
    }
}

std::optional<MatrixError> Response::matrix_error() const {
    if (ok()) return std::nullopt;
    MatrixError error;
    error.status = status;
    rapidjson::Document document;
    const rapidjson::Value* errcode = nullptr;
    if (detail::parse_dom(body, document).empty() && document.IsObject()) {
        errcode = detail::find_member(document, "errcode");
        if (errcode != nullptr && !errcode->IsString()) errcode = nullptr;
    }
    if (errcode != nullptr) {
        error.errcode = detail::string_of(*errcode);
        if (const auto* text = detail::find_member(document, "error"); text && text->IsString())
            error.error = detail::string_of(*text);
        if (const auto* wait = detail::find_member(document, "retry_after_ms");
            wait && wait->IsInt64()) {
            error.retry_after_ms = wait->GetInt64();
        }
        if (const auto* soft = detail::find_member(document, "soft_logout"); soft && soft->IsBool())
            error.soft_logout = soft->GetBool();
    } else {
        // Proxies and crashed servers answer with HTML or nothing; keep what they said.
        error.errcode = "M_UNKNOWN";
        error.error = body.empty() ? "HTTP " + std::to_string(status) + " with an empty body"
                                   : detail::excerpt(body);
    }
    if (const std::string* retry_after = header("Retry-After"))
        error.retry_after = delta_seconds(*retry_after);
    return error;
}

MatrixApiError::MatrixApiError(MatrixError error)
    : StandardError(describe_error(error)), error_(std::move(error)) {}

}  // namespace matrix
