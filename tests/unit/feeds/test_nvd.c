/*
 * Tests for src/feeds/nvd.c: every shape NVD data comes in (single record, API page,
 * array, gzip), replace/remove semantics through the reader, located reports of
 * malformed records with the import going on, truncated input, the legacy 1.1 feed, and
 * the real records of ../shared/data/nvd (every one imports; every CVSS vector scores to
 * NVD's stated base score).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "feeds/nvd.h"
#include "vans/cvss.h"
#include "vans/vulndb.h"

typedef struct errs {
    int n;
    lf_err last[16];
} errs;

static void on_err(void *ud, const lf_err *e)
{
    errs *x = ud;
    if (x->n < 16)
        x->last[x->n] = *e;
    x->n++;
}

static const char *fx(const char *name)
{
    static char p[1024];
    const char *d = getenv("LF_FIXTURES");
    snprintf(p, sizeof p, "%s/nvd/%s", d ? d : "tests/fixtures", name);
    return p;
}

typedef struct imp {
    lf_vdb_builder *b;
    lf_feed_ctx c;
    errs e;
} imp;

static void imp_init(imp *im)
{
    memset(im, 0, sizeof *im);
    im->b = lf_vdb_builder_new();
    lf_feed_ctx_init(&im->c, im->b);
    im->c.on_error = on_err;
    im->c.ud = &im->e;
}

/* An API page: good records kept, Rejected not stored, a record without id and a
 * malformed criterion reported with file, line, id and the configuration path. */
static void test_nvd_page_with_bad_records(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_file(&im.c, fx("page.json"), &err), LF_OK);
    assert_int_equal(im.c.report.records, 6);
    assert_int_equal(im.c.report.added, 4);
    assert_int_equal(im.c.report.rejected_new, 1);
    assert_int_equal(im.c.report.errors, 2);
    assert_int_equal(im.c.report.configs_dropped, 1);
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 4);
    /* first report: the malformed criterion of CVE-2024-0003 */
    assert_string_equal(im.e.last[0].id, "CVE-2024-0003");
    assert_non_null(strstr(im.e.last[0].src, "page.json"));
    assert_true(im.e.last[0].line > 200);
    assert_string_equal(im.e.last[0].field, "configurations[0].nodes[0].cpeMatch[0]");
    assert_non_null(strstr(im.e.last[0].msg, "broken*name"));
    /* second: the record without an id, located by line */
    assert_string_equal(im.e.last[1].field, "id");
    assert_true(im.e.last[1].line > im.e.last[0].line);
    lf_vdb_builder_free(im.b);
}

/* The same page gzip-compressed reads the same; a single record with a newer
 * lastModified then replaces; a Rejected update removes. */
static void test_nvd_gzip_single_replace_remove(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_file(&im.c, fx("page.json.gz"), &err), LF_OK);
    assert_int_equal(im.c.report.added, 4);
    assert_int_equal(lf_nvd_import_file(&im.c, fx("single.json"), &err), LF_OK);
    assert_int_equal(im.c.report.replaced, 1);
    assert_int_equal(lf_nvd_import_file(&im.c, fx("array.json"), &err), LF_OK);
    assert_int_equal(im.c.report.unchanged, 1);   /* 0002 same lastModified */
    assert_int_equal(im.c.report.stale, 1);       /* 0001 older than the single record */
    assert_int_equal(lf_nvd_import_file(&im.c, fx("rejected-update.json"), &err), LF_OK);
    assert_int_equal(im.c.report.removed, 1);
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 3);
    lf_vdb_builder_free(im.b);
}

/* Truncated JSON: a located syntax error, and the records before it are kept. */
static void test_nvd_truncated_keeps_earlier(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_nvd_import_file(&im.c, fx("truncated.json"), &err);
    assert_true(rc == LF_EPARSE);
    assert_true(err.line > 200);
    assert_non_null(strstr(err.src, "truncated.json"));
    assert_int_equal(im.c.report.added, 2);
    lf_vdb_builder_free(im.b);
}

