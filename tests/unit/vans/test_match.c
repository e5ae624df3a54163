/*
 * Tests for src/vans/match.c over indexes built in the test with the builder API:
 * configuration semantics (NVD: node AND/OR, negate, configuration AND for running-on
 * platforms), version ranges, the needs-review and not-yet-analysed outcomes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vans/match.h"
#include "vans/vulndb.h"

#define CRIT(v, cpe_, s, si, e, ei) {(v), (cpe_), (s), (si), (e), (ei), LF_VS_GENERIC, NULL}

typedef struct fixture {
    char path[256];
    lf_vdb *db;
    lf_matcher *m;
} fixture;

/* Build an index from docs, open it and make a matcher. */
static void fx_build(fixture *fx, const lf_vdoc *docs, size_t n)
{
    snprintf(fx->path, sizeof fx->path, "/tmp/lf-test-match-%ld.lfx", (long)getpid());
    lf_vdb_builder *b = lf_vdb_builder_new();
    assert_non_null(b);
    lf_err err;
    lf_err_clear(&err);
    for (size_t i = 0; i < n; i++) {
        lf_put_result r;
        assert_int_equal(lf_vdb_builder_put(b, &docs[i], false, &r, &err), LF_OK);
    }
    assert_int_equal(lf_vdb_builder_write(b, fx->path, &err), LF_OK);
    lf_vdb_builder_free(b);
    assert_int_equal(lf_vdb_open(fx->path, &fx->db, &err), LF_OK);
    assert_int_equal(lf_matcher_new(fx->db, &fx->m, &err), LF_OK);
}

static void fx_free(fixture *fx)
{
    lf_matcher_free(fx->m);
    lf_vdb_close(fx->db);
    unlink(fx->path);
}

/* Match a host given as CPE strings; returns a comma-joined "CVE:kind" list. */
static const char *run(fixture *fx, const char *const *cpes, size_t n, char *out, size_t cap)
{
    lf_cpe *items = calloc(n ? n : 1, sizeof(*items));
    assert_non_null(items);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(lf_cpe_parse(&items[i], cpes[i], strlen(cpes[i]), NULL), LF_OK);
    const lf_hit *hits;
    size_t nh;
    assert_int_equal(lf_matcher_run(fx->m, items, n, &hits, &nh, NULL), LF_OK);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nh; i++) {
        static const char *const kinds[] = {"match", "review", "unanalysed"};
        o += (size_t)snprintf(out + o, cap - o, "%s%s:%s@%zu", o ? "," : "", lf_vdb_vuln_id(fx->db, hits[i].vuln),
                              kinds[hits[i].kind], (size_t)hits[i].item);
    }
    free(items);
    return out;
}

#define RUN(fx, ...) ({ static const char *const cp_[] = {__VA_ARGS__}; \
    run((fx), cp_, sizeof cp_ / sizeof cp_[0], buf, sizeof buf); })

static lf_vdoc doc1(const char *id, lf_vconfig *cfg, size_t ncfg)
{
    lf_vdoc d;
    memset(&d, 0, sizeof d);
    d.source = LF_SRC_NVD;
    d.doc_id = id;
    d.vuln_id = id;
    d.modified = "2024-01-01T00:00:00.000";
    d.status = "Analyzed";
    d.description = "test";
    d.config = cfg;
    d.nconfig = ncfg;
    return d;
}

