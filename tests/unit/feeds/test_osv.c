/*
 * Tests for src/feeds/osv.c: the mapping rules of osv.h (O1..O9) on hand-made records in
 * tests/fixtures/osv/ (malformed parts, a record naming no CVE, withdrawn records, an OSV
 * API answer, a zip of records), the real records of ../shared/data/osv/records (every
 * one imports with no error; known records give the documented documents and
 * criteria), the naming of inventory packages (OS strings of real hosts) and the
 * binary -> source table data/intake/deb-source.tsv.
 *
 * Documents are observed through the on_doc hook and written as one line each:
 *   "<doc_id> <vuln_id> | OR({<scheme> <cpe> <range>, ...}) ; ..." where range is
 *   "[a,b)" style (empty bound = none) and is left out when the criterion has no bounds.
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

#include "core/buf.h"
#include "core/file.h"
#include "feeds/osv.h"
#include "vans/pkgver.h"
#include "vans/vulndb.h"

typedef struct errs {
    int n;
    lf_err e[32];
} errs;

static void on_err(void *ud, const lf_err *e)
{
    errs *x = ud;
    if (x->n < 32)
        x->e[x->n] = *e;
    x->n++;
}

static const char *fx(const char *name)
{
    static char p[1024];
    const char *d = getenv("LF_FIXTURES");
    snprintf(p, sizeof p, "%s/osv/%s", d ? d : "tests/fixtures", name);
    return p;
}

/* ---- documents as text ---- */

static void crit_text(lf_buf *b, const lf_vcrit *c)
{
    lf_buf_printf(b, "%s %s", lf_vscheme_name(c->scheme), c->cpe);
    if (c->start || c->end)
        lf_buf_printf(b, " %c%s,%s%c", c->start && c->start_incl ? '[' : '(', c->start ? c->start : "",
                      c->end ? c->end : "", c->end && c->end_incl ? ']' : ')');
    if (!c->vulnerable)
        lf_buf_puts(b, " ~");
}

static void doc_text(lf_buf *b, const lf_vdoc *d)
{
    lf_buf_printf(b, "%s %s |", d->doc_id, d->vuln_id);
    for (size_t i = 0; i < d->nconfig; i++) {
        const lf_vconfig *c = &d->config[i];
        lf_buf_printf(b, "%s %s(", i ? " ;" : "", c->op_and ? "AND" : "OR");
        for (size_t n = 0; n < c->nnode; n++) {
            const lf_vnode *nd = &c->node[n];
            lf_buf_printf(b, "%s%s{", n ? " " : "", nd->negate ? "NOT" : "");
            for (size_t k = 0; k < nd->ncrit; k++) {
                if (k)
                    lf_buf_puts(b, ", ");
                crit_text(b, &nd->crit[k]);
            }
            lf_buf_puts(b, "}");
        }
        lf_buf_puts(b, ")");
    }
    lf_buf_puts(b, "\n");
}

typedef struct imp {
    lf_vdb_builder *b;
    lf_feed_ctx c;
    errs e;
    lf_buf docs;              /* one line per document seen */
    size_t ndocs, nrejected;
    lf_osv_stats st;
    const char *watch;        /* doc_id whose fields are copied */
    char desc[256], cwe0[32], pub[40];
    int nmetric, score10, ncwe, nref;
    lf_cvss_version mver;
    char ref_tags[8][64];
} imp;

static int on_doc(void *ud, const lf_vdoc *d, bool rejected)
{
    imp *im = ud;
    assert_int_equal(d->source, LF_SRC_OSV);
    assert_non_null(d->vuln_id);
    assert_non_null(d->doc_id);
    assert_non_null(d->modified);
    im->ndocs++;
    if (rejected) {
        im->nrejected++;
        lf_buf_printf(&im->docs, "REMOVE %s %s\n", d->doc_id, d->vuln_id);
        return 0;
    }
    doc_text(&im->docs, d);
    if (im->watch && !strcmp(d->doc_id, im->watch)) {
        snprintf(im->desc, sizeof im->desc, "%s", d->description ? d->description : "");
        snprintf(im->pub, sizeof im->pub, "%s", d->published ? d->published : "");
        im->nmetric = (int)d->nmetric;
        im->score10 = d->nmetric ? d->metric[0].score10 : -1;
        im->mver = d->nmetric ? d->metric[0].version : 0;
        im->ncwe = (int)d->ncwe;
        snprintf(im->cwe0, sizeof im->cwe0, "%s", d->ncwe ? d->cwe[0] : "");
        im->nref = (int)d->nref;
        for (size_t i = 0; i < d->nref && i < 8; i++)
            lf_ref_tags_format(d->ref[i].tags, im->ref_tags[i], sizeof im->ref_tags[i]);
    }
    return 0;
}

static void imp_init(imp *im)
{
    memset(im, 0, sizeof *im);
    im->b = lf_vdb_builder_new();
    assert_non_null(im->b);
    lf_feed_ctx_init(&im->c, im->b);
    im->c.on_error = on_err;
    im->c.ud = &im->e;
    lf_buf_init(&im->docs, 0);
}

