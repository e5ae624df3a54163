/*
 * Tests for src/core/config.c: defaults and derived defaults, the file format (sections,
 * comments, quoting, CRLF, BOM), every kind of error located by file and line with
 * "did you mean" hints, precedence (file < environment < command line), environment
 * typos as warnings, duration and boolean parsing, the dump (secrets masked) read back to
 * the same values, and the generated sample file loading to the defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

typedef struct reports {
    int fatal, warn;
    char first[600];
    char last_warn[600];
} reports;

static void on_report(void *ud, const lf_err *e, bool fatal)
{
    reports *r = ud;
    char buf[600];
    lf_err_format(e, buf, sizeof buf);
    if (fatal) {
        if (!r->fatal++)
            snprintf(r->first, sizeof r->first, "%s", buf);
    } else {
        r->warn++;
        snprintf(r->last_warn, sizeof r->last_warn, "%s", buf);
    }
}

static char *const no_env[] = {NULL};

static int load_text(const char *text, lf_config **c, lf_err *e, reports *r)
{
    lf_config_opts o = {0};
    o.path = "test.conf";
    o.text = text;
    o.text_len = strlen(text);
    o.data_dir = "/srv/lianfang";
    o.envp = no_env;
    o.report = on_report;
    o.ud = r;
    return lf_config_load(&o, c, e);
}

static void test_config_defaults(void **state)
{
    (void)state;
    lf_config *c;
    lf_err e;
    reports r = {0};
    lf_config_opts o = {0};
    o.data_dir = "/srv/lianfang";
    o.no_env = true;
    assert_int_equal(lf_config_load(&o, &c, &e), LF_OK);
    assert_string_equal(lf_config_str(c, "http.listen"), "127.0.0.1");
    assert_int_equal(lf_config_int(c, "http.port"), 8080);
    assert_int_equal(lf_config_int(c, "http.max_body_mb"), 1);
    assert_int_equal(lf_config_int(c, "http.max_upload_mb"), 64);
    assert_int_equal(lf_config_int(c, "http.timeout"), 60);
    assert_int_equal(lf_config_int(c, "http.threads"), -1);   /* one per CPU (cli_serve) */
    assert_false(lf_config_bool(c, "http.secure_cookies"));
    assert_true(lf_config_bool(c, "http.access_log"));
    assert_string_equal(lf_config_str(c, "http.tls_cert"), "");
    assert_string_equal(lf_config_str(c, "data.dir"), "/srv/lianfang");
    assert_string_equal(lf_config_str(c, "store.url"), "sqlite:/srv/lianfang/lianfang.db");
    assert_string_equal(lf_config_str(c, "smtp.url"), "");
    assert_string_equal(lf_config_str(c, "nvd.api_key"), "");
    assert_string_equal(lf_config_source(c, "http.port"), "default");
    assert_false(lf_config_is_set(c, "http.port"));
    /* getters never crash on a wrong name or type */
    assert_string_equal(lf_config_str(c, "http.nope"), "");
    assert_int_equal(lf_config_int(c, "http.listen"), 0);
    assert_string_equal(lf_config_str(c, "http.port"), "");
    assert_false(lf_config_bool(c, "http.port"));
    assert_string_equal(lf_config_str(NULL, "http.port"), "");
    lf_config_free(c);
    /* every key in the table can be read back by its name */
    assert_true(lf_config_nkeys() >= 12);
    static const char *const required[] = {"http.listen", "http.port", "http.tls_cert", "http.tls_key",
                                           "http.max_body_mb", "http.threads", "store.url", "data.dir",
                                           "smtp.url", "smtp.from", "notify.webhook_url", "nvd.api_key"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        size_t k = 0;
        while (k < lf_config_nkeys() && strcmp(lf_config_key_name(k), required[i]))
            k++;
        if (k == lf_config_nkeys())
            fail_msg("key %s missing from the table", required[i]);
    }
    assert_null(lf_config_key_name(lf_config_nkeys()));
    (void)r;
}