/* Version ranges: start/end including/excluding decide membership exactly at bounds. */
static void test_match_version_ranges(void **state)
{
    (void)state;
    lf_vcrit c1[] = {CRIT(true, "cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*", "11.9.0", true, "13.8.8", false)};
    lf_vcrit c2[] = {CRIT(true, "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", "1.1.1", false, "1.1.1t", true)};
    lf_vnode n1[] = {{false, false, 1, c1}}, n2[] = {{false, false, 1, c2}};
    lf_vconfig cf1[] = {{false, 1, n1}}, cf2[] = {{false, 1, n2}};
    lf_vdoc docs[] = {doc1("CVE-1-0001", cf1, 1), doc1("CVE-1-0002", cf2, 1)};
    fixture fx;
    fx_build(&fx, docs, 2);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:11.9.0:*:*:*:community:*:*:*"), "CVE-1-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:13.8.7:*:*:*:community:*:*:*"), "CVE-1-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:13.8.8:*:*:*:community:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:11.8.9:*:*:*:community:*:*:*"), "");
    /* sw_edition community is required: enterprise edition does not match */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:12.0.0:*:*:*:enterprise:*:*:*"), "");
    /* an inventory without sw_edition is taken to be one of the editions NVD lists */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:gitlab:gitlab:12.0.0:*:*:*:*:*:*:*"), "CVE-1-0001:match@0");
    /* start excluding 1.1.1, end including 1.1.1t, with OpenSSL letters */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"), "CVE-1-0002:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:openssl:openssl:1.1.1t:*:*:*:*:*:*:*"), "CVE-1-0002:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:openssl:openssl:1.1.1u:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:openssl:openssl:3.0.0:*:*:*:*:*:*:*"), "");
    fx_free(&fx);
}

/* Configuration AND: an application vulnerable only when running on Windows; the
 * platform criterion gates but never makes a finding on its own. */
static void test_match_running_on_platform(void **state)
{
    (void)state;
    lf_vcrit app[] = {CRIT(true, "cpe:2.3:a:rarlab:winrar:*:*:*:*:*:*:*:*", NULL, false, "7.13", false)};
    lf_vcrit os[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode nodes[] = {{false, false, 1, app}, {false, false, 1, os}};
    lf_vconfig cfg[] = {{true, 2, nodes}};
    lf_vdoc docs[] = {doc1("CVE-2025-8088", cfg, 1)};
    fixture fx;
    fx_build(&fx, docs, 1);
    char buf[2048];
    /* app + generic windows */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:rarlab:winrar:6.20:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"),
                        "CVE-2025-8088:match@0");
    /* app + windows_10 (family implies the generic platform) */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:microsoft:windows_10:22h2:*:*:*:*:*:*:*", "cpe:2.3:a:rarlab:winrar:6.20:*:*:*:*:*:*:*"),
                        "CVE-2025-8088:match@1");
    /* app on Linux (under wine): the configuration is not satisfied */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:rarlab:winrar:6.20:*:*:*:*:*:*:*", "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"), "");
    /* no OS listed at all: the inventory is silent about the platform, so review */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:rarlab:winrar:6.20:*:*:*:*:*:*:*", "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*"),
                        "CVE-2025-8088:review@0");
    /* platform alone: never a finding */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:microsoft:windows_11:23h2:*:*:*:*:*:*:*"), "");
    /* fixed version on windows */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:rarlab:winrar:7.13:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*"), "");
    fx_free(&fx);
}

