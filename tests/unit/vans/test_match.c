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

#include "core/arena.h"
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
    lf_vconfig cf1[] = {{false, 1, n1, false}}, cf2[] = {{false, 1, n2, false}};
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
    lf_vconfig cfg[] = {{true, 2, nodes, false}};
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
    lf_vconfig cfg[] = {{true, 2, nodes, false}};
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
    /* a package row (part p) is no hardware: still review */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.10:*:*:*:*:*:*:*",
                            "cpe:2.3:p:debian:openssl:3.0.11:*:*:*:*:*:*:*"),
                        "CVE-2022-30525:review@0");
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
    lf_vconfig cf1[] = {{false, 1, n1, false}}, cf2[] = {{true, 2, n2, false}};
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
    lf_vconfig cf1[] = {{false, 1, n1, false}}, cf2[] = {{false, 1, n2, false}};
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
    lf_vconfig cf1[] = {{false, 1, n1, false}};
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

/* What a hit derives when read (lf_hit_doc, lf_hit_config, lf_hit_crit, lf_hit_reason):
 * the document, the configuration ordinal, the criterion and the reason text of each
 * kind of hit, checked against the documents the index was built from. */
static void test_match_hit_fields(void **state)
{
    (void)state;
    lf_vcrit first[] = {CRIT(true, "cpe:2.3:a:acme:first:1.0:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit second[] = {CRIT(true, "cpe:2.3:a:acme:second:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vcrit third[] = {CRIT(true, "cpe:2.3:a:acme:third:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vcrit os[] = {CRIT(false, "cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit rv[] = {CRIT(true, "cpe:2.3:a:acme:review:*:*:*:*:*:*:*:*", NULL, false, "5.0", false)};
    /* hints are looked for only for products the index knows */
    lf_vcrit hinted[] = {CRIT(true, "cpe:2.3:a:acme:hinted:9.9:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode n0[] = {{false, false, 1, first}}, n1[] = {{false, false, 1, second}};
    lf_vnode n2[] = {{false, false, 1, third}, {false, false, 1, os}}, n3[] = {{false, false, 1, rv}};
    lf_vnode n4[] = {{false, false, 1, hinted}};
    lf_vconfig cf[] = {{false, 1, n0, false}, {false, 1, n1, false}, {true, 2, n2, false}};
    lf_vconfig cfr[] = {{false, 1, n3, false}, {false, 1, n4, false}};
    lf_vdoc docs[] = {doc1("CVE-7-0001", cf, 3), doc1("CVE-7-0002", NULL, 0), doc1("CVE-7-0003", cfr, 2)};
    docs[1].description = "Acme Hinted before 3.0 allows a crash.";
    docs[1].status = "Awaiting Analysis";
    fixture fx;
    fx_build(&fx, docs, 3);
    static const char *const cpes[] = {"cpe:2.3:a:acme:second:1.5:*:*:*:*:*:*:*",
                                       "cpe:2.3:a:acme:hinted:2.0:*:*:*:*:*:*:*",
                                       "cpe:2.3:a:acme:third:1.0:*:*:*:*:*:*:*",
                                       "cpe:2.3:o:acme:os:1.0:*:*:*:*:*:*:*",
                                       "cpe:2.3:a:acme:review:*:*:*:*:*:*:*:*"};
    lf_cpe items[5];
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(lf_cpe_parse(&items[i], cpes[i], strlen(cpes[i]), NULL), LF_OK);
    uint32_t d1, d2, d3;
    assert_int_equal(lf_vdb_find_vuln(fx.db, "CVE-7-0001", &d1, 1), 1);
    assert_int_equal(lf_vdb_find_vuln(fx.db, "CVE-7-0002", &d2, 1), 1);
    assert_int_equal(lf_vdb_find_vuln(fx.db, "CVE-7-0003", &d3, 1), 1);
    /* twice: the second run replays cached records */
    for (int pass = 0; pass < 2; pass++) {
        const lf_hit *h;
        size_t nh;
        assert_int_equal(lf_matcher_run(fx.m, items, 5, &h, &nh, NULL), LF_OK);
        assert_int_equal(nh, 4);
        lf_crit_info ci;
        /* a one-node configuration (the second of its document) */
        assert_int_equal(h[0].kind, LF_HIT_MATCH);
        assert_int_equal(h[0].item, 0);
        assert_string_equal(lf_vdb_vuln_id(fx.db, h[0].vuln), "CVE-7-0001");
        assert_int_equal(lf_hit_doc(fx.db, &h[0]), d1);
        assert_int_equal(lf_hit_config(fx.db, &h[0]), 1);
        assert_int_equal(lf_matcher_crit_info(fx.db, lf_hit_crit(fx.db, &h[0]), &ci), LF_OK);
        assert_string_equal(ci.cpe, second[0].cpe);
        assert_null(lf_hit_reason(&h[0]));
        /* an AND configuration (the third), evaluated for the host */
        assert_int_equal(h[1].kind, LF_HIT_MATCH);
        assert_int_equal(h[1].item, 2);
        assert_int_equal(lf_hit_doc(fx.db, &h[1]), d1);
        assert_int_equal(lf_hit_config(fx.db, &h[1]), 2);
        assert_int_equal(lf_matcher_crit_info(fx.db, lf_hit_crit(fx.db, &h[1]), &ci), LF_OK);
        assert_string_equal(ci.cpe, third[0].cpe);
        assert_int_equal(ci.node_ordinal, 0);
        assert_null(lf_hit_reason(&h[1]));
        /* no version for a ranged criterion */
        assert_int_equal(h[2].kind, LF_HIT_REVIEW);
        assert_int_equal(h[2].item, 4);
        assert_string_equal(lf_vdb_vuln_id(fx.db, h[2].vuln), "CVE-7-0003");
        assert_int_equal(lf_hit_doc(fx.db, &h[2]), d3);
        assert_int_equal(lf_hit_config(fx.db, &h[2]), 0);
        assert_int_equal(lf_matcher_crit_info(fx.db, lf_hit_crit(fx.db, &h[2]), &ci), LF_OK);
        assert_string_equal(ci.cpe, rv[0].cpe);
        assert_string_equal(lf_hit_reason(&h[2]),
                            "the inventory gives no version for a product with version-ranged vulnerabilities");
        /* a document without configurations: no criterion, no configuration */
        assert_int_equal(h[3].kind, LF_HIT_UNANALYSED);
        assert_int_equal(h[3].item, 1);
        assert_string_equal(lf_vdb_vuln_id(fx.db, h[3].vuln), "CVE-7-0002");
        assert_int_equal(lf_hit_doc(fx.db, &h[3]), d2);
        assert_int_equal(lf_hit_config(fx.db, &h[3]), UINT32_MAX);
        assert_int_equal(lf_hit_crit(fx.db, &h[3]), UINT32_MAX);
        assert_string_equal(lf_hit_reason(&h[3]), "no applicability data yet; the description names this product and "
                                                  "a version range that includes this version");
    }
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
    static lf_vconfig ca[] = {{true, 2, na0, false}, {false, 1, na1, false}};
    static lf_vcrit q0[] = {CRIT(true, "cpe:2.3:a:v:q:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    static lf_vnode nq[] = {{false, false, 1, q0}, {false, false, 1, win}};
    static lf_vconfig cq[] = {{true, 2, nq, false}};
    static lf_vcrit xy[] = {CRIT(true, "cpe:2.3:a:v:x:*:*:*:*:*:*:*:*", NULL, false, "2", false),
                            CRIT(true, "cpe:2.3:a:v:y:*:*:*:*:*:*:*:*", NULL, false, "3", false)};
    static lf_vnode nxy[] = {{true, false, 2, xy}};
    static lf_vconfig cxy[] = {{false, 1, nxy, false}};
    static lf_vcrit r0[] = {CRIT(true, "cpe:2.3:a:v:r:*:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    static lf_vcrit os0[] = {CRIT(false, "cpe:2.3:o:v:os:*:*:*:*:*:*:*:*", "1.0", true, "5.0", false)};
    static lf_vnode nr[] = {{false, false, 1, r0}, {false, false, 1, os0}};
    static lf_vconfig cr[] = {{true, 2, nr, false}};
    static lf_vcrit s0[] = {CRIT(true, "cpe:2.3:a:v:s:1.2:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    static lf_vnode ns[] = {{false, false, 1, s0}};
    static lf_vconfig cs[] = {{false, 1, ns, false}};
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
        assert_non_null(lf_hit_reason(&h[0]));
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
    static lf_vconfig cw[] = {{false, 1, nw, false}}, cg[] = {{false, 1, ng, false}}, ck[] = {{false, 1, nk, false}};
    /* foo < 2.0, unless hotfix (unordered range: always undecided) */
    static lf_vcrit f0[] = {CRIT(true, "cpe:2.3:a:acme:foo:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    static lf_vcrit h0[] = {{false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", "1", true, NULL, false, LF_VS_UNORDERED, NULL}};
    static lf_vnode nf[] = {{false, false, 1, f0}, {false, true, 1, h0}};
    static lf_vconfig cf[] = {{true, 2, nf, false}};
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
        cf[i][0] = (lf_vconfig){false, 1, nd[i], false};
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


/* ---- the result cache, plans and compiled products never change a result ---- */

/* Exactly the same hit list: same hits, same order, same reason text. */
static void assert_same_hits(const lf_hit *a, size_t na, const lf_hit *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t k = 0; k < na; k++) {
        assert_int_equal(a[k].kind, b[k].kind);
        assert_int_equal(a[k].vuln, b[k].vuln);
        assert_int_equal(a[k].item, b[k].item);
        assert_int_equal(a[k].ref, b[k].ref);
        assert_int_equal(a[k].why, b[k].why);
        const char *ra = lf_hit_reason(&a[k]), *rb = lf_hit_reason(&b[k]);
        if (!ra || !rb)
            assert_ptr_equal(ra, rb);
        else
            assert_string_equal(ra, rb);
    }
}

/* Storage for a generated index: every string and array the documents point to. */
typedef struct gen {
    lf_vdoc docs[700];
    lf_vconfig cfg[700][2];
    lf_vnode node[700][3];
    lf_vcrit crit[700][3];
    char ids[700][24], cpe[700][3][96], ver[700][2][16];
    size_t n;
} gen;

/* A document with one configuration; nodes are filled by the caller. */
static lf_vdoc *gen_doc(gen *g, const char *source_id, lf_source src, bool cfg_and, size_t nnode)
{
    size_t i = g->n++;
    assert_true(i < 700);
    snprintf(g->ids[i], sizeof g->ids[i], "%s", source_id);
    g->docs[i] = doc1(g->ids[i], nnode ? g->cfg[i] : NULL, nnode ? 1 : 0);
    g->docs[i].source = src;
    g->cfg[i][0] = (lf_vconfig){cfg_and, nnode, g->node[i], false};
    return &g->docs[i];
}

/*
 * An index with every kind of configuration the matcher distinguishes: trivial ranges
 * of a product with 210 criteria (so it gets compiled) in all bound forms, exact
 * versions, update values, an unordered scheme, version NA; running-on-Windows AND
 * configurations (130 platform criteria, so the generic Windows product is compiled
 * too); node AND; negated nodes, one undecidable; firmware on hardware; a platform
 * criterion with a version range; one vuln with documents from two sources (trivial and
 * AND configurations) and one without configurations whose description names the
 * product (a hint that collides with evaluated hits).
 */
static void gen_build(gen *g, fixture *fx)
{
    memset(g, 0, sizeof *g);
    char id[24];
    for (int i = 0; i < 210; i++) {
        snprintf(id, sizeof id, "CVE-2020-%04d", i);
        int kind = i % 9;
        bool platform = i % 10 == 3, and_node = i % 21 == 5, negated = i % 35 == 8;
        size_t nnode = 1 + (platform || negated);
        lf_vdoc *d = gen_doc(g, id, LF_SRC_NVD, platform || negated, nnode);
        size_t k = g->n - 1;
        (void)d;
        char *cpe = g->cpe[k][0], *lo = g->ver[k][0], *hi = g->ver[k][1];
        snprintf(lo, 16, "%d.%d", i / 10, i % 7);
        snprintf(hi, 16, "%d.%d", i / 10 + 1 + i % 3, i % 5);
        snprintf(cpe, 96, "cpe:2.3:a:acme:big:*:*:*:*:*:*:*:*");
        lf_vcrit c = CRIT(true, cpe, NULL, false, hi, false);
        char v[16];   /* lo's text, apart from g (the compiler cannot tell them apart) */
        memcpy(v, lo, sizeof v);
        switch (kind) {
        case 1: c = (lf_vcrit)CRIT(true, cpe, lo, true, hi, false); break;
        case 2: c = (lf_vcrit)CRIT(true, cpe, lo, true, hi, true); break;
        case 3: snprintf(cpe, 96, "cpe:2.3:a:acme:big:%s:*:*:*:*:*:*:*", v);
                c = (lf_vcrit)CRIT(true, cpe, NULL, false, NULL, false); break;
        case 4: c = (lf_vcrit)CRIT(true, cpe, NULL, false, hi, true); break;
        case 5: c = (lf_vcrit)CRIT(true, cpe, lo, false, hi, false); break;
        case 6: snprintf(cpe, 96, "cpe:2.3:a:acme:big:%s:beta%d:*:*:*:*:*:*", v, i % 4);
                c = (lf_vcrit)CRIT(true, cpe, NULL, false, NULL, false); break;
        case 7: c = (lf_vcrit){true, cpe, lo, true, hi, false, LF_VS_UNORDERED, NULL}; break;
        case 8: snprintf(cpe, 96, "cpe:2.3:a:acme:big:-:*:*:*:*:*:*:*");
                c = (lf_vcrit)CRIT(true, cpe, NULL, false, NULL, false); break;
        default: break;
        }
        g->crit[k][0] = c;
        if (and_node) {
            /* node AND: the product and a plugin */
            snprintf(g->cpe[k][1], 96, "cpe:2.3:a:acme:plugin:*:*:*:*:*:*:*:*");
            g->crit[k][1] = (lf_vcrit)CRIT(false, g->cpe[k][1], NULL, false, "3.0", false);
            g->node[k][0] = (lf_vnode){true, false, 2, g->crit[k]};
        } else {
            g->node[k][0] = (lf_vnode){false, false, 1, g->crit[k]};
        }
        if (platform) {
            snprintf(g->cpe[k][2], 96, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*");
            g->crit[k][2] = (lf_vcrit)CRIT(false, g->cpe[k][2], NULL, false, NULL, false);
            g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][2]};
        } else if (negated) {
            /* unless the hotfix is installed; every fifth one cannot be ordered */
            snprintf(g->cpe[k][2], 96, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*");
            g->crit[k][2] = (lf_vcrit){false, g->cpe[k][2], "1", true, NULL, false,
                                       i % 5 == 3 ? LF_VS_UNORDERED : LF_VS_GENERIC, NULL};
            g->node[k][1] = (lf_vnode){false, true, 1, &g->crit[k][2]};
        }
    }
    for (int i = 0; i < 130; i++) {
        /* applications that are vulnerable only on Windows */
        snprintf(id, sizeof id, "CVE-2021-%04d", i);
        gen_doc(g, id, LF_SRC_NVD, true, 2);
        size_t k = g->n - 1;
        snprintf(g->cpe[k][0], 96, "cpe:2.3:a:acme:app%d:*:*:*:*:*:*:*:*", i % 13);
        snprintf(g->ver[k][1], 16, "%d.%d", 1 + i % 6, i % 4);
        g->crit[k][0] = (lf_vcrit)CRIT(true, g->cpe[k][0], NULL, false, g->ver[k][1], false);
        snprintf(g->cpe[k][1], 96, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*");
        g->crit[k][1] = (lf_vcrit)CRIT(false, g->cpe[k][1], NULL, false, NULL, false);
        g->node[k][0] = (lf_vnode){false, false, 1, &g->crit[k][0]};
        g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][1]};
    }
    /* firmware on hardware; a platform with a version range */
    gen_doc(g, "CVE-2022-0001", LF_SRC_NVD, true, 2);
    size_t k = g->n - 1;
    g->crit[k][0] =
        (lf_vcrit)CRIT(true, "cpe:2.3:o:zyxel:fw:*:*:*:*:*:*:*:*", "4.50", true, "5.21\\(aazf.7\\)c0", true);
    g->crit[k][1] = (lf_vcrit)CRIT(false, "cpe:2.3:h:zyxel:box:-:*:*:*:*:*:*:*", NULL, false, NULL, false);
    g->node[k][0] = (lf_vnode){false, false, 1, &g->crit[k][0]};
    g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][1]};
    gen_doc(g, "CVE-2022-0002", LF_SRC_NVD, true, 2);
    k = g->n - 1;
    g->crit[k][0] = (lf_vcrit)CRIT(true, "cpe:2.3:a:acme:tri:*:*:*:*:*:*:*:*", NULL, false, "9.0", false);
    g->crit[k][1] = (lf_vcrit)CRIT(false, "cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*", "1.0", true, "5.0", false);
    g->node[k][0] = (lf_vnode){false, false, 1, &g->crit[k][0]};
    g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][1]};
    /* one vuln, three documents: trivial (NVD), on Windows (CVE 5), and no data yet */
    gen_doc(g, "CVE-2023-0001", LF_SRC_NVD, false, 1);
    k = g->n - 1;
    g->crit[k][0] = (lf_vcrit)CRIT(true, "cpe:2.3:a:acme:solo:*:*:*:*:*:*:*:*", NULL, false, "2.0", false);
    g->node[k][0] = (lf_vnode){false, false, 1, g->crit[k]};
    gen_doc(g, "CVE-2023-0001", LF_SRC_CVE5_CNA, true, 2);
    k = g->n - 1;
    g->crit[k][0] = (lf_vcrit)CRIT(true, "cpe:2.3:a:acme:solo:*:*:*:*:*:*:*:*", NULL, false, "4.0", false);
    g->crit[k][1] = (lf_vcrit)CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false);
    g->node[k][0] = (lf_vnode){false, false, 1, &g->crit[k][0]};
    g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][1]};
    lf_vdoc *h = gen_doc(g, "CVE-2023-0001", LF_SRC_OSV, false, 0);
    h->description = "Acme Duo before 4.0 and Acme Solo before 3.0 mishandle input.";
    h->status = "Awaiting Analysis";
    h = gen_doc(g, "CVE-2023-0002", LF_SRC_NVD, false, 0);
    h->description = "Acme Big through 5.5 allows a crash.";
    h->status = "Awaiting Analysis";
    /* the same vuln on Windows (AND) and as a hint: the hint collides with its hits */
    gen_doc(g, "CVE-2023-0003", LF_SRC_NVD, true, 2);
    k = g->n - 1;
    g->crit[k][0] = (lf_vcrit)CRIT(true, "cpe:2.3:a:acme:duo:*:*:*:*:*:*:*:*", NULL, false, "5.0", false);
    g->crit[k][1] = (lf_vcrit)CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false);
    g->node[k][0] = (lf_vnode){false, false, 1, &g->crit[k][0]};
    g->node[k][1] = (lf_vnode){false, false, 1, &g->crit[k][1]};
    h = gen_doc(g, "CVE-2023-0003", LF_SRC_CVE5_CNA, false, 0);
    h->description = "Acme Duo before 5.0 allows remote code execution.";
    fx_build(fx, g->docs, g->n);
}

/* The CPEs the generated hosts draw from: versions at, between and beyond the bounds,
 * missing, NA, unorderable, with update values, platforms of every kind. */
static size_t gen_cpes(char (*out)[96], size_t cap)
{
    size_t n = 0;
    static const char *const fixed[] = {
        "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*",
        "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*",
        "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*",
        "cpe:2.3:o:zyxel:fw:5.10:*:*:*:*:*:*:*",
        "cpe:2.3:h:zyxel:box:-:*:*:*:*:*:*:*",
        "cpe:2.3:o:acme:os:2.0:*:*:*:*:*:*:*",
        "cpe:2.3:o:acme:os:deadbeef1:*:*:*:*:*:*:*",
        "cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:plugin:1.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:hotfix:2:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:big:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:big:-:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:big:deadbeef1:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:big:3.0:beta1:*:*:*:*:*:*",
        "cpe:2.3:a:acme:big:3.0beta1:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:solo:1.5:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:solo:3.5:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:duo:4.5:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:duo:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:other:thing:1.0:*:*:*:*:*:*:*",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < cap; i++)
        snprintf(out[n++], 96, "%s", fixed[i]);
    for (int major = 0; major < 26 && n < cap; major++)
        for (int minor = 0; minor < 8 && n < cap; minor += 3)
            snprintf(out[n++], 96, "cpe:2.3:a:acme:big:%d.%d:*:*:*:*:*:*:*", major, minor);
    for (int a = 0; a < 13 && n < cap; a++)
        snprintf(out[n++], 96, "cpe:2.3:a:acme:app%d:%d.%d:*:*:*:*:*:*:*", a, a % 7, a % 3);
    return n;
}

static uint32_t gen_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Hosts drawn from the CPE list, matched by several matchers: all give the same list
 * as the one without cache. Returns the cache matcher's stats. */
static void run_hosts(fixture *fx, const size_t *cache_sizes, size_t nm, int nhosts, lf_matcher_stats *st)
{
    char cpes[160][96];
    size_t ncpe = gen_cpes(cpes, 160);
    lf_matcher *ms[4];
    assert_true(nm <= 4);
    for (size_t i = 0; i < nm; i++) {
        lf_matcher_opts o = {.cache_bytes = cache_sizes[i]};
        assert_int_equal(lf_matcher_new_opts(fx->db, &o, &ms[i], NULL), LF_OK);
    }
    uint32_t seed = 12345;
    lf_cpe items[16];
    for (int h = 0; h < nhosts; h++) {
        size_t n = 1 + gen_rand(&seed) % 14;
        for (size_t i = 0; i < n; i++) {
            const char *c = cpes[gen_rand(&seed) % ncpe];
            assert_int_equal(lf_cpe_parse(&items[i], c, strlen(c), NULL), LF_OK);
        }
        const lf_hit *ref;
        size_t nref;
        assert_int_equal(lf_matcher_run(fx->m, items, n, &ref, &nref, NULL), LF_OK);
        for (size_t i = 0; i < nm; i++) {
            const lf_hit *hh;
            size_t nh;
            assert_int_equal(lf_matcher_run(ms[i], items, n, &hh, &nh, NULL), LF_OK);
            /* fx->m's list is valid until its next run: compare now */
            assert_same_hits(ref, nref, hh, nh);
        }
    }
    lf_matcher_get_stats(ms[nm - 1], st);
    for (size_t i = 0; i < nm; i++)
        lf_matcher_free(ms[i]);
}

/* Random hosts over the generated index: cached, uncached and a matcher whose cache is
 * at its smallest give exactly the same hits, host by host. */
/* Platform sets: configurations whose platform nodes say the same thing share one
 * per-host value (match.c), so it must be decided per host, and a platform node that
 * differs in any bound must not be taken for another. */
static void test_match_shared_platform_sets(void **state)
{
    (void)state;
    lf_vcrit a1[] = {CRIT(true, "cpe:2.3:a:rarlab:winrar:*:*:*:*:*:*:*:*", NULL, false, "7.13", false)};
    lf_vcrit a2[] = {CRIT(true, "cpe:2.3:a:7-zip:7-zip:*:*:*:*:*:*:*:*", NULL, false, "24.00", false)};
    lf_vcrit a3[] = {CRIT(true, "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:*:*:*:*:*:*:*:*", NULL, false, "8.0", false)};
    lf_vcrit win[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vcrit win2[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    /* same product as the others' platform, but only builds before 10.0.19045 */
    lf_vcrit w10[] = {CRIT(false, "cpe:2.3:o:microsoft:windows_10:*:*:*:*:*:*:*:*", "10.0", true, "10.0.19045", false)};
    lf_vcrit a4[] = {CRIT(true, "cpe:2.3:a:videolan:vlc_media_player:*:*:*:*:*:*:*:*", NULL, false, "3.0.20", false)};
    lf_vcrit w10b[] = {CRIT(false, "cpe:2.3:o:microsoft:windows_10:*:*:*:*:*:*:*:*", "10.0", true, "10.0.22000", false)};
    lf_vnode n1[] = {{false, false, 1, a1}, {false, false, 1, win}};
    lf_vnode n2[] = {{false, false, 1, win2}, {false, false, 1, a2}};   /* platform node first */
    lf_vnode n3[] = {{false, false, 1, a3}, {false, false, 1, w10}};
    lf_vnode n4[] = {{false, false, 1, a4}, {false, false, 1, w10b}};
    lf_vconfig c1[] = {{true, 2, n1, false}}, c2[] = {{true, 2, n2, false}}, c3[] = {{true, 2, n3, false}},
               c4[] = {{true, 2, n4, false}};
    lf_vdoc docs[] = {doc1("CVE-2025-0001", c1, 1), doc1("CVE-2025-0002", c2, 1), doc1("CVE-2025-0003", c3, 1),
                      doc1("CVE-2025-0004", c4, 1)};
    fixture fx;
    fx_build(&fx, docs, 4);
    char buf[2048];
#define APPS "cpe:2.3:a:rarlab:winrar:6.20:*:*:*:*:*:*:*", "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*", \
             "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:7.9:*:*:*:*:*:*:*", \
             "cpe:2.3:a:videolan:vlc_media_player:3.0.18:*:*:*:*:*:*:*"
    const char *w19045 = "CVE-2025-0001:match@0,CVE-2025-0002:match@1,CVE-2025-0004:match@3";
    const char *w17763 = "CVE-2025-0001:match@0,CVE-2025-0002:match@1,CVE-2025-0003:match@2,CVE-2025-0004:match@3";
    for (int round = 0; round < 2; round++) {
        assert_string_equal(RUN(&fx, APPS, "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*"), w19045);
        assert_string_equal(RUN(&fx, APPS, "cpe:2.3:o:microsoft:windows_10:10.0.17763:*:*:*:*:*:*:*"), w17763);
        /* a host on Linux: no platform holds, and one that lists an OS is no review */
        assert_string_equal(RUN(&fx, APPS, "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"), "");
        /* no OS at all: every one is a review, each of its own item */
        assert_string_equal(RUN(&fx, APPS),
                            "CVE-2025-0001:review@0,CVE-2025-0002:review@1,CVE-2025-0003:review@2,"
                            "CVE-2025-0004:review@3");
    }
#undef APPS
    fx_free(&fx);
}

/* Reviews of one-node configurations are made when the item's record is built: one hit
 * per vuln and item, and a vuln that another configuration may match keeps its
 * evaluated hit, whatever order the criteria come in. */
static void test_match_trivial_reviews(void **state)
{
    (void)state;
    /* two ranges of one product in one node: an item without a version needs review once */
    lf_vcrit p1[] = {CRIT(true, "cpe:2.3:a:putty:putty:*:*:*:*:*:*:*:*", "0.68", true, "0.70", false),
                     CRIT(true, "cpe:2.3:a:putty:putty:*:*:*:*:*:*:*:*", "0.75", true, "0.81", false)};
    lf_vnode n1[] = {{false, false, 2, p1}};
    lf_vconfig c1[] = {{false, 1, n1, false}};
    /* a trivial configuration and an application-on-Windows one for the same vuln */
    lf_vcrit q1[] = {CRIT(true, "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "5.0", true, "5.9", false)};
    lf_vcrit q2[] = {CRIT(true, "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "6.0", true, "6.3", false)};
    lf_vcrit qw[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode m1[] = {{false, false, 1, q1}}, m2[] = {{false, false, 1, q2}, {false, false, 1, qw}};
    lf_vconfig c2[] = {{false, 1, m1, false}, {true, 2, m2, false}};
    lf_vdoc docs[] = {doc1("CVE-2025-1001", c1, 1), doc1("CVE-2025-1002", c2, 2)};
    fixture fx;
    fx_build(&fx, docs, 2);
    char buf[2048];
    assert_string_equal(RUN(&fx, "cpe:2.3:a:putty:putty:*:*:*:*:*:*:*:*"), "CVE-2025-1001:review@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:putty:putty:0.69:*:*:*:*:*:*:*"), "CVE-2025-1001:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:putty:putty:0.72:*:*:*:*:*:*:*"), "");
    /* winscp without a version, on Windows: the evaluated configuration holds in the
     * trial, one review */
    assert_string_equal(RUN(&fx, "cpe:2.3:o:microsoft:windows_11:23h2:*:*:*:*:*:*:*", "cpe:2.3:a:winscp:winscp:-:*:*:*:*:*:*:*"),
                        "CVE-2025-1002:review@1");
    assert_string_equal(RUN(&fx, "cpe:2.3:a:winscp:winscp:6.1:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows_11:23h2:*:*:*:*:*:*:*"),
                        "CVE-2025-1002:match@0");
    /* on Linux, only the trivial configuration can apply: still one review */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"),
                        "CVE-2025-1002:review@0");
    /* both items in one host: each item has its own hit */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:putty:putty:*:*:*:*:*:*:*:*", "cpe:2.3:a:putty:putty:0.76:*:*:*:*:*:*:*"),
                        "CVE-2025-1001:match@1,CVE-2025-1001:review@0");
    fx_free(&fx);
}

/* A configuration that holds unless an undecidable negated condition applies gives a
 * REVIEW; another configuration of the same vuln that holds for the same item for certain
 * wins (the REVIEW used to take the (vuln, item) first). An AND node over no criteria
 * holds (it used to drop the finding silently). Found by test_match_explain. */
static void test_match_negated_review_and_empty_node(void **state)
{
    (void)state;
    lf_vcrit fx[] = {CRIT(true, "cpe:2.3:a:acme:foo:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vcrit hx[] = {{false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", "1", true, NULL, false, LF_VS_UNORDERED, NULL}};
    lf_vnode nx[] = {{false, false, 1, fx}, {false, true, 1, hx}};
    lf_vcrit fy[] = {CRIT(true, "cpe:2.3:a:acme:foo:*:*:*:*:*:*:*:*", NULL, false, "3.0", false)};
    lf_vcrit wy[] = {CRIT(false, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode ny[] = {{false, false, 1, fy}, {false, false, 1, wy}};
    lf_vconfig cxy[] = {{true, 2, nx, false}, {true, 2, ny, false}};
    lf_vcrit fe[] = {CRIT(true, "cpe:2.3:a:acme:bar:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vnode ne[] = {{false, false, 1, fe}, {true, false, 0, NULL}};
    lf_vconfig ce[] = {{true, 2, ne, false}};
    lf_vdoc docs[] = {doc1("CVE-2026-2001", cxy, 2), doc1("CVE-2026-2002", ce, 1)};
    fixture fx_;
    fx_build(&fx_, docs, 2);
    char buf[2048];
    /* on Windows the second configuration holds for certain */
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*",
                            "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*"),
                        "CVE-2026-2001:match@0");
    /* on Linux only the first can: it holds unless the hotfix applies */
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*",
                            "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"),
                        "CVE-2026-2001:review@0");
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:bar:1.0:*:*:*:*:*:*:*"), "CVE-2026-2002:match@0");
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:bar:2.0:*:*:*:*:*:*:*"), "");
    fx_free(&fx_);
}

/* K1 of fuzz/match_explain_check.h: a negated node's undecided criterion that cannot
 * change the configuration leaves a certain MATCH (it was REVIEW "holds unless"). */
static void test_match_negated_undecided_cannot_change(void **state)
{
    (void)state;
    lf_vcrit fa[] = {CRIT(true, "cpe:2.3:a:acme:foo:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vcrit ha[] = {{false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", "1", true, NULL, false, LF_VS_UNORDERED, NULL},
                     CRIT(false, "cpe:2.3:a:acme:addon:*:*:*:*:*:*:*:*", NULL, false, NULL, false)};
    lf_vnode na[] = {{false, false, 1, fa}, {true, true, 2, ha}};   /* AND[foo; NOT AND[hotfix; addon]] */
    lf_vconfig ca[] = {{true, 2, na, false}};
    lf_vcrit fb[] = {CRIT(true, "cpe:2.3:a:acme:bar:*:*:*:*:*:*:*:*", NULL, false, "2.0", false)};
    lf_vcrit hb[] = {{false, "cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*", "1", true, NULL, false, LF_VS_UNORDERED, NULL}};
    lf_vnode nb[] = {{false, false, 1, fb}, {false, true, 1, hb}};   /* OR[bar; NOT OR[hotfix]] */
    lf_vconfig cb[] = {{false, 2, nb, false}};
    lf_vdoc docs[] = {doc1("CVE-2026-2101", ca, 1), doc1("CVE-2026-2102", cb, 1)};
    fixture fx_;
    fx_build(&fx_, docs, 2);
    char buf[2048];
    /* no addon: NOT AND[undecided, absent] holds whatever the hotfix is */
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*"),
                        "CVE-2026-2101:match@0");
    /* with the addon the hotfix decides: it holds unless the hotfix applies */
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:foo:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*",
                            "cpe:2.3:a:acme:addon:1:*:*:*:*:*:*:*"),
                        "CVE-2026-2101:review@0");
    /* an OR configuration whose vulnerable node holds needs nothing of the negated one */
    assert_string_equal(RUN(&fx_, "cpe:2.3:a:acme:bar:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:hotfix:zz:*:*:*:*:*:*:*"),
                        "CVE-2026-2102:match@0");
    fx_free(&fx_);
}

static void test_match_cache_same_hits(void **state)
{
    (void)state;
    static gen g;
    fixture fx;
    gen_build(&g, &fx);
    /* the fixture's own matcher is the reference: no cache */
    lf_matcher_free(fx.m);
    lf_matcher_opts off = {.cache_bytes = 0};
    assert_int_equal(lf_matcher_new_opts(fx.db, &off, &fx.m, NULL), LF_OK);
    static const size_t sizes[] = {LF_MATCHER_CACHE_DEFAULT, 1};
    lf_matcher_stats st;
    run_hosts(&fx, sizes, 2, 1500, &st);
    /* the small cache was used and kept records */
    assert_true(st.cache_hits > 0);
    assert_true(st.cache_entries > 0);
    assert_true(st.cache_bytes >= LF_MATCHER_CACHE_MIN && st.cache_bytes <= LF_MATCHER_CACHE_MIN + 4096);
    lf_matcher_stats st0;
    lf_matcher_get_stats(fx.m, &st0);
    assert_int_equal(st0.cache_hits + st0.cache_misses, 0);
    assert_int_equal(st0.cache_bytes, 0);
    fx_free(&fx);
}

/* Thousands of distinct CPEs through the smallest cache: records are evicted and come
 * back, and the hits stay those of the uncached matcher. */
static void test_match_cache_eviction_same_hits(void **state)
{
    (void)state;
    static gen g;
    fixture fx;
    gen_build(&g, &fx);
    lf_matcher_free(fx.m);
    lf_matcher_opts off = {.cache_bytes = 0};
    assert_int_equal(lf_matcher_new_opts(fx.db, &off, &fx.m, NULL), LF_OK);
    lf_matcher *small;
    lf_matcher_opts o = {.cache_bytes = LF_MATCHER_CACHE_MIN};
    assert_int_equal(lf_matcher_new_opts(fx.db, &o, &small, NULL), LF_OK);
    char cpe[96];
    lf_cpe items[8];
    uint32_t seed = 99;
    for (int h = 0; h < 4000; h++) {
        size_t n = 1 + gen_rand(&seed) % 8;
        for (size_t i = 0; i < n; i++) {
            /* a few popular versions and a long tail of one-off ones */
            uint32_t r = gen_rand(&seed);
            if (r % 4 == 0)
                snprintf(cpe, sizeof cpe, "cpe:2.3:a:acme:big:%u.%u:*:*:*:*:*:*:*", r % 3, 1u);
            else if (r % 4 == 1)
                snprintf(cpe, sizeof cpe, "cpe:2.3:o:microsoft:windows_10:10.0.%u:*:*:*:*:*:*:*", r % 5000);
            else
                snprintf(cpe, sizeof cpe, "cpe:2.3:a:acme:big:%u.%u.%u:*:*:*:*:*:*:*", r % 29, (r >> 8) % 9,
                         (r >> 16) % 50);
            assert_int_equal(lf_cpe_parse(&items[i], cpe, strlen(cpe), NULL), LF_OK);
        }
        const lf_hit *ref, *hh;
        size_t nref, nh;
        assert_int_equal(lf_matcher_run(fx.m, items, n, &ref, &nref, NULL), LF_OK);
        assert_int_equal(lf_matcher_run(small, items, n, &hh, &nh, NULL), LF_OK);
        assert_same_hits(ref, nref, hh, nh);
    }
    lf_matcher_stats st;
    lf_matcher_get_stats(small, &st);
    assert_true(st.cache_evicted > 0);
    assert_true(st.cache_hits > 1000);
    assert_true(st.cache_used <= st.cache_bytes);
    lf_matcher_free(small);
    fx_free(&fx);
}

/* A product's first scan reads the index as it is, later ones use its compiled copy
 * (it has more than 128 criteria): for every version form, a fresh matcher gives the
 * same hits on the first and on the second run of the same host. */
static void test_match_compiled_product_same_hits(void **state)
{
    (void)state;
    static gen g;
    fixture fx;
    gen_build(&g, &fx);
    char cpes[160][96];
    size_t ncpe = gen_cpes(cpes, 160);
    for (size_t i = 0; i < ncpe; i++) {
        lf_matcher *m;
        lf_matcher_opts off = {.cache_bytes = 0};
        assert_int_equal(lf_matcher_new_opts(fx.db, &off, &m, NULL), LF_OK);
        /* the item with a Windows OS (compiled family scan) and an application */
        const char *host[] = {cpes[i], "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*",
                              "cpe:2.3:a:acme:app5:1.0:*:*:*:*:*:*:*"};
        lf_cpe items[3];
        for (size_t k = 0; k < 3; k++)
            assert_int_equal(lf_cpe_parse(&items[k], host[k], strlen(host[k]), NULL), LF_OK);
        const lf_hit *h;
        size_t nh;
        assert_int_equal(lf_matcher_run(m, items, 3, &h, &nh, NULL), LF_OK);
        lf_hit first[512];
        assert_true(nh <= 512);
        memcpy(first, h, nh * sizeof *h);
        size_t nfirst = nh;
        assert_int_equal(lf_matcher_run(m, items, 3, &h, &nh, NULL), LF_OK);
        assert_same_hits(first, nfirst, h, nh);
        lf_matcher_free(m);
    }
    /* and a version inside many ranges has many hits (the test is not vacuous) */
    char buf[8192];
    const char *one[] = {"cpe:2.3:a:acme:big:10.3:*:*:*:*:*:*:*"};
    assert_true(strlen(run(&fx, one, 1, buf, sizeof buf)) > 200);
    fx_free(&fx);
}


/* One vuln with several documents, and hints that collide with other hits: the first
 * hit of a (vuln, item) wins whichever path makes it (trivial match, evaluated
 * configuration, review, hint), with and without the cache, on first and repeated runs. */
static void test_match_cache_collisions(void **state)
{
    (void)state;
    static gen g;
    fixture fx;
    gen_build(&g, &fx);
    static const struct {
        const char *cpe[2];
        const char *want;
    } rows[] = {
        /* duo on Windows: the configuration matches, the hint of the same vuln goes */
        {{"cpe:2.3:a:acme:duo:4.5:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*"},
         "CVE-2023-0003:match@0"},
        /* on Linux the configuration does not hold: the hint stays */
        {{"cpe:2.3:a:acme:duo:4.5:*:*:*:*:*:*:*", "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"},
         "CVE-2023-0003:unanalysed@0"},
        /* no OS listed: review (platform missing), the hint goes */
        {{"cpe:2.3:a:acme:duo:4.5:*:*:*:*:*:*:*", "cpe:2.3:a:other:thing:1.0:*:*:*:*:*:*:*"},
         "CVE-2023-0003:review@0"},
        /* solo 1.5: the trivial NVD document matches first; the CVE 5 AND and the OSV
         * hint of the same vuln add nothing */
        {{"cpe:2.3:a:acme:solo:1.5:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*"},
         "CVE-2023-0001:match@0"},
        /* solo 3.5 on Windows: only the CVE 5 configuration holds; the hint (before 3.0)
         * does not include 3.5 */
        {{"cpe:2.3:a:acme:solo:3.5:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*"},
         "CVE-2023-0001:match@0"},
        /* solo 2.5 without OS: review of the CVE 5 configuration, the hint goes */
        {{"cpe:2.3:a:acme:solo:2.5:*:*:*:*:*:*:*", "cpe:2.3:a:other:thing:1.0:*:*:*:*:*:*:*"},
         "CVE-2023-0001:review@0"},
        /* solo 2.5 on Linux: nothing holds, the hint (before 3.0) is what remains */
        {{"cpe:2.3:a:acme:solo:2.5:*:*:*:*:*:*:*", "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"},
         "CVE-2023-0001:unanalysed@0"},
        /* a platform with a version range: inside, outside, unorderable */
        {{"cpe:2.3:a:acme:tri:2.0:*:*:*:*:*:*:*", "cpe:2.3:o:acme:os:2.0:*:*:*:*:*:*:*"},
         "CVE-2022-0002:match@0"},
        {{"cpe:2.3:a:acme:tri:2.0:*:*:*:*:*:*:*", "cpe:2.3:o:acme:os:6.0:*:*:*:*:*:*:*"}, ""},
        {{"cpe:2.3:a:acme:tri:2.0:*:*:*:*:*:*:*", "cpe:2.3:o:acme:os:deadbeef1:*:*:*:*:*:*:*"},
         "CVE-2022-0002:review@0"},
    };
    lf_matcher *cached;
    assert_int_equal(lf_matcher_new(fx.db, &cached, NULL), LF_OK);
    lf_matcher *plain = fx.m;
    char buf[4096];
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            fx.m = pass == 1 ? cached : plain;
            assert_string_equal(run(&fx, rows[i].cpe, 2, buf, sizeof buf), rows[i].want);
            fx.m = cached;
            assert_string_equal(run(&fx, rows[i].cpe, 2, buf, sizeof buf), rows[i].want);
        }
    fx.m = plain;
    lf_matcher_free(cached);
    fx_free(&fx);
}

/* Package criteria (part p) in an ecosystem's order: Debian's backported fix
 * 1.1.1n-0+deb11u5 is after the vulnerable 1.1.1n-0+deb11u4, though the generic order of
 * NVD ranges would put both below upstream 1.1.1t; a version dpkg cannot read is review. */
static void test_match_scheme_dpkg(void **state)
{
    (void)state;
    char buf[512];
    lf_vcrit c1[] = {{true, "cpe:2.3:p:debian:openssl:*:*:*:*:*:11:*:*", NULL, false, "1.1.1n-0+deb11u5", false,
                      LF_VS_DPKG, NULL}};
    lf_vnode n1[] = {{false, false, 1, c1}};
    lf_vconfig cf1[] = {{false, 1, n1, false}};
    lf_vdoc docs[] = {doc1("DSA-1-1", cf1, 1)};
    docs[0].source = LF_SRC_OSV;
    docs[0].vuln_id = "CVE-2023-0286";
    fixture fx;
    fx_build(&fx, docs, 1);
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1.1.1n-0\\+deb11u4:*:*:*:*:11:*:*"),
                        "CVE-2023-0286:match@0");
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1.1.1n-0\\+deb11u5:*:*:*:*:11:*:*"), "");
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1.1.1n-0\\+deb11u5\\~1:*:*:*:*:11:*:*"),
                        "CVE-2023-0286:match@0");   /* '~' sorts before the end */
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1\\:1.1.1w-0:*:*:*:*:11:*:*"), "");   /* epoch 1 */
    /* another release is another distribution's package */
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1.1.1n-0\\+deb11u4:*:*:*:*:12:*:*"), "");
    /* not a dpkg version: review, never a guess */
    assert_string_equal(RUN(&fx, "cpe:2.3:p:debian:openssl:1.0\\:2:*:*:*:*:11:*:*"), "CVE-2023-0286:review@0");
    fx_free(&fx);
}

