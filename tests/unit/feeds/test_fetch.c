/*
 * Tests for src/feeds/fetch.c without a network: feed timestamps (ISO 8601 forms NVD,
 * CISA and CSAF providers write, zone offsets, leap days, bad input), the canonical form
 * and its text order, the rate limiter's rolling window, the URL shown in messages
 * (credentials removed), a refused connection retried up to max_attempts with the URL in
 * the error, and atomic saving.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/file.h"
#include "feeds/fetch.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct {
    const char *in;
    const char *canon;   /* NULL = must be refused */
} times[] = {
    {"2024-05-01", "2024-05-01T00:00:00.000Z"},
    {"2024-05-01T13:00", "2024-05-01T13:00:00.000Z"},
    {"2024-05-01T13:00:00.123", "2024-05-01T13:00:00.123Z"},          /* NVD: no zone = UTC */
    {"2024-05-01T13:00:00.123456Z", "2024-05-01T13:00:00.123Z"},
    {"2024-05-01T13:00:00+08:00", "2024-05-01T05:00:00.000Z"},        /* Taipei */
    {"2024-05-01T01:00:00-0230", "2024-05-01T03:30:00.000Z"},
    {"2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000Z"},        /* back over a leap day */
    {"1999-01-01T00:00:00Z", "1999-01-01T00:00:00.000Z"},
    {"2024-05-30 17:46:03Z", "2024-05-30T17:46:03.000Z"},
    {"1969-12-31T23:59:59.500Z", "1969-12-31T23:59:59.500Z"},
    {"2023-02-29", NULL},
    {"2024-13-01", NULL},
    {"2024-05-01T25:00", NULL},
    {"2024-05-01T13:00:00.Z", NULL},
    {"2024-05-01T13:00:00 trailing", NULL},
    {"24-05-01", NULL},
    {"0001-01-01T00:00:00+01:00", NULL},                              /* before year 1 in UTC */
    {"", NULL},
};

static void test_fetch_time_parse_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        int64_t ms = 0;
        int rc = lf_fetch_time_parse(times[i].in, &ms);
        if (!times[i].canon) {
            assert_int_equal(rc, LF_EPARSE);
            continue;
        }
        assert_int_equal(rc, LF_OK);
        char out[32];
        lf_fetch_time_format(ms, out);
        assert_string_equal(out, times[i].canon);
    }
    int64_t a, b;
    assert_int_equal(lf_fetch_time_parse("1970-01-01T00:00:01Z", &a), LF_OK);
    assert_int_equal(a, 1000);
    /* the canonical form sorts as text in time order: CSAF state comparisons rely on it */
    assert_int_equal(lf_fetch_time_parse("2024-05-01T09:00:00+08:00", &a), LF_OK);
    assert_int_equal(lf_fetch_time_parse("2024-05-01T02:00:00Z", &b), LF_OK);
    char ca[32], cb[32];
    lf_fetch_time_format(a, ca);
    lf_fetch_time_format(b, cb);
    assert_true(a < b);
    assert_true(strcmp(ca, cb) < 0);
}

/* 3 requests per 0.3 s: the 4th waits for the 1st to leave the window, then 3 more fit
 * in the next window only after the 2nd and 3rd leave too. */
static void test_fetch_limiter_window(void **state)
{
    (void)state;
    lf_fetch_limiter *l = NULL;
    assert_int_equal(lf_fetch_limiter_new(0, 1, &l), LF_EINVAL);
    assert_int_equal(lf_fetch_limiter_new(3, 0, &l), LF_EINVAL);
    assert_int_equal(lf_fetch_limiter_new(3, 0.3, &l), LF_OK);
    double t[7];
    for (int i = 0; i < 7; i++) {
        lf_fetch_limiter_acquire(l);
        t[i] = now();
        lf_fetch_limiter_record(l);
    }
    assert_true(t[2] - t[0] < 0.1);        /* the first three go at once */
    for (int i = 0; i + 3 < 7; i++)
        assert_true(t[i + 3] - t[i] >= 0.299);
    lf_fetch_limiter_free(l);
    lf_fetch_limiter_free(NULL);
}

static void test_fetch_url_for_log(void **state)
{
    (void)state;
    char out[256];
    lf_fetch_url_for_log("https://user:secret@example.com/a/b?x=1", out, sizeof out);
    assert_string_equal(out, "https://example.com/a/b?x=1");
    lf_fetch_url_for_log("https://example.com/path@x", out, sizeof out);
    assert_string_equal(out, "https://example.com/path@x");
    lf_fetch_url_for_log("https://example.com/very/long", out, 12);
    assert_string_equal(out, "https://exa");
}

/* A port nobody listens on: every attempt is a refused connection, retried up to
 * max_attempts, and the error names the URL (not the API key) and the count. */
static void test_fetch_retries_refused(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    lf_fetch_opts o = {0};
    o.max_attempts = 3;
    o.backoff_base = 0.01;
    o.api_key = "k-123-secret";
    o.connect_timeout = 2;
    lf_fetch *f = NULL;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_fetch_new(&o, &f, &err), LF_OK);
    lf_buf body;
    lf_buf_init(&body, 0);
    lf_fetch_resp resp;
    int rc = lf_fetch_get(f, "http://127.0.0.1:1/feed.json", NULL, &body, &resp, &err);
    assert_int_equal(rc, LF_EIO);
    assert_int_equal(resp.attempts, 3);
    assert_int_equal(lf_fetch_stats_borrow(f)->requests, 3);
    assert_int_equal(lf_fetch_stats_borrow(f)->retries, 2);
    assert_string_equal(err.src, "http://127.0.0.1:1/feed.json");
    assert_null(strstr(err.src, "k-123-secret"));
    assert_non_null(strstr(err.msg, "after 3 attempts"));
    assert_null(strstr(err.msg, "k-123-secret"));
    lf_buf_clear(&body);
    lf_fetch_free(f);
    curl_global_cleanup();
}

static void test_fetch_save_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/lf-fetch-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/page.json", dir);
    lf_err err;
    assert_int_equal(lf_fetch_save_file(path, "{}", 2, &err), LF_OK);
    assert_int_equal(lf_fetch_save_file(path, "[1]", 3, &err), LF_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(lf_file_read(path, 0, &data, &len, &err), LF_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "[1]", 3);
    free(data);
    unlink(path);
    snprintf(path, sizeof path, "%s/a/b", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/a", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fetch_time_parse_format),
        cmocka_unit_test(test_fetch_limiter_window),
        cmocka_unit_test(test_fetch_url_for_log),
        cmocka_unit_test(test_fetch_retries_refused),
        cmocka_unit_test(test_fetch_save_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