/* Firmware on hardware: firmware version range AND exact hardware model. */
static void test_match_firmware_on_hardware(void **state)
{
    (void)state;
    lf_vcrit fw[] = {CRIT(true, "cpe:2.3:o:zyxel:usg_flex_100_firmware:*:*:*:*:*:*:*:*", "4.50", true, "5.21\\(aazf.7\\)c0", true)};
    lf_vcrit hw[] = {CRIT(false, "cpe:2.3:h:zyxel:usg_flex_100:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode nodes[] = {{false, false, 1, fw}, {false, false, 1, hw}};
    lf_vconfig cfg[] = {{true, 2, nodes}};
    lf_vdoc docs[] = {doc1("CVE-2022-30525", cfg, 1)};
    fixture fx;
    fx_build(&fx, docs, 1);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.10:*:*:*:*:*:*:*", "cpe:2.3:h:zyxel:usg_flex_100:-:*:*:*:*:*:*:*"),
                        "CVE-2022-30525:match@0");
    /* same firmware name on another model is not this configuration */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.10:*:*:*:*:*:*:*", "cpe:2.3:h:zyxel:usg_flex_200:-:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:o:zyxel:usg_flex_100_firmware:4.40:*:*:*:*:*:*:*", "cpe:2.3:h:zyxel:usg_flex_100:-:*:*:*:*:*:*:*"), "");
    /* firmware listed, no hardware at all: review, not silence */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.10:*:*:*:*:*:*:*"), "CVE-2022-30525:review@0");
    fx_free(&fx);
}

/* Node AND inside one configuration, and negate. */
static void test_match_node_and_negate(void **state)
{
    (void)state;
    lf_vcrit both[] = {CRIT(true, "cpe:2.3:a:acme:server:*:*:*:*:*:*:*:*", NULL, false, "2.0", false),
                       CRIT(false, "cpe:2.3:a:acme:plugin:1.0:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit neg[] = {CRIT(false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit app[] = {CRIT(true, "cpe:2.3:a:acme:client:*:*:*:*:*:*:*:*", NULL, false, "3.0", false)};
    lf_vnode n1[] = {{true, false, 2, both}};
    lf_vnode n2[] = {{false, false, 1, app}, {false, true, 1, neg}};
    lf_vconfig cf1[] = {{false, 1, n1}}, cf2[] = {{true, 2, n2}};
    lf_vdoc docs[] = {doc1("CVE-9-0001", cf1, 1), doc1("CVE-9-0002", cf2, 1)};
    fixture fx;
    fx_build(&fx, docs, 2);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:server:1.5:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:server:1.5:*:*:*:*:*:*:*", "cpe:2.3:a:acme:plugin:1.0:*:*:*:*:*:*:*"),
                        "CVE-9-0001:match@0");
    /* negated node: the client is vulnerable unless the hotfix is installed */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:client:2.0:*:*:*:*:*:*:*"), "CVE-9-0002:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:client:2.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:1:*:*:*:*:*:*:*"), "");
    fx_free(&fx);
}

/* Exact versions, update fields, and the needs-review outcome for a missing version. */
static void test_match_exact_update_review(void **state)
{
    (void)state;
    lf_vcrit c1[] = {CRIT(true, "cpe:2.3:a:oracle:jdk:1.8.0:update361:*:*:*:*:*:*", NULL, false, NULL, false),
                     CRIT(true, "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit c2[] = {CRIT(true, "cpe:2.3:a:7-zip:7-zip:*:*:*:*:*:*:*:*", NULL, false, "24.09", false)};
    lf_vnode n1[] = {{false, false, 2, c1}}, n2[] = {{false, false, 1, c2}};
    lf_vconfig cf1[] = {{false, 1, n1}}, cf2[] = {{false, 1, n2}};
    lf_vdoc docs[] = {doc1("CVE-5-0001", cf1, 1), doc1("CVE-5-0002", cf2, 1)};
    fixture fx;
    fx_build(&fx, docs, 2);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0:update361:*:*:*:*:*:*"), "CVE-5-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0:update371:*:*:*:*:*:*"), "");
    /* version and update written as one, as inventories do */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0_361:*:*:*:*:*:*:*"), "CVE-5-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0u361:*:*:*:*:*:*:*"), "CVE-5-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0_371:*:*:*:*:*:*:*"), "");
    /* the update level is not given: review, not a guess either way */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.8.0:*:*:*:*:*:*:*"), "CVE-5-0001:review@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:oracle:jdk:1.7.0:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"), "CVE-5-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*"), "");
    /* no version: neither a silent match nor a silent miss */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:7-zip:7-zip:*:*:*:*:*:*:*:*"), "CVE-5-0002:review@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*"), "CVE-5-0002:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:7-zip:7-zip:24.09:*:*:*:*:*:*:*"), "");
    /* two installed versions of one product: each is reported */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:7-zip:7-zip:9.20:*:*:*:*:*:*:*", "cpe:2.3:a:7-zip:7-zip:24.09:*:*:*:*:*:*:*",
                            "cpe:2.3:a:7-zip:7-zip:19.00:*:*:*:*:*:*:*"),
                        "CVE-5-0002:match@0,CVE-5-0002:match@2");
    fx_free(&fx);
}

/* A record without configurations is reported at low confidence when its description
 * names a product (vendor and product) the host has; a vendor name alone is not enough. */
static void test_match_not_yet_analysed(void **state)
{
    (void)state;
    lf_vcrit c1[] = {CRIT(true, "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", NULL, false, "2.4.50", false)};
    lf_vnode n1[] = {{false, false, 1, c1}};
    lf_vconfig cf1[] = {{false, 1, n1}};
    lf_vdoc docs[] = {doc1("CVE-1-0001", cf1, 1), doc1("CVE-2024-38475", NULL, 0), doc1("CVE-2024-0002", NULL, 0)};
    docs[1].description = "Improper escaping of output in mod_rewrite in Apache HTTP Server 2.4.59 and earlier allows ...";
    docs[1].status = "Awaiting Analysis";
    docs[2].description = "A flaw in the Apache Struts upload feature.";
    fixture fx;
    fx_build(&fx, docs, 3);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"), "CVE-2024-38475:unanalysed@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"),
                        "CVE-1-0001:match@0,CVE-2024-38475:unanalysed@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:tomcat:9.0.1:*:*:*:*:*:*:*"), "");
    /* "2.4.59 and earlier": 2.4.60 is outside the range the description states */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.60:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:2.4.59:*:*:*:*:*:*:*"), "CVE-2024-38475:unanalysed@0");
    /* no version given: kept (nothing is dropped on a guess) */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*"),
                        "CVE-1-0001:review@0,CVE-2024-38475:unanalysed@0");
    fx_free(&fx);
}

