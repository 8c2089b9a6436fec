// Running the matrix-mockserver binary from a test: start it with its output in a file, wait
// for its port file, wait for it to end (killing it past a limit). Tests using it define
// MATRIX_MOCKSERVER_BINARY.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace matrix::mock::testing {

namespace fs = std::filesystem;

struct Process {
    pid_t pid = -1;
    fs::path output;
};

inline fs::path scratch_dir() {
    const fs::path dir = fs::temp_directory_path() /
                         ("mockserver-binary-" + std::to_string(getpid()) + "-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    return dir;
}

// Starts the binary with stdout and stderr going to a file.
inline Process start(const std::vector<std::string>& arguments, const fs::path& dir) {
    Process process;
    process.output = dir / "output.txt";
    std::vector<std::string> all = {MATRIX_MOCKSERVER_BINARY};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& argument : all) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, process.output.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn(&process.pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return process;
}

// Waits for the process to end; returns its exit code, or -1 when it had to be killed.
inline int finish(Process& process, std::chrono::seconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(process.pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(process.pid, SIGKILL);
            waitpid(process.pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline int wait_for_port(const fs::path& port_file) {
    for (int i = 0; i < 500; ++i) {
        const std::string text = read_file(port_file);
        if (!text.empty() && text.back() == '\n') return std::stoi(text);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

}  // namespace matrix::mock::testing
