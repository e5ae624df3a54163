/*
 * Tests for src/isac/blocklist.c: value parsers on real-world spellings (tables of good
 * and bad values with the normalised form or the reason), range merging (exactness:
 * every merged list covers the same addresses as its input), each output format on a
 * small approved set, expiry and TLP filtering, stable Suricata sids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isac/blocklist.h"

static const struct {
    const char *in;
    bool ok;
    uint32_t addr;
    unsigned prefix;
} v4cases[] = {
    {"192.0.2.1", true, 0xc0000201u, 32},
    {"0.0.0.0/0", true, 0, 0},
    {"10.1.2.3/8", true, 0x0a000000u, 8},     /* host bits cleared */
    {"255.255.255.255", true, 0xffffffffu, 32},
    {"203.0.113.0/24", true, 0xcb007100u, 24},
    {"256.1.1.1", false, 0, 0},
    {"1.2.3", false, 0, 0},
    {"1.2.3.4.5", false, 0, 0},
    {"01.2.3.4", false, 0, 0},                /* octal ambiguity */
    {"1.2.3.4/33", false, 0, 0},
    {"1.2.3.4/", false, 0, 0},
    {"1.2.3.4/08", false, 0, 0},
    {" 1.2.3.4", false, 0, 0},
    {"1.2.3.4 ", false, 0, 0},
    {"1234.1.1.1", false, 0, 0},
};

static void test_blocklist_parse_ipv4(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof v4cases / sizeof v4cases[0]; i++) {
        uint32_t a = 0;
        unsigned p = 0;
        const char *why = NULL;
        bool ok = lf_bl_parse_ipv4(v4cases[i].in, strlen(v4cases[i].in), &a, &p, &why);
        if (ok != v4cases[i].ok)
            fail_msg("%s: ok=%d, want %d", v4cases[i].in, ok, v4cases[i].ok);
        if (ok) {
            assert_int_equal(a, v4cases[i].addr);
            assert_int_equal(p, v4cases[i].prefix);
        } else {
            assert_non_null(why);
        }
    }
}

static void test_blocklist_parse_ipv6(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
        unsigned prefix;
        uint8_t first, last;
    } c[] = {
        {"2001:db8::1", true, 128, 0x20, 0x01},
        {"2001:0DB8:0000:0000:0000:0000:0000:0001", true, 128, 0x20, 0x01},
        {"::ffff:192.0.2.1", true, 128, 0x00, 0x01},
        {"2001:db8::ff/64", true, 64, 0x20, 0x00},   /* host bits cleared */
        {"::/0", true, 0, 0, 0},
        {"2001:db8::1::2", false, 0, 0, 0},
        {"2001:db8::1/129", false, 0, 0, 0},
        {"2001:db8::g", false, 0, 0, 0},
        {"192.0.2.1", false, 0, 0, 0},
        {"", false, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint8_t a[16];
        unsigned p = 0;
        const char *why = NULL;
        bool ok = lf_bl_parse_ipv6(c[i].in, strlen(c[i].in), a, &p, &why);
        if (ok != c[i].ok)
            fail_msg("%s: ok=%d", c[i].in, ok);
        if (ok) {
            assert_int_equal(p, c[i].prefix);
            assert_int_equal(a[0], c[i].first);
            assert_int_equal(a[15], c[i].last);
        }
    }
}