static void imp_free(imp *im)
{
    lf_buf_clear(&im->docs);
    lf_vdb_builder_free(im->b);
}

/* Import paths (fixture names, or absolute paths) with one reader. */
static int import(imp *im, const char *const *files, size_t n)
{
    lf_osv_opts o = {on_doc, im};
    lf_osv_reader *r;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_osv_reader_new(&im->c, &o, &r, &err), LF_OK);
    int rc = LF_OK;
    for (size_t i = 0; i < n && rc == LF_OK; i++)
        rc = lf_osv_reader_file(r, files[i][0] == '/' ? files[i] : fx(files[i]), &err);
    lf_osv_reader_stats(r, &im->st);
    lf_osv_reader_free(r);
    return rc;
}
#define IMPORT(im, ...) ({ static const char *const f_[] = {__VA_ARGS__}; \
    import((im), f_, sizeof f_ / sizeof f_[0]); })

static const char *docs_of(imp *im)
{
    return im->docs.data ? im->docs.data : "";
}

#define HAS(im, s) do { if (!strstr(docs_of(im), (s))) fail_msg("missing: %s\nin:\n%s", (s), docs_of(im)); } while (0)
#define HASNT(im, s) \
    do { if (strstr(docs_of(im), (s))) fail_msg("unexpected: %s\nin:\n%s", (s), docs_of(im)); } while (0)

/* The line of doc_id (up to the newline) into out; fails when absent. */
static const char *doc_line(imp *im, const char *doc_id, char *out, size_t cap)
{
    char key[160];
    snprintf(key, sizeof key, "%s ", doc_id);
    const char *all = docs_of(im);
    for (const char *p = all; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, key, strlen(key))) {
            size_t n = strcspn(p, "\n");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return out;
        }
    fail_msg("no document %s in:\n%s", doc_id, all);
    return NULL;
}

static bool has_err(const imp *im, const char *id, const char *field, const char *msg_part)
{
    for (int i = 0; i < im->e.n && i < 32; i++) {
        const lf_err *e = &im->e.e[i];
        if (!strcmp(e->id, id) && !strcmp(e->field, field) && strstr(e->msg, msg_part) &&
            strstr(e->src, "malformed.json"))
            return true;
    }
    return false;
}

static void dump_errs(const imp *im)
{
    for (int i = 0; i < im->e.n && i < 32; i++) {
        char b[1024];
        fprintf(stderr, "  %s\n", lf_err_format(&im->e.e[i], b, sizeof b));
    }
}

/* ------------------------------------------------------------------ tests ---- */

/* O8: a record without id, a fixed event that is a number, an unknown range type, a
 * non-object affected entry, an event with two kinds, a bad CVSS vector and a range
 * with no introduced event are each reported with the file, the record id and the field
 * path; everything else in the array imports (7 reports, 5 of 6 records imported). */
static void test_osv_malformed_reported(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    im.watch = "OSV-TEST-0005";
    assert_int_equal(IMPORT(&im, "malformed.json"), LF_OK);
    if (im.e.n != 7)
        dump_errs(&im);
    assert_int_equal(im.e.n, 7);
    assert_int_equal(im.c.report.errors, 7);
    assert_int_equal(im.c.report.records, 6);
    assert_int_equal(im.c.report.added, 5);
    assert_true(has_err(&im, "", "id", "no id"));
    assert_true(has_err(&im, "OSV-TEST-0003", "affected[0].ranges[0].events[1]", "fixed must be a non-empty string"));
    assert_true(has_err(&im, "OSV-TEST-0004", "affected[0].ranges[0]", "\"CALVER\" is unknown"));
    assert_true(has_err(&im, "OSV-TEST-0005", "affected[0]", "not an object"));
    assert_true(has_err(&im, "OSV-TEST-0005", "affected[1].ranges[0].events[0]", "both"));
    assert_true(has_err(&im, "OSV-TEST-0005", "severity[0]", "does not parse"));
    assert_true(has_err(&im, "OSV-TEST-0006", "affected[0].ranges[0].events", "no introduced"));
    /* every report carries the line of its record */
    for (int i = 0; i < im.e.n; i++)
        assert_true(im.e.e[i].line > 1);
    HAS(&im, "OSV-TEST-0001 CVE-2099-1001 | OR({dpkg cpe:2.3:p:debian:openssl:*:*:*:*:*:12:*:* (,3.0.11-1~deb12u2)})\n");
    /* the bad range is dropped whole, the other entry stays */
    HAS(&im, "OSV-TEST-0003 CVE-2099-1003 | OR({apk cpe:2.3:p:alpine:musl:*:*:*:*:*:3.20:*:* (,1.2.5-r1)})\n");
    HAS(&im, "OSV-TEST-0004 CVE-2099-1004 | OR({semver cpe:2.3:p:npm:left-pad:*:*:*:*:*:*:*:* [1.0.0,1.3.1)})\n");
    /* PEP 503 name; introduced without a close is open-ended */
    HAS(&im, "OSV-TEST-0005 CVE-2099-1005 | OR({pep440 cpe:2.3:p:pypi:foo-bar-baz:*:*:*:*:*:*:*:* [2.0,)})\n");
    assert_int_equal(im.nmetric, 1);
    assert_int_equal(im.score10, 98);
    /* no CVE: the OSV id is the vuln id; the only entry's config is dropped (as is
     * OSV-TEST-0003's first one) */
    HAS(&im, "OSV-TEST-0006 OSV-TEST-0006 |\n");
    assert_int_equal(im.c.report.configs_dropped, 2);
    imp_free(&im);
}

