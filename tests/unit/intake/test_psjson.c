/*
 * Tests for src/intake/psjson.c: PowerShell ConvertTo-Json of the Uninstall keys (array,
 * single object, 5.1's {"value":..., "Count":...} wrapper), Chinese product names, the
 * skipped/rejected split, element line numbers, broken JSON and the sniffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/psjson.h"

/* ---- a sink that copies what it is given ---------------------------------------------- */

#define MAXREC 64

typedef struct got_rec {
    char name[256], version[64], vendor[256], date[32], host[64], os[64], eco[16];
    long line;
} got_rec;

typedef struct got {
    got_rec rec[MAXREC];
    size_t nrec;
    long rej_line[MAXREC];
    char rej_field[MAXREC][64];
    char rej_msg[MAXREC][512];
    size_t nrej;
    size_t stop_after;    /* 0: never stop */
} got;

/* NULL is kept apart from "" so tests can say "not given". */
static void cp(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "(null)");
}

static int on_rec(void *ud, const lf_inv_rec *r)
{
    got *g = ud;
    if (g->nrec < MAXREC) {
        got_rec *o = &g->rec[g->nrec];
        cp(o->name, sizeof o->name, r->name);
        cp(o->version, sizeof o->version, r->version);
        cp(o->vendor, sizeof o->vendor, r->vendor);
        cp(o->date, sizeof o->date, r->install_date);
        cp(o->host, sizeof o->host, r->host);
        cp(o->os, sizeof o->os, r->os);
        cp(o->eco, sizeof o->eco, r->ecosystem);
        o->line = r->line;
    }
    g->nrec++;
    return g->stop_after && g->nrec >= g->stop_after ? 7 : 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    got *g = ud;
    if (g->nrej < MAXREC) {
        g->rej_line[g->nrej] = e->line;
        snprintf(g->rej_field[g->nrej], 64, "%s", e->field);
        snprintf(g->rej_msg[g->nrej], 512, "%s", e->msg);
    }
    g->nrej++;
}

static got *got_new(void)
{
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    return g;
}

static int run(got *g, const char *src, const char *text, size_t len, const lf_inv_opts *opts,
               lf_inv_counts *c, lf_err *err)
{
    lf_inv_sink sink = {on_rec, on_reject, g};
    lf_err_clear(err);
    int rc = lf_psjson_read(src, text, len, opts, &sink, c, err);
    /* the loss rule: every delivery is counted, and nothing counted went undelivered */
    assert_int_equal(c->records, g->nrec);
    assert_int_equal(c->rejected, g->nrej);
    return rc;
}

static char *load_fixture(const char *name, size_t *len)
{
    const char *root = getenv("LF_FIXTURES");
    char path[1024];
    if (root)
        snprintf(path, sizeof path, "%s/intake/json/%s", root, name);
    else
        snprintf(path, sizeof path, "%s/tests/fixtures/intake/json/%s", LF_SOURCE_DIR, name);
    char *data = NULL;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_file_read(path, 0, &data, len, &err), LF_OK);
    return data;
}

/* ---- tests ----------------------------------------------------------------------------- */

/* Windows PowerShell 5.1 layout: records with Chinese names, a number version, null and
 * missing DisplayName skipped, a string element / number DisplayName / array Publisher
 * rejected at their element's line, PSComputerName as host, opts as the defaults. */
static void test_psjson_uninstall_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("ps-uninstall.json", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    lf_inv_opts opts = {"PC-A", "Windows 10 企業版"};
    assert_int_equal(run(g, "ps-uninstall.json", text, len, &opts, &c, &err), LF_OK);
    assert_int_equal(c.records, 4);
    assert_int_equal(c.skipped, 3);
    assert_int_equal(c.rejected, 3);

    static const struct {
        const char *name, *version, *vendor, *date, *host;
        long line;
    } want[] = {
        {"Microsoft Office 專業增強版 2016", "16.0.4266.1001", "Microsoft Corporation", "20230115", "PC-A", 2},
        {"趨勢科技 Apex One 安全代理程式", "14.0.12737", "Trend Micro Inc.", "(null)", "PC-A", 16},
        {"腾讯QQ", "9.7", "腾讯科技(深圳)有限公司", "20240302", "PC-A", 23},
        {"7-Zip 23.01 (x64)", "23.01", "Igor Pavlov", "(null)", "MOJ-PC-0815", 41},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(g->rec[i].name, want[i].name);
        assert_string_equal(g->rec[i].version, want[i].version);
        assert_string_equal(g->rec[i].vendor, want[i].vendor);
        assert_string_equal(g->rec[i].date, want[i].date);
        assert_string_equal(g->rec[i].host, want[i].host);
        assert_string_equal(g->rec[i].os, "Windows 10 企業版");
        assert_string_equal(g->rec[i].eco, "(null)");
        assert_int_equal(g->rec[i].line, want[i].line);
    }
    assert_int_equal(g->rej_line[0], 30);
    assert_non_null(strstr(g->rej_msg[0], "a string, not an object"));
    assert_int_equal(g->rej_line[1], 31);
    assert_string_equal(g->rej_field[1], "DisplayName");
    assert_non_null(strstr(g->rej_msg[1], "a number"));
    assert_int_equal(g->rej_line[2], 56);
    assert_string_equal(g->rej_field[2], "Publisher");
    assert_non_null(strstr(g->rej_msg[2], "Adobe Acrobat Reader DC"));
    assert_non_null(strstr(g->rej_msg[2], "an array"));
    free(g);
    free(text);
}