static void test_blocklist_norm_names(void **state)
{
    (void)state;
    static const struct {
        int kind;   /* 0 domain, 1 url, 2 hash */
        const char *in;
        const char *want;   /* NULL = rejected */
    } c[] = {
        {0, "Example.COM", "example.com"},
        {0, "evil.example.org.", "evil.example.org"},
        {0, "_dmarc.example.com", "_dmarc.example.com"},
        {0, "xn--fiqs8s.xn--kpry57d", "xn--fiqs8s.xn--kpry57d"},
        {0, "localhost", NULL},
        {0, "-bad.example", NULL},
        {0, "bad-.example", NULL},
        {0, "a..example", NULL},
        {0, "192.0.2.1", NULL},
        {0, "ex ample.com", NULL},
        {0, "\xe4\xb8\xad\xe6\x96\x87.tw", NULL},
        {1, "http://Evil.Example.com/Path/x.php?a=1#frag", "evil.example.com/Path/x.php?a=1"},
        {1, "https://evil.example.com", "evil.example.com/"},
        {1, "evil.example.com:8080/dl", "evil.example.com:8080/dl"},
        {1, "http://192.0.2.7/x", "192.0.2.7/x"},
        {1, "http://[2001:db8::1]:8443/x", "[2001:db8::1]:8443/x"},
        {1, "ftp://evil.example.com/x", NULL},
        {1, "http://user:pw@evil.example.com/", NULL},
        {1, "http://evil.example.com/a b", NULL},
        {1, "http:///x", NULL},
        {1, "http://evil.example.com:0/", NULL},
        {1, "http://evil.example.com:99999/", NULL},
        {2, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"},
        {2, "3b0aec3d5e8ff6f2fdb0b4b1f4a0d6e97bc0d84b", "3b0aec3d5e8ff6f2fdb0b4b1f4a0d6e97bc0d84b"},
        {2, "d41d8cd98f00b204e9800998ecf8427", NULL},
        {2, "z41d8cd98f00b204e9800998ecf8427e", NULL},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char out[4096];
        size_t n = 0;
        const char *why = NULL;
        size_t len = strlen(c[i].in);
        bool ok = c[i].kind == 0   ? lf_bl_norm_domain(c[i].in, len, out, sizeof out, &n, &why)
                  : c[i].kind == 1 ? lf_bl_norm_url(c[i].in, len, out, sizeof out, &n, &why)
                                   : lf_bl_norm_hash(c[i].in, len, out, sizeof out, &n, &why);
        if (ok != (c[i].want != NULL))
            fail_msg("%s: ok=%d (%s)", c[i].in, ok, ok ? out : why);
        if (ok) {
            assert_string_equal(out, c[i].want);
            assert_int_equal(n, strlen(c[i].want));
        } else {
            assert_non_null(why);
        }
    }
}

static char *render(lf_blocklist *bl, lf_bl_format f)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_err err;
    assert_int_equal(lf_blocklist_write(bl, f, &b, &err), LF_OK);
    if (!b.data)
        lf_buf_putc(&b, '\0'), b.len = 0;
    return lf_buf_detach(&b, NULL);
}

static lf_blocklist *build(const lf_bl_indicator *ind, size_t n, const lf_bl_opts *o, size_t *nbad)
{
    lf_blocklist *bl = NULL;
    lf_err err;
    assert_int_equal(lf_blocklist_new(o, &bl, &err), LF_OK);
    *nbad = 0;
    for (size_t i = 0; i < n; i++)
        if (lf_blocklist_add(bl, &ind[i], &err) != LF_OK) {
            assert_int_equal(err.code, LF_EPARSE);
            assert_string_equal(err.field, "value");
            (*nbad)++;
        }
    return bl;
}

