// The timer thread: an ordered map of deadlines, one condition variable, tasks run unlocked.
#include "timer_thread.hpp"

namespace matrix::mock {

TimerThread::~TimerThread() { stop(); }

std::uint64_t TimerThread::schedule(Clock::time_point when, std::function<void()> task) {
    std::uint64_t id = 0;
    bool earliest = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return 0;
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        id = next_id_++;
        const auto it = tasks_.emplace(std::make_pair(when, id), std::move(task)).first;
        when_.emplace(id, when);
        earliest = it == tasks_.begin();
    }
    if (earliest) changed_.notify_one();
    return id;
}

bool TimerThread::cancel(std::uint64_t id) {
    std::function<void()> dropped;  // destroyed outside the lock
    std::lock_guard lock(mutex_);
    const auto it = when_.find(id);
    if (it == when_.end()) return false;
    const auto task = tasks_.find({it->second, id});
    dropped = std::move(task->second);
    tasks_.erase(task);
    when_.erase(it);
    return true;
}

void TimerThread::stop() {
    decltype(tasks_) dropped;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(tasks_);
        when_.clear();
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TimerThread::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (tasks_.empty()) {
            changed_.wait(lock);
            continue;
        }
        const auto first = tasks_.begin();
        // A copy: cancel() may erase this entry while the wait has the lock released.
        const Clock::time_point when = first->first.first;
        if (when > Clock::now()) {
            changed_.wait_until(lock, when);
            continue;
        }
        std::function<void()> task = std::move(first->second);
        when_.erase(first->first.second);
        tasks_.erase(first);
        lock.unlock();
        task();
        task = nullptr;  // whatever it holds is released before the lock is taken again
        lock.lock();
    }
}

}  // namespace matrix::mock