/* Undecidable criteria never make a vulnerability vanish, and never hide a real match
 * (review cases found in code review, one row each). */
static void test_match_undecided_never_silent(void **state)
{
    (void)state;
    static lf_vcrit a0[] = {CRIT(true, "cpe:2.3:a:v:p:*:*:*:*:*:*:*:*", "1.0", true, "2.0", false)};
    static lf_vcrit win[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    static lf_vcrit a1[] = {CRIT(true, "cpe:2.3:a:v:p:*:*:*:*:*:*:*:*", "1.5", true, "3.0", false)};
    static lf_vnode na0[] = {{false, false, 1, a0}, {false, false, 1, win}}, na1[] = {{false, false, 1, a1}};
    static lf_vconfig ca[] = {{true, 2, na0}, {false, 1, na1}};
    static lf_vcrit q0[] = {CRIT(true, "cpe:2.3:a:v:q:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    static lf_vnode nq[] = {{false, false, 1, q0}, {false, false, 1, win}};
    static lf_vconfig cq[] = {{true, 2, nq}};
    static lf_vcrit xy[] = {CRIT(true, "cpe:2.3:a:v:x:*:*:*:*:*:*:*:*", NULL, false, "2", false),
                            CRIT(true, "cpe:2.3:a:v:y:*:*:*:*:*:*:*:*", NULL, false, "3", false)};
    static lf_vnode nxy[] = {{true, false, 2, xy}};
    static lf_vconfig cxy[] = {{false, 1, nxy}};
    static lf_vcrit r0[] = {CRIT(true, "cpe:2.3:a:v:r:*:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    static lf_vcrit os0[] = {CRIT(false, "cpe:2.3:o:v:os:*:*:*:*:*:*:*:*", "1.0", true, "5.0", false)};
    static lf_vnode nr[] = {{false, false, 1, r0}, {false, false, 1, os0}};
    static lf_vconfig cr[] = {{true, 2, nr}};
    static lf_vcrit s0[] = {CRIT(true, "cpe:2.3:a:v:s:1.2:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    static lf_vnode ns[] = {{false, false, 1, s0}};
    static lf_vconfig cs[] = {{false, 1, ns}};
    lf_vdoc docs[] = {doc1("CVE-7-0001", ca, 2), doc1("CVE-7-0002", cq, 1), doc1("CVE-7-0003", cxy, 1),
                      doc1("CVE-7-0004", cr, 1), doc1("CVE-7-0005", cs, 1)};
    fixture fx;
    fx_build(&fx, docs, 5);
    char buf[2048];
    /* A: a platform-missing review of one configuration must not hide another's match */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:p:1.6:*:*:*:*:*:*:*"), "CVE-7-0001:match@0");
    /* B: version missing and platform missing: review, not nothing */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:q:*:*:*:*:*:*:*:*"), "CVE-7-0002:review@0");
    /* E: two undecided criteria in one AND node */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:x:*:*:*:*:*:*:*:*", "cpe:2.3:a:v:y:*:*:*:*:*:*:*:*"),
                        "CVE-7-0003:review@0,CVE-7-0003:review@1");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:x:1:*:*:*:*:*:*:*", "cpe:2.3:a:v:y:2:*:*:*:*:*:*:*"),
                        "CVE-7-0003:match@0,CVE-7-0003:match@1");
    /* C: a platform whose version cannot be ordered: review of the vulnerable app */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:r:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:v:os:deadbeef1:*:*:*:*:*:*:*"),
                        "CVE-7-0004:review@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:r:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:v:os:2.0:*:*:*:*:*:*:*"),
                        "CVE-7-0004:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:v:r:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:v:os:6.0:*:*:*:*:*:*:*"), "");
    /* D: an exact-version criterion and an item without version: review with a reason */
    {
        lf_cpe it;
        assert_int_equal(lf_cpe_parse(&it, "cpe:2.3:a:v:s:*:*:*:*:*:*:*:*", 29, NULL), LF_OK);
        const lf_hit *h;
        size_t nh;
        assert_int_equal(lf_matcher_run(fx.m, &it, 1, &h, &nh, NULL), LF_OK);
        assert_int_equal(nh, 1);
        assert_int_equal(h[0].kind, LF_HIT_REVIEW);
        assert_non_null(h[0].reason);
    }
    fx_free(&fx);
}

/* More prose forms (from review): "X through V" with no start, "v2.0", "1.x through 1.5";
 * and a negated condition that cannot be decided makes a review, never a match or silence. */
static void test_match_prose_more_and_negated_review(void **state)
{
    (void)state;
    static lf_vcrit w0[] = {CRIT(true, "cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*", NULL, false, "0.1", false)};
    static lf_vcrit g0[] = {CRIT(true, "cpe:2.3:a:acme:gizmo:*:*:*:*:*:*:*:*", NULL, false, "0.1", false)};
    static lf_vcrit k0[] = {CRIT(true, "cpe:2.3:a:acme:knob:*:*:*:*:*:*:*:*", NULL, false, "0.1", false)};
    static lf_vnode nw[] = {{false, false, 1, w0}}, ng[] = {{false, false, 1, g0}}, nk[] = {{false, false, 1, k0}};
    static lf_vconfig cw[] = {{false, 1, nw}}, cg[] = {{false, 1, ng}}, ck[] = {{false, 1, nk}};
    /* foo < 2.0, unless hotfix (unordered range: always undecided) */
    static lf_vcrit f0[] = {CRIT(true, "cpe:2.3:a:acme:foo:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    static lf_vcrit h0[] = {{false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", "1", true, NULL, false, LF_VS_UNORDERED, NULL}};
    static lf_vnode nf[] = {{false, false, 1, f0}, {false, true, 1, h0}};
    static lf_vconfig cf[] = {{true, 2, nf}};
    lf_vdoc docs[] = {doc1("CVE-2002-0001", cw, 1), doc1("CVE-2002-0002", cg, 1), doc1("CVE-2002-0003", ck, 1),
                      doc1("CVE-2003-0001", NULL, 0), doc1("CVE-2003-0002", NULL, 0), doc1("CVE-2003-0003", NULL, 0),
                      doc1("CVE-2004-0001", cf, 1)};
    docs[3].description = "Acme Widget through 3.4 mishandles input; Acme Gadget before 1.0 too.";
    docs[4].description = "Acme Gizmo before v2.0 and Acme Gadget before 1.0 are affected.";
    docs[5].description = "Acme Knob 1.x through 1.5 allows a crash.";
    fixture fx;
    fx_build(&fx, docs, 7);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:widget:3.0:*:*:*:*:*:*:*"), "CVE-2003-0001:unanalysed@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:widget:3.5:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:gizmo:1.0:*:*:*:*:*:*:*"), "CVE-2003-0002:unanalysed@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:gizmo:2.0:*:*:*:*:*:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:knob:1.0:*:*:*:*:*:*:*"), "CVE-2003-0003:unanalysed@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:knob:1.6:*:*:*:*:*:*:*"), "");
    /* negated, undecidable hotfix: review whether or not the item is listed */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*"), "CVE-2004-0001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*"),
                        "CVE-2004-0001:review@0");
    fx_free(&fx);
}

/* The version forms of CVE prose: each description bounds the low-confidence hint. */
static void test_match_description_ranges(void **state)
{
    (void)state;
    /* one analysed record per product so the products exist in the index */
    static const char *const prods[] = {"alpha", "beta", "gamma", "delta", "omega", "zeta"};
    lf_vcrit cr[6][1];
    lf_vnode nd[6][1];
    lf_vconfig cf[6][1];
    lf_vdoc docs[12];
    char ids[12][32], cpes[6][96];
    for (int i = 0; i < 6; i++) {
        snprintf(cpes[i], sizeof cpes[i], "cpe:2.3:a:acme:%s:*:*:*:*:*:*:*:*", prods[i]);
        cr[i][0] = (lf_vcrit)CRIT(true, cpes[i], NULL, false, "0.1", false);
        nd[i][0] = (lf_vnode){false, false, 1, cr[i]};
        cf[i][0] = (lf_vconfig){false, 1, nd[i]};
        snprintf(ids[i], sizeof ids[i], "CVE-2000-%04d", i);
        docs[i] = doc1(ids[i], cf[i], 1);
    }
    static const char *const desc[] = {
        "Acme Alpha before 2.0 allows remote attackers to do things.",
        "Acme Beta 7.0.0 through 7.0.16 mishandles input.",
        "Acme Gamma is vulnerable in versions up to, and including, 6.2, via the lang parameter.",
        "In Acme Delta version 8.0.* before 8.0.30, 8.1.* before 8.1.22, a flaw exists.",
        "Acme Omega version ranging from 12.2.0.13110 to 12.2.0.17153 (exclusive) on Windows.",
        "Acme Zeta 3.1 and prior is affected.",
    };
    for (int i = 0; i < 6; i++) {
        snprintf(ids[6 + i], sizeof ids[6 + i], "CVE-2001-%04d", i);
        docs[6 + i] = doc1(ids[6 + i], NULL, 0);
        docs[6 + i].description = desc[i];
    }
    fixture fx;
    fx_build(&fx, docs, 12);
    char buf[2048];
    static const struct {
        const char *cpe, *want;
    } rows[] = {
        {"cpe:2.3:a:acme:alpha:1.9:*:*:*:*:*:*:*", "CVE-2001-0000:unanalysed@0"},
        {"cpe:2.3:a:acme:alpha:2.0:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:beta:7.0.16:*:*:*:*:*:*:*", "CVE-2001-0001:unanalysed@0"},
        {"cpe:2.3:a:acme:beta:7.0.17:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:beta:6.4:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:gamma:6.2:*:*:*:*:*:*:*", "CVE-2001-0002:unanalysed@0"},
        {"cpe:2.3:a:acme:gamma:6.3:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:delta:8.0.29:*:*:*:*:*:*:*", "CVE-2001-0003:unanalysed@0"},
        {"cpe:2.3:a:acme:delta:8.1.21:*:*:*:*:*:*:*", "CVE-2001-0003:unanalysed@0"},
        {"cpe:2.3:a:acme:delta:8.1.22:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:delta:8.2.0:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:omega:12.2.0.13110:*:*:*:*:*:*:*", "CVE-2001-0004:unanalysed@0"},
        {"cpe:2.3:a:acme:omega:12.2.0.17153:*:*:*:*:*:*:*", ""},
        {"cpe:2.3:a:acme:zeta:3.1:*:*:*:*:*:*:*", "CVE-2001-0005:unanalysed@0"},
        {"cpe:2.3:a:acme:zeta:3.2:*:*:*:*:*:*:*", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *one[] = {rows[i].cpe};
        assert_string_equal(run(&fx, one, 1, buf, sizeof buf), rows[i].want);
    }
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_version_ranges),
        cmocka_unit_test(test_match_running_on_platform),
        cmocka_unit_test(test_match_firmware_on_hardware),
        cmocka_unit_test(test_match_node_and_negate),
        cmocka_unit_test(test_match_exact_update_review),
        cmocka_unit_test(test_match_not_yet_analysed),
        cmocka_unit_test(test_match_description_ranges),
        cmocka_unit_test(test_match_undecided_never_silent),
        cmocka_unit_test(test_match_prose_more_and_negated_review),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
