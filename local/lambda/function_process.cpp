#include "function_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace videochat::local::lambda {

namespace {

// Between fork and exec only async-signal-safe calls: no allocation, no locks.
[[noreturn]] void exec_child(const char* program, const char* directory, char* const argv[],
                             char* const envp[], int out, int err, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before the line above took effect.
  if (getppid() != parent) _exit(127);
  // Signals the parent blocked or ignored are not the function's business.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int signal = 1; signal < NSIG; ++signal) ::signal(signal, SIG_DFL);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(127);
  // Listening sockets, client connections, the other processes' pipes: none is the function's.
  if (close_range(3, ~0U, 0) != 0) {
    for (int fd = 3; fd < 65536; ++fd) close(fd);
  }
  if (chdir(directory) != 0) _exit(127);
  execve(program, argv, envp);
  const char message[] = "videochat-local: cannot execute the function's bootstrap\n";
  (void)!write(2, message, sizeof message - 1);
  _exit(127);
}

}  // namespace

std::variant<SpawnedProcess, std::string> spawn_function(
    const std::string& program, const std::string& working_directory,
    const std::vector<std::string>& environment) {
  if (access(program.c_str(), X_OK) != 0) {
    return "cannot execute " + program + ": " + std::strerror(errno);
  }
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return std::string("pipe: ") + std::strerror(errno);
  }
  // Everything the child needs, made before fork.
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>(program.c_str()), nullptr};
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid == 0) {
    exec_child(program.c_str(), working_directory.c_str(), argv, envp.data(), out[1], err[1],
               parent);
  }
  const int fork_errno = errno;
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    return std::string("fork: ") + std::strerror(fork_errno);
  }
  // Also from here, so a signal to the group right after fork cannot reach the parent's group.
  setpgid(pid, pid);
  return SpawnedProcess{pid, out[0], err[0]};
}

std::optional<std::string> reap_if_exited(pid_t pid) {
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == 0) return std::nullopt;
  if (got < 0) return std::string("lost (waitpid: ") + std::strerror(errno) + ")";
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = strsignal(WTERMSIG(status));
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + (name ? name : "?") + ")";
  }
  return "status " + std::to_string(status);
}

}  // namespace videochat::local::lambda
