#include "dynalite_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace videochat::test {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("dynalite: " + what + ": " + std::strerror(errno));
}

}  // namespace

DynaliteProcess::DynaliteProcess(const std::string& node, const std::string& launcher,
                                 std::chrono::milliseconds timeout) {
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) fail("pipe");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  std::vector<char*> argv = {const_cast<char*>(node.c_str()), const_cast<char*>(launcher.c_str()),
                             nullptr};
  int spawned = posix_spawn(&pid_, node.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  stdin_fd_ = to_child[1];
  stdout_fd_ = from_child[0];
  if (spawned != 0) {
    errno = spawned;
    fail("cannot run " + node);
  }

  // Wait for the one line with the port, polling with the deadline rather than sleeping.
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (output.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd ready{stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
      stop();
      throw std::runtime_error("dynalite did not report its port within " +
                               std::to_string(timeout.count()) + " ms; it printed: " + output);
    }
    char buffer[512];
    ssize_t got = read(stdout_fd_, buffer, sizeof buffer);
    if (got <= 0) {
      stop();
      throw std::runtime_error("dynalite exited before listening; it printed: " + output);
    }
    output.append(buffer, static_cast<std::size_t>(got));
  }
  auto line = nlohmann::json::parse(output.substr(0, output.find('\n')), nullptr, false);
  if (!line.is_object() || !line["port"].is_number_integer()) {
    stop();
    throw std::runtime_error("dynalite printed no port: " + output);
  }
  port_ = line["port"].get<int>();
}

DynaliteProcess::~DynaliteProcess() {
  stop();
}

void DynaliteProcess::stop() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdin_fd_ = stdout_fd_ = -1;
  pid_ = -1;
}

}  // namespace videochat::test
