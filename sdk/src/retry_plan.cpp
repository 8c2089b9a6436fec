// Retry decisions: 429 waits as the server asks, 5xx and connection failures back off.
#include "retry_plan.hpp"

#include <algorithm>
#include <cmath>

namespace matrix::detail {

bool RetryPlan::may_repeat() const {
    return policy_.retry_non_idempotent || method_ == Method::get || method_ == Method::put ||
           method_ == Method::del;
}

std::chrono::milliseconds RetryPlan::next_backoff() {
    const double initial = static_cast<double>(policy_.initial_backoff.count());
    const double cap = static_cast<double>(policy_.max_backoff.count());
    const double multiplier = std::max(1.0, policy_.backoff_multiplier);
    // Computed in floating point and capped before converting, so many steps cannot overflow.
    const double wait = std::min(cap, initial * std::pow(multiplier, backoff_steps_));
    ++backoff_steps_;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, wait)));
}

std::optional<std::chrono::milliseconds> RetryPlan::after(const Response& response) {
    if (response.status == 429) {
        // The server did not process a rate-limited request, so any method may be re-sent.
        const std::optional<MatrixError> error = response.matrix_error();
        std::optional<std::chrono::milliseconds> asked;
        if (error && error->retry_after_ms) {
            asked = std::chrono::milliseconds(std::max<std::int64_t>(0, *error->retry_after_ms));
        } else if (error && error->retry_after) {
            asked = std::chrono::duration_cast<std::chrono::milliseconds>(*error->retry_after);
        }
        if (!asked) return next_backoff();
        if (*asked > policy_.max_rate_limit_wait) return std::nullopt;
        return asked;
    }
    if (response.status >= 500 && response.status <= 599 && may_repeat()) return next_backoff();
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> RetryPlan::after(const TransportError& failure) {
    switch (failure.kind()) {
        case TransportErrorKind::connection_refused:
        case TransportErrorKind::connection_failed:
        case TransportErrorKind::connection_reset:
        case TransportErrorKind::timeout:
            if (may_repeat()) return next_backoff();
            return std::nullopt;
        case TransportErrorKind::invalid_url:
        case TransportErrorKind::tls:
        case TransportErrorKind::other:
            // Sending again would fail the same way.
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace matrix::detail
