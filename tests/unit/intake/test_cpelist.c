/*
 * Tests for src/intake/cpelist.c: text lists with host names, JSON documents and JSON
 * Lines; every bad line is reported with its line number and the good ones are kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/cpelist.h"

typedef struct seen {
    char hosts[8][64];
    size_t items[8];
    long first_line[8];
    int n;
    int errors;
    long err_lines[8];
} seen;

static int on_host(void *ud, const lf_inv_host *h)
{
    seen *s = ud;
    if (s->n < 8) {
        snprintf(s->hosts[s->n], 64, "%s", h->name);
        s->items[s->n] = h->nitems;
        s->first_line[s->n] = h->nitems ? h->lines[0] : 0;
    }
    s->n++;
    return 0;
}

static void on_err(void *ud, const lf_err *e)
{
    seen *s = ud;
    if (s->errors < 8)
        s->err_lines[s->errors] = e->line;
    s->errors++;
}

/* Text: "# host:" switches hosts, comments and blank lines are skipped, URIs accepted,
 * a bad line is reported with its number. */
static void test_cpelist_text_hosts(void **state)
{
    (void)state;
    const char *t = "\xef\xbb\xbf# inventory\n# host: a\ncpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*\r\n\n"
                    "cpe:/a:x:z:2\nnonsense\n# host: b\ncpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*\n";
    seen s = {0};
    lf_inv_report r;
    assert_int_equal(lf_cpelist_read_buffer("inv.txt", t, strlen(t), on_host, on_err, &s, &r, NULL), LF_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.hosts[0], "a");
    assert_int_equal(s.items[0], 2);
    assert_int_equal(s.first_line[0], 3);
    assert_string_equal(s.hosts[1], "b");
    assert_int_equal(s.items[1], 1);
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.err_lines[0], 6);
    assert_int_equal(r.items, 4);
    assert_int_equal(r.rejected, 1);
}

/* Without a host line the file name (without extension) names the host. */
static void test_cpelist_default_name(void **state)
{
    (void)state;
    const char *t = "cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*\n";
    seen s = {0};
    assert_int_equal(lf_cpelist_read_buffer("/srv/inv/pc-07.txt", t, strlen(t), on_host, on_err, &s, NULL, NULL), LF_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.hosts[0], "pc-07");
}

/* JSON document, JSON array, and JSON Lines with a broken line and a bad entry. */
static void test_cpelist_json_forms(void **state)
{
    (void)state;
    const char *one = "{\"host\": \"h1\", \"cpes\": [\"cpe:2.3:a:x:y:1:*:*:*:*:*:*:*\", 5, \"bad\"]}";
    seen s = {0};
    lf_inv_report r;
    assert_int_equal(lf_cpelist_read_buffer("h.json", one, strlen(one), on_host, on_err, &s, &r, NULL), LF_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.items[0], 1);
    assert_int_equal(s.errors, 2);
    assert_int_equal(r.items, 3);

    const char *arr = "[{\"host\":\"a\",\"cpes\":[]},{\"cpes\":[]},{\"host\":\"c\",\"cpes\":[\"cpe:/o:x:y\"]}]";
    memset(&s, 0, sizeof s);
    assert_int_equal(lf_cpelist_read_buffer("a.json", arr, strlen(arr), on_host, on_err, &s, &r, NULL), LF_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.errors, 1);

    const char *jl = "{\"host\":\"a\",\"cpes\":[\"cpe:/a:x:y:1\"]}\n{\"host\":\"b\",\"cpes\":[\"cpe:/a:x:y:2\"]}\n"
                     "{oops\n{\"host\":\"d\",\"cpes\":[\"cpe:/a:x:y:3\"]}\n";
    memset(&s, 0, sizeof s);
    assert_int_equal(lf_cpelist_read_buffer("b.jsonl", jl, strlen(jl), on_host, on_err, &s, &r, NULL), LF_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.hosts[2], "d");
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.err_lines[0], 3);
}

/* A JSON array of hosts where one entry is over lf_json's default limits (1 Mi + 1 cpes)
 * is parsed again on its own and read; one nested deeper than 64 is reported with its line;
 * the hosts around them are read. */
static void test_cpelist_json_entry_over_limit(void **state)
{
    (void)state;
    size_t many = ((size_t)1 << 20) + 1, cap = many * 16 + 512;
    char *t = malloc(cap);
    assert_non_null(t);
    int n = snprintf(t, cap, "[{\"host\":\"a\",\"cpes\":[\"cpe:/a:x:y:1\"]},\n{\"host\":\"b\",\"cpes\":[");
    for (size_t i = 0; i < many; i++)
        n += snprintf(t + n, cap - (size_t)n, "%s\"cpe:/a:x:y:%zu\"", i ? "," : "", i % 7);
    n += snprintf(t + n, cap - (size_t)n, "]},\n{\"host\":\"deep\",\"x\":");
    for (int k = 0; k < 70; k++)
        t[n++] = '[';
    for (int k = 0; k < 70; k++)
        t[n++] = ']';
    n += snprintf(t + n, cap - (size_t)n, ",\"cpes\":[]},\n{\"host\":\"c\",\"cpes\":[\"cpe:/a:x:y:2\"]}]");
    seen s = {0};
    lf_inv_report r;
    assert_int_equal(lf_cpelist_read_buffer("a.json", t, (size_t)n, on_host, on_err, &s, &r, NULL), LF_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.hosts[1], "b");
    assert_int_equal(s.items[1], many);
    assert_string_equal(s.hosts[2], "c");
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.err_lines[0], 3);
    assert_int_equal(r.rejected, 1);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpelist_text_hosts),
        cmocka_unit_test(test_cpelist_default_name),
        cmocka_unit_test(test_cpelist_json_forms),
        cmocka_unit_test(test_cpelist_json_entry_over_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
