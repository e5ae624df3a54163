/*
 * Tests for src/isac/stixpat.c: STIX 2.1 patterns (section 9) modelled on the spec's
 * examples, with the indicators each yields and whether each alone matches the pattern;
 * invalid patterns with the byte offset of the fault; the AST shape; timestamps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isac/stixpat.h"

/* "kind=value" per indicator, "~" suffix when not sufficient alone, "!kind=value" for a
 * rejected one; joined by ", " in pattern order (indicators first, then rejected). */
static void summary(const lf_stixpat_iocs *r, char *out, size_t n)
{
    size_t j = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n && j < n; i++)
        j += (size_t)snprintf(out + j, n - j, "%s%s=%s%s", j ? ", " : "", lf_stixpat_ioc_kind_name(r->items[i].kind),
                              r->items[i].value, r->items[i].sufficient ? "" : "~");
    for (size_t i = 0; i < r->nrejected && j < n; i++)
        j += (size_t)snprintf(out + j, n - j, "%s!%s=%s", j ? ", " : "", lf_stixpat_ioc_kind_name(r->rejected[i].kind),
                              r->rejected[i].value);
}

#define SHA256A "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"
#define SHA1A "3b0aec3d5e8ff6f2fdb0b4b1f4a0d6e97bc0d84b"
#define SHA1B "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
#define MD5A "d41d8cd98f00b204e9800998ecf8427e"

static const struct {
    const char *pattern;
    const char *want;    /* indicator summary */
} good[] = {
    /* single hash observation: the classic file-hash indicator */
    {"[file:hashes.'SHA-256' = '" SHA256A "']", "sha256=" SHA256A},
    {"[file:hashes.SHA256 = '" SHA256A "']", "sha256=" SHA256A},
    {"[file:hashes.MD5 = '" MD5A "']", "md5=" MD5A},
    {"[file:hashes.'SHA-1' IN ('" SHA1A "', '" SHA1B "')]", "sha1=" SHA1A ", sha1=" SHA1B},
    /* e-mail with regexes: nothing simple in it */
    {"[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND "
     "email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']", ""},
    /* OR of addresses inside one observation: each alternative alone is enough */
    {"[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR "
     "ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
     "ipv4=198.51.100.1/32, ipv4=203.0.113.33/32, ipv6=2001:0db8:dead:beef:dead:beef:dead:0001/128"},
    {"[domain-name:value = 'example.com'] OR [url:value = 'http://example.com/evil']",
     "domain=example.com, url=http://example.com/evil"},
    {"[file:name = 'foo.dll'] FOLLOWEDBY [domain-name:value = 'evil.example.org']", "domain=evil.example.org~"},
    {"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
     "ipv4=203.0.113.33/32~"},
    {"[file:hashes.MD5 = '" MD5A "'] WITHIN 300 SECONDS", "md5=" MD5A "~"},
    {"([ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'a.example']) OR [url:value = 'https://b.example/x']",
     "ipv4=192.0.2.1~, domain=a.example~, url=https://b.example/x"},
    {"[ipv4-addr:value != '192.0.2.5']", ""},
    {"[ipv4-addr:value NOT IN ('192.0.2.5', '192.0.2.6')]", ""},
    {"[ipv4-addr:value NOT = '192.0.2.7']", ""},
    {"[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter']", ""},
    {"[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1']", ""},
    {"[file:name = 'pdf.exe' AND file:size = 371712]", ""},
    {"[file:created = t'2014-01-13T07:03:17Z']", ""},
    {"[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']", ""},
    {"[network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '203.0.113.10' AND "
     "network-traffic:dst_port = 3128]", "ipv4=203.0.113.10~"},
    {"[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\System\\\\Foo\\\\Bar']", ""},
    {"[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66']", ""},
    {"[process:extensions.'windows-process-ext'.aslr_enabled = true]", ""},
    {"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", ""},
    {"[network-traffic:dst_port IN (80, 443, 8080)]", ""},
    {"[email-message:subject LIKE 'Urgent%']", ""},
    {"[email-message:subject = 'Your invoice is overdue']", "email-subject=Your invoice is overdue"},
    {"[email-addr:value = 'phish@example.net']", "email=phish@example.net"},
    {"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ""},
    {"[ipv4-addr:value = '203.0.113.0/24']", "ipv4=203.0.113.0/24"},
    {"[file:name = 'x.exe'] REPEATS 5 TIMES WITHIN 1800 SECONDS", ""},
    {"[file:hashes.MD5 = '" MD5A "'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.5Z'", "md5=" MD5A "~"},
    {"[network-traffic:protocols[*] = 'tcp' AND EXISTS network-traffic:extensions.'http-request-ext']", ""},
    {"[file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']", ""},
    {"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", ""},
    {"[x-usb-device:usbdrive.serial_number = '575833314133343231313937']", ""},
    {"[ /* a comment */ domain-name:value = 'c2.example.com' ] // trailing comment", "domain=c2.example.com"},
    {"[ipv6-addr:value = '::ffff:192.0.2.128']", "ipv6=::ffff:192.0.2.128"},
    {"[url:value = 'http://x.example/it\\'s']", "url=http://x.example/it's"},
    {"[(ipv4-addr:value = '192.0.2.9' OR ipv4-addr:value = '192.0.2.10') AND ipv4-addr:value != '192.0.2.11']",
     "ipv4=192.0.2.9~, ipv4=192.0.2.10~"},
    {"[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']", "domain=a.example~, domain=b.example~"},
    {"[file:hashes.'SHA-256' = 'abcd']", "!sha256=abcd"},
    {"[ipv4-addr:value = '999.1.1.1']", "!ipv4=999.1.1.1"},
    {"[file:size >= 1024 AND file:size <= 2048.5]", ""},
    {"[network-traffic:src_port > -1]", ""},
    {"[file:name == 'a.txt' OR file:name <> 'b.txt']", ""},
    {"[process:name = 'cmd.exe'] FOLLOWEDBY ([file:name = 'a'] OR [file:name = 'b']) WITHIN 60 SECONDS", ""},
    {"[network-traffic:dst_ref.value = '2001:db8::1']", "ipv6=2001:db8::1"},
    {"[network-traffic:dst_ref.value IN ('198.51.100.7', 'not-an-ip')]", "ipv4=198.51.100.7, !ipv4=not-an-ip"},
    {"[domain-name:value IN ()]", ""},
    {"[domain-name:value = 3]", "!domain=3"},
    {"[url:value = 'http://evil.example/'] REPEATS 2 TIMES", "url=http://evil.example/~"},
    {"[domain-name:value = 'bad..example']", "!domain=bad..example"},
    {"[ipv4-addr:value = '192.0.2.0/33']", "!ipv4=192.0.2.0/33"},
    {"[file:name = 'a']\t\n\xc2\xa0OR\xe3\x80\x80[file:name = 'b']", ""},
    {"[file:size < +5 AND file:x_score > .5]", ""},
};

static void test_stixpat_spec_examples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_err e;
        lf_err_clear(&e);
        const lf_stixpat *p = NULL;
        int rc = lf_stixpat_parse(&a, good[i].pattern, strlen(good[i].pattern), &p, &e);
        if (rc)
            fail_msg("pattern %zu %s: %s", i, good[i].pattern, e.msg);
        lf_stixpat_iocs r;
        assert_int_equal(lf_stixpat_iocs_get(&a, p, &r, &e), LF_OK);
        char got[1024];
        summary(&r, got, sizeof got);
        if (strcmp(got, good[i].want))
            fail_msg("pattern %zu %s:\n got  \"%s\"\n want \"%s\"", i, good[i].pattern, got, good[i].want);
        lf_arena_clear(&a);
    }
    assert_true(sizeof good / sizeof good[0] >= 40);
}

