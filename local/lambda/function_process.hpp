// Starting and reaping one function process, as Lambda starts bootstrap: a clean environment, the
// task root as working directory, stdout and stderr captured (Lambda sends them to CloudWatch; we
// to our log). Its own process group, so a Ctrl-C at the terminal reaches videochat-local alone,
// which then runs every $disconnect through the processes before ending them; and it dies with
// videochat-local (PR_SET_PDEATHSIG), so no process outlives a crashed emulator.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace videochat::local::lambda {

struct SpawnedProcess {
  pid_t pid = -1;
  int stdout_fd = -1;  // read ends, close-on-exec, owned by the caller
  int stderr_fd = -1;
};

// Starts `program` with exactly `environment` ("NAME=value"). Call from the thread that lives as
// long as the process should (the death signal follows the parent thread).
std::variant<SpawnedProcess, std::string> spawn_function(
    const std::string& program, const std::string& working_directory,
    const std::vector<std::string>& environment);

// Without blocking: nothing while the process runs; once it has ended, how ("exit status 1",
// "signal 9 (Killed)"), and it is reaped.
std::optional<std::string> reap_if_exited(pid_t pid);

}  // namespace videochat::local::lambda