/* Adjacent and overlapping ranges merge into the fewest CIDRs; single hosts stay bare. */
static void test_blocklist_ip_merge(void **state)
{
    (void)state;
    const lf_bl_indicator ind[] = {
        {"indicator--1", "192.0.2.0/25", LF_BL_CIDR, 0, "src", 0},
        {"indicator--2", "192.0.2.128/25", LF_BL_CIDR, 0, "src", 0},   /* sibling: /24 */
        {"indicator--3", "192.0.2.77", LF_BL_IPV4, 0, "src", 0},       /* inside */
        {"indicator--4", "198.51.100.1", LF_BL_IPV4, 0, "src", 0},
        {"indicator--5", "198.51.100.2", LF_BL_IPV4, 0, "src", 0},     /* .1-.2 is not one CIDR */
        {"indicator--6", "198.51.100.3", LF_BL_IPV4, 0, "src", 0},     /* .1-.3: .1/32 + .2/31 */
        {"indicator--7", "10.0.0.1", LF_BL_IPV4, 0, "src", 0},
        {"indicator--8", "10.0.0.1", LF_BL_IPV4, 0, "src", 0},         /* duplicate */
        {"indicator--9", "2001:db8::/33", LF_BL_IPV6, 0, "src", 0},
        {"indicator--a", "2001:db8:8000::/33", LF_BL_CIDR, 0, "src", 0},
        {"indicator--b", "2001:DB8::5", LF_BL_IPV6, 0, "src", 0},
        {"indicator--c", "2001:db9::1", LF_BL_IPV6, 0, "src", 0},
        {"indicator--d", "300.1.1.1", LF_BL_IPV4, 0, "src", 0},        /* bad */
        {"indicator--e", "2001:db8::1", LF_BL_IPV4, 0, "src", 0},      /* wrong type */
    };
    size_t nbad;
    lf_blocklist *bl = build(ind, sizeof ind / sizeof ind[0], NULL, &nbad);
    assert_int_equal(nbad, 2);
    char *ip = render(bl, LF_BL_FMT_IP);
    assert_string_equal(ip, "10.0.0.1\n"
                            "192.0.2.0/24\n"
                            "198.51.100.1\n"
                            "198.51.100.2/31\n"
                            "2001:db8::/32\n"
                            "2001:db9::1\n");
    const lf_bl_stats *st = lf_blocklist_stats_borrow(bl);
    assert_int_equal(st->invalid, 2);
    assert_int_equal(st->v4_in, 8);
    assert_int_equal(st->v4_out, 4);
    assert_int_equal(st->v6_out, 2);
    char *nft = render(bl, LF_BL_FMT_NFT);
    assert_non_null(strstr(nft, "table inet lianfang {\n\tset blocklist_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
                                "\t\telements = {\n\t\t\t10.0.0.1,\n\t\t\t192.0.2.0/24,\n"));
    assert_non_null(strstr(nft, "\tset blocklist_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n"
                                "\t\telements = {\n\t\t\t2001:db8::/32,\n\t\t\t2001:db9::1\n\t\t}\n\t}\n}\n"));
    char *rep = render(bl, LF_BL_FMT_SURICATA_IPREP);
    assert_string_equal(rep, "10.0.0.1,1,127\n192.0.2.0/24,1,127\n198.51.100.1,1,127\n198.51.100.2/31,1,127\n"
                             "2001:db8::/32,1,127\n2001:db9::1,1,127\n");
    free(ip);
    free(nft);
    free(rep);
    lf_blocklist_free(bl);
}

/* Exactness on random input: the merged CIDRs cover exactly the addresses of the input
 * ranges (checked address by address over a small /20 universe). */
static void test_blocklist_merge_exact(void **state)
{
    (void)state;
    uint64_t rng = 88172645463325252ULL;
    for (int round = 0; round < 50; round++) {
        static uint8_t want[4096], got[4096];
        memset(want, 0, sizeof want);
        memset(got, 0, sizeof got);
        lf_blocklist *bl = NULL;
        assert_int_equal(lf_blocklist_new(NULL, &bl, NULL), LF_OK);
        int n = 1 + round % 40;
        for (int i = 0; i < n; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            unsigned off = (unsigned)(rng % 4096), prefix = 20 + (unsigned)((rng >> 20) % 13);
            unsigned size = 1u << (32 - prefix);
            off &= ~(size - 1);
            for (unsigned k = off; k < off + size && k < 4096; k++)
                want[k] = 1;
            char v[32];
            snprintf(v, sizeof v, "10.0.%u.%u/%u", off >> 8, off & 255, prefix);
            lf_bl_indicator ind = {"indicator--x", v, LF_BL_CIDR, 0, NULL, 0};
            assert_int_equal(lf_blocklist_add(bl, &ind, NULL), LF_OK);
        }
        char *ip = render(bl, LF_BL_FMT_IP);
        size_t lines = 0;
        for (char *line = ip; *line;) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            *nl = '\0';
            uint32_t a;
            unsigned p;
            const char *why;
            assert_true(lf_bl_parse_ipv4(line, strlen(line), &a, &p, &why));
            uint32_t base = a - 0x0a000000u;
            for (uint32_t k = 0; k < (1u << (32 - p)); k++) {
                assert_true(base + k < 4096);
                assert_int_equal(got[base + k], 0);   /* no overlap in the output */
                got[base + k] = 1;
            }
            lines++;
            line = nl + 1;
        }
        assert_memory_equal(want, got, sizeof want);
        assert_int_equal(lines, lf_blocklist_stats_borrow(bl)->v4_out);
        free(ip);
        lf_blocklist_free(bl);
    }
}

