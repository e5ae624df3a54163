/*
 * Tests for src/intake/pkglist.c: dpkg-query and dpkg -l (every package state, the old
 * layout without Architecture, a translated legend), rpm -qa in both forms, yum list
 * installed with wrapped rows, OS from comments and os-release lines, and the real lists
 * of shared/data/inventories/linux with their exact package counts.
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
#include "intake/pkglist.h"

#include "unit/intake/inv_sink.h"

typedef int (*reader_fn)(const char *, const char *, size_t, const lf_inv_opts *, const lf_inv_sink *,
                         lf_inv_counts *, lf_err *);

static int run(reader_fn fn, const char *text, size_t len, const lf_inv_opts *o, got *g, lf_inv_counts *cnt,
               lf_err *err)
{
    lf_inv_sink sink = {on_rec, on_rej, g};
    lf_err_clear(err);
    return fn("list.txt", text, len, o, &sink, cnt, err);
}

/* dpkg-query -W with os-release lines on top: the OS comes from PRETTY_NAME, ":amd64"
 * and a third column give the arch, an epoch stays in the version, a package without a
 * version (known, not installed) is skipped. */
static void test_pkglist_dpkg_query(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("dpkg-query-osrelease.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {"srv-1", "ignored: the file names its OS"};
    assert_int_equal(run(lf_pkglist_dpkg_read, t, len, &o, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 4);
    assert_int_equal(cnt.rejected, 0);
    assert_int_equal(cnt.skipped, 5);
    assert_field(&g, 0, NAME, "openssl");
    assert_field(&g, 0, VER, "3.0.2-0ubuntu1.15");
    assert_field(&g, 0, OS, "Ubuntu 22.04.4 LTS");
    assert_field(&g, 0, ECO, "deb");
    assert_field(&g, 0, H, "srv-1");
    assert_field(&g, 0, ARCH, NULL);
    assert_int_equal(g.r[0].line, 5);
    assert_field(&g, 1, NAME, "libssl3");
    assert_field(&g, 1, ARCH, "amd64");
    assert_field(&g, 2, VER, "1:2.37.2-4ubuntu3");
    assert_field(&g, 3, NAME, "libc6");
    assert_field(&g, 3, ARCH, "amd64");
    assert_int_equal(g.r[3].line, 9);
    got_free(&g);
    free(t);
}

/* dpkg -l: which states are records (files on disk), which are skipped, which rejected. */
static void test_pkglist_dpkg_states(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("dpkg-l-states.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {NULL, "Ubuntu 20.04"};
    assert_int_equal(run(lf_pkglist_dpkg_read, t, len, &o, &g, &cnt, &e), LF_OK);
    static const char *const want[] = {"openssl", "libc-bin", "nginx-core", "linux-generic", "telnet", "bash",
                                       "zlib1g"};
    assert_int_equal(g.n, 7);
    for (size_t i = 0; i < 7; i++)
        assert_field(&g, i, NAME, want[i]);
    assert_int_equal(cnt.skipped, 8);   /* 5 legend lines, rc, un, pn */
    assert_int_equal(cnt.rejected, 1);
    assert_int_equal(g.rej_line[0], 15);
    assert_non_null(strstr(g.rej_msg[0], "unknown package state"));
    assert_field(&g, 0, VER, "1.1.1f-1ubuntu2");
    assert_field(&g, 0, ARCH, "amd64");
    assert_field(&g, 0, OS, "Ubuntu 20.04");
    assert_field(&g, 0, H, NULL);
    assert_int_equal(g.r[0].line, 6);
    assert_field(&g, 6, VER, "1:1.2.11.dfsg-2");
    assert_field(&g, 6, ARCH, "amd64");
    got_free(&g);
    free(t);
}

/* rpm --queryformat NAME TAB VERSION-RELEASE, with # host / # os comments. */
static void test_pkglist_rpm_tab(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("rpm-tab.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(run(lf_pkglist_rpm_read, t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(cnt.skipped, 2);
    assert_field(&g, 0, NAME, "openssl-libs");
    assert_field(&g, 0, VER, "1.1.1k-12.el8_9");
    assert_field(&g, 0, H, "web-01");
    assert_field(&g, 0, OS, "Rocky Linux 8.9");
    assert_field(&g, 0, ECO, "rpm");
    assert_field(&g, 1, VER, "2.4.37-62.module+el8.9.0+1436+4ebe3ae2");
    assert_field(&g, 2, ARCH, "x86_64");
    got_free(&g);
    free(t);
}

/* rpm -qa NVRA lines split from the right; a line that is not one is rejected. */
static void test_pkglist_rpm_nvra(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("rpm-qa.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {NULL, "RHEL 8"};
    assert_int_equal(run(lf_pkglist_rpm_read, t, len, &o, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 5);
    assert_int_equal(cnt.rejected, 1);
    assert_int_equal(g.rej_line[0], 5);
    assert_field(&g, 0, NAME, "openssl-libs");
    assert_field(&g, 0, VER, "1.1.1k-7.el8_6");
    assert_field(&g, 0, ARCH, "x86_64");
    assert_field(&g, 0, OS, "RHEL 8");
    assert_field(&g, 1, NAME, "python3-pip-wheel");
    assert_field(&g, 1, VER, "9.0.3-22.el8");
    assert_field(&g, 1, ARCH, "noarch");
    assert_field(&g, 2, NAME, "gpg-pubkey");
    assert_field(&g, 2, VER, "fd431d51-4ae0493b");
    assert_field(&g, 2, ARCH, NULL);
    assert_field(&g, 3, NAME, "kernel-core");
    assert_field(&g, 3, VER, "4.18.0-513.5.1.el8_9");
    assert_field(&g, 4, NAME, "tzdata");
    assert_field(&g, 4, DATE, "Mon Jan  8 10:11:12 2024");
    assert_int_equal(g.r[4].line, 6);
    got_free(&g);
    free(t);
}

/* NVRA splitting, one case per row. */
static void test_pkglist_rpm_split_table(void **state)
{
    (void)state;
    static const struct {
        const char *line, *name, *version, *arch;
    } cases[] = {
        {"bash-4.4.19-8.el8_0.x86_64", "bash", "4.4.19-8.el8_0", "x86_64"},
        {"audit-libs-3.0-0.10.20180831git0047a6c.el8.x86_64", "audit-libs", "3.0-0.10.20180831git0047a6c.el8",
         "x86_64"},
        {"glibc-2.28-42.el8.i686", "glibc", "2.28-42.el8", "i686"},
        {"java-11-openjdk-11.0.21.0.9-2.el8.aarch64", "java-11-openjdk", "11.0.21.0.9-2.el8", "aarch64"},
        {"perl-IO-Socket-SSL-2.066-4.module+el8.3.0+6446+594cad75.noarch", "perl-IO-Socket-SSL",
         "2.066-4.module+el8.3.0+6446+594cad75", "noarch"},
        {"libgcc-8.5.0-20.el8.ppc64le", "libgcc", "8.5.0-20.el8", "ppc64le"},
        {"foo-1.0-1.unknownarch", "foo", "1.0-1.unknownarch", NULL},
        {"bash-0:4.4.19-8.el8_0.x86_64", "bash", "0:4.4.19-8.el8_0", "x86_64"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        got g = {0};
        lf_inv_counts cnt;
        lf_err e;
        assert_int_equal(run(lf_pkglist_rpm_read, cases[i].line, strlen(cases[i].line), NULL, &g, &cnt, &e), LF_OK);
        if (g.n != 1)
            fail_msg("%s: %zu records", cases[i].line, g.n);
        assert_field(&g, 0, NAME, cases[i].name);
        assert_field(&g, 0, VER, cases[i].version);
        assert_field(&g, 0, ARCH, cases[i].arch);
        got_free(&g);
    }
    static const char *const bad[] = {"bash", "bash-4.4", "-1.0-1.x86_64", "a--1.x86_64", "name-1.0-1/x.x86_64"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        got g = {0};
        lf_inv_counts cnt;
        lf_err e;
        /* good lines first so the text is rpm-like enough to be read at all */
        char t[128];
        snprintf(t, sizeof t, "zlib-1.2.11-10.el8.x86_64\nbash-4.4.19-8.el8_0.x86_64\n%s\n", bad[i]);
        assert_int_equal(run(lf_pkglist_rpm_read, t, strlen(t), NULL, &g, &cnt, &e), LF_OK);
        if (g.n != 2 || cnt.rejected != 1)
            fail_msg("\"%s\": %zu records, %zu rejected", bad[i], g.n, cnt.rejected);
        got_free(&g);
    }
}

/* yum list installed: chatter skipped, wrapped rows joined, Available Packages not kept. */
static void test_pkglist_yum_wrapped(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("yum-wrapped.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(run(lf_pkglist_rpm_read, t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 4);
    assert_int_equal(cnt.rejected, 0);
    assert_int_equal(cnt.skipped, 6);   /* comment, 3 chatter lines, Available Packages and its row */
    assert_field(&g, 0, NAME, "bash");
    assert_field(&g, 0, OS, "Red Hat Enterprise Linux 8.9");
    assert_field(&g, 0, ECO, "rpm");
    assert_field(&g, 0, ARCH, "x86_64");
    assert_field(&g, 0, VER, "4.4.20-4.el8_6");
    assert_field(&g, 1, NAME, "NetworkManager-libnm-devel-1.40.16");
    assert_field(&g, 1, VER, "1:1.40.16-9.el8");
    assert_int_equal(g.r[1].line, 6);
    assert_field(&g, 2, NAME, "python3-setuptools-wheel");
    assert_field(&g, 2, ARCH, "noarch");
    assert_int_equal(g.r[2].line, 8);
    assert_field(&g, 3, VER, "2:1.30-9.el8");
    got_free(&g);
    free(t);
}

/* Text of another format: LF_EFORMAT, nothing delivered. */
static void test_pkglist_not_this_format(void **state)
{
    (void)state;
    static const char *const names[] = {"agency-zh.csv", "wmic-table.txt", "no-header.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *t = fixture(names[i], &len);
        reader_fn fns[] = {lf_pkglist_dpkg_read, lf_pkglist_rpm_read};
        for (int k = 0; k < 2; k++) {
            got g = {0};
            lf_inv_counts cnt;
            lf_err e;
            if (run(fns[k], t, len, NULL, &g, &cnt, &e) != LF_EFORMAT)
                fail_msg("%s read as %s", names[i], k ? "rpm" : "dpkg");
            assert_int_equal(g.n + g.nrej, 0);
        }
        free(t);
    }
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(run(lf_pkglist_dpkg_read, "", 0, NULL, &g, &cnt, &e), LF_EFORMAT);
    assert_int_equal(run(lf_pkglist_rpm_read, "", 0, NULL, &g, &cnt, &e), LF_EFORMAT);
}

/* ---- real lists (LF_SHARED_DATA) ---------------------------------------------------------- */

typedef struct real_case {
    const char *file;
    reader_fn fn;
    size_t records, rejected, skipped;
    size_t at;                          /* a record to check */
    const char *name, *version, *arch;
    long line;
} real_case;

static void check_real(const real_case *c)
{
    char rel[256];
    size_t len;
    snprintf(rel, sizeof rel, "inventories/linux/%s", c->file);
    char *t = slurp("LF_SHARED_DATA", rel, &len);
    if (!t)
        skip();
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(run(c->fn, t, len, NULL, &g, &cnt, &e), LF_OK);
    if (cnt.records != c->records || cnt.rejected != c->rejected || cnt.skipped != c->skipped)
        fail_msg("%s: %zu records, %zu rejected, %zu skipped; want %zu, %zu, %zu", c->file, cnt.records,
                 cnt.rejected, cnt.skipped, c->records, c->rejected, c->skipped);
    assert_true(c->at < g.n);
    assert_field(&g, c->at, NAME, c->name);
    assert_field(&g, c->at, VER, c->version);
    assert_field(&g, c->at, ARCH, c->arch);
    assert_int_equal(g.r[c->at].line, c->line);
    got_free(&g);
    free(t);
}

/* Ubuntu OCI manifests are dpkg-query output: every line a package. */
static void test_pkglist_real_manifests(void **state)
{
    (void)state;
    real_case jammy = {"ubuntu-jammy-oci-amd64-root.manifest", lf_pkglist_dpkg_read, 101, 0, 0, 100, "zlib1g",
                       "1:1.2.11.dfsg-2ubuntu9", "amd64", 101};
    real_case focal = {"ubuntu-focal-oci-amd64-root.manifest", lf_pkglist_dpkg_read, 92, 0, 0, 16, "gcc-10-base",
                       "10.3.0-1ubuntu1~20.04", "amd64", 17};
    check_real(&jammy);
    check_real(&focal);
}

/* dpkg -l: Ubuntu 18.04 (547 ii + 1 iF), Debian squeeze without Architecture (349 ii,
 * 24 rc skipped), Raspbian in German with a wrapped legend (2,202 ii). */
static void test_pkglist_real_dpkg_l(void **state)
{
    (void)state;
    real_case kode = {"kodecraft-ubuntu-dpkg_list.txt", lf_pkglist_dpkg_read, 548, 0, 5, 138, "libc-bin",
                      "2.27-3ubuntu1.5", "amd64", 144};
    real_case squeeze = {"archiveteam-debian-squeeze-dpkg_list.txt", lf_pkglist_dpkg_read, 349, 0, 5 + 24, 0,
                         "adduser", "3.112+nmu2", NULL, 6};
    real_case de = {"fotobooth-raspbian-de-dpkg_list.txt", lf_pkglist_dpkg_read, 2202, 0, 6, 2201, "zlib1g-dev",
                    "1:1.2.11.dfsg-1+deb10u1", "armhf", 2208};
    check_real(&kode);
    check_real(&squeeze);
    check_real(&de);
}

/* The sosreport rpm -qa: 394 NVRA lines with install dates and one shell-init error line,
 * which is rejected (the data README says 395 packages: it counts that line). */
static void test_pkglist_real_rpm(void **state)
{
    (void)state;
    real_case qa = {"rhel8-sosreport-rpm-qa.txt", lf_pkglist_rpm_read, 394, 1, 0, 0, "NetworkManager",
                    "1.14.0-14.el8", "x86_64", 2};
    real_case yum = {"rhel8-sosreport-yum_list_installed.txt", lf_pkglist_rpm_read, 197, 0, 15, 196, "zlib",
                     "1.2.11-10.el8", "x86_64", 212};
    check_real(&qa);
    check_real(&yum);
}

static void test_pkglist_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *fixture;
        int dpkg_lo, dpkg_hi, rpm_lo, rpm_hi;
    } cases[] = {
        {"dpkg-query-osrelease.txt", 80, 100, 0, 50},
        {"dpkg-l-states.txt", 95, 95, 0, 0},
        {"rpm-tab.txt", 0, 29, 80, 100},
        {"rpm-qa.txt", 0, 0, 60, 100},
        {"yum-wrapped.txt", 0, 29, 90, 90},
        {"agency-zh.csv", 0, 0, 0, 0},
        {"wmic-table.txt", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *t = fixture(cases[i].fixture, &len);
        int d = lf_pkglist_dpkg_sniff(t, len), r = lf_pkglist_rpm_sniff(t, len);
        if (d < cases[i].dpkg_lo || d > cases[i].dpkg_hi || r < cases[i].rpm_lo || r > cases[i].rpm_hi)
            fail_msg("%s: dpkg %d (want %d..%d), rpm %d (want %d..%d)", cases[i].fixture, d, cases[i].dpkg_lo,
                     cases[i].dpkg_hi, r, cases[i].rpm_lo, cases[i].rpm_hi);
        free(t);
    }
    /* the real manifests and the sosreport: the right reader wins */
    size_t len;
    char *t = slurp("LF_SHARED_DATA", "inventories/linux/ubuntu-jammy-oci-amd64-root.manifest", &len);
    if (t) {
        assert_true(lf_pkglist_dpkg_sniff(t, len) > lf_pkglist_rpm_sniff(t, len));
        free(t);
    }
    t = slurp("LF_SHARED_DATA", "inventories/linux/rhel8-sosreport-rpm-qa.txt", &len);
    if (t) {
        assert_true(lf_pkglist_rpm_sniff(t, len) >= 80);
        assert_int_equal(lf_pkglist_dpkg_sniff(t, len), 0);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkglist_dpkg_query),
        cmocka_unit_test(test_pkglist_dpkg_states),
        cmocka_unit_test(test_pkglist_rpm_tab),
        cmocka_unit_test(test_pkglist_rpm_nvra),
        cmocka_unit_test(test_pkglist_rpm_split_table),
        cmocka_unit_test(test_pkglist_yum_wrapped),
        cmocka_unit_test(test_pkglist_not_this_format),
        cmocka_unit_test(test_pkglist_real_manifests),
        cmocka_unit_test(test_pkglist_real_dpkg_l),
        cmocka_unit_test(test_pkglist_real_rpm),
        cmocka_unit_test(test_pkglist_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