/* O1, O2, O5, O6, O7: a record naming no CVE keeps its aliases in the description; GIT
 * ranges restating an ECOSYSTEM range are dropped, last_affected is an inclusive end and
 * limit is ignored outside GIT; a GIT-only entry gives unordered criteria, a second
 * fixed closing the same introduction again and limit as an exclusive end; versions[]
 * alone give exact criteria; ADVISORY links are vendor advisories except NVD's. */
static void test_osv_no_cve_git_versions_refs(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    im.watch = "GHSA-test-nocv-0001";
    assert_int_equal(IMPORT(&im, "nocve.json"), LF_OK);
    assert_int_equal(im.e.n, 1);   /* the reference without url */
    assert_string_equal(im.e.e[0].field, "references[6]");
    assert_string_equal(im.e.e[0].id, "GHSA-test-nocv-0001");
    HAS(&im, "GHSA-test-nocv-0001 GHSA-test-nocv-0001 | "
             "OR({maven cpe:2.3:p:maven:org.example\\:lib:*:*:*:*:*:*:*:* (,1.4]}) ; "
             "OR({unordered cpe:2.3:p:wolfi:lib:*:*:*:*:*:*:*:* "
             "[1111111111111111111111111111111111111111,2222222222222222222222222222222222222222), "
             "unordered cpe:2.3:p:wolfi:lib:*:*:*:*:*:*:*:* "
             "[1111111111111111111111111111111111111111,3333333333333333333333333333333333333333), "
             "unordered cpe:2.3:p:wolfi:lib:*:*:*:*:*:*:*:* "
             "[1111111111111111111111111111111111111111,4444444444444444444444444444444444444444)}) ; "
             "OR({dpkg cpe:2.3:p:ubuntu:openssl:*:*:*:*:*:pro-fips-updates-22.04:*:* "
             "[3.0.2-0ubuntu1.10,3.0.2-0ubuntu1.10], "
             "dpkg cpe:2.3:p:ubuntu:openssl:*:*:*:*:*:pro-fips-updates-22.04:*:* "
             "[3.0.2-0ubuntu1.12,3.0.2-0ubuntu1.12]})\n");
    assert_string_equal(im.desc, "aliases: PYSEC-2099-1, GHSA-test-othr-0002\n\nno CVE\n\nDetails of the issue.");
    assert_int_equal(im.st.git_dropped, 1);
    assert_int_equal(im.st.no_cve, 1);
    assert_int_equal(im.ncwe, 1);
    assert_string_equal(im.cwe0, "CWE-79");
    assert_int_equal(im.nref, 6);
    assert_string_equal(im.ref_tags[0], "VDB Entry");
    assert_string_equal(im.ref_tags[1], "Vendor Advisory");
    assert_string_equal(im.ref_tags[2], "Patch");
    assert_string_equal(im.ref_tags[3], "");
    assert_string_equal(im.ref_tags[4], "Product");
    assert_string_equal(im.ref_tags[5], "Issue Tracking");
    imp_free(&im);
}

/* O3: a withdrawn record removes the documents an earlier version of it made (one per
 * CVE); importing the withdrawal first leaves nothing to remove. */
