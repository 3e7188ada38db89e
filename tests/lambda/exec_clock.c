/* exec-clock PROGRAM [ARGS...]: writes CLOCK_MONOTONIC in nanoseconds (decimal) to fd 3, closes
 * it, then execs PROGRAM. tests/lambda/chroot.test.mjs starts the function and the minimal
 * runtime through it inside the chroot, so a cold start is timed from the exec itself, not from
 * node's spawn of chroot (which costs more than the programs being compared). Node's
 * process.hrtime reads the same clock. Static, like everything started in the empty root. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: exec-clock PROGRAM [ARGS...]\n", stderr);
    return 2;
  }
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  char text[32];
  int length = snprintf(text, sizeof text, "%lld\n",
                        (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
  if (write(3, text, (size_t)length) != length) return 2;
  close(3);
  execv(argv[1], argv + 1);
  fprintf(stderr, "exec-clock: cannot exec %s\n", argv[1]);
  return 127;
}
