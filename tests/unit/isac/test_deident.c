/*
 * Tests for src/isac/deident.c: which addresses are internal and which mailboxes are
 * staff's (tables), pattern rewriting (a table of STIX patterns with what is forwarded),
 * and a whole envelope as an agency would report it: the agency's identity replaced by
 * the region's, its staff and internal hosts removed, TLP:RED and over-limit objects
 * kept back, dangling references cleaned and dependent objects dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isac/deident.h"

#define REGION "identity--11111111-1111-4111-8111-111111111111"
#define AGENCY "identity--22222222-2222-4222-8222-222222222222"
#define HUB "identity--33333333-3333-4333-8333-333333333333"
#define PERSON "identity--44444444-4444-4444-8444-444444444444"
#define RED "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
#define AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define GREEN "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define CLEAR "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"

static lf_deident *mk(lf_stix_tlp max)
{
    lf_deident_opts o = {0};
    o.region_identity = REGION;
    o.region_name = "Southern Regional ISAC";
    o.keep_identities = HUB;
    o.internal_ranges = "203.0.113.0/24, 2001:db8:aaaa::/48";
    o.staff_domains = "example.gov.tw *.agency.tw";
    o.max_tlp = max;
    lf_deident *d = NULL;
    lf_err err;
    assert_int_equal(lf_deident_new(&o, &d, &err), LF_OK);
    return d;
}

static void test_deident_values(void **state)
{
    (void)state;
    lf_deident *d = mk(0);
    static const struct {
        const char *v;
        bool internal;
    } addr[] = {
        {"10.1.2.3", true},          {"172.16.0.1", true},      {"172.31.255.255", true}, {"172.32.0.1", false},
        {"192.168.10.0/24", true},   {"127.0.0.1", true},       {"169.254.1.1", true},    {"8.8.8.8", false},
        {"10.0.0.0/7", false},       /* wider than 10/8: not all of it is internal */
        {"203.0.113.9", true},       /* configured agency range */
        {"fd12:3456::1", true},      {"fe80::1", true},         {"::1", true},            {"2001:db8::1", false},
        {"2001:db8:aaaa:1::5", true}, {"::ffff:192.168.1.1", true}, {"not an address", false},
    };
    for (size_t i = 0; i < sizeof addr / sizeof addr[0]; i++)
        if (lf_deident_internal_addr(d, addr[i].v, strlen(addr[i].v)) != addr[i].internal)
            fail_msg("%s: internal should be %d", addr[i].v, addr[i].internal);
    static const struct {
        const char *v;
        bool staff;
    } mail[] = {
        {"chen@example.gov.tw", true}, {"it@sub.example.gov.tw", true}, {"x@EXAMPLE.GOV.TW", true},
        {"a@agency.tw", false},        /* "*.agency.tw": subdomains only */
        {"a@soc.agency.tw", true},     {"evil@attacker.example", false},
        {"x@notexample.gov.tw", false}, {"example.gov.tw", false},
    };
    for (size_t i = 0; i < sizeof mail / sizeof mail[0]; i++)
        if (lf_deident_staff_email(d, mail[i].v, strlen(mail[i].v)) != mail[i].staff)
            fail_msg("%s: staff should be %d", mail[i].v, mail[i].staff);
    lf_deident_free(d);
}

static void test_deident_bad_options(void **state)
{
    (void)state;
    lf_deident *d = NULL;
    lf_err err;
    lf_deident_opts o = {0};
    assert_int_equal(lf_deident_new(&o, &d, &err), LF_EINVAL);   /* no region */
    o.region_identity = "identity--not-a-uuid";
    assert_int_equal(lf_deident_new(&o, &d, &err), LF_EINVAL);
    o.region_identity = REGION;
    o.internal_ranges = "10.0.0.0/33";
    assert_int_equal(lf_deident_new(&o, &d, &err), LF_EINVAL);
    assert_non_null(strstr(err.msg, "10.0.0.0/33"));
    o.internal_ranges = NULL;
    o.staff_domains = "bad..domain";
    assert_int_equal(lf_deident_new(&o, &d, &err), LF_EINVAL);
    assert_null(d);
}