static void test_config_file_format(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF# lianfang test configuration\r\n"
        "; also a comment\n"
        "\n"
        "[http]\n"
        "  listen = ::1   # inline comment after blank space\r\n"
        "port=9443\n"
        "max_body_mb = 8\n"
        "timeout = 2m\n"
        "secure_cookies = Yes\n"
        "tls_cert = /etc/lf/cert.pem\n"
        "tls_key = /etc/lf/key.pem\n"
        "[ smtp ]   # a spaced header\n"
        "from = \"Lianfang #1 <noreply@example.gov.tw>\"  # quoted keeps '#'\n"
        "url = smtp://relay.example.gov.tw:587#frag\n"
        "[notify]\n"
        "webhook_url = \"  \\\"edge\\\" \\\\ spaces  \"\n"
        "[data]\n"
        "dir = /var/lib/lianfang\n"
        "[nvd]\n"
        "api_key =\n";
    lf_config *c;
    lf_err e;
    reports r = {0};
    assert_int_equal(load_text(text, &c, &e, &r), LF_OK);
    assert_int_equal(r.fatal, 0);
    assert_string_equal(lf_config_str(c, "http.listen"), "::1");
    assert_int_equal(lf_config_int(c, "http.port"), 9443);
    assert_int_equal(lf_config_int(c, "http.max_body_mb"), 8);
    assert_int_equal(lf_config_int(c, "http.timeout"), 120);
    assert_true(lf_config_bool(c, "http.secure_cookies"));
    assert_string_equal(lf_config_str(c, "smtp.from"), "Lianfang #1 <noreply@example.gov.tw>");
    /* '#' not after blank space is part of the value */
    assert_string_equal(lf_config_str(c, "smtp.url"), "smtp://relay.example.gov.tw:587#frag");
    assert_string_equal(lf_config_str(c, "notify.webhook_url"), "  \"edge\" \\ spaces  ");
    assert_string_equal(lf_config_str(c, "nvd.api_key"), "");
    /* store.url follows data.dir when not set itself */
    assert_string_equal(lf_config_str(c, "store.url"), "sqlite:/var/lib/lianfang/lianfang.db");
    assert_string_equal(lf_config_source(c, "http.port"), "test.conf:6");
    assert_string_equal(lf_config_source(c, "http.listen"), "test.conf:5");
    assert_true(lf_config_is_set(c, "http.port"));
    lf_config_free(c);
}