static void test_osv_withdrawn(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, "unwithdrawn.json", "withdrawn.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "GHSA-test-wdrn-0001/CVE-2099-2001 CVE-2099-2001 | OR({semver cpe:2.3:p:npm:some-pkg:");
    HAS(&im, "REMOVE GHSA-test-wdrn-0001/CVE-2099-2001 CVE-2099-2001\n");
    HAS(&im, "REMOVE GHSA-test-wdrn-0001/CVE-2099-2002 CVE-2099-2002\n");
    assert_int_equal(im.c.report.added, 2);
    assert_int_equal(im.c.report.removed, 2);
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 0);
    assert_int_equal(im.st.withdrawn, 1);
    imp_free(&im);

    imp_init(&im);
    assert_int_equal(IMPORT(&im, "withdrawn.json", "unwithdrawn.json"), LF_OK);
    assert_int_equal(im.c.report.rejected_new, 2);
    assert_int_equal(im.c.report.added, 2);   /* older than the withdrawal, but nothing was stored */
    imp_free(&im);
}

/* Shapes: an OSV API answer ({"vulns": [...]}) with distribution-prefixed CVE ids
 * (upstream DEBIAN-CVE-..., id UBUNTU-CVE-...), a zip of records with a broken entry
 * (reported as "archive!entry", the rest imported), NVD and CVE 5 files refused. */
static void test_osv_shapes(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, "api.json", "all.zip"), LF_OK);
    HAS(&im, "OSV-TEST-API-1 CVE-2099-3001 | OR({dpkg cpe:2.3:p:debian:zlib:*:*:*:*:*:*:*:*})\n");
    HAS(&im, "UBUNTU-CVE-2099-3002 CVE-2099-3002 | "
             "OR({dpkg cpe:2.3:p:ubuntu:zlib:*:*:*:*:*:24.10:*:* (,1:1.3.dfsg-3.1ubuntu2.1)})\n");
    HAS(&im, "ALSA-2099:0001 CVE-2099-4001 | OR({rpm cpe:2.3:p:almalinux:glibc:*:*:*:*:*:9:*:* (,2.34-60.el9_2.7)})\n");
    HAS(&im, "RLSA-2099:0002 CVE-2099-4002 | "
             "OR({rpm cpe:2.3:p:rocky_linux:kernel:*:*:*:*:*:8:*:* (,0:4.18.0-553.el8_10)})\n");
    assert_int_equal(im.e.n, 1);
    assert_non_null(strstr(im.e.e[0].src, "all.zip!broken.json"));
    assert_int_equal(im.c.report.added, 4);
    imp_free(&im);

    /* the one-shot forms: a file (through lf_feed_import_file) and a folder */
    imp_init(&im);
    lf_err err1;
    lf_err_clear(&err1);
    assert_int_equal(lf_osv_import_file(&im.c, fx("all.zip"), &err1), LF_OK);
    assert_int_equal(im.c.report.added, 2);
    assert_int_equal(im.c.report.errors, 1);
    char fxdir[1024];
    snprintf(fxdir, sizeof fxdir, "%s", fx(""));
    assert_int_equal(lf_osv_import_file(&im.c, fxdir, &err1), LF_OK);
    /* all.zip twice (3 .json entries each, README.txt skipped) and the folder's 5 .json files */
    assert_int_equal(im.c.report.files, 3 + 3 + 5);
    imp_free(&im);

    static const struct {
        const char *text, *msg;
    } refused[] = {
        {"{\"dataType\": \"CVE_RECORD\", \"cveMetadata\": {\"cveId\": \"CVE-2024-1\"}}", "feed import cve5"},
        {"{\"resultsPerPage\": 1, \"vulnerabilities\": []}", "feed import nvd"},
        {"[{\"cve\": {\"id\": \"CVE-2024-1\", \"vulnStatus\": \"Analyzed\"}}]", "not OSV"},
        {"  ", "empty file"},
        {"<html>", "not JSON"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        imp_init(&im);
        lf_err err;
        lf_err_clear(&err);
        assert_int_equal(lf_osv_import_buffer(&im.c, "x.json", refused[i].text, strlen(refused[i].text), &err),
                         LF_EFORMAT);
        if (!strstr(err.msg, refused[i].msg))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, refused[i].msg);
        assert_string_equal(err.src, "x.json");
        imp_free(&im);
    }
}

/* O1..O9 on the real records: all 54 import with no report, and known records give the
 * documents and criteria their JSON states. */