/* Expired and over-TLP indicators are left out; names are sorted and deduplicated. */
static void test_blocklist_lists_filtered(void **state)
{
    (void)state;
    const lf_bl_indicator ind[] = {
        {"indicator--1", "b.example.com", LF_BL_DOMAIN, 0, "src", LF_STIX_TLP_GREEN},
        {"indicator--2", "A.example.com", LF_BL_DOMAIN, 2000, "src", LF_STIX_TLP_CLEAR},
        {"indicator--3", "old.example.com", LF_BL_DOMAIN, 1000, "src", 0},          /* expired */
        {"indicator--4", "red.example.com", LF_BL_DOMAIN, 0, "src", LF_STIX_TLP_RED},
        {"indicator--5", "b.example.com.", LF_BL_DOMAIN, 0, "src", 0},              /* dup */
        {"indicator--6", "https://x.example.net/a", LF_BL_URL, 0, "src", 0},
        {"indicator--7", "http://x.example.net/a", LF_BL_URL, 0, "src", 0},        /* same */
        {"indicator--8", "javascript:alert(1)", LF_BL_URL, 0, "src", 0},            /* bad */
        {"indicator--9", "AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F", LF_BL_HASH, 0, "s", 0},
    };
    lf_bl_opts o = {0};
    o.now = 1500;
    o.max_tlp = LF_STIX_TLP_AMBER;
    size_t nbad;
    lf_blocklist *bl = build(ind, sizeof ind / sizeof ind[0], &o, &nbad);
    assert_int_equal(nbad, 1);
    char *d = render(bl, LF_BL_FMT_DOMAIN), *u = render(bl, LF_BL_FMT_URL), *h = render(bl, LF_BL_FMT_HASH);
    assert_string_equal(d, "a.example.com\nb.example.com\n");
    assert_string_equal(u, "x.example.net/a\n");
    assert_string_equal(h, "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f\n");
    const lf_bl_stats *st = lf_blocklist_stats_borrow(bl);
    assert_int_equal(st->expired, 1);
    assert_int_equal(st->over_tlp, 1);
    assert_int_equal(st->domains, 2);
    char *ip = render(bl, LF_BL_FMT_IP), *nft = render(bl, LF_BL_FMT_NFT);
    assert_string_equal(ip, "");
    assert_null(strstr(nft, "elements"));   /* nft rejects an empty element list */
    free(d);
    free(u);
    free(h);
    free(ip);
    free(nft);
    lf_blocklist_free(bl);
}

static uint32_t sid_of(const char *rules, const char *needle)
{
    const char *p = strstr(rules, needle);
    assert_non_null(p);
    const char *s = strstr(p, "sid:");
    assert_non_null(s);
    return (uint32_t)strtoul(s + 4, NULL, 10);
}

/* Suricata rules: three per domain, sids from the indicator id, stable when others come
 * and go, msg naming the source without characters that would end the option. */