static void test_config_errors_located(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;         /* 0: strlen(text) */
        int rc;
        const char *want;   /* substring of the first error, "FILE:LINE: ..." */
    } cases[] = {
        {"[http]\nprot = 80\n", 0, LF_EPARSE, "test.conf:2: http.prot: unknown key (did you mean http.port?)"},
        {"[htp]\nport = 80\n", 0, LF_EPARSE, "test.conf:1: unknown section [htp] (did you mean [http]?)"},
        {"[zzzzzz]\n", 0, LF_EPARSE, "test.conf:1: unknown section [zzzzzz]"},
        {"port = 80\n", 0, LF_EPARSE, "test.conf:1: key 'port' outside a [section]"},
        {"[http]\nport = 80\nport = 81\n", 0, LF_EPARSE, "test.conf:3: http.port: duplicate key (first set at line 2)"},
        {"[http]\nport = eighty\n", 0, LF_EPARSE, "test.conf:2: http.port: 'eighty' is not a whole number"},
        {"[http]\nport = 70000\n", 0, LF_EPARSE, "70000 is out of range (0 to 65535)"},
        {"[http]\nport = 80x\n", 0, LF_EPARSE, "'80x' is not a whole number"},
        {"[http]\nport = 99999999999999999999999\n", 0, LF_EPARSE, "out of range"},
        {"[http]\nmax_body_mb = 0\n", 0, LF_EPARSE, "out of range (1 to 1024)"},
        {"[http]\nsecure_cookies = maybe\n", 0, LF_EPARSE, "'maybe' is not a boolean"},
        {"[http]\ntimeout = 5 minutes\n", 0, LF_EPARSE, "test.conf:2: http.timeout:"},
        {"[http]\ntimeout = 0\n", 0, LF_EPARSE, "is not a duration from 1s to 86400s"},
        {"[smtp]\nfrom = \"unterminated\n", 0, LF_EPARSE, "test.conf:2: smtp.from: unterminated quoted value"},
        {"[smtp]\nfrom = \"a\" b\n", 0, LF_EPARSE, "text after the closing quote"},
        {"[smtp]\nfrom = \"a\\q\"\n", 0, LF_EPARSE, "unknown escape"},
        {"[http]\njust words\n", 0, LF_EPARSE, "test.conf:2: expected 'key = value' or '[section]'"},
        {"[http]\n= 80\n", 0, LF_EPARSE, "missing key name"},
        {"[http]\nPort = 80\n", 0, LF_EPARSE, "bad character 'P' in key name"},
        {"[http\n", 0, LF_EPARSE, "malformed section header"},
        {"[http]\nport = 8\x00" "0\n", 18, LF_EPARSE, "test.conf:2: NUL byte"},
        {"[http]\ntls_cert = /c.pem\n", 0, LF_EPARSE, "TLS needs both http.tls_cert and http.tls_key"},
        {"[data]\ndir =\n", 0, LF_EPARSE, "data.dir: must not be empty"},
        {"[smtp]\nfrom = \"a\\nb\"\n", 0, LF_EPARSE, "control character 0x0a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_config *c = (lf_config *)(uintptr_t)1;   /* must come back NULL */
        lf_err e;
        reports r = {0};
        lf_config_opts o = {0};
        o.path = "test.conf";
        o.text = cases[i].text;
        o.text_len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        o.envp = no_env;
        o.report = on_report;
        o.ud = &r;
        int rc = lf_config_load(&o, &c, &e);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc, e.msg);
        assert_null(c);
        char buf[1400];
        lf_err_format(&e, buf, sizeof buf);
        if (!strstr(buf, cases[i].want) || !strstr(r.first, cases[i].want))
            fail_msg("case %zu: error '%s' (reported '%s') lacks '%s'", i, buf, r.first, cases[i].want);
    }
}

static void test_config_reports_every_error(void **state)
{
    (void)state;
    lf_config *c;
    lf_err e;
    reports r = {0};
    const char *text = "[http]\nport = x\nlisten = ok\nthreads = -2\n[nope]\nkey = 1\n[smtp]\nfrom = \"\n";
    assert_int_equal(load_text(text, &c, &e, &r), LF_EPARSE);
    /* port, threads, [nope] (its keys are not reported one by one), from */
    assert_int_equal(r.fatal, 4);
    assert_int_equal(e.line, 2);   /* the first one */
    /* a long line is a limit, not a parse error */
    char *big = malloc(LF_CONFIG_MAX_LINE + 64);
    snprintf(big, LF_CONFIG_MAX_LINE + 64, "[smtp]\nfrom = ");
    size_t n = strlen(big);
    memset(big + n, 'a', LF_CONFIG_MAX_LINE);
    big[n + LF_CONFIG_MAX_LINE] = '\0';
    memset(&r, 0, sizeof r);
    assert_int_equal(load_text(big, &c, &e, &r), LF_ELIMIT);
    assert_int_equal(e.line, 2);
    free(big);
    /* a file that is not there */
    lf_config_opts o = {0};
    o.path = "/nonexistent/lianfang.conf";
    o.no_env = true;
    assert_int_equal(lf_config_load(&o, &c, &e), LF_EIO);
    assert_null(c);
}