static void test_deident_patterns(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out;   /* "=" unchanged, NULL dropped */
        size_t removed;
    } c[] = {
        {"[ipv4-addr:value = '198.51.100.7']", "=", 0},
        {"[ipv4-addr:value = '10.0.0.5']", NULL, 1},
        {"[ipv4-addr:value = '10.0.0.5' OR ipv4-addr:value = '198.51.100.7']", "[ipv4-addr:value = '198.51.100.7']", 1},
        {"[network-traffic:src_ref.value = '192.168.1.20' AND network-traffic:dst_ref.value = '198.51.100.7']",
         "[network-traffic:dst_ref.value = '198.51.100.7']", 1},
        {"[ipv4-addr:value IN ('10.1.1.1', '198.51.100.7', '203.0.113.4')]",
         "[ipv4-addr:value IN ('198.51.100.7')]", 2},
        {"[ipv6-addr:value IN ('fd00::1', 'fe80::2')]", NULL, 2},
        {"[email-message:from_ref.value = 'chen@example.gov.tw'] AND [domain-name:value = 'evil.example.com']",
         "[domain-name:value = 'evil.example.com']", 1},
        {"[email-addr:value = 'boss@soc.agency.tw'] FOLLOWEDBY [file:hashes.'SHA-256' = "
         "'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] WITHIN 600 SECONDS",
         "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] WITHIN 600 "
         "SECONDS",
         1},
        /* grouping kept where precedence needs it; qualifiers, NOT, escapes, other literals */
        {"([ipv4-addr:value = '10.9.9.9'] OR [url:value = 'http://a.example/it''s']) AND "
         "[file:name NOT LIKE 'x\\\\%'] REPEATS 2 TIMES",
         NULL, 0},   /* the doubled quote is a syntax error: dropped (pattern not vetted) */
        {"([ipv4-addr:value = '10.9.9.9'] OR [url:value = 'http://a.example/it\\'s']) AND "
         "([file:name NOT LIKE 'x%'] OR [file:size > 1024]) REPEATS 2 TIMES",
         "[url:value = 'http://a.example/it\\'s'] AND ([file:name NOT LIKE 'x%'] OR [file:size > 1024]) REPEATS 2 TIMES",
         1},
        {"[ipv4-addr:value = '127.0.0.1' AND file:content_ref.payload_bin = b'aGVsbG8=' AND "
         "artifact:payload_bin = h'0aff' AND x-a:b = true] START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'",
         "[file:content_ref.payload_bin = b'aGVsbG8=' AND artifact:payload_bin = h'0aff' AND x-a:b = true] START "
         "t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'",
         1},
    };
    lf_deident *d = mk(0);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        const char *out = NULL;
        size_t removed = 99;
        lf_err err;
        int rc = lf_deident_pattern(d, &a, c[i].in, &out, &removed, &err);
        if (i == 8) {
            assert_int_equal(rc, LF_EPARSE);
            lf_arena_clear(&a);
            continue;
        }
        if (rc)
            fail_msg("%zu: rc %d: %s", i, rc, err.msg);
        if (!c[i].out) {
            if (out)
                fail_msg("%zu: want dropped, got %s", i, out);
        } else if (!strcmp(c[i].out, "=")) {
            assert_ptr_equal(out, c[i].in);
        } else {
            if (!out || strcmp(out, c[i].out))
                fail_msg("%zu:\n got %s\nwant %s", i, out ? out : "(dropped)", c[i].out);
        }
        assert_int_equal(removed, c[i].removed);
        lf_arena_clear(&a);
    }
    lf_deident_free(d);
}

