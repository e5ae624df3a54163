/*
 * Tests for src/intake/resolve.c, namedb.c and policy.c with the small test dictionary in
 * tests/fixtures/intake/dict (so the rules are tested, not the shipped data): every
 * evidence kind of resolve.h, its confidence, versions (from the column, the name, the
 * year, Java's update form, distribution packages), candidates below the threshold,
 * known-without-CPE entries, malformed dictionary lines reported, and policy flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"
#include "intake/namedb.h"
#include "intake/policy.h"
#include "intake/resolve.h"
#include "unit/intake/resolve_assert.h"

typedef struct fx {
    lf_namedb *db;
    lf_norm *norm;
    lf_resolver *r;
    lf_policy *pol;
    int warnings;
    long warn_lines[8];
} fx;

static void on_warn(void *ud, const lf_err *e)
{
    fx *f = ud;
    if (f->warnings < 8)
        f->warn_lines[f->warnings] = e->line;
    f->warnings++;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    lf_err err;
    char dir[4096];
    const char *fxd = getenv("LF_FIXTURES");
    snprintf(dir, sizeof dir, "%s/intake/dict", fxd ? fxd : "tests/fixtures");
    assert_int_equal(lf_namedb_new(&f->db, &err), LF_OK);
    assert_int_equal(lf_norm_new(&f->norm, &err), LF_OK);
    assert_int_equal(lf_namedb_load_dir(f->db, f->norm, dir, on_warn, f, &err), LF_OK);
    /* the CPE dictionary and CVE vocabulary, as lf_namedb_add_title gives them */
    lf_product p1 = {'a', "notepad-plus-plus", "notepad++"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p1, "Notepad++ 8.6.2", &err), LF_OK);
    lf_product p2 = {'a', "videolan", "vlc_media_player"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p2, NULL, &err), LF_OK);
    lf_product p3 = {'a', "acme", "widget"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p3, NULL, &err), LF_OK);
    assert_int_equal(lf_resolver_new(f->db, &f->r, &err), LF_OK);
    assert_int_equal(lf_policy_new(&f->pol, &err), LF_OK);
    char pdir[4200];
    snprintf(pdir, sizeof pdir, "%s/policy", dir);
    assert_int_equal(lf_policy_load_dir(f->pol, f->norm, pdir, on_warn, f, &err), LF_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lf_resolver_free(f->r);
    lf_policy_free(f->pol);
    lf_norm_free(f->norm);
    lf_namedb_free(f->db);
    free(f);
    return 0;
}

static lf_resolution res(fx *f, const char *name, const char *version, const char *vendor)
{
    lf_inv_rec rec = {0};
    rec.name = name;
    rec.version = version;
    rec.vendor = vendor;
    lf_resolution o;
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    return o;
}

/* A package row (ecosystem, name, version). */
static lf_resolution res_pkg(fx *f, const char *eco, const char *name, const char *version)
{
    lf_inv_rec rec = {0};
    rec.ecosystem = eco;
    rec.name = name;
    rec.version = version;
    lf_resolution o;
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    return o;
}

static void test_dictionary_warnings(void **state)
{
    fx *f = *state;
    /* aliases.tsv lines 12 (no tabs) and 13 (not a CPE) are reported and skipped, then
     * packages.tsv line 9 (an unknown option), and equivalents.tsv line 3 (not a CPE,
     * then a group of one) */
    assert_int_equal(f->warnings, 5);
    assert_int_equal(f->warn_lines[0], 12);
    assert_int_equal(f->warn_lines[1], 13);
    assert_int_equal(f->warn_lines[2], 9);
    assert_int_equal(f->warn_lines[3], 3);
    assert_null(lf_namedb_package(f->db, "deb", "badopt-pkg", 10, NULL));
    lf_namedb_counts c;
    lf_namedb_get_counts(f->db, &c);
    assert_int_equal(c.aliases, 14);
    assert_int_equal(c.publishers, 5);   /* "Google LLC" and "Google Inc." are one key: legal forms dropped */
}