static void test_osv_shared_records(void **state)
{
    (void)state;
    const char *shared = getenv("LF_SHARED_DATA");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/osv/records", shared ? shared : "");
    if (!shared || !lf_is_dir(dir)) {
        skip();
        return;
    }
    imp im;
    imp_init(&im);
    im.watch = "CVE-2023-0286";
    assert_int_equal(import(&im, (const char *const[]){dir}, 1), LF_OK);
    if (im.e.n)
        dump_errs(&im);
    assert_int_equal(im.e.n, 0);
    assert_int_equal(im.c.report.files, 54);
    assert_int_equal(im.c.report.records, 54);
    assert_int_equal(im.st.records, 54);
    assert_int_equal(im.c.report.configs_dropped, 0);
    char line[1 << 16];

    /* AlmaLinux: CVEs from related (fallback), one doc per CVE, rpm scheme, epoch kept */
    doc_line(&im, "ALSA-2023:0946/CVE-2023-0286", line, sizeof line);
    assert_non_null(strstr(line, " CVE-2023-0286 | "));
    assert_non_null(strstr(line, "{rpm cpe:2.3:p:almalinux:openssl:*:*:*:*:*:9:*:* (,1:3.0.1-47.el9_1)}"));
    assert_non_null(strstr(line, "{rpm cpe:2.3:p:almalinux:openssl-libs:*:*:*:*:*:9:*:* (,1:3.0.1-47.el9_1)}"));
    HAS(&im, "ALSA-2023:0946/CVE-2022-4203 CVE-2022-4203 |");
    HAS(&im, "ALSA-2023:0946/CVE-2023-0401 CVE-2023-0401 |");
    /* module stream: two fixes of nginx in one record, one configuration each */
    doc_line(&im, "ALSA-2021:2259", line, sizeof line);
    assert_non_null(strstr(line, "OR({rpm cpe:2.3:p:almalinux:nginx:*:*:*:*:*:8:*:* "
                                 "(,1:1.18.0-3.module_el8.5.0+36+48437aab.1.alma)}) ; "
                                 "OR({rpm cpe:2.3:p:almalinux:nginx:*:*:*:*:*:8:*:* "
                                 "(,1:1.18.0-3.module_el8.4.0+2472+f736ed63.1.alma)})"));
    /* Rocky: upstream CVEs, explicit 0: epoch */
    doc_line(&im, "RLSA-2025:8056/CVE-2025-21756", line, sizeof line);
    assert_non_null(strstr(line, "rpm cpe:2.3:p:rocky_linux:kernel:*:*:*:*:*:8:*:* (,0:"));

    /* Ubuntu CVE record: the id is the CVE; versions[] dropped for the ranges; Pro
     * releases; an unfixed package (introduced 0 only) is every version; CVSS 3.1 */
    doc_line(&im, "CVE-2023-0286", line, sizeof line);
    assert_non_null(strstr(line, "CVE-2023-0286 CVE-2023-0286 | "));
    assert_non_null(strstr(line, "{dpkg cpe:2.3:p:ubuntu:openssl:*:*:*:*:*:22.04:*:* (,3.0.2-0ubuntu1.8)}"));
    assert_non_null(strstr(line, "{dpkg cpe:2.3:p:ubuntu:openssl:*:*:*:*:*:pro-14.04:*:* (,1.0.1f-1ubuntu2.27+esm6)}"));
    assert_non_null(strstr(line, "{dpkg cpe:2.3:p:ubuntu:edk2:*:*:*:*:*:20.04:*:*}"));
    assert_null(strstr(line, "[1.0.1e-3ubuntu1,1.0.1e-3ubuntu1]"));
    assert_int_equal(im.nmetric, 1);
    assert_int_equal(im.mver, LF_CVSS_V31);
    assert_int_equal(im.score10, 74);
    assert_string_equal(im.pub, "2023-02-07T00:00:00Z");
    assert_true(im.st.versions_dropped > 0);
    /* USN: CVEs from UBUNTU-CVE-* upstream ids */
    doc_line(&im, "USN-5811-1/CVE-2023-22809", line, sizeof line);
    assert_non_null(strstr(line, "{dpkg cpe:2.3:p:ubuntu:sudo:*:*:*:*:*:22.04:*:* (,1.9.9-1ubuntu2.2)}"));
    assert_non_null(strstr(line, "{dpkg cpe:2.3:p:ubuntu:sudo:*:*:*:*:*:18.04:*:* (,1.8.21p2-3ubuntu1.5)}"));
    HAS(&im, "USN-5811-1/CVE-2022-33070 CVE-2022-33070 |");
    /* USN-7095-1: CVE-X and UBUNTU-CVE-X in related name one CVE */
    HASNT(&im, "USN-7095-1/UBUNTU-");
    HAS(&im, "USN-7095-1/CVE-2024-45001 CVE-2024-45001 |");

    /* Debian: a DSA with two CVEs gives two documents; an old minimal record */
    HAS(&im, "DTSA-1-1/CVE-2005-2626 CVE-2005-2626 | OR({dpkg cpe:2.3:p:debian:kismet:*:*:*:*:*:4.0:*:*");
    HAS(&im, "DTSA-1-1/CVE-2005-2627 CVE-2005-2627 | OR({dpkg cpe:2.3:p:debian:kismet:*:*:*:*:*:4.0:*:*");
    HAS(&im, "DSA-3029-1 CVE-2014-3616 | OR({dpkg cpe:2.3:p:debian:nginx:*:*:*:*:*:7:*:* (,1.2.1-2.2+wheezy3)})\n");
    HAS(&im, "DLA-3008-1 CVE-2022-1292 | OR({dpkg cpe:2.3:p:debian:openssl:*:*:*:*:*:9:*:* (,1.1.0l-1~deb9u6)})\n");
    /* tzdata: no CVE at all, the DLA id stands for itself */
    HAS(&im, "DLA-3051-1 DLA-3051-1 | OR({dpkg cpe:2.3:p:debian:tzdata:*:*:*:*:*:9:*:*");
    /* Alpine record with a Debian part */
    doc_line(&im, "CVE-2024-10524", line, sizeof line);
    assert_non_null(strstr(line, "apk cpe:2.3:p:alpine:wget:*:*:*:*:*:3.21:*:*"));
    assert_non_null(strstr(line, "dpkg cpe:2.3:p:debian:wget:*:*:*:*:*:13:*:*"));
    HAS(&im, "ALPINE-CVE-2025-26519 CVE-2025-26519 | OR({apk cpe:2.3:p:alpine:musl:*:*:*:*:*:3.16:*:*");

    /* GHSA: last_affected is an inclusive end; CVSS 4.0 scored */
    doc_line(&im, "GHSA-3pxv-7cmr-fjr4", line, sizeof line);
    assert_non_null(strstr(line, "maven cpe:2.3:p:maven:org.apache.logging.log4j\\:log4j-core:*:*:*:*:*:*:*:* "
                                 "[3.0.0-alpha1,3.0.0-beta3]"));
    assert_non_null(strstr(line, "[2.0-alpha1,2.25.4)"));
    /* PyPI: ECOSYSTEM range kept, the GIT one dropped */
    doc_line(&im, "PYSEC-2023-74", line, sizeof line);
    assert_string_equal(line, "PYSEC-2023-74 CVE-2023-32681 | "
                              "OR({pep440 cpe:2.3:p:pypi:requests:*:*:*:*:*:*:*:* [2.3.0,2.31.0)})");
    assert_true(im.st.git_dropped >= 2);
    HASNT(&im, "unordered cpe:2.3:p:pypi");
    /* Go: SEMVER ranges */
    HAS(&im, "semver cpe:2.3:p:go:github.com\\/opencontainers\\/runc:*:*:*:*:*:*:*:* ");
    /* npm */
    HAS(&im, "GHSA-p6mc-m468-83gw CVE-2020-8203 | OR({");
    HAS(&im, "cpe:2.3:p:npm:lodash:*:*:*:*:*:*:*:* ");

    /* the GIT-only record: known, with no configuration */
    HAS(&im, "CVE-2025-11187 CVE-2025-11187 |\n");
    assert_true(im.st.no_package >= 1);
    imp_free(&im);
}

