/*
 * bench_http: read-endpoint latency of the HTTP layer (src/http) under concurrent
 * keep-alive clients, for the platform-server issue's target "read endpoints at
 * p99 <= 50 ms with 200 concurrent clients".
 *
 * N client threads each open one keep-alive connection and send GET PATH back to back
 * for S seconds (after all have connected); every request's latency is recorded.
 * Prints requests/s, p50/p90/p99/max latency and errors. By default the server is started
 * in-process (lf_http with a GET /api/v1/version handler like `lianfang serve`'s) with
 * --threads T (8; the server's http.threads is one per CPU; 0 = one thread per connection); --port P targets a
 * running server on 127.0.0.1 instead (e.g. `lianfang serve --port P`).
 *
 * Usage: bench_http [--clients N] [--seconds S] [--threads T] [--port P] [--path PATH]
 *        defaults: 200 clients, 5 s, threads 8, in-process, /api/v1/version
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"

typedef struct client {
    unsigned port;
    const char *path;
    double seconds;
    atomic_int *ready;
    atomic_int *go;
    uint32_t *lat_us;     /* per request */
    size_t n, cap;
    size_t errors;
} client;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request/response on fd; 0 on a 200 with its whole body. */
static int roundtrip(int fd, const char *req, size_t reqlen, char *buf, size_t cap)
{
    if (send(fd, req, reqlen, MSG_NOSIGNAL) != (ssize_t)reqlen)
        return -1;
    size_t n = 0;
    char *end = NULL;
    while (!end) {
        ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
        if (r <= 0)
            return -1;
        n += (size_t)r;
        buf[n] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (!end && n + 1 >= cap)
            return -1;
    }
    size_t head = (size_t)(end - buf) + 4;
    size_t len = 0;
    for (char *p = buf; p < end; p++)
        if ((p == buf || p[-1] == '\n') && !strncasecmp(p, "Content-Length:", 15)) {
            len = strtoul(p + 15, NULL, 10);
            break;
        }
    while (n < head + len) {
        char sink[4096];
        ssize_t r = recv(fd, sink, sizeof sink, 0);
        if (r <= 0)
            return -1;
        n += (size_t)r;
    }
    return strncmp(buf, "HTTP/1.1 200", 12) ? -1 : 0;
}

static void *run_client(void *p)
{
    client *c = p;
    char req[512], buf[16384];
    int rl = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", c->path);
    int fd = dial(c->port);
    atomic_fetch_add(c->ready, 1);
    while (!atomic_load(c->go))
        usleep(1000);
    if (fd < 0) {
        c->errors++;
        return NULL;
    }
    double end = now() + c->seconds;
    for (;;) {
        double t0 = now();
        if (t0 >= end)
            break;
        if (roundtrip(fd, req, (size_t)rl, buf, sizeof buf)) {
            c->errors++;
            close(fd);
            fd = dial(c->port);
            if (fd < 0)
                break;
            continue;
        }
        if (c->n == c->cap) {
            size_t nc = c->cap ? c->cap * 2 : 4096;
            uint32_t *nl = realloc(c->lat_us, nc * sizeof *nl);
            if (!nl)
                break;
            c->lat_us = nl;
            c->cap = nc;
        }
        c->lat_us[c->n++] = (uint32_t)((now() - t0) * 1e6);
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int version(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    (void)req;
    return lf_buf_printf(lf_http_resp_json(resp, 200), "{\"name\":\"lianfang\",\"version\":\"%s\",\"api\":\"v1\"}\n",
                         LF_VERSION_STRING);
}

int main(int argc, char **argv)
{
    unsigned clients = 200, threads = 8, port = 0;
    double seconds = 5;
    const char *path = "/api/v1/version";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--clients"))
            clients = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = strtod(argv[i + 1], NULL);
        else if (!strcmp(argv[i], "--threads"))
            threads = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--port"))
            port = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--path"))
            path = argv[i + 1];
        else {
            fprintf(stderr, "usage: bench_http [--clients N] [--seconds S] [--threads T] [--port P] [--path PATH]\n");
            return 2;
        }
    }
    if (!clients || clients > 5000 || seconds <= 0) {
        fprintf(stderr, "bench_http: bad --clients or --seconds\n");
        return 2;
    }
    lf_http *h = NULL;
    lf_err err;
    if (!port) {
        lf_http_opts o = {0};
        o.threads = threads;
        o.max_connections = clients + 64;
        if (lf_http_new(&o, &h, &err) || lf_http_route(h, "GET", "/api/v1/version", version, NULL, 0, &err) ||
            lf_http_start(h, &err)) {
            fprintf(stderr, "bench_http: %s\n", err.msg);
            return 1;
        }
        port = lf_http_port(h);
    }
    client *cs = calloc(clients, sizeof *cs);
    pthread_t *ts = calloc(clients, sizeof *ts);
    atomic_int ready = 0, go = 0;
    if (!cs || !ts)
        return 1;
    for (unsigned i = 0; i < clients; i++) {
        cs[i] = (client){port, path, seconds, &ready, &go, NULL, 0, 0, 0};
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setstacksize(&at, 256 * 1024);
        if (pthread_create(&ts[i], &at, run_client, &cs[i])) {
            fprintf(stderr, "bench_http: cannot start client thread %u\n", i);
            return 1;
        }
        pthread_attr_destroy(&at);
    }
    while (atomic_load(&ready) < (int)clients)
        usleep(1000);
    double t0 = now();
    atomic_store(&go, 1);
    for (unsigned i = 0; i < clients; i++)
        pthread_join(ts[i], NULL);
    double dt = now() - t0;
    size_t total = 0, errors = 0;
    for (unsigned i = 0; i < clients; i++)
        total += cs[i].n, errors += cs[i].errors;
    uint32_t *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (unsigned i = 0; i < clients; i++) {
        if (cs[i].n)
            memcpy(all + k, cs[i].lat_us, cs[i].n * sizeof *all);
        k += cs[i].n;
        free(cs[i].lat_us);
    }
    qsort(all, total, sizeof *all, cmp_u32);
#define PCT(p) (total ? all[(size_t)((double)(total - 1) * (p))] / 1000.0 : 0.0)
    printf("bench_http: GET %s, %u keep-alive clients, %.1f s, server %s\n", path, clients, dt,
           h ? (threads ? "in-process, thread pool" : "in-process, thread per connection") : "external");
    if (h && threads)
        printf("  server threads: %u\n", threads);
    printf("  requests: %zu (%.0f/s), errors: %zu\n", total, (double)total / dt, errors);
    printf("  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", PCT(0.50), PCT(0.90), PCT(0.99),
           total ? all[total - 1] / 1000.0 : 0.0);
    free(all);
    free(cs);
    free(ts);
    lf_http_free(h);
    return errors ? 1 : 0;
}
