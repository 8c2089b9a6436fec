// One epoll event loop: its connections, their deadlines, tasks posted from other threads, and
// (on the first loop) the listening socket.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace matrix::mock::http {

struct ServerCore;
class Connection;

class EventLoop : public std::enable_shared_from_this<EventLoop> {
  public:
    using Clock = std::chrono::steady_clock;
    using Deadlines = std::multimap<Clock::time_point, std::uint64_t>;

    explicit EventLoop(std::shared_ptr<ServerCore> core);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void start();  // runs the loop on its own thread
    // Closes every connection and joins the thread. Idempotent; not from the loop thread.
    void stop();

    // Runs `task` on the loop thread; false (task dropped) once the loop is stopping.
    bool post(std::function<void()> task);

    // This loop accepts on `listen_fd` and hands each connection to pick() (itself included).
    void accept_on(int listen_fd, std::function<std::shared_ptr<EventLoop>()> pick);

    // --- on the loop thread only ---------------------------------------------------------
    void adopt(int fd, const sockaddr_storage& peer, bool over_limit);
    void set_deadline(Connection& connection, Clock::time_point when);
    void clear_deadline(Connection& connection);
    void forget(std::uint64_t id);  // the connection closed itself
    int epoll_fd() const { return epoll_fd_; }
    std::string& scratch() { return scratch_; }  // a read buffer the loop's connections share
    ServerCore& core() { return *core_; }
    const std::shared_ptr<ServerCore>& core_ptr() const { return core_; }

  private:
    void run();
    void run_posted();
    void accept_all();
    void expire_deadlines();
    int wait_timeout_ms() const;

    std::shared_ptr<ServerCore> core_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    int listen_fd_ = -1;
    int spare_fd_ = -1;  // given up when accept() runs out of descriptors, to refuse politely
    std::function<std::shared_ptr<EventLoop>()> pick_;
    std::thread thread_;

    std::mutex posted_mutex_;
    std::vector<std::function<void()>> posted_;
    bool stopping_ = false;  // under posted_mutex_

    std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections_;
    Deadlines deadlines_;
    std::uint64_t next_id_ = 1;
    std::string scratch_;
};

}  // namespace matrix::mock::http