/* Every criterion the reader makes is one the index writer accepts: the real records
 * written and opened, document counts by source and documents without configuration. */
static void test_osv_index_write(void **state)
{
    (void)state;
    const char *shared = getenv("LF_SHARED_DATA");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/osv/records", shared ? shared : "");
    if (!shared || !lf_is_dir(dir)) {
        skip();
        return;
    }
    imp im;
    imp_init(&im);
    assert_int_equal(import(&im, (const char *const[]){dir}, 1), LF_OK);
    char path[256];
    snprintf(path, sizeof path, "/tmp/lf-test-osv-%ld.lfx", (long)getpid());
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_vdb_builder_write(im.b, path, &err), LF_OK);
    lf_vdb *db;
    assert_int_equal(lf_vdb_open(path, &db, &err), LF_OK);
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    assert_int_equal(st.docs_by_source[LF_SRC_OSV], im.c.report.added);
    assert_int_equal(st.docs, im.c.report.added);
    assert_true(st.docs_without_config >= 1);   /* CVE-2025-11187 */
    uint32_t idx[8];
    assert_int_equal(lf_vdb_find_vuln(db, "CVE-2023-0286", idx, 8), 2);   /* Ubuntu + AlmaLinux */
    lf_vdb_close(db);
    unlink(path);
    imp_free(&im);
}