/* A not-affected statement (CSAF fixed / known_not_affected) never makes a hit, and the
 * explanation reports every document's verdict: NVD affected, the vendor not affected. */
static void test_match_not_affected_explained(void **state)
{
    (void)state;
    char buf[512];
    lf_vcrit nv[] = {CRIT(true, "cpe:2.3:a:acme:gw:*:*:*:*:*:*:*:*", NULL, false, "7.2", false)};
    lf_vcrit cs_aff[] = {CRIT(true, "cpe:2.3:a:acme:gw:*:*:*:*:*:*:*:*", NULL, false, "7.0", false)};
    lf_vcrit cs_na[] = {CRIT(true, "cpe:2.3:a:acme:gw:*:*:*:*:*:*:*:*", "7.0", true, NULL, false)};
    lf_vnode n_nv[] = {{false, false, 1, nv}}, n_aff[] = {{false, false, 1, cs_aff}}, n_na[] = {{false, false, 1, cs_na}};
    lf_vconfig cf_nv[] = {{false, 1, n_nv, false}};
    lf_vconfig cf_cs[] = {{false, 1, n_aff, false}, {false, 1, n_na, true}};
    lf_vdoc docs[] = {doc1("CVE-2024-1000", cf_nv, 1), doc1("ACME-SA-1/CVE-2024-1000", cf_cs, 2)};
    docs[1].source = LF_SRC_CSAF;
    docs[1].vuln_id = "CVE-2024-1000";
    fixture fx;
    fx_build(&fx, docs, 2);
    /* 6.5: both say affected (the matcher keeps one hit per vuln and item) */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:gw:6.5:*:*:*:*:*:*:*"), "CVE-2024-1000:match@0");
    /* 7.1: NVD's range says affected; the vendor says 7.0 and later are fixed */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:gw:7.1:*:*:*:*:*:*:*"), "CVE-2024-1000:match@0");
    lf_cpe item;
    const char *ic = "cpe:2.3:a:acme:gw:7.1:*:*:*:*:*:*:*";
    assert_int_equal(lf_cpe_parse(&item, ic, strlen(ic), NULL), LF_OK);
    lf_explain *x;
    assert_int_equal(lf_explain_new(fx.db, &item, 1, &x, NULL), LF_OK);
    uint32_t idx[4];
    assert_int_equal(lf_vdb_find_vuln(fx.db, "CVE-2024-1000", idx, 4), 2);
    int seen = 0;
    for (int i = 0; i < 2; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_vdoc d;
        assert_int_equal(lf_vdb_doc(fx.db, idx[i], &a, &d), LF_OK);
        lf_doc_verdict v;
        lf_explain_doc(x, idx[i], &v);
        if (d.source == LF_SRC_NVD) {
            assert_int_equal(v.verdict, LF_VERDICT_AFFECTED);
            seen |= 1;
        } else {
            assert_int_equal(v.verdict, LF_VERDICT_NOT_AFFECTED);
            assert_int_equal(v.config, 1);
            seen |= 2;
        }
        lf_arena_clear(&a);
    }
    assert_int_equal(seen, 3);
    lf_explain_free(x);
    /* 7.3: outside both affected ranges; the vendor's not-affected holds */
    assert_string_equal(RUN(&fx, "cpe:2.3:a:acme:gw:7.3:*:*:*:*:*:*:*"), "");
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
        cmocka_unit_test(test_match_hit_fields),
        cmocka_unit_test(test_match_description_ranges),
        cmocka_unit_test(test_match_undecided_never_silent),
        cmocka_unit_test(test_match_prose_more_and_negated_review),
        cmocka_unit_test(test_match_shared_platform_sets),
        cmocka_unit_test(test_match_trivial_reviews),
        cmocka_unit_test(test_match_negated_review_and_empty_node),
        cmocka_unit_test(test_match_negated_undecided_cannot_change),
        cmocka_unit_test(test_match_cache_same_hits),
        cmocka_unit_test(test_match_cache_eviction_same_hits),
        cmocka_unit_test(test_match_compiled_product_same_hits),
        cmocka_unit_test(test_match_cache_collisions),
        cmocka_unit_test(test_match_scheme_dpkg),
        cmocka_unit_test(test_match_not_affected_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