static void test_config_precedence(void **state)
{
    (void)state;
    char *const env[] = {
        "LIANFANG_HTTP_PORT=9090",
        "LIANFANG_HTTP_LISTEN=0.0.0.0",
        "LIANFANG_NVD_API_KEY=k-123",
        "LIANFANG_HTTP_PROT=1",            /* a typo: warned about, ignored */
        "LIANFANG_DATA=/elsewhere",         /* the CLI's variable, not a key: silent */
        "LIANFANG_DICT=/d",
        "LIANFANG_CONFIG=/c.conf",
        "PATH=/usr/bin",
        NULL,
    };
    const char *const overrides[] = {"http.port=7070", NULL};
    const char *text = "[http]\nport = 8081\nlisten = 10.0.0.1\nthreads = 4\n";
    lf_config_opts o = {0};
    o.path = "f.conf";
    o.text = text;
    o.text_len = strlen(text);
    o.envp = env;
    o.overrides = overrides;
    reports r = {0};
    o.report = on_report;
    o.ud = &r;
    lf_config *c;
    lf_err e;
    assert_int_equal(lf_config_load(&o, &c, &e), LF_OK);
    assert_int_equal(r.fatal, 0);
    assert_int_equal(r.warn, 1);
    assert_non_null(strstr(r.last_warn, "LIANFANG_HTTP_PROT: not a configuration key, ignored (did you mean "
                                        "LIANFANG_HTTP_PORT?)"));
    assert_int_equal(lf_config_int(c, "http.port"), 7070);              /* command line wins */
    assert_string_equal(lf_config_source(c, "http.port"), "command line");
    assert_string_equal(lf_config_str(c, "http.listen"), "0.0.0.0");    /* environment beats the file */
    assert_string_equal(lf_config_source(c, "http.listen"), "$LIANFANG_HTTP_LISTEN");
    assert_int_equal(lf_config_int(c, "http.threads"), 4);              /* the file beats the default */
    assert_string_equal(lf_config_str(c, "nvd.api_key"), "k-123");
    assert_string_equal(lf_config_str(c, "data.dir"), ".");            /* no data_dir given */
    lf_config_free(c);

    /* a bad environment value is an error naming the variable */
    char *const env2[] = {"LIANFANG_HTTP_PORT=http", NULL};
    o.envp = env2;
    memset(&r, 0, sizeof r);
    assert_int_equal(lf_config_load(&o, &c, &e), LF_EPARSE);
    assert_string_equal(e.src, "environment");
    assert_string_equal(e.field, "LIANFANG_HTTP_PORT");
    /* and so is an unknown override */
    const char *const bad_ov[] = {"http.prot=1", NULL};
    o.envp = no_env;
    o.overrides = bad_ov;
    assert_int_equal(lf_config_load(&o, &c, &e), LF_EPARSE);
    assert_string_equal(e.src, "command line");
}

static void test_config_units(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        long secs;
    } d[] = {
        {"90", LF_OK, 90},           {"90s", LF_OK, 90},         {"15m", LF_OK, 900},
        {"2h", LF_OK, 7200},         {"7d", LF_OK, 604800},      {"0", LF_OK, 0},
        {"-1", LF_ERANGE, 0},        {"1w", LF_EPARSE, 0},       {"1y", LF_EPARSE, 0},
        {"", LF_EPARSE, 0},          {"m", LF_EPARSE, 0},        {"1.5h", LF_EPARSE, 0},
        {"1 h", LF_EPARSE, 0},       {"1hh", LF_EPARSE, 0},      {"9223372036854775807d", LF_ERANGE, 0},
        {"99999999999999999999", LF_ERANGE, 0},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        long s = -7;
        int rc = lf_config_parse_duration(d[i].in, &s);
        if (rc != d[i].rc)
            fail_msg("duration '%s': rc %d, want %d", d[i].in, rc, d[i].rc);
        if (!rc)
            assert_int_equal(s, d[i].secs);
    }
    static const struct {
        const char *in;
        int rc;
        bool v;
    } b[] = {
        {"true", LF_OK, true}, {"TRUE", LF_OK, true},  {"yes", LF_OK, true},   {"on", LF_OK, true},
        {"1", LF_OK, true},    {"false", LF_OK, false}, {"No", LF_OK, false},  {"off", LF_OK, false},
        {"0", LF_OK, false},   {"", LF_EPARSE, false},  {"y", LF_EPARSE, false}, {"2", LF_EPARSE, false},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        bool v = !b[i].v;
        int rc = lf_config_parse_bool(b[i].in, &v);
        if (rc != b[i].rc)
            fail_msg("bool '%s': rc %d, want %d", b[i].in, rc, b[i].rc);
        if (!rc)
            assert_int_equal(v, b[i].v);
    }
}