/* O9: OSV ecosystem names to CPE family and release. */
static void test_osv_ecosystem_table(void **state)
{
    (void)state;
    static const struct {
        const char *in, *fam, *rel;
    } t[] = {
        {"Debian:12", "debian", "12"},          {"Debian", "debian", ""},
        {"Debian:3.0", "debian", "3.0"},        {"Ubuntu:22.04:LTS", "ubuntu", "22.04"},
        {"Ubuntu:24.10", "ubuntu", "24.10"},    {"Ubuntu:Pro:18.04:LTS", "ubuntu", "pro-18.04"},
        {"Alpine:v3.19", "alpine", "3.19"},     {"AlmaLinux:9", "almalinux", "9"},
        {"Rocky Linux:8", "rocky_linux", "8"},  {"Red Hat:enterprise_linux:9::appstream", "red_hat",
                                                 "enterprise_linux:9::appstream"},
        {"npm", "npm", ""},                     {"PyPI", "pypi", ""},
        {"Maven", "maven", ""},                 {"Go", "go", ""},
        {"NuGet", "nuget", ""},                 {"crates.io", "crates.io", ""},
        {"SUSE:Linux Enterprise Server 15 SP5", "suse", "Linux Enterprise Server 15 SP5"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char fam[64], rel[64];
        assert_int_equal(lf_osv_ecosystem(t[i].in, fam, sizeof fam, rel, sizeof rel), LF_OK);
        if (strcmp(fam, t[i].fam) || strcmp(rel, t[i].rel))
            fail_msg("%s: got %s / %s, want %s / %s", t[i].in, fam, rel, t[i].fam, t[i].rel);
    }
    char fam[64], rel[4];
    assert_int_equal(lf_osv_ecosystem("", fam, sizeof fam, rel, sizeof rel), LF_EINVAL);
    assert_int_equal(lf_osv_ecosystem("Ubuntu:Pro:18.04:LTS", fam, sizeof fam, rel, sizeof rel), LF_ELIMIT);
    lf_cpe c;
    assert_int_equal(lf_osv_package_cpe("Debian:12", "caf\xc3\xa9", NULL, &c), LF_EINVAL);
}

/* The inventory side: OS strings as real hosts write them (os-release PRETTY_NAME,
 * /etc/redhat-release, dpkg -l headers, short forms) to the package CPE of a record. */
static void test_osv_item_cpe(void **state)
{
    (void)state;
    static const struct {
        const char *eco, *os, *name, *ver, *want;   /* want NULL: LF_ENOTFOUND */
    } t[] = {
        {"deb", "Debian GNU/Linux 12 (bookworm)", "openssl", "3.0.11-1~deb12u2",
         "cpe:2.3:p:debian:openssl:3.0.11-1\\~deb12u2:*:*:*:*:12:*:*"},
        {"deb", "debian 12", "libc6:amd64", "2.36-9+deb12u4", "cpe:2.3:p:debian:libc6:2.36-9\\+deb12u4:*:*:*:*:12:*:*"},
        {"deb", "Debian GNU/Linux 11 (bullseye)", "curl", "7.74.0-1.3+deb11u7",
         "cpe:2.3:p:debian:curl:7.74.0-1.3\\+deb11u7:*:*:*:*:11:*:*"},
        {"deb", "Debian GNU/Linux 6.0.10", "bash", "4.1-3", "cpe:2.3:p:debian:bash:4.1-3:*:*:*:*:6.0:*:*"},
        {"deb", "Debian GNU/Linux bookworm/sid", "bash", "5.2.15-2", "cpe:2.3:p:debian:bash:5.2.15-2:*:*:*:*:12:*:*"},
        {"deb", "Raspbian GNU/Linux 10 (buster)", "sudo", "1.8.27-1+deb10u3",
         "cpe:2.3:p:debian:sudo:1.8.27-1\\+deb10u3:*:*:*:*:10:*:*"},
        {"deb", "Ubuntu 22.04.3 LTS", "sudo", "1.9.9-1ubuntu2.4", "cpe:2.3:p:ubuntu:sudo:1.9.9-1ubuntu2.4:*:*:*:*:22.04:*:*"},
        {"deb", "ubuntu 22.04", "openssl", NULL, "cpe:2.3:p:ubuntu:openssl:*:*:*:*:*:22.04:*:*"},
        {"deb", "Ubuntu 18.04.6 LTS (Bionic Beaver)", "bash", "4.4.18-2ubuntu1.3",
         "cpe:2.3:p:ubuntu:bash:4.4.18-2ubuntu1.3:*:*:*:*:18.04:*:*"},
        {"deb", "Ubuntu 20.04.6 LTS", "util-linux", "2.34-0.1ubuntu9.4",
         "cpe:2.3:p:ubuntu:util-linux:2.34-0.1ubuntu9.4:*:*:*:*:20.04:*:*"},
        {"rpm", "AlmaLinux 9.3 (Shamrock Pampas Cat)", "openssl", "3.0.7-24.el9",
         "cpe:2.3:p:almalinux:openssl:3.0.7-24.el9:*:*:*:*:9:*:*"},
        {"rpm", "Rocky Linux release 8.9 (Green Obsidian)", "kernel", "4.18.0-513.5.1.el8_9",
         "cpe:2.3:p:rocky_linux:kernel:4.18.0-513.5.1.el8_9:*:*:*:*:8:*:*"},
        {"rpm", "Red Hat Enterprise Linux 9.2", "glibc", "2.34-60.el9", "cpe:2.3:p:red_hat:glibc:2.34-60.el9:*:*:*:*:9:*:*"},
        {"rpm", "Red Hat Enterprise Linux release 8.4 (Ootpa)", "sudo", "1.8.29-7.el8",
         "cpe:2.3:p:red_hat:sudo:1.8.29-7.el8:*:*:*:*:8:*:*"},
        {"apk", "Alpine Linux v3.19", "musl", "1.2.4_git20230717-r4",
         "cpe:2.3:p:alpine:musl:1.2.4_git20230717-r4:*:*:*:*:3.19:*:*"},
        {"apk", "Alpine Linux v3.18.4", "busybox", "1.36.1-r5", "cpe:2.3:p:alpine:busybox:1.36.1-r5:*:*:*:*:3.18:*:*"},
        {"npm", NULL, "lodash", "4.17.15", "cpe:2.3:p:npm:lodash:4.17.15:*:*:*:*:*:*:*"},
        {"npm", "Ubuntu 22.04", "@babel/core", "7.0.0", "cpe:2.3:p:npm:\\@babel\\/core:7.0.0:*:*:*:*:*:*:*"},
        {"pypi", NULL, "Django_REST.framework", "3.14.0", "cpe:2.3:p:pypi:django-rest-framework:3.14.0:*:*:*:*:*:*:*"},
        {"maven", NULL, "org.apache.logging.log4j:log4j-core", "2.14.1",
         "cpe:2.3:p:maven:org.apache.logging.log4j\\:log4j-core:2.14.1:*:*:*:*:*:*:*"},
        {"golang", NULL, "golang.org/x/sys", "v0.0.1", "cpe:2.3:p:go:golang.org\\/x\\/sys:v0.0.1:*:*:*:*:*:*:*"},
        {"nuget", NULL, "Newtonsoft.Json", "12.0.1", "cpe:2.3:p:nuget:newtonsoft.json:12.0.1:*:*:*:*:*:*:*"},
        /* not covered by OSV, or the wrong package type for the OS */
        {"deb", "CentOS Linux release 7.9.2009 (Core)", "bash", "4.2", NULL},
        {"rpm", "Ubuntu 22.04.3 LTS", "bash", "5.1", NULL},
        {"deb", NULL, "bash", "5.1", NULL},
        {"msi", "Windows 10", "7-Zip", "19.00", NULL},
        {"deb", "Ubuntu 22", "bash", "5.1", NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        lf_cpe c;
        int rc = lf_osv_item_cpe(t[i].eco, t[i].os, t[i].name, t[i].ver, &c);
        if (!t[i].want) {
            if (rc != LF_ENOTFOUND)
                fail_msg("case %zu (%s): rc %d, want LF_ENOTFOUND", i, t[i].os ? t[i].os : "-", rc);
            continue;
        }
        if (rc != LF_OK)
            fail_msg("case %zu (%s): rc %d", i, t[i].os ? t[i].os : "-", rc);
        char fs[LF_CPE_FS_BUF];
        assert_int_equal(lf_cpe_format_fs(&c, fs, sizeof fs), LF_OK);
        if (strcmp(fs, t[i].want))
            fail_msg("case %zu (%s): %s, want %s", i, t[i].os ? t[i].os : "-", fs, t[i].want);
    }
    char fam[32], rel[32];
    assert_int_equal(lf_osv_platform("Rocky Linux 9.3 (Blue Onyx)", fam, sizeof fam, rel, sizeof rel), LF_OK);
    assert_string_equal(fam, "rocky_linux");
    assert_string_equal(rel, "9");
    assert_int_equal(lf_osv_platform("Windows Server 2019", fam, sizeof fam, rel, sizeof rel), LF_ENOTFOUND);
}

/* The shipped binary -> source table loads, maps the binaries the brief names, and a
 * record's criterion CPE and the mapped item's CPE name the same package. */
static void test_osv_srcmap(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/data/intake/deb-source.tsv", LF_SOURCE_DIR);
    lf_osv_srcmap *m;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_osv_srcmap_load(path, &m, &err), LF_OK);
    assert_true(lf_osv_srcmap_count(m) >= 150);
    static const struct {
        const char *bin, *src;   /* src NULL: not listed */
    } t[] = {
        {"libssl3", "openssl"},          {"libssl1.1:amd64", "openssl"},   {"openssh-client", "openssh"},
        {"openssh-server", "openssh"},   {"libc6", "glibc"},               {"libc-bin", "glibc"},
        {"libcurl4", "curl"},            {"nginx-core", "nginx"},          {"apache2-bin", "apache2"},
        {"libxml2", "libxml2"},          {"php8.2-fpm", "php8.2"},         {"php-common", "php-defaults"},
        {"libpython3.11-stdlib", "python3.11"}, {"perl-modules-5.36", "perl"}, {"zlib1g:amd64", "zlib"},
        {"libgnutls30", "gnutls28"},     {"libkrb5-3", "krb5"},            {"bind9-host", "bind9"},
        {"libldap-2.5-0", "openldap"},   {"smbclient", "samba"},           {"libsystemd0", "systemd"},
        {"linux-image-6.1.0-18-amd64", "linux"}, {"linux-image-generic", "linux-meta"},
        {"bash", NULL},                  {"sudo", NULL},                   {"", NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *got = lf_osv_srcmap_lookup(m, t[i].bin);
        if (t[i].src ? !got || strcmp(got, t[i].src) : got != NULL)
            fail_msg("%s: got %s, want %s", t[i].bin, got ? got : "(none)", t[i].src ? t[i].src : "(none)");
    }
    /* libssl3 on Debian 12 meets the criterion a Debian record about openssl makes */
    lf_cpe item, crit;
    assert_int_equal(lf_osv_item_cpe_map(m, "deb", "Debian GNU/Linux 12 (bookworm)", "libssl3:amd64",
                                         "3.0.11-1~deb12u2", &item), LF_OK);
    assert_int_equal(lf_osv_package_cpe("Debian:12", "openssl", NULL, &crit), LF_OK);
    assert_true(lf_cpe_match(&crit, &item));
    assert_int_equal(lf_osv_package_cpe("Debian:11", "openssl", NULL, &crit), LF_OK);
    assert_false(lf_cpe_match(&crit, &item));
    lf_osv_srcmap_free(m);

    /* malformed tables are refused with the line */
    static const struct {
        const char *text;
        size_t len;
    } bad[] = {
#define T_(s) {s, sizeof s - 1}
        T_("libssl3 openssl\n"), T_("# ok\nlibssl3\topenssl\tx\n"), T_("a\tb\na\tc\n"), T_("\0a\tb\n"),
        T_("lib*x\ty\n"),
#undef T_
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lf_err_clear(&err);
        assert_int_equal(lf_osv_srcmap_parse("t.tsv", bad[i].text, bad[i].len, &m, &err), LF_EPARSE);
        assert_null(m);
        assert_string_equal(err.src, "t.tsv");
    }
    assert_int_equal(err.line, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osv_malformed_reported),
        cmocka_unit_test(test_osv_no_cve_git_versions_refs),
        cmocka_unit_test(test_osv_withdrawn),
        cmocka_unit_test(test_osv_shapes),
        cmocka_unit_test(test_osv_shared_records),
        cmocka_unit_test(test_osv_index_write),
        cmocka_unit_test(test_osv_ecosystem_table),
        cmocka_unit_test(test_osv_item_cpe),
        cmocka_unit_test(test_osv_srcmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