/* One Uninstall key: ConvertTo-Json writes a bare object (PowerShell 7 layout, nested
 * PSDrive/PSProvider objects ignored); without opts host and os stay NULL. */
static void test_psjson_single_object(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("ps-single.json", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "ps-single.json", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 1);
    assert_int_equal(c.skipped, 0);
    assert_string_equal(g->rec[0].name, "Google Chrome");
    assert_string_equal(g->rec[0].version, "120.0.6099.130");
    assert_string_equal(g->rec[0].vendor, "Google LLC");
    assert_string_equal(g->rec[0].date, "20231220");
    assert_string_equal(g->rec[0].host, "(null)");
    assert_string_equal(g->rec[0].os, "(null)");
    assert_int_equal(g->rec[0].line, 1);
    free(g);
    free(text);

    /* a single object not on the first line: its line is the brace's */
    const char *t = "\n\n  {\"DisplayName\": \"A\", \"DisplayVersion\": null}\n";
    g = got_new();
    assert_int_equal(run(g, "x", t, strlen(t), NULL, &c, &err), LF_OK);
    assert_int_equal(g->rec[0].line, 3);
    assert_string_equal(g->rec[0].version, "(null)");
    free(g);
}

/* Windows PowerShell 5.1's {"value": [...], "Count": n} wrapper is unwrapped, with the
 * elements' own lines. */
static void test_psjson_wrapped(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("ps-wrapped.json", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "ps-wrapped.json", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 2);
    assert_string_equal(g->rec[0].name, "Notepad++ (64-bit x64)");
    assert_int_equal(g->rec[0].line, 3);
    assert_string_equal(g->rec[1].name, "WinRAR 6.24 (64 位元)");
    assert_string_equal(g->rec[1].version, "6.24.0");
    assert_int_equal(g->rec[1].line, 9);
    free(g);
    free(text);
}

/* Text that is not ConvertTo-Json output of Uninstall keys is LF_EFORMAT with nothing
 * delivered; an empty array is an empty inventory. */
static void test_psjson_not_this_format(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
    } cases[] = {
        {"", LF_EFORMAT},
        {"   \n", LF_EFORMAT},
        {"DisplayName,DisplayVersion\r\nA,1\r\n", LF_EFORMAT},
        {"[{\"host\":\"a\",\"cpes\":[\"cpe:/a:x:y\"]}]", LF_EFORMAT},
        {"{\"bomFormat\":\"CycloneDX\",\"components\":[{\"name\":\"x\"}]}", LF_EFORMAT},
        {"[ 1, 2 ", LF_EFORMAT},
        {"[]", LF_OK},
        {" [ ]\r\n", LF_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        int rc = run(g, "f.json", cases[i].text, strlen(cases[i].text), NULL, &c, &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
        assert_int_equal(g->nrec + g->nrej + c.skipped, 0);
        if (rc == LF_EFORMAT)
            assert_non_null(strstr(err.msg, "f.json"));
        free(g);
    }
}

/* Broken JSON: the elements before the break are delivered, then LF_EPARSE located at
 * the bad byte, with the file name. */
static void test_psjson_broken_json(void **state)
{
    (void)state;
    const char *t = "[\n {\"DisplayName\": \"A\"},\n {\"DisplayName\": \"B\"},\n {\"DisplayName\": ]\n";
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "pc.json", t, strlen(t), NULL, &c, &err), LF_EPARSE);
    assert_int_equal(c.records, 2);
    assert_string_equal(g->rec[1].name, "B");
    assert_int_equal(g->rec[1].line, 3);
    assert_int_equal(err.line, 4);
    assert_string_equal(err.src, "pc.json");
    free(g);
}

/* An entry over lf_json's default limits (here a 1 MiB + 1 string) is parsed again on its
 * own and read; one nested deeper than 64 is rejected with its line; the entries around
 * them are read, in the plain and the wrapped layout, and a single big entry too. */