static void test_config_dump_round_trip(void **state)
{
    (void)state;
    const char *text = "[http]\nport = 1234\nlisten = \" spaced \"\n[smtp]\nfrom = \"a # b\"\nurl = smtp://u:pw@h\n"
                       "[notify]\nwebhook_url = https://hooks.example/t0ken\n";
    lf_config *c;
    lf_err e;
    reports r = {0};
    assert_int_equal(load_text(text, &c, &e, &r), LF_OK);
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_config_dump(c, &b), LF_OK);
    /* secrets never printed */
    assert_null(strstr(b.data, "pw@h"));
    assert_null(strstr(b.data, "t0ken"));
    assert_non_null(strstr(b.data, "url = \"********\""));
    assert_non_null(strstr(b.data, "port = 1234   # test.conf:2\n"));
    /* the dump is a valid config file giving the same non-secret values */
    lf_config *c2;
    assert_int_equal(load_text(b.data, &c2, &e, &r), LF_OK);
    for (size_t i = 0; i < lf_config_nkeys(); i++) {
        const char *k = lf_config_key_name(i);
        if (!strcmp(k, "smtp.url") || !strcmp(k, "notify.webhook_url") || !strcmp(k, "nvd.api_key"))
            continue;
        if (lf_config_key_type(i) == LF_CONFIG_STR)
            assert_string_equal(lf_config_str(c2, k), lf_config_str(c, k));
        else if (lf_config_key_type(i) == LF_CONFIG_BOOL)
            assert_int_equal(lf_config_bool(c2, k), lf_config_bool(c, k));
        else
            assert_int_equal(lf_config_int(c2, k), lf_config_int(c, k));
    }
    assert_string_equal(lf_config_str(c2, "http.listen"), " spaced ");
    lf_config_free(c2);
    lf_config_free(c);
    lf_buf_clear(&b);

    /* the generated sample names every key and its variable, and loads to the defaults */
    lf_buf_init(&b, 0);
    assert_int_equal(lf_config_sample(&b), LF_OK);
    assert_non_null(strstr(b.data, "[http]\n"));
    assert_non_null(strstr(b.data, "LIANFANG_HTTP_MAX_BODY_MB"));
    assert_non_null(strstr(b.data, "#port = 8080\n"));
    for (size_t i = 0; i < lf_config_nkeys(); i++) {
        const char *k = strchr(lf_config_key_name(i), '.') + 1;
        char line[80];
        snprintf(line, sizeof line, "\n#%s = ", k);
        if (!strstr(b.data, line))
            fail_msg("sample lacks %s", lf_config_key_name(i));
    }
    assert_int_equal(load_text(b.data, &c, &e, &r), LF_OK);
    assert_int_equal(lf_config_int(c, "http.port"), 8080);
    assert_false(lf_config_is_set(c, "http.port"));
    lf_config_free(c);
    lf_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_file_format),
        cmocka_unit_test(test_config_errors_located),
        cmocka_unit_test(test_config_reports_every_error),
        cmocka_unit_test(test_config_precedence),
        cmocka_unit_test(test_config_units),
        cmocka_unit_test(test_config_dump_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