static const char envelope[] =
    "{\"objects\":["
    /* 0 the reporting agency */
    "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"" AGENCY "\",\"created\":\"2024-01-01T00:00:00Z\","
    "\"modified\":\"2024-01-01T00:00:00Z\",\"name\":\"Pingtung County Government\",\"identity_class\":\"organization\"},"
    /* 1 a staff member */
    "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"" PERSON "\",\"created\":\"2024-01-01T00:00:00Z\","
    "\"modified\":\"2024-01-01T00:00:00Z\",\"name\":\"Chen Mei-ling\",\"identity_class\":\"individual\"},"
    /* 2 an indicator with an internal victim and an external C2 */
    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--aaaaaaaa-0000-4000-8000-000000000001\","
    "\"created\":\"2024-03-01T00:00:00Z\",\"modified\":\"2024-03-01T00:00:00Z\",\"created_by_ref\":\"" AGENCY "\","
    "\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T00:00:00Z\",\"object_marking_refs\":[\"" GREEN "\"],"
    "\"pattern\":\"[network-traffic:src_ref.value = '10.20.30.40' AND network-traffic:dst_ref.value = "
    "'198.51.100.7']\"},"
    /* 3 TLP:RED: never leaves */
    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--aaaaaaaa-0000-4000-8000-000000000002\","
    "\"created\":\"2024-03-01T00:00:00Z\",\"modified\":\"2024-03-01T00:00:00Z\",\"created_by_ref\":\"" AGENCY "\","
    "\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T00:00:00Z\",\"object_marking_refs\":[\"" RED "\"],"
    "\"pattern\":\"[domain-name:value = 'secret.example']\"},"
    /* 4 a relationship to the RED indicator: dangling, so dropped */
    "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--aaaaaaaa-0000-4000-8000-000000000003\","
    "\"created\":\"2024-03-01T00:00:00Z\",\"modified\":\"2024-03-01T00:00:00Z\",\"relationship_type\":\"indicates\","
    "\"source_ref\":\"indicator--aaaaaaaa-0000-4000-8000-000000000002\","
    "\"target_ref\":\"malware--aaaaaaaa-0000-4000-8000-000000000009\"},"
    /* 5 internal address SCO and 6 the traffic that only references it */
    "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--aaaaaaaa-0000-4000-8000-000000000005\",\"value\":\"192.168.3.4\"},"
    "{\"type\":\"network-traffic\",\"id\":\"network-traffic--aaaaaaaa-0000-4000-8000-000000000006\","
    "\"src_ref\":\"ipv4-addr--aaaaaaaa-0000-4000-8000-000000000005\",\"protocols\":[\"tcp\"]},"
    /* 7 a staff mailbox and 8 the mail sent to it from outside */
    "{\"type\":\"email-addr\",\"id\":\"email-addr--aaaaaaaa-0000-4000-8000-000000000007\",\"value\":\"chen@example.gov.tw\","
    "\"display_name\":\"Chen Mei-ling\"},"
    "{\"type\":\"email-message\",\"id\":\"email-message--aaaaaaaa-0000-4000-8000-000000000008\",\"is_multipart\":false,"
    "\"from_ref\":\"email-addr--aaaaaaaa-0000-4000-8000-00000000000a\","
    "\"to_refs\":[\"email-addr--aaaaaaaa-0000-4000-8000-000000000007\"],\"subject\":\"Invoice\"},"
    /* 9 a sighting at the agency, by the person, of the forwarded indicator */
    "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"sighting--aaaaaaaa-0000-4000-8000-00000000000b\","
    "\"created\":\"2024-03-02T00:00:00Z\",\"modified\":\"2024-03-02T00:00:00Z\",\"created_by_ref\":\"" PERSON "\","
    "\"sighting_of_ref\":\"indicator--aaaaaaaa-0000-4000-8000-000000000001\","
    "\"where_sighted_refs\":[\"" AGENCY "\",\"" PERSON "\"]},"
    /* 10 the hub's own object: its identity is kept */
    "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"malware--aaaaaaaa-0000-4000-8000-000000000009\","
    "\"created\":\"2024-01-05T00:00:00Z\",\"modified\":\"2024-01-05T00:00:00Z\",\"created_by_ref\":\"" HUB "\","
    "\"name\":\"PlugX\",\"is_family\":true,\"object_marking_refs\":[\"" CLEAR "\"]},"
    /* 11 AMBER: over the default GREEN limit */
    "{\"type\":\"note\",\"spec_version\":\"2.1\",\"id\":\"note--aaaaaaaa-0000-4000-8000-00000000000c\","
    "\"created\":\"2024-03-02T00:00:00Z\",\"modified\":\"2024-03-02T00:00:00Z\",\"content\":\"x\","
    "\"object_refs\":[\"malware--aaaaaaaa-0000-4000-8000-000000000009\"],\"object_marking_refs\":[\"" AMBER "\"]}"
    "]}";

static const lf_json *find(const lf_json **objs, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(lf_json_get_str(objs[i], "id"), id))
            return objs[i];
    return NULL;
}

static void run_envelope(lf_stix_tlp max, const lf_json ***out, size_t *nout, lf_deident_stats *st, lf_arena *a)
{
    lf_json *doc = NULL;
    lf_err err;
    assert_int_equal(lf_json_parse(a, envelope, sizeof envelope - 1, NULL, &doc, &err), LF_OK);
    const lf_json *arr = lf_json_get(doc, "objects");
    size_t n = lf_json_len(arr);
    const lf_json **in = lf_arena_alloc(a, n * sizeof *in);
    for (size_t i = 0; i < n; i++)
        in[i] = lf_json_at(arr, i);
    lf_deident *d = mk(max);
    assert_int_equal(lf_deident_objects(d, a, in, n, out, nout, st, &err), LF_OK);
    lf_deident_free(d);
}