static const struct {
    const char *pattern;
    size_t off;
    const char *msg;   /* substring of the message */
    int code;
} bad[] = {
    {"", 0, "expected '['", LF_EPARSE},
    {"[file:name = 'x'", 16, "expected ']'", LF_EPARSE},
    {"file:name = 'x'", 0, "expected '['", LF_EPARSE},
    {"[file:name = 'x]", 13, "unterminated", LF_EPARSE},
    {"[file:name 'x']", 11, "comparison operator", LF_EPARSE},
    {"[file:hashes.SHA-256 = 'aa']", 13, "must be quoted", LF_EPARSE},
    {"[file:name = 'x' AND]", 20, "expected a comparison", LF_EPARSE},
    {"[file:name = 'x'] WITHIN 0 SECONDS", 25, "positive number", LF_EPARSE},
    {"[file:name = 'x'] REPEATS 2.5 TIMES", 26, "positive integer", LF_EPARSE},
    {"[file:name = 'x'] WITHIN 5 MINUTES", 27, "expected SECONDS", LF_EPARSE},
    {"[file:name = 'x'] FOLLOWEDBY", 28, "end of input", LF_EPARSE},
    {"[file:created = t'2020-02-30T00:00:00Z']", 16, "bad timestamp", LF_EPARSE},
    {"[file:magic_number_hex = h'abc']", 25, "odd number", LF_EPARSE},
    {"[artifact:payload_bin = b'abc']", 24, "multiple of 4", LF_EPARSE},
    {"[file:size = 01]", 13, "leading zero", LF_EPARSE},
    {"[file:name LIKE 5]", 16, "a string after LIKE", LF_EPARSE},
    {"[file:name > true]", 13, "orderable", LF_EPARSE},
    {"[file:name IN 'a']", 14, "'('", LF_EPARSE},
    {"[file:name = 'x'] [file:name = 'y']", 18, "FOLLOWEDBY", LF_EPARSE},
    {"[file:name = 'x'] WITHIN 5 SECONDS WITHIN 6 SECONDS", 35, "second WITHIN", LF_EPARSE},
    {"[file:name = 'x' /* unterminated", 17, "unterminated /*", LF_EPARSE},
    {"[file:name = 'x'] and [file:name = 'y']", 18, "found \"and\"", LF_EPARSE},
    {"[file:name = 'x' & file:size = 1]", 17, "unexpected character '&'", LF_EPARSE},
    {"[:name = 'x']", 1, "expected a comparison", LF_EPARSE},
    {"[file:name[x] = 'a']", 11, "list index", LF_EPARSE},
    {"[file:name NOT EXISTS]", 15, "operator after NOT", LF_EPARSE},
    {"[file:size = 99999999999999999999]", 13, "64-bit", LF_EPARSE},
    {"[file:name = 'a\\q']", 15, "bad escape", LF_EPARSE},
    {"[file:name = 'x'] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'", 53, "later than START", LF_EPARSE},
    {"[artifact:payload_bin = b'ab=c']", 28, "base64", LF_EPARSE},
    {"[file:name = 'x'] START '2020-01-02T00:00:00Z' STOP t'2021-01-01T00:00:00Z'", 24, "timestamp", LF_EPARSE},
    {"[file:name = 'x'] REPEATS -3 TIMES", 26, "positive integer", LF_EPARSE},
};

