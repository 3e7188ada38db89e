// dynalite in a child process for the DynamoDB integration tests: started on a free loopback
// port, stopped (and waited for) on destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace videochat::test {

class DynaliteProcess final {
 public:
  // Runs `node launcher` (start_dynalite.cjs) and waits at most `timeout` for the port it
  // reports. Throws std::runtime_error with what the child printed when it does not.
  DynaliteProcess(const std::string& node, const std::string& launcher,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~DynaliteProcess();
  DynaliteProcess(const DynaliteProcess&) = delete;
  DynaliteProcess& operator=(const DynaliteProcess&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void stop();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;  // closing it tells the launcher to exit
  int stdout_fd_ = -1;
  int port_ = 0;
};

}  // namespace videochat::test
