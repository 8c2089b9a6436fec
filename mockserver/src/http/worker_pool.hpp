// A fixed pool of threads running tasks in submission order (first come, first served).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace matrix::mock::http {

class WorkerPool {
  public:
    explicit WorkerPool(std::size_t threads);
    ~WorkerPool();  // stop()
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False (and the task dropped) once stop() has begun.
    bool submit(std::function<void()> task);
    // Lets running tasks finish, drops queued ones, joins. Idempotent; not from a worker.
    void stop();
    std::size_t queued() const;

  private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace matrix::mock::http
