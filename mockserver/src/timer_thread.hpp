// One thread running callbacks at their deadlines: held requests' timeouts and stubs' delays,
// so that waiting costs an entry in a map instead of a sleeping thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

namespace matrix::mock {

class TimerThread {
  public:
    using Clock = std::chrono::steady_clock;

    TimerThread() = default;
    ~TimerThread();  // stop()
    TimerThread(const TimerThread&) = delete;
    TimerThread& operator=(const TimerThread&) = delete;

    // Runs `task` on the timer thread at `when` (started on first use). Returns an id for
    // cancel(); 0 once stopped (the task is dropped).
    std::uint64_t schedule(Clock::time_point when, std::function<void()> task);
    // True when the task was still pending and now never runs.
    bool cancel(std::uint64_t id);
    // Drops pending tasks and joins the thread. Idempotent; not from a task.
    void stop();

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::pair<Clock::time_point, std::uint64_t>, std::function<void()>> tasks_;
    std::unordered_map<std::uint64_t, Clock::time_point> when_;
    std::uint64_t next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace matrix::mock
