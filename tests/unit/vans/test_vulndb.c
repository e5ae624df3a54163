/*
 * Tests for src/vans/vulndb.c: replace-if-newer semantics, removal of Rejected records,
 * the file round trip, incremental rebuild from an existing index, and refusal of
 * truncated or foreign files.
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
#include "vans/vulndb.h"

static lf_vdoc mk(const char *id, const char *modified, const char *desc)
{
    static lf_vcrit crit[] = {{true, "cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*", "1.0", true, "2.0", false,
                               LF_VS_GENERIC, "ID-1"}};
    static lf_vnode node[] = {{false, false, 1, crit}};
    static lf_vconfig cfg[] = {{false, 1, node, false}};
    static lf_vmetric met[] = {{"nvd@nist.gov", true, LF_CVSS_V31, 98, LF_SEV_CRITICAL,
                                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}};
    static lf_vref ref[] = {{"https://acme.example/advisory", "acme", LF_REF_VENDOR_ADVISORY | LF_REF_PATCH}};
    static const char *cwe[] = {"CWE-79"};
    lf_vdoc d;
    memset(&d, 0, sizeof d);
    d.source = LF_SRC_NVD;
    d.doc_id = id;
    d.vuln_id = id;
    d.modified = modified;
    d.published = "2020-01-01T00:00:00.000";
    d.status = "Analyzed";
    d.description = desc;
    d.config = cfg;
    d.nconfig = 1;
    d.metric = met;
    d.nmetric = 1;
    d.ref = ref;
    d.nref = 1;
    d.cwe = cwe;
    d.ncwe = 1;
    return d;
}

static void tmp_path(char *p, size_t n, const char *tag)
{
    snprintf(p, n, "/tmp/lf-test-vulndb-%s-%ld.lfx", tag, (long)getpid());
}

/* A newer lastModified replaces, the same keeps, an older one is ignored. */
static void test_vulndb_replace_if_newer(void **state)
{
    (void)state;
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_put_result r;
    lf_vdoc d = mk("CVE-2020-0001", "2021-01-01T00:00:00.000", "v1");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
    assert_int_equal(r, LF_PUT_ADDED);
    d = mk("CVE-2020-0001", "2021-01-01T00:00:00.000", "same");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
    assert_int_equal(r, LF_PUT_UNCHANGED);
    d = mk("CVE-2020-0001", "2020-06-01T00:00:00.000", "older");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
    assert_int_equal(r, LF_PUT_STALE);
    d = mk("CVE-2020-0001", "2022-01-01T00:00:00.000", "v2");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
    assert_int_equal(r, LF_PUT_REPLACED);
    assert_int_equal(lf_vdb_builder_ndocs(b), 1);

    char path[128];
    tmp_path(path, sizeof path, "replace");
    assert_int_equal(lf_vdb_builder_write(b, path, NULL), LF_OK);
    lf_vdb_builder_free(b);
    lf_vdb *db;
    assert_int_equal(lf_vdb_open(path, &db, NULL), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_vdoc out;
    assert_int_equal(lf_vdb_doc(db, 0, &a, &out), LF_OK);
    assert_string_equal(out.description, "v2");
    assert_string_equal(out.modified, "2022-01-01T00:00:00.000");
    assert_int_equal(out.nconfig, 1);
    assert_int_equal(out.config[0].node[0].ncrit, 1);
    assert_string_equal(out.config[0].node[0].crit[0].cpe, "cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*");
    assert_string_equal(out.config[0].node[0].crit[0].start, "1.0");
    assert_true(out.config[0].node[0].crit[0].start_incl);
    assert_string_equal(out.config[0].node[0].crit[0].end, "2.0");
    assert_false(out.config[0].node[0].crit[0].end_incl);
    assert_int_equal(out.metric[0].score10, 98);
    assert_int_equal(out.ref[0].tags, LF_REF_VENDOR_ADVISORY | LF_REF_PATCH);
    assert_string_equal(out.cwe[0], "CWE-79");
    lf_arena_clear(&a);
    lf_vdb_close(db);
    unlink(path);
}

/* Rejected removes a stored record; the rest of the probe chain stays reachable. */
static void test_vulndb_rejected_removes(void **state)
{
    (void)state;
    lf_vdb_builder *b = lf_vdb_builder_new();
    char ids[300][32];
    lf_put_result r;
    for (int i = 0; i < 300; i++) {
        snprintf(ids[i], sizeof ids[i], "CVE-2021-%05d", i);
        lf_vdoc d = mk(ids[i], "2021-01-01T00:00:00.000", "x");
        assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
    }
    for (int i = 0; i < 300; i += 3) {
        lf_vdoc d = mk(ids[i], "2023-01-01T00:00:00.000", "** REJECT **");
        assert_int_equal(lf_vdb_builder_put(b, &d, true, &r, NULL), LF_OK);
        assert_int_equal(r, LF_PUT_REMOVED);
    }
    lf_vdoc nd = mk("CVE-2099-0001", "2023-01-01T00:00:00.000", "** REJECT **");
    assert_int_equal(lf_vdb_builder_put(b, &nd, true, &r, NULL), LF_OK);
    assert_int_equal(r, LF_PUT_REJECTED_NEW);
    assert_int_equal(lf_vdb_builder_ndocs(b), 200);
    /* every survivor is still found (re-put says unchanged, not added) */
    for (int i = 0; i < 300; i++) {
        lf_vdoc d = mk(ids[i], "2021-01-01T00:00:00.000", "x");
        assert_int_equal(lf_vdb_builder_put(b, &d, false, &r, NULL), LF_OK);
        assert_int_equal(r, i % 3 ? LF_PUT_UNCHANGED : LF_PUT_ADDED);
    }
    lf_vdb_builder_free(b);
}

/* Incremental rebuild: an index seeded from the old one keeps every document and adds
 * the new; find_vuln and KEV lookups work on the result. */
static void test_vulndb_incremental_rebuild(void **state)
{
    (void)state;
    char p1[128];
    tmp_path(p1, sizeof p1, "inc");
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_vdoc d = mk("CVE-2020-0001", "2021-01-01T00:00:00.000", "one");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, NULL, NULL), LF_OK);
    lf_vkev k = {"CVE-2020-0001", "2021-11-03", "2021-11-17", "Apply updates per vendor instructions.", "Known",
                 "Acme Tool RCE", "Acme", "Tool"};
    assert_int_equal(lf_vdb_builder_set_kev(b, &k, 1, "2025.08.25", NULL), LF_OK);
    assert_int_equal(lf_vdb_builder_write(b, p1, NULL), LF_OK);
    lf_vdb_builder_free(b);

    lf_vdb *old;
    assert_int_equal(lf_vdb_open(p1, &old, NULL), LF_OK);
    b = lf_vdb_builder_new();
    assert_int_equal(lf_vdb_builder_load(b, old, NULL), LF_OK);
    d = mk("CVE-2020-0002", "2021-01-01T00:00:00.000", "two");
    assert_int_equal(lf_vdb_builder_put(b, &d, false, NULL, NULL), LF_OK);
    /* write over the file still mapped by `old`: atomic rename keeps old readers valid */
    assert_int_equal(lf_vdb_builder_write(b, p1, NULL), LF_OK);
    lf_vdb_builder_free(b);
    lf_vdb_close(old);

    lf_vdb *db;
    assert_int_equal(lf_vdb_open(p1, &db, NULL), LF_OK);
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    assert_int_equal(st.docs, 2);
    assert_int_equal(st.kev, 1);
    assert_string_equal(st.kev_version, "2025.08.25");
    uint32_t idx[4];
    assert_int_equal(lf_vdb_find_vuln(db, "CVE-2020-0002", idx, 4), 1);
    assert_int_equal(lf_vdb_find_vuln(db, "CVE-2020-0003", idx, 4), 0);
    lf_vkev tmp;
    const lf_vkev *kk = lf_vdb_kev(db, "CVE-2020-0001", &tmp);
    assert_non_null(kk);
    assert_string_equal(kk->due_date, "2021-11-17");
    assert_string_equal(kk->ransomware, "Known");
    assert_null(lf_vdb_kev(db, "CVE-2020-0002", &tmp));
    lf_vdb_close(db);
    unlink(p1);
}

