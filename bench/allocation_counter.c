// Counts a process's heap allocations, for the benchmark's "allocations per relayed message":
// preloaded (LD_PRELOAD) into the server, it counts every malloc, calloc, realloc and aligned
// allocation (C++'s operator new included, which calls malloc) into a counter that lives in a
// shared file mapping, so the load generator reads it while the server runs, before and after its
// measured window. Without VIDEOCHAT_ALLOCATION_COUNTER set it counts into memory nobody reads.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

// glibc's own allocator entry points: calling them directly needs no dlsym, which would itself
// allocate before the interposed functions could work.
extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* pointer, size_t size);
extern void* __libc_memalign(size_t alignment, size_t size);

static _Atomic unsigned long long unread_count;
static _Atomic unsigned long long* count = &unread_count;

__attribute__((constructor)) static void map_counter(void) {
  const char* path = getenv("VIDEOCHAT_ALLOCATION_COUNTER");
  if (!path) return;
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  void* shared = MAP_FAILED;
  if (ftruncate(fd, sizeof(unsigned long long)) == 0) {
    shared = mmap(NULL, sizeof(unsigned long long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  close(fd);
  if (shared != MAP_FAILED) count = shared;
}

static void counted(void) { atomic_fetch_add_explicit(count, 1, memory_order_relaxed); }

void* malloc(size_t size) {
  counted();
  return __libc_malloc(size);
}

void* calloc(size_t count_of, size_t size) {
  counted();
  return __libc_calloc(count_of, size);
}

void* realloc(void* pointer, size_t size) {
  counted();
  return __libc_realloc(pointer, size);
}

void* memalign(size_t alignment, size_t size) {
  counted();
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) {
  counted();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) {
  counted();
  void* pointer = __libc_memalign(alignment, size);
  if (!pointer) return 12;  // ENOMEM
  *out = pointer;
  return 0;
}