static void test_psjson_entry_over_limit(void **state)
{
    (void)state;
    size_t big = ((size_t)1 << 20) + 1;
    for (int wrapped = 0; wrapped < 2; wrapped++) {
        size_t cap = big + 512;
        char *t = malloc(cap);
        assert_non_null(t);
        int n = snprintf(t, cap, "%s[\n {\"DisplayName\": \"A\"},\n {\"DisplayName\": \"",
                         wrapped ? "{\"value\": " : "");
        memset(t + n, 'x', big);
        n += (int)big;
        n += snprintf(t + n, cap - (size_t)n, "\"},\n {\"DisplayName\": \"deep\", \"x\": ");
        for (int k = 0; k < 70; k++)
            t[n++] = '[';
        for (int k = 0; k < 70; k++)
            t[n++] = ']';
        n += snprintf(t + n, cap - (size_t)n, "},\n {\"DisplayName\": \"B\"}\n]%s",
                      wrapped ? ", \"Count\": 4}" : "");
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        assert_int_equal(run(g, "pc.json", t, (size_t)n, NULL, &c, &err), LF_OK);
        assert_int_equal(c.records, 3);
        assert_string_equal(g->rec[0].name, "A");
        assert_int_equal(g->rec[1].line, 3);
        assert_int_equal(g->rec[1].name[0], 'x');
        assert_string_equal(g->rec[2].name, "B");
        assert_int_equal(g->rec[2].line, 5);
        assert_int_equal(c.rejected, 1);
        assert_int_equal(g->rej_line[0], 4);
        assert_non_null(strstr(g->rej_msg[0], "max_depth"));
        free(g);
        free(t);
    }
    /* one entry on its own, over the string limit: read */
    char *t = malloc(big + 64);
    assert_non_null(t);
    int n = snprintf(t, big + 64, "\n{\"DisplayName\": \"");
    memset(t + n, 'x', big);
    n += (int)big;
    n += snprintf(t + n, 64, "\"}\n");
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "pc.json", t, (size_t)n, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 1);
    assert_int_equal(c.rejected, 0);
    assert_int_equal(g->rec[0].line, 2);
    free(g);
    free(t);
}

/* The sink's non-zero value stops the reader and is returned. */
static void test_psjson_sink_stop(void **state)
{
    (void)state;
    const char *t = "[{\"DisplayName\":\"A\"},{\"DisplayName\":\"B\"},{\"DisplayName\":\"C\"}]";
    got *g = got_new();
    g->stop_after = 2;
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "x", t, strlen(t), NULL, &c, &err), 7);
    assert_int_equal(c.records, 2);
    free(g);
}

/* Compact output (ConvertTo-Json -Compress), a number DisplayVersion taken as its text,
 * an embedded NUL rejected, an empty DisplayName skipped, no sink->reject tolerated. */
static void test_psjson_values(void **state)
{
    (void)state;
    const char *t = "[{\"DisplayName\":\"x\",\"DisplayVersion\":1e3},{\"DisplayName\":\"a\\u0000b\"},"
                    "{\"DisplayName\":\"\"},{\"DisplayName\":\"y\",\"InstallDate\":true}]";
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(g, "x", t, strlen(t), NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 1);
    assert_string_equal(g->rec[0].version, "1e3");
    assert_int_equal(c.rejected, 2);
    assert_non_null(strstr(g->rej_msg[0], "NUL"));
    assert_string_equal(g->rej_field[1], "InstallDate");
    assert_int_equal(c.skipped, 1);
    free(g);

    lf_inv_sink quiet = {on_rec, NULL, NULL};
    got *g2 = got_new();
    quiet.ud = g2;
    assert_int_equal(lf_psjson_read("x", t, strlen(t), NULL, &quiet, &c, NULL), LF_OK);
    assert_int_equal(c.rejected, 2);
    assert_int_equal(lf_psjson_read("x", t, strlen(t), NULL, NULL, &c, NULL), LF_EINVAL);
    free(g2);
}

/* The sniffer: ConvertTo-Json of Uninstall keys scores high, other JSON and text zero. */
static void test_psjson_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int lo, hi;
    } cases[] = {
        {"[\r\n    {\r\n        \"DisplayName\":  \"A\",\r\n        \"DisplayVersion\":  \"1\"", 85, 100},
        {"{\"DisplayName\": \"A\"}", 80, 84},
        {"\xef\xbb\xbf[{\"DisplayName\":\"A\",\"Publisher\":null,\"PSChildName\":\"k\"}]", 90, 100},
        {"[{\"note\": \"DisplayName\"}]", 0, 0},
        {"DisplayName,DisplayVersion\n", 0, 0},
        {"{\"bomFormat\": \"CycloneDX\"}", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int s = lf_psjson_sniff(cases[i].text, strlen(cases[i].text));
        if (s < cases[i].lo || s > cases[i].hi)
            fail_msg("case %zu: sniff %d, want %d..%d", i, s, cases[i].lo, cases[i].hi);
    }
    size_t len;
    char *text = load_fixture("ps-uninstall.json", &len);
    assert_true(lf_psjson_sniff(text, len) >= 90);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psjson_uninstall_fixture),
        cmocka_unit_test(test_psjson_single_object),
        cmocka_unit_test(test_psjson_wrapped),
        cmocka_unit_test(test_psjson_not_this_format),
        cmocka_unit_test(test_psjson_broken_json),
        cmocka_unit_test(test_psjson_entry_over_limit),
        cmocka_unit_test(test_psjson_sink_stop),
        cmocka_unit_test(test_psjson_values),
        cmocka_unit_test(test_psjson_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