/* A truncated index or a foreign file is refused with LF_ECORRUPT, never read past its end. */
static void test_vulndb_corrupt_refused(void **state)
{
    (void)state;
    char p[128];
    tmp_path(p, sizeof p, "corrupt");
    lf_vdb_builder *b = lf_vdb_builder_new();
    for (int i = 0; i < 50; i++) {
        char id[32];
        snprintf(id, sizeof id, "CVE-2022-%04d", i);
        lf_vdoc d = mk(id, "2021-01-01T00:00:00.000", "x");
        assert_int_equal(lf_vdb_builder_put(b, &d, false, NULL, NULL), LF_OK);
    }
    assert_int_equal(lf_vdb_builder_write(b, p, NULL), LF_OK);
    lf_vdb_builder_free(b);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    assert_true(n > 1000);
    size_t cuts[] = {10, 100, n / 2, n - 8};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        f = fopen(p, "wb");
        fwrite(data, 1, cuts[i], f);
        fclose(f);
        lf_vdb *db = NULL;
        lf_err err;
        lf_err_clear(&err);
        assert_int_equal(lf_vdb_open(p, &db, &err), LF_ECORRUPT);
        assert_null(db);
        assert_true(strlen(err.msg) > 0);
    }
    f = fopen(p, "wb");
    fputs("{\"not\": \"an index\"}", f);
    fclose(f);
    lf_vdb *db = NULL;
    assert_int_equal(lf_vdb_open(p, &db, NULL), LF_ECORRUPT);
    unlink(p);
    assert_int_equal(lf_vdb_open(p, &db, NULL), LF_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vulndb_replace_if_newer),
        cmocka_unit_test(test_vulndb_rejected_removes),
        cmocka_unit_test(test_vulndb_incremental_rebuild),
        cmocka_unit_test(test_vulndb_corrupt_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
