/* minimal-runtime: the smallest Lambda custom runtime there can be, the yardstick for the
 * function's cold start (tests/lambda/chroot.test.mjs runs both in the same empty chroot,
 * interleaved). Static, C, no TLS, no JSON: it connects to AWS_LAMBDA_RUNTIME_API, asks for the
 * next invocation and answers each with "{}", one connection per request, forever. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in runtime_api;
static char host[64];

/* Sends `request` on a new connection and reads the whole answer into `answer`; its length. */
static ssize_t exchange(const char *request, char *answer, size_t size) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&runtime_api, sizeof runtime_api) != 0) exit(3);
  if (write(fd, request, strlen(request)) < 0) exit(3);
  size_t length = 0;
  ssize_t got;
  while (length + 1 < size && (got = read(fd, answer + length, size - 1 - length)) > 0) {
    length += (size_t)got;
    answer[length] = '\0';
    /* The Runtime API's answers carry Content-Length; headers and a short body are enough. */
    char *body = strstr(answer, "\r\n\r\n");
    char *declared = strcasestr(answer, "content-length:");
    if (body && declared &&
        length >= (size_t)(body + 4 - answer) + strtoul(declared + 15, 0, 10)) {
      break;
    }
  }
  close(fd);
  return (ssize_t)length;
}

int main(void) {
  const char *api = getenv("AWS_LAMBDA_RUNTIME_API"); /* "127.0.0.1:PORT" */
  const char *colon = api ? strchr(api, ':') : NULL;
  if (!colon || (size_t)(colon - api) >= sizeof host) return 2;
  memcpy(host, api, (size_t)(colon - api));
  runtime_api.sin_family = AF_INET;
  runtime_api.sin_port = htons((unsigned short)atoi(colon + 1));
  if (inet_pton(AF_INET, host, &runtime_api.sin_addr) != 1) return 2;

  static char answer[1 << 16], request[512];
  for (;;) {
    snprintf(request, sizeof request,
             "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n"
             "Connection: close\r\n\r\n", api);
    if (exchange(request, answer, sizeof answer) <= 0) return 3;
    char *id = strcasestr(answer, "lambda-runtime-aws-request-id:");
    if (!id) return 3;
    id += 30;
    while (*id == ' ') id++;
    id[strcspn(id, "\r\n")] = '\0';
    snprintf(request, sizeof request,
             "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
             "Content-Length: 2\r\nConnection: close\r\n\r\n{}", id, api);
    if (exchange(request, answer, sizeof answer) <= 0) return 3;
  }
}
