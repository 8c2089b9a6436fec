// The retry policy's decisions: whether an outcome is retried, and after how long.
#pragma once

#include <chrono>
#include <optional>

#include "matrix/client.hpp"

namespace matrix::detail {

// One per send(): it counts the backoff steps taken so far.
class RetryPlan {
  public:
    RetryPlan(const RetryPolicy& policy, Method method) : policy_(policy), method_(method) {}

    // The wait before sending again after `response`, or nullopt to return it.
    std::optional<std::chrono::milliseconds> after(const Response& response);
    // The wait before sending again after `failure`, or nullopt to throw it.
    std::optional<std::chrono::milliseconds> after(const TransportError& failure);

  private:
    // A retry after a 5xx or a broken connection could apply the request twice, unless it is
    // idempotent by method (PUT to /send/ and /redact/ carries its transaction id).
    bool may_repeat() const;
    std::chrono::milliseconds next_backoff();

    const RetryPolicy& policy_;
    Method method_;
    int backoff_steps_ = 0;
};

}  // namespace matrix::detail
