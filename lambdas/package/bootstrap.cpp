// bootstrap: what Lambda's provided.al2023 runtime executes. It starts the function through the
// dynamic loader bundled beside it, so the zip needs nothing from the host: the program and every
// library it loads (glibc included) come from $LAMBDA_TASK_ROOT. Linked statically for the same
// reason: a launcher that needed the host's loader would defeat the point. It uses no NSS and no
// locale, so static glibc is safe here; C library calls only, which keeps it near static glibc's
// floor (about 680 KB; std::string alone would add 120 KB).
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// The zip's layout (lambdas/package/package-lambda.sh).
constexpr const char* kLoader = "lib/ld-linux-x86-64.so.2";
constexpr const char* kLibraries = "lib";
constexpr const char* kProgram = "bin/videochat-lambda";

// `root`/`relative` into `out`; false when it does not fit.
bool join(char (&out)[PATH_MAX], const char* root, const char* relative) {
  int length = std::snprintf(out, sizeof out, "%s/%s", root, relative);
  return length > 0 && static_cast<std::size_t>(length) < sizeof out;
}

}  // namespace

int main(int argc, char** argv) {
  const char* root = std::getenv("LAMBDA_TASK_ROOT");
  if (root == nullptr || *root == '\0') {
    std::fprintf(
        stderr,
        "bootstrap: LAMBDA_TASK_ROOT is not set: it names the folder the function's zip "
        "was unpacked to (/var/task on AWS Lambda); set it to run the function elsewhere\n");
    return 127;
  }
  static char loader[PATH_MAX], libraries[PATH_MAX], program[PATH_MAX];
  if (!join(loader, root, kLoader) || !join(libraries, root, kLibraries) ||
      !join(program, root, kProgram)) {
    std::fprintf(stderr, "bootstrap: LAMBDA_TASK_ROOT is too long (%zu bytes)\n",
                 std::strlen(root));
    return 127;
  }

  // ld.so --library-path DIR --argv0 NAME PROGRAM ARGS...: the bundled libraries come first and
  // Lambda's LD_LIBRARY_PATH (which names the host's /lib64) is ignored; the program sees its own
  // path as argv[0], as if it had been started directly. The environment passes through.
  constexpr std::size_t kFixed = 6;
  // argc may be 0 (execve with an empty argv): then there is nothing to pass on.
  const std::size_t passed = argc > 1 ? static_cast<std::size_t>(argc - 1) : 0;
  char** args = static_cast<char**>(std::calloc(kFixed + passed + 1, sizeof(char*)));
  if (args == nullptr) {
    std::fprintf(stderr, "bootstrap: out of memory\n");
    return 127;
  }
  char library_path_flag[] = "--library-path";
  char argv0_flag[] = "--argv0";
  char* fixed[kFixed] = {loader, library_path_flag, libraries, argv0_flag, program, program};
  for (std::size_t i = 0; i < kFixed; ++i) args[i] = fixed[i];
  for (std::size_t i = 0; i < passed; ++i) args[kFixed + i] = argv[i + 1];  // calloc: null-ended

  execv(loader, args);
  std::fprintf(stderr, "bootstrap: cannot start %s through %s: %s\n", program, loader,
               std::strerror(errno));
  return 127;
}