static void test_blocklist_suricata_rules(void **state)
{
    (void)state;
    lf_bl_indicator ind[] = {
        {"indicator--aaaa", "evil.example.com", LF_BL_DOMAIN, 0, "identity--hub; \"x\"", 0},
        {"indicator--bbbb", "c2.example.net", LF_BL_DOMAIN, 0, "N-ISAC", 0},
    };
    size_t nbad;
    lf_blocklist *bl = build(ind, 2, NULL, &nbad);
    char *r = render(bl, LF_BL_FMT_SURICATA_RULES);
    assert_non_null(strstr(r, "alert ip any any -> any any (msg:\"lianfang blocklist: IP reputation lianfang\"; "
                              "iprep:any,lianfang,>,0; sid:1000000000; rev:1;)\n"));
    assert_non_null(strstr(r, "alert dns any any -> any any (msg:\"lianfang blocklist: DNS query for "
                              "evil.example.com (source identity--hub_ _x_, indicator--aaaa)\"; dns.query; "
                              "dotprefix; content:\".evil.example.com\"; nocase; endswith; sid:"));
    assert_non_null(strstr(r, "alert tls any any -> any any (msg:\"lianfang blocklist: TLS SNI c2.example.net "
                              "(source N-ISAC, indicator--bbbb)\"; tls.sni; dotprefix; content:\".c2.example.net\"; "
                              "nocase; endswith; sid:"));
    assert_non_null(strstr(r, "http.host; dotprefix; content:\".c2.example.net\"; endswith; sid:"));
    uint32_t dns = sid_of(r, "DNS query for evil"), tls = sid_of(r, "TLS SNI evil"), http = sid_of(r, "HTTP host evil");
    assert_int_equal(tls, dns + 1);
    assert_int_equal(http, dns + 2);
    assert_true(dns >= 1000000003u && dns < 1000000003u + 600000000u);
    uint32_t other = sid_of(r, "DNS query for c2");
    assert_int_not_equal(other, dns);
    char *cat = render(bl, LF_BL_FMT_SURICATA_CATEGORIES);
    assert_string_equal(cat, "1,lianfang,lianfang approved blocklist\n");
    free(cat);
    free(r);
    lf_blocklist_free(bl);
    /* the same indicator alone keeps its sid */
    bl = build(ind, 1, NULL, &nbad);
    r = render(bl, LF_BL_FMT_SURICATA_RULES);
    assert_int_equal(sid_of(r, "DNS query for evil"), dns);
    free(r);
    lf_blocklist_free(bl);
}

/* Colliding hashes (one slot for all) still give every domain its own sids. */
static void test_blocklist_sid_collisions(void **state)
{
    (void)state;
    lf_bl_opts o = {0};
    o.sid_slots = 1000;
    o.rule_action = "drop";
    lf_blocklist *bl = NULL;
    assert_int_equal(lf_blocklist_new(&o, &bl, NULL), LF_OK);
    char id[40], dom[40];
    for (int i = 0; i < 500; i++) {
        snprintf(id, sizeof id, "indicator--%04d", i);
        snprintf(dom, sizeof dom, "d%d.example.com", i);
        lf_bl_indicator ind = {id, dom, LF_BL_DOMAIN, 0, "s", 0};
        assert_int_equal(lf_blocklist_add(bl, &ind, NULL), LF_OK);
    }
    char *r = render(bl, LF_BL_FMT_SURICATA_RULES);
    static uint8_t seen[4000];
    memset(seen, 0, sizeof seen);
    size_t rules = 0;
    for (const char *p = r; (p = strstr(p, "sid:")); p += 4) {
        unsigned long s = strtoul(p + 4, NULL, 10);
        assert_true(s >= 1000000000u && s < 1000000000u + 4000);
        assert_int_equal(seen[s - 1000000000u], 0);
        seen[s - 1000000000u] = 1;
        rules++;
    }
    assert_int_equal(rules, 1 + 500 * 3);
    assert_int_equal(strncmp(r, "drop ip ", 8), 0);
    free(r);
    lf_blocklist_free(bl);
    o.rule_action = "pass";
    assert_int_equal(lf_blocklist_new(&o, &bl, NULL), LF_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocklist_parse_ipv4),     cmocka_unit_test(test_blocklist_parse_ipv6),
        cmocka_unit_test(test_blocklist_norm_names),     cmocka_unit_test(test_blocklist_ip_merge),
        cmocka_unit_test(test_blocklist_merge_exact),    cmocka_unit_test(test_blocklist_lists_filtered),
        cmocka_unit_test(test_blocklist_suricata_rules), cmocka_unit_test(test_blocklist_sid_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