/* The retired 1.1 feed and non-JSON input are refused with a message saying what they are. */
static void test_nvd_refuses_other_formats(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_file(&im.c, fx("legacy-1.1.json"), &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "1.1"));
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_buffer(&im.c, "x.csv", "id,name\n", 8, &err), LF_EFORMAT);
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_buffer(&im.c, "empty", "  \n", 3, &err), LF_EFORMAT);
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_buffer(&im.c, "obj", "{\"a\":1}", 7, &err), LF_EFORMAT);
    /* a range bound that is not a string would widen the range: the configuration is
     * left out and reported, the record kept */
    {
        const char *rec = "{\"id\":\"CVE-2030-0001\",\"lastModified\":\"2030-01-01T00:00:00.000\","
                          "\"configurations\":[{\"nodes\":[{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":true,"
                          "\"criteria\":\"cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*\",\"versionEndExcluding\":2}]}]}],"
                          "\"metrics\":{\"cvssMetricV31\":[{\"cvssData\":{\"vectorString\":\"CVSS:3.1/AV:N/AC:L/PR:N/"
                          "UI:N/S:U/C:H/I:H/A:H\",\"baseScore\":-1.5}}]}}";
        size_t before = im.c.report.errors;
        lf_err_clear(&err);
        assert_int_equal(lf_nvd_import_buffer(&im.c, "bound.json", rec, strlen(rec), &err), LF_OK);
        assert_int_equal(im.c.report.errors, before + 2);
        assert_int_equal(im.c.report.configs_dropped, 1);
        assert_int_equal(lf_vdb_builder_ndocs(im.b), 1);
        im.c.report.errors = before;
    }
    /* some other JSON array (a vocabulary file in the same folder): refused once */
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_buffer(&im.c, "vocab.json", "[[\"a\",\"b\"],[1]]", 15, &err), LF_EFORMAT);
    assert_int_equal(im.c.report.errors, 0);
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 1);
    lf_vdb_builder_free(im.b);
}

/* Every real record imports without error, and every CVSS metric's vector scores to the
 * base score NVD states (v2, v3.0, v3.1, v4.0). */
static void test_nvd_shared_records_and_scores(void **state)
{
    (void)state;
    const char *root = getenv("LF_SHARED_DATA");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/nvd", root ? root : "");
    DIR *d = root ? opendir(dir) : NULL;
    if (!d)
        skip();
    imp im;
    imp_init(&im);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        lf_err err;
        lf_err_clear(&err);
        assert_int_equal(lf_nvd_import_file(&im.c, p, &err), LF_OK);
        files++;
    }
    closedir(d);
    assert_true(files >= 100);
    assert_int_equal(im.c.report.errors, 0);
    assert_int_equal(im.c.report.records, (size_t)files);

    char path[256];
    snprintf(path, sizeof path, "/tmp/lf-test-nvd-%d.lfx", (int)getpid());
    assert_int_equal(lf_vdb_builder_write(im.b, path, NULL), LF_OK);
    lf_vdb_builder_free(im.b);
    lf_vdb *db;
    assert_int_equal(lf_vdb_open(path, &db, NULL), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    size_t metrics = 0, mismatches = 0;
    for (size_t i = 0; i < lf_vdb_ndocs(db); i++) {
        lf_vdoc doc;
        lf_arena_reset(&a);
        assert_int_equal(lf_vdb_doc(db, i, &a, &doc), LF_OK);
        for (size_t k = 0; k < doc.nmetric; k++) {
            lf_cvss c;
            lf_err err;
            lf_err_clear(&err);
            metrics++;
            int rc = lf_cvss_parse(&c, doc.metric[k].vector, strlen(doc.metric[k].vector), &err);
            if (rc != LF_OK || c.score10 != doc.metric[k].score10 || c.version != doc.metric[k].version) {
                mismatches++;
                fprintf(stderr, "%s %s: stated %d computed %d (%s)\n", doc.doc_id, doc.metric[k].vector,
                        doc.metric[k].score10, rc ? -1 : c.score10, rc ? err.msg : "");
            }
        }
    }
    lf_arena_clear(&a);
    lf_vdb_close(db);
    remove(path);
    assert_true(metrics > 300);
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvd_page_with_bad_records),
        cmocka_unit_test(test_nvd_gzip_single_replace_remove),
        cmocka_unit_test(test_nvd_truncated_keeps_earlier),
        cmocka_unit_test(test_nvd_refuses_other_formats),
        cmocka_unit_test(test_nvd_shared_records_and_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