static void test_deident_envelope(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    const lf_json **out;
    size_t n;
    lf_deident_stats st;
    run_envelope(0, &out, &n, &st, &a);
    /* forwarded: the indicator (rewritten), the e-mail message (to_refs gone), the
     * sighting, the hub's malware, and the region's identity appended */
    assert_int_equal(n, 5);
    assert_int_equal(st.dropped_identity, 2);
    assert_int_equal(st.dropped_tlp, 2);        /* RED indicator, AMBER note */
    assert_int_equal(st.dropped_internal, 1);
    assert_int_equal(st.dropped_staff, 1);
    assert_int_equal(st.dropped_refs, 2);       /* relationship, network-traffic */
    assert_int_equal(st.cmps_removed, 1);
    assert_true(st.region_added);
    const lf_json *ind = find(out, n, "indicator--aaaaaaaa-0000-4000-8000-000000000001");
    assert_non_null(ind);
    assert_string_equal(lf_json_get_str(ind, "created_by_ref"), REGION);
    assert_string_equal(lf_json_get_str(ind, "pattern"), "[network-traffic:dst_ref.value = '198.51.100.7']");
    const lf_json *mail = find(out, n, "email-message--aaaaaaaa-0000-4000-8000-000000000008");
    assert_non_null(mail);
    assert_null(lf_json_get(mail, "to_refs"));
    assert_string_equal(lf_json_get_str(mail, "from_ref"), "email-addr--aaaaaaaa-0000-4000-8000-00000000000a");
    const lf_json *s = find(out, n, "sighting--aaaaaaaa-0000-4000-8000-00000000000b");
    assert_non_null(s);
    assert_string_equal(lf_json_get_str(s, "created_by_ref"), REGION);
    const lf_json *w = lf_json_get(s, "where_sighted_refs");
    assert_int_equal(lf_json_len(w), 1);   /* agency and person folded into one region */
    assert_string_equal(lf_json_str(lf_json_at(w, 0)), REGION);
    const lf_json *m = find(out, n, "malware--aaaaaaaa-0000-4000-8000-000000000009");
    assert_string_equal(lf_json_get_str(m, "created_by_ref"), HUB);
    const lf_json *r = out[n - 1];
    assert_string_equal(lf_json_get_str(r, "id"), REGION);
    assert_string_equal(lf_json_get_str(r, "name"), "Southern Regional ISAC");
    assert_string_equal(lf_json_get_str(r, "identity_class"), "organization");
    for (size_t i = 0; i < n; i++) {
        const char *id = lf_json_get_str(out[i], "id");
        assert_null(strstr(id, "22222222"));
        assert_null(strstr(id, "44444444"));
    }
    lf_arena_clear(&a);

    /* with AMBER allowed the note goes too, RED still not */
    lf_arena_init(&a, 0);
    run_envelope(LF_STIX_TLP_RED, &out, &n, &st, &a);
    assert_non_null(find(out, n, "note--aaaaaaaa-0000-4000-8000-00000000000c"));
    assert_null(find(out, n, "indicator--aaaaaaaa-0000-4000-8000-000000000002"));
    assert_int_equal(st.dropped_tlp, 1);
    lf_arena_clear(&a);
}

static void test_deident_tlp_names(void **state)
{
    (void)state;
    lf_stix_tlp t;
    assert_true(lf_deident_tlp_parse("TLP:AMBER+STRICT", &t));
    assert_int_equal(t, LF_STIX_TLP_AMBER_STRICT);
    assert_true(lf_deident_tlp_parse("white", &t));
    assert_int_equal(t, LF_STIX_TLP_CLEAR);
    assert_false(lf_deident_tlp_parse("purple", &t));
    assert_true(lf_deident_tlp_rank(LF_STIX_TLP_RED) > lf_deident_tlp_rank(LF_STIX_TLP_AMBER_STRICT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deident_values),   cmocka_unit_test(test_deident_bad_options),
        cmocka_unit_test(test_deident_patterns), cmocka_unit_test(test_deident_envelope),
        cmocka_unit_test(test_deident_tlp_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