static void test_alias(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Google Chrome", "120.0.6099.109", "Google LLC");
    RESOLVED(o, "cpe:2.3:a:google:chrome:120.0.6099.109:*:*:*:*:*:*:*", "alias", 0.98);
    assert_string_equal(o.category, "browser");
    /* the product's other NVD name, same version (equivalents.tsv) */
    assert_int_equal(o.nalso, 1);
    assert_string_equal(o.also[0], "cpe:2.3:a:google:chrome_legacy_name:120.0.6099.109:*:*:*:*:*:*:*");
    /* full-width, Simplified (the alias is written in Simplified, input in Traditional) */
    o = res(f, "Ｇｏｏｇｌｅ　Ｃｈｒｏｍｅ", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:google:chrome:121.0:*:*:*:*:*:*:*", "alias", 0.98);
    o = res(f, "谷歌瀏覽器", "122.0", NULL);
    RESOLVED(o, "cpe:2.3:a:google:chrome:122.0:*:*:*:*:*:*:*", "alias", 0.98);
    /* the version from the name when the column is empty; noise removed */
    o = res(f, "7-Zip 23.01 (x64)", "", NULL);
    RESOLVED(o, "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*", "alias", 0.98);
    assert_int_equal(o.nalso, 0);
    /* version=name: Office's CPE version is its year; edition words dropped */
    o = res(f, "Microsoft Office 專業增強版 2016", "16.0.4266.1001", "Microsoft Corporation");
    RESOLVED(o, "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*", "alias", 0.98);
    o = res(f, "Microsoft Office Professional Plus 2016", "16.0.4266.1001", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*", "alias", 0.98);
    /* a trailing number is the version when the name without it is the alias */
    o = res(f, "PostgreSQL 14", "", NULL);
    RESOLVED(o, "cpe:2.3:a:postgresql:postgresql:14:*:*:*:*:*:*:*", "alias", 0.98);
}

static void test_alias_prefix_longest_first(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Wireshark 4.2.2 64-bit", "4.2.2", NULL);
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark:4.2.2:*:*:*:*:*:*:*", "alias", 0.98);
    o = res(f, "Wireshark Portable Edition Extra", "4.0", NULL);
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark:4.0:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = res(f, "Wireshark Legacy Edition Extra", "1.0", NULL);
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark_legacy:1.0:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    /* Google Chrome is not a prefix alias: more words are not Chrome */
    o = res(f, "Google Chrome Remote Desktop Host", "1.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
}

static void test_java_update(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Java 8 Update 401 (64-bit)", "8.0.4010.7", "Oracle Corporation");
    RESOLVED(o, "cpe:2.3:a:oracle:jre:1.8.0:update401:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = res(f, "Java 8u202", "", NULL);
    RESOLVED(o, "cpe:2.3:a:oracle:jre:1.8.0:update202:*:*:*:*:*:*", "alias", 0.98);
    o = res(f, "java1.8.0_401", "", NULL);
    RESOLVED(o, "cpe:2.3:a:oracle:jre:1.8.0:update401:*:*:*:*:*:*", "alias", 0.98);
    /* zh-TW Windows: 第 N 版更新 = Update N, with or without spaces, the bitness in Chinese */
    o = res(f, "Java 8 第 431 版更新 (64 位元)", "8.0.4310.10", "Oracle Corporation");
    assert_int_equal(o.bucket, LF_BUCKET_RESOLVED);
    assert_string_equal(o.cpe, "cpe:2.3:a:oracle:jre:1.8.0:update431:*:*:*:*:*:*");
    o = res(f, "Java 8 第431版更新", "", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_RESOLVED);
    assert_string_equal(o.cpe, "cpe:2.3:a:oracle:jre:1.8.0:update431:*:*:*:*:*:*");
}

static void test_squashed_and_updates(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Fire Fox", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-squashed", 0.94);
    o = res(f, "MozillaFirefox", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-squashed", 0.94);
    o = res(f, "Microsoft Exchange Server 2019 Cumulative Update 13", "15.2.1258.12", "Microsoft Corporation");
    RESOLVED(o, "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*", "alias-prefix", 0.92);
    /* the same in Chinese (zh-TW Windows): 累積更新 = cumulative update */
    o = res(f, "微軟 Exchange Server 2019 累積更新 13", "15.2.1258.12", "微軟");
    assert_int_equal(o.bucket, LF_BUCKET_RESOLVED);
    assert_string_equal(o.cpe, "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*");
    /* an updater is not the product */
    o = res(f, "Microsoft Exchange Server 2019 Update Service", "1.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* "7.6p1" is NVD's version 7.6 update p1 */
    lf_inv_rec rec = {0};
    rec.name = "openssl";
    rec.ecosystem = "deb";
    rec.version = "1:7.6p1-4ubuntu0.6";
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    assert_string_equal(o.version, "7.6");
    assert_string_equal(o.update, "p1");
    /* python3-X is PyPI's X */
    rec.name = "python3-requests";
    rec.version = "2.25.1+dfsg-2";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:python:requests:2.25.1:*:*:*:*:*:*:*", "package", 0.92);
    /* PyPI names compare as PEP 503 says */
    memset(&rec, 0, sizeof rec);
    rec.purl = "pkg:pypi/Requests@2.31.0";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*", "purl", 0.97);
}

static void test_known_without_cpe(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Google Update Helper", "1.3.36.152", "Google LLC");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "known software without a CPE of its own");
}

static void test_title_and_vocabulary(void **state)
{
    fx *f = *state;
    /* a CPE-dictionary title */
    lf_resolution o = res(f, "Notepad++ (64-bit x64)", "8.6.2", "Notepad++ Team");
    RESOLVED(o, "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:8.6.2:*:*:*:*:*:*:*", "title", 0.95);
    o = res(f, "Notepad++", "8.6.2", NULL);
    RESOLVED(o, "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:8.6.2:*:*:*:*:*:*:*", "title", 0.90);
    /* vendor from the name's first word and product words */
    o = res(f, "VideoLAN VLC Media Player", "3.0.20", NULL);
    RESOLVED(o, "cpe:2.3:a:videolan:vlc_media_player:3.0.20:*:*:*:*:*:*:*", "vocabulary", 0.82);
    /* a product name known under one vendor, no publisher: a candidate, not a resolution */
    o = res(f, "Widget", "1.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_int_equal(o.ncand, 1);
    assert_string_equal(o.cand[0].cpe, "a:acme:widget");
    assert_true(o.cand[0].score < LF_RESOLVE_THRESHOLD);
    /* a Publisher that publishers.tsv does not list but that spells the vocabulary's vendor
     * (its legal form dropped) names the vendor, and the name its product exactly */
    o = res(f, "Widget", "1.0", "ACME Inc.");
    RESOLVED(o, "cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*", "vocabulary", 0.88);
    o = res(f, "VLC Media Player", "3.0.20", "VideoLAN Team");   /* its first word */
    RESOLVED(o, "cpe:2.3:a:videolan:vlc_media_player:3.0.20:*:*:*:*:*:*:*", "vocabulary", 0.88);
    /* ... but not a product the vendor does not have */
    o = res(f, "Widget Theme Pack", "1.0", "ACME Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* a release-track word NVD leaves out follows the product; another word does not */
    o = res(f, "Widget Server LTS", "2.1", "ACME Inc.");
    RESOLVED(o, "cpe:2.3:a:acme:widget:2.1:*:*:*:*:*:*:*", "vocabulary-prefix", 0.84);
    o = res(f, "Widget Designer", "2.1", "ACME Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* a Chinese publisher no list knows, its own brand before the Latin words: a local
     * product using an international one's word (永中Office is Yozo's), a candidate only;
     * with a publisher the lists know, or none, the Latin words answer */
    o = res(f, "永中 Office 2016 个人版", "9.0", "永中软件股份有限公司");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_true(o.ncand >= 1);
    assert_string_equal(o.cand[0].cpe, "a:microsoft:office");
    o = res(f, "微軟 Office 2016 專業版", "16.0", "微軟");
    assert_int_equal(o.bucket, LF_BUCKET_RESOLVED);
    o = res(f, "公文製作系統", "3.2", "本機關資訊室");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "no dictionary names this software");
}

static void test_packages_and_purls(void **state)
{
    fx *f = *state;
    lf_inv_rec rec = {0};
    lf_resolution o;
    lf_err err;
    o = res_pkg(f, "deb", "libssl3", "3.0.2-0ubuntu1.12");
    RESOLVED(o, "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*", "package", 0.95);
    o = res_pkg(f, "deb", "linux-image-5.15.0-91-generic", "5.15.0-91.101");
    RESOLVED(o, "cpe:2.3:a:linux:linux_kernel:5.15.0:*:*:*:*:*:*:*", "package", 0.95);
    /* OpenJDK 9+'s build is not part of NVD's version: RHEL 17.0.9.0.9, Debian 17.0.9+9 */
    o = res_pkg(f, "deb", "openjdk-17-jre-headless", "17.0.9+9-1~deb12u1");
    RESOLVED(o, "cpe:2.3:a:oracle:openjdk:17.0.9:*:*:*:*:*:*:*", "package", 0.95);
    o = res_pkg(f, "rpm", "java-17-openjdk-headless", "17.0.9.0.9-2.el9");
    RESOLVED(o, "cpe:2.3:a:oracle:openjdk:17.0.9:*:*:*:*:*:*:*", "package", 0.95);
    /* ... an option of those lines (segments=3); OpenJDK 8's line has none */
    unsigned seg = 99;
    assert_non_null(lf_namedb_package(f->db, "deb", "openjdk-17-jre-headless", 23, &seg));
    assert_int_equal(seg, 3);
    assert_non_null(lf_namedb_package(f->db, "deb", "openjdk-8-jre-headless", 22, &seg));
    assert_int_equal(seg, 0);
    o = res_pkg(f, "deb", "libssl1.1:amd64", "1.1.1n-0+deb11u5");
    RESOLVED(o, "cpe:2.3:a:openssl:openssl:1.1.1n:*:*:*:*:*:*:*", "package", 0.95);
    o = res_pkg(f, "deb", "fonts-dejavu-core", "1.1.1n-0+deb11u5");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "known package without a CPE of its own");
    o = res_pkg(f, "deb", "mawk", "1.1.1n-0+deb11u5");
    assert_string_equal(o.reason, "package not in the package map");
    memset(&rec, 0, sizeof rec);
    rec.name = "log4j-core";
    rec.purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", "purl", 0.97);
    rec.purl = "pkg:deb/debian/openssl@1:1.1.1n-0%2Bdeb11u5?arch=amd64";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:openssl:openssl:1.1.1n:*:*:*:*:*:*:*", "purl", 0.97);
}

static void test_cpe_given(void **state)
{
    fx *f = *state;
    lf_inv_rec rec = {0};
    lf_resolution o;
    lf_err err;
    rec.name = "whatever";
    rec.cpe = "cpe:2.3:a:terri_oda:cve-bin-tool:3.4:*:*:*:*:*:*:*";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:terri_oda:cve-bin-tool:3.4:*:*:*:*:*:*:*", "cpe", 1.0);
    /* a broken CPE falls back on the name, and says so if that fails too */
    rec.cpe = "cpe:2.3:a:bad";
    rec.name = "Google Chrome";
    rec.version = "1.0";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    RESOLVED(o, "cpe:2.3:a:google:chrome:1.0:*:*:*:*:*:*:*", "alias", 0.98);
    rec.name = "Unknown Thing";
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "the CPE the file gives is malformed or names no product");
}

static void test_version_cleanup(void **state)
{
    fx *f = *state;
    static const char *const c[][2] = {
        {"11.0.28+6", "11.0.28"}, {"7.5.3.0-x64", "7.5.3.0"}, {"18.1-1", "18.1"},
        {"9.7.20.29269", "9.7.20.29269"}, {"1.86.0-insider", "1.86.0"}, {"120.0.6099.109", "120.0.6099.109"},
        {"10.0.19045.3803", "10.0.19045.3803"}, {"7.2.1-69057", "7.2.1-69057"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        lf_resolution o = res(f, "7-Zip", c[i][0], NULL);
        if (strcmp(o.version, c[i][1]) != 0)
            fail_msg("%s -> %s, want %s", c[i][0], o.version, c[i][1]);
    }
}

static void test_pkg_version(void **state)
{
    (void)state;
    static const char *const c[][2] = {
        {"1:2.37.2-4ubuntu3", "2.37.2"}, {"3.0.2-0ubuntu1.12", "3.0.2"}, {"1.2.11.dfsg-2ubuntu9", "1.2.11"},
        {"1.34+dfsg-1build3", "1.34"},   {"2.0+really1.9-1", "1.9"},     {"1.1.1k-7.el8_6", "1.1.1k"},
        {"5.15.0", "5.15.0"},            {"", ""},                       {"2:3.3.17-6ubuntu2", "3.3.17"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        lf_resolve_pkg_version(c[i][0], out, sizeof out);
        if (strcmp(out, c[i][1]) != 0)
            fail_msg("%s -> %s, want %s", c[i][0], out, c[i][1]);
    }
}

static void test_cache_same_answer(void **state)
{
    fx *f = *state;
    lf_resolution a = res(f, "7-Zip 19.00", "", NULL);
    lf_resolver_stats s0, s1;
    lf_resolver_get_stats(f->r, &s0);
    lf_resolution b = res(f, "7-Zip 19.00", "", NULL);
    lf_resolver_get_stats(f->r, &s1);
    assert_int_equal(s1.cache_hits, s0.cache_hits + 1);
    assert_string_equal(a.cpe, b.cpe);
    lf_resolver_set_cache(f->r, false);
    lf_resolution c = res(f, "7-Zip 19.00", "", NULL);
    lf_resolver_set_cache(f->r, true);
    assert_string_equal(a.cpe, c.cpe);
}

/* "Google Chrome" at version ver resolves to Chrome at that version */
static void chrome_at(fx *f, const char *ver)
{
    lf_resolution o = res(f, "Google Chrome", ver, NULL);
    char want[128];
    snprintf(want, sizeof want, "cpe:2.3:a:google:chrome:%s:*:*:*:*:*:*:*", ver);
    assert_string_equal(o.cpe, want);
}

/* Thousands of distinct rows repeated (a file's rows over its hosts) are all answered
 * from the cache the second time (a direct-mapped table misses the colliding ones), and
 * past the cache's capacity the answers stay right. */
static void test_cache_many_rows(void **state)
{
    fx *f = *state;
    char ver[32];
    for (int pass = 0; pass < 2; pass++) {
        lf_resolver_stats s0, s1;
        lf_resolver_get_stats(f->r, &s0);
        for (int i = 0; i < 3000; i++) {
            snprintf(ver, sizeof ver, "120.0.%d.1", i);
            chrome_at(f, ver);
        }
        lf_resolver_get_stats(f->r, &s1);
        if (pass == 1)
            assert_int_equal(s1.cache_hits - s0.cache_hits, 3000);
    }
    for (int i = 0; i < 40000; i++) {   /* more distinct rows than the cache holds */
        snprintf(ver, sizeof ver, "121.0.%d.7", i);
        chrome_at(f, ver);
    }
    for (int i = 0; i < 3000; i += 97) {
        snprintf(ver, sizeof ver, "120.0.%d.1", i);
        chrome_at(f, ver);
    }
}

/* A Chinese name that makes a brand's name a helper of it is not the brand: "Chrome
 * 書籤匯出小幫手" is a bookmark-export helper, not Chrome (a false notice otherwise). A
 * plain descriptor ("瀏覽器", browser) still leaves the product. */
static void test_cjk_helper_words(void **state)
{
    fx *f = *state;
    lf_resolution o = res(f, "Google Chrome 書籤匯出小幫手", "1.0.2", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = res(f, "Google Chrome 擴充套件", "1.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = res(f, "Google Chrome 瀏覽器", "120.0.6099.109", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_RESOLVED);
    assert_string_equal(o.cpe, "cpe:2.3:a:google:chrome:120.0.6099.109:*:*:*:*:*:*:*");
}

static void test_policy(void **state)
{
    fx *f = *state;
    lf_policy_hit h[4];
    assert_int_equal(lf_policy_count(f->pol), 4);
    assert_int_equal(lf_policy_check(f->pol, "huawei", "hisuite", "huawei hisuite", h, 4), 1);
    assert_int_equal(h[0].kind, LF_POLICY_BANNED);
    /* by name: the whole key or its first words; Simplified input folds too */
    lf_resolution o = res(f, "抖音 PC版", "", NULL);
    assert_int_equal(lf_policy_check(f->pol, NULL, NULL, o.name_key, h, 4), 1);
    o = res(f, "BitTorrent", "7.11", NULL);
    assert_int_equal(lf_policy_check(f->pol, NULL, NULL, o.name_key, h, 4), 1);
    assert_string_equal(h[0].category, "p2p");
    assert_int_equal(lf_policy_check(f->pol, NULL, NULL, "bittorrentx", h, 4), 0);
    assert_int_equal(lf_policy_check(f->pol, "teamviewer", "teamviewer", "teamviewer", h, 4), 1);
    assert_int_equal(h[0].kind, LF_POLICY_UNOFFICIAL);
    assert_int_equal(lf_policy_check(f->pol, "google", "chrome", "google chrome", h, 4), 0);
}

/* ---- rules of the second round (brief h14), on a dictionary the tests write ---- */

/* A small dictionary written to a temporary directory, so each rule is tested on entries
 * the test states (the shipped data changes). */
static const char rules_aliases[] =
    "other\ta:cygwin:cygwin\tCygwin\n"
    "browser\ta:mozilla:firefox\tMozilla Firefox|Firefox\n"
    "devtool\ta:wireshark:wireshark\tWireshark\tprefix\n"
    "archiver\ta:7-zip:7-zip\t7-Zip\n"
    "pdf\ta:adobe:acrobat_reader\tAdobe Reader\n"
    "pdf\ta:adobe:acrobat_dc\tAdobe Acrobat\n"
    "os\to:canonical:ubuntu_linux\tUbuntu|Ubuntu LTS\tsegments=2\n"
    "av\ta:trendmicro:officescan\tTrend Micro OfficeScan Client\tsegments=2 vmap=12.0>xg\n"
    "runtime\ta:microsoft:.net_framework\tMicrosoft .NET Framework\tnamever\n"
    "devtool\ta:microsoft:powershell\tPowerShell\n"
    "media\ta:corel:coreldraw\tCorelDRAW Graphics Suite\n"
    "database\ta:microsoft:sql_server\tMicrosoft SQL Server\n"
    "database\ta:microsoft:sql_server_2019\tMicrosoft SQL Server 2019\n"
    "office\ta:microsoft:visio\tMicrosoft Visio\tversion=-\n"
    "media\ta:adobe:flash_player\tAdobe Flash Player\tprefix\n"
    "remote\ta:teamviewer:teamviewer\tTeamViewer\n"
    "system\ta:openssl:openssl\tOpenSSL\n"
    "devtool\ta:gtk:gtk_plus_gpu_tweak\tGPU Tweak II\n"
    "java\ta:oracle:openjdk\tAmazon Corretto\tsegments=3\n"
    "av\ta:symantec:endpoint_protection\tSymantec Endpoint Protection\n";
static const char rules_publishers[] =
    "symantec\tSymantec Corporation|賽門鐵克\n"
    "broadcom\tBroadcom Inc.\n"
    "ulead\tUlead Systems, Inc.\n"
    "acme\tAcme Inc.\n";
static const char rules_packages[] =
    "rpm\trunc\ta:linuxfoundation:runc\n"
    "deb\trunc\ta:linuxfoundation:runc\n"
    "deb\topenssh-client\ta:openbsd:openssh\n";

typedef struct rfx {
    char dir[64];
    lf_namedb *db;
    lf_norm *norm;
    lf_resolver *r;
} rfx;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

static int rules_setup(void **state)
{
    rfx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-test-resolve-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    write_file(f->dir, "aliases.tsv", rules_aliases);
    write_file(f->dir, "packages.tsv", rules_packages);
    write_file(f->dir, "publishers.tsv", rules_publishers);
    lf_err err;
    if (lf_namedb_new(&f->db, &err) || lf_norm_new(&f->norm, &err) ||
        lf_namedb_load_dir(f->db, f->norm, f->dir, NULL, NULL, &err) || lf_resolver_new(f->db, &f->r, &err))
        return -1;
    *state = f;
    return 0;
}

static int rules_teardown(void **state)
{
    rfx *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/aliases.tsv", f->dir);
    remove(path);
    snprintf(path, sizeof path, "%s/packages.tsv", f->dir);
    remove(path);
    snprintf(path, sizeof path, "%s/publishers.tsv", f->dir);
    remove(path);
    remove(f->dir);
    lf_resolver_free(f->r);
    lf_norm_free(f->norm);
    lf_namedb_free(f->db);
    free(f);
    return 0;
}

static lf_resolution rres_pub(rfx *f, const char *name, const char *version, const char *eco, const char *pub)
{
    lf_inv_rec rec = {0};
    rec.name = name;
    rec.version = version;
    rec.ecosystem = eco;
    rec.vendor = pub;
    lf_resolution o;
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    return o;
}

static lf_resolution rres(rfx *f, const char *name, const char *version, const char *eco)
{
    lf_inv_rec rec = {0};
    rec.name = name;
    rec.version = version;
    rec.ecosystem = eco;
    lf_resolution o;
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    return o;
}

/* A version column typed full-width is read as the ASCII version. */
static void test_rules_fullwidth_version(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "Ｍｏｚｉｌｌａ　Ｆｉｒｅｆｏｘ", "１２１．０．１", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0.1:*:*:*:*:*:*:*", "alias", 0.98);
}

/* Hyphens are ignored with the spaces ("7zip"); one typing error in a long Latin name is
 * matched, at a lower confidence, but never on package rows, never for a name that is a
 * product of its own, never across roman numerals. */
static void test_rules_squash_and_fuzzy(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "7zip", "23.01", NULL);
    RESOLVED(o, "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*", "alias-squashed", 0.94);
    o = rres(f, "Mozila Firefox", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-fuzzy", 0.85);
    o = rres(f, "Mozilla Firfeox", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-fuzzy", 0.85);
    o = rres(f, "Wiresharkk", "4.2.0", NULL);
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark:4.2.0:*:*:*:*:*:*:*", "alias-fuzzy", 0.85);
    o = rres(f, "Mozila Firefox", "121.0", "npm");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* nor exactly: a language package's name is the registry's (npm "firefox" is not the
     * browser); an SBOM component without a purl type is still looked up by its name */
    o = rres(f, "Firefox", "121.0", "npm");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "package not in the package map");
    o = rres(f, "7-Zip", "23.01", "pypi");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Firefox", "121.0", "generic");
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias", 0.98);
    /* OpenSSH is a product (packages.tsv), not a slip for OpenSSL */
    o = rres(f, "OpenSSH", "9.5", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* a six-letter name is too short to guess at ("Ubunto" is not taken for Ubuntu) */
    o = rres(f, "Ubunto", "22.04", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "GPU Tweak III", "1.2.4.1", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
}

/* segments=, vmap= and namever (namedb.h) and the Acrobat track read from the version. */
static void test_rules_version_options(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "Ubuntu 22.04.3 LTS", "", NULL);
    RESOLVED(o, "cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Trend Micro OfficeScan Client", "12.0.5383", NULL);
    RESOLVED(o, "cpe:2.3:a:trendmicro:officescan:xg:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Trend Micro OfficeScan Client", "11.0.6443", NULL);
    RESOLVED(o, "cpe:2.3:a:trendmicro:officescan:11.0:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Microsoft .NET Framework 4.8", "4.8.03761", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:.net_framework:4.8:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Amazon Corretto 17.0.9.8.1 (x64)", "17.0.9.8", NULL);
    RESOLVED(o, "cpe:2.3:a:oracle:openjdk:17.0.9:*:*:*:*:*:*:*", "alias", 0.98);
    /* continuous track 2x.xxx.2xxxx is the DC product, classic 3xxxx is not */
    o = rres(f, "Adobe Reader", "23.006.20360", NULL);
    RESOLVED(o, "cpe:2.3:a:adobe:acrobat_reader_dc:23.006.20360:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Adobe Reader", "20.005.30524", NULL);
    RESOLVED(o, "cpe:2.3:a:adobe:acrobat_reader:20.005.30524:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Adobe Acrobat", "17.011.30207", NULL);
    RESOLVED(o, "cpe:2.3:a:adobe:acrobat:17.011.30207:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Adobe Reader", "11.0.23", NULL);
    RESOLVED(o, "cpe:2.3:a:adobe:acrobat_reader:11.0.23:*:*:*:*:*:*:*", "alias", 0.98);
}

/* An architecture glued to the name ("PowerShell 7-x64") is noise; release candidates in
 * an RPM release or after a Debian tilde become NVD's update field. */
static void test_rules_glued_arch_and_rc(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "PowerShell 7-x64", "7.4.0.0", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:powershell:7.4.0.0:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "runc", "1.0.0-61.rc8.rhaos4.1.git3cbe540.el8", "rpm");
    RESOLVED(o, "cpe:2.3:a:linuxfoundation:runc:1.0.0:rc8:*:*:*:*:*:*", "package", 0.95);
    o = rres(f, "runc", "1.0.0~rc10-0ubuntu1", "deb");
    RESOLVED(o, "cpe:2.3:a:linuxfoundation:runc:1.0.0:rc10:*:*:*:*:*:*", "package", 0.95);
    o = rres(f, "runc", "1.1.12-0ubuntu3", "deb");
    RESOLVED(o, "cpe:2.3:a:linuxfoundation:runc:1.1.12:*:*:*:*:*:*:*", "package", 0.95);
}

/* A marketing year after a family alias is accepted when the column gives the release,
 * unless the vendor files that year as a product of its own or the alias fixes the
 * version; helper words never ride on a prefix alias; "Corporate" is an edition. */
static void test_rules_year_helpers_editions(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "CorelDRAW Graphics Suite 2023", "24.5.0.686", NULL);
    RESOLVED(o, "cpe:2.3:a:corel:coreldraw:24.5.0.686:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = rres(f, "CorelDRAW Graphics Suite 2023", "", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Microsoft Visio 2021", "16.0.14332.20565", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Microsoft SQL Server 2019", "15.0.2000.5", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:sql_server_2019:15.0.2000.5:*:*:*:*:*:*:*", "alias", 0.98);
    o = rres(f, "Adobe Flash Player 32 ActiveX", "32.0.0.465", NULL);
    RESOLVED(o, "cpe:2.3:a:adobe:flash_player:32.0.0.465:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = rres(f, "Adobe Flash Player Update Service", "32.0.0.465", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Wireshark Uninstaller", "4.2.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "TeamViewer 15 (x64) Corporate", "15.49.2", NULL);
    RESOLVED(o, "cpe:2.3:a:teamviewer:teamviewer:15.49.2:*:*:*:*:*:*:*", "alias", 0.98);
}

/* Second chance for names no alias matched (resolve.c, rewrite_lookup): an abbreviation,
 * letters glued to a number, a platform after the name, one typing error per word. */
static void test_rules_rewrites(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres(f, "MS Visio", "16.0.17126", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:visio:-:*:*:*:*:*:*:*", "alias-rewrite", 0.90);
    o = rres(f, "TeamViewer15", "15.48.4", NULL);
    RESOLVED(o, "cpe:2.3:a:teamviewer:teamviewer:15.48.4:*:*:*:*:*:*:*", "alias-rewrite", 0.90);
    o = rres(f, "Mozilla Firefox for Windows", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-rewrite", 0.90);
    /* a glued 32/64 is the build's bitness, not a release */
    o = rres(f, "Cygwin64", "", NULL);
    RESOLVED(o, "cpe:2.3:a:cygwin:cygwin:*:*:*:*:*:*:*:*", "alias-rewrite", 0.90);
    o = rres(f, "Cygwin64", "3.4.10", NULL);
    RESOLVED(o, "cpe:2.3:a:cygwin:cygwin:3.4.10:*:*:*:*:*:*:*", "alias-rewrite", 0.90);
    /* two words mistyped, neither within one letter of the whole name */
    o = rres(f, "Micrsoft SQL Servr 2019", "15.0.2000.5", NULL);
    RESOLVED(o, "cpe:2.3:a:microsoft:sql_server_2019:15.0.2000.5:*:*:*:*:*:*:*", "alias-typo", 0.85);
    /* not on package rows; not three mistyped words */
    o = rres(f, "Micrsoft SQL Servr 2019", "15.0.2000.5", "npm");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Micrsoft SQL Servr 2019 Expres", "15.0.2000.5", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* "for Mac" is not a platform the rule drops */
    o = rres(f, "Mozilla Firefox for Mac", "121.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* a guess at a name is not taken against the Publisher's vendor: a candidate */
    o = rres_pub(f, "Mozila Firefox", "121.0", NULL, "Acme Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.cand[0].cpe, "a:mozilla:firefox");
    assert_true(o.cand[0].score < LF_RESOLVE_THRESHOLD);
    o = rres_pub(f, "Micrsoft SQL Servr 2019", "15.0.2000.5", NULL, "Acme Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    /* kind words after a name; not a family word */
    o = rres(f, "Mozilla Firefox Portable", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = rres(f, "Mozilla Firefox Browser", "121.0", NULL);
    RESOLVED(o, "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    o = rres(f, "Wireshark SDK", "4.2.0", NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    o = rres(f, "Wireshark Portable", "4.2.0", NULL);
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark:4.2.0:*:*:*:*:*:*:*", "alias-prefix", 0.92);
    /* a name without its vendor, with the Publisher's */
    o = rres_pub(f, "Endpoint Protection", "14.3.7388.4000", NULL, "Symantec Corporation");
    RESOLVED(o, "cpe:2.3:a:symantec:endpoint_protection:14.3.7388.4000:*:*:*:*:*:*:*", "alias-publisher", 0.88);
}

/* The vendor's Chinese name inside a mixed name leads the Latin words. */
static void test_rules_cjk_vendor(void **state)
{
    rfx *f = *state;
    lf_resolution o = rres_pub(f, "賽門鐵克 Endpoint Protection", "14.3.7388.4000", NULL, "Broadcom Inc.");
    RESOLVED(o, "cpe:2.3:a:symantec:endpoint_protection:14.3.7388.4000:*:*:*:*:*:*:*", "alias-latin", 0.90);
    o = rres_pub(f, "Endpoint Protection", "14.3", NULL, "Broadcom Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
}

/* Word matching against NVD's names (resolve.h, "words"): titles with the Publisher's
 * vendor resolve in any word order; a CPE product name split into words, a name with words
 * left over, a family word, two products alike: candidates only. */
static void test_rules_words(void **state)
{
    rfx *f = *state;
    lf_err err;
    lf_product pe = {'a', "ulead", "photo_explorer"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &pe, "Ulead Photo Explorer 8.0", &err), LF_OK);
    lf_product rf = {'a', "acme", "render_farm"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &rf, NULL, &err), LF_OK);
    lf_product i1 = {'a', "acme", "imager"}, i2 = {'a', "acme", "imagetool"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &i1, "Acme Image Tool", &err), LF_OK);
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &i2, "Acme Image Tool 2.0", &err), LF_OK);

    /* in NVD's order the vocabulary already names it; in another order only words do */
    lf_resolution o = rres_pub(f, "Photo Explorer", "8.0", NULL, "Ulead Systems, Inc.");
    RESOLVED(o, "cpe:2.3:a:ulead:photo_explorer:8.0:*:*:*:*:*:*:*", "vocabulary", 0.88);
    o = rres_pub(f, "Explorer Photo", "8.0", NULL, "Ulead Systems, Inc.");
    RESOLVED(o, "cpe:2.3:a:ulead:photo_explorer:8.0:*:*:*:*:*:*:*", "words", 0.90);
    o = rres_pub(f, "Ulead Explorer Photo", "8.0", NULL, "Ulead Systems, Inc.");
    RESOLVED(o, "cpe:2.3:a:ulead:photo_explorer:8.0:*:*:*:*:*:*:*", "words", 0.95);
    /* the vendor from the name only */
    o = rres_pub(f, "Ulead Explorer Photo", "8.0", NULL, NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.cand[0].cpe, "a:ulead:photo_explorer");
    assert_true(o.cand[0].score < LF_RESOLVE_THRESHOLD && o.cand[0].score > 0.75);
    /* words the title does not account for: 0.50 + 0.40 x 2/4, a candidate */
    o = rres_pub(f, "Photo Explorer Batch Converter", "8.0", NULL, "Ulead Systems, Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.cand[0].cpe, "a:ulead:photo_explorer");
    assert_true(o.cand[0].score > 0.699 && o.cand[0].score < 0.701);
    /* a family word left over caps the candidate at 0.60 */
    o = rres_pub(f, "Photo Explorer Explorer Driver", "8.0", NULL, "Ulead Systems, Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_true(o.cand[0].score > 0.599 && o.cand[0].score < 0.601);
    /* a product name's own words, in another order, with the Publisher: a candidate */
    o = rres_pub(f, "Farm Render", "3.1", NULL, "Acme Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.cand[0].cpe, "a:acme:render_farm");
    /* two products with the same title: both candidates, neither resolves */
    o = rres_pub(f, "Tool Image", "2.0", NULL, "Acme Inc.");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_int_equal(o.ncand, 2);
    assert_true(o.cand[0].score < LF_RESOLVE_THRESHOLD && o.cand[1].score < LF_RESOLVE_THRESHOLD);
}

int main(void)
{
    const struct CMUnitTest rules[] = {
        cmocka_unit_test(test_rules_fullwidth_version),
        cmocka_unit_test(test_rules_squash_and_fuzzy),
        cmocka_unit_test(test_rules_version_options),
        cmocka_unit_test(test_rules_glued_arch_and_rc),
        cmocka_unit_test(test_rules_year_helpers_editions),
        cmocka_unit_test(test_rules_rewrites),
        cmocka_unit_test(test_rules_cjk_vendor),
        cmocka_unit_test(test_rules_words),
    };
    if (cmocka_run_group_tests_name("rules", rules, rules_setup, rules_teardown))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dictionary_warnings),
        cmocka_unit_test(test_alias),
        cmocka_unit_test(test_alias_prefix_longest_first),
        cmocka_unit_test(test_java_update),
        cmocka_unit_test(test_known_without_cpe),
        cmocka_unit_test(test_squashed_and_updates),
        cmocka_unit_test(test_title_and_vocabulary),
        cmocka_unit_test(test_packages_and_purls),
        cmocka_unit_test(test_cpe_given),
        cmocka_unit_test(test_pkg_version),
        cmocka_unit_test(test_version_cleanup),
        cmocka_unit_test(test_cache_same_answer),
        cmocka_unit_test(test_cache_many_rows),
        cmocka_unit_test(test_cjk_helper_words),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