static void test_stixpat_errors_located(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_err e;
        lf_err_clear(&e);
        const lf_stixpat *p = NULL;
        int rc = lf_stixpat_parse(&a, bad[i].pattern, strlen(bad[i].pattern), &p, &e);
        if (rc != bad[i].code || e.col != (long)bad[i].off + 1 || !strstr(e.msg, bad[i].msg))
            fail_msg("pattern %zu %s: rc %d col %ld msg \"%s\"; want offset %zu and \"%s\"", i, bad[i].pattern, rc,
                     e.col, e.msg, bad[i].off, bad[i].msg);
        assert_null(p);
        lf_arena_clear(&a);
    }
    assert_true(sizeof bad / sizeof bad[0] >= 20);
}

/* Precedence: inside brackets AND binds tighter than OR; between observations AND over OR
 * over FOLLOWEDBY; qualifiers attach to the observation before them. */
static void test_stixpat_ast_shape(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    const lf_stixpat *p;
    const char *s = "[a:x = 1 OR a:y = 2 AND a:z = 3] FOLLOWEDBY [b:x = 'q'] OR [c:x[0].'k-1' = h'00'] REPEATS 3 TIMES";
    assert_int_equal(lf_stixpat_parse(&a, s, strlen(s), &p, NULL), LF_OK);
    assert_int_equal(p->ncmp, 5);
    const lf_stixpat_node *r = p->root;
    assert_int_equal(r->kind, LF_STIXPAT_FOLLOWEDBY);
    assert_int_equal(r->a->kind, LF_STIXPAT_OBS);
    const lf_stixpat_node *in = r->a->a;
    assert_int_equal(in->kind, LF_STIXPAT_CMP_OR);
    assert_int_equal(in->a->kind, LF_STIXPAT_CMP);
    assert_string_equal(in->a->path.steps[0].key, "x");
    assert_int_equal(in->b->kind, LF_STIXPAT_CMP_AND);
    assert_int_equal(r->b->kind, LF_STIXPAT_OBS_OR);
    const lf_stixpat_node *q = r->b->b;
    assert_int_equal(q->kind, LF_STIXPAT_QUALIFIED);
    assert_int_equal(q->qual, LF_STIXPAT_REPEATS);
    assert_int_equal(q->repeats, 3);
    const lf_stixpat_node *cmp = q->a->a;
    assert_string_equal(cmp->path.type, "c");
    assert_int_equal(cmp->path.nsteps, 3);
    assert_int_equal(cmp->path.steps[1].kind, LF_STIXPAT_STEP_INDEX);
    assert_int_equal(cmp->path.steps[1].index, 0);
    assert_string_equal(cmp->path.steps[2].key, "k-1");
    assert_int_equal(cmp->lits[0].kind, LF_STIXPAT_LIT_HEX);
    assert_int_equal(cmp->lits[0].n, 1);
    assert_int_equal(cmp->lits[0].str[0], 0);
    assert_int_equal(cmp->off, strstr(s, "c:x") - s);
    lf_arena_clear(&a);
}

/* Literals decode: escapes, base64 with padding, booleans, negative numbers. */
static void test_stixpat_literals(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    const lf_stixpat *p;
    const char *s = "[a:b IN ('it\\'s \\\\ x', b'TWE=', b'TWFu', true, -42, -0.25, t'2020-02-29T23:59:60.123Z')]";
    assert_int_equal(lf_stixpat_parse(&a, s, strlen(s), &p, NULL), LF_OK);
    const lf_stixpat_node *c = p->root->a;
    assert_int_equal(c->op, LF_STIXPAT_IN);
    assert_int_equal(c->nlits, 7);
    assert_string_equal(c->lits[0].str, "it's \\ x");
    assert_int_equal(c->lits[1].n, 2);
    assert_memory_equal(c->lits[1].str, "Ma", 2);
    assert_string_equal(c->lits[2].str, "Man");
    assert_true(c->lits[3].b);
    assert_int_equal(c->lits[4].i, -42);
    assert_true(c->lits[5].f == -0.25);
    assert_string_equal(c->lits[6].str, "2020-02-29T23:59:60.123Z");
    lf_arena_clear(&a);
}

/* A long OR chain and deep nesting: no recursion blow-up, nesting limit reported. */
static void test_stixpat_limits(void **state)
{
    (void)state;
    size_t n = 20000;
    char *s = malloc(n * 40 + 8);
    assert_non_null(s);
    size_t j = 0;
    s[j++] = '[';
    for (size_t i = 0; i < n; i++)
        j += (size_t)snprintf(s + j, 40, "%sipv4-addr:value = '10.0.%zu.%zu'", i ? " OR " : "", i / 256 % 256, i % 256);
    s[j++] = ']';
    lf_arena a;
    lf_arena_init(&a, 0);
    const lf_stixpat *p;
    lf_err e;
    assert_int_equal(lf_stixpat_parse(&a, s, j, &p, &e), LF_OK);
    lf_stixpat_iocs r;
    assert_int_equal(lf_stixpat_iocs_get(&a, p, &r, &e), LF_OK);
    assert_int_equal(r.n, n);
    assert_true(r.items[n - 1].sufficient);
    assert_string_equal(r.items[0].value, "10.0.0.0");
    j = 0;
    for (int i = 0; i < 100; i++)
        s[j++] = '(';
    lf_err_clear(&e);
    assert_int_equal(lf_stixpat_parse(&a, s, j, &p, &e), LF_ELIMIT);
    assert_int_equal(e.col, 65);
    free(s);
    lf_arena_clear(&a);
}

/* RFC 3339 UTC timestamps as STIX uses them (section 3.2). */
static void test_stixpat_timestamps(void **state)
{
    (void)state;
    lf_stix_time t1, t2;
    assert_true(lf_stix_time_parse("1970-01-01T00:00:01Z", 20, &t1));
    assert_int_equal(t1.secs, 1);
    assert_true(lf_stix_time_parse("2016-11-03T12:30:59.000Z", 24, &t1));
    assert_int_equal(t1.secs, 1478176259);
    assert_true(lf_stix_time_parse("2016-11-03T12:30:59Z", 20, &t2));
    assert_int_equal(lf_stix_time_cmp(&t1, &t2), 0);
    assert_true(lf_stix_time_parse("2016-11-03T12:30:59.000001Z", 27, &t2));
    assert_true(lf_stix_time_cmp(&t1, &t2) < 0);
    assert_true(lf_stix_time_parse("2000-02-29T00:00:00Z", 20, NULL));
    assert_false(lf_stix_time_parse("1900-02-29T00:00:00Z", 20, NULL));
    assert_false(lf_stix_time_parse("2016-11-03T12:30:59+01:00", 25, NULL));
    assert_false(lf_stix_time_parse("2016-11-03 12:30:59Z", 20, NULL));
    assert_false(lf_stix_time_parse("2016-13-03T12:30:59Z", 20, NULL));
    assert_false(lf_stix_time_parse("2016-11-03T12:30:59.Z", 21, NULL));
    assert_false(lf_stix_time_parse("2016-11-03T24:00:00Z", 20, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stixpat_spec_examples),
        cmocka_unit_test(test_stixpat_errors_located),
        cmocka_unit_test(test_stixpat_ast_shape),
        cmocka_unit_test(test_stixpat_literals),
        cmocka_unit_test(test_stixpat_limits),
        cmocka_unit_test(test_stixpat_timestamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
