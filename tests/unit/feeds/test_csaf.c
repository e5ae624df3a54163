/*
 * Tests for src/feeds/csaf.c: the mapping rules of csaf.h (C1..C9) on hand-made documents
 * in tests/fixtures/csaf/ (package URLs of every supported type, vers ranges,
 * relationships, first/last affected, malformed parts, a document without tracking id)
 * and on the real advisories of ../shared/data/csaf (every one imports without errors;
 * per-vendor assertions on their criteria, references and scores).
 *
 * Documents are observed through the on_doc hook and written as one line each:
 *   "<doc_id> | <config> ; <config>" with config "OR{...}" or "NA{...}" (not_affected),
 *   criterion "<scheme>:<cpe> <range>" where the scheme is left out when generic and the
 *   range is "[a,b)" style (empty bound = none; no range = the CPE's own version).
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

#include "core/buf.h"
#include "feeds/csaf.h"
#include "intake/namedb.h"
#include "intake/normalize.h"
#include "vans/vulndb.h"

typedef struct errs {
    int n;
    lf_err last[32];
} errs;

static void on_err(void *ud, const lf_err *e)
{
    errs *x = ud;
    if (x->n < 32)
        x->last[x->n] = *e;
    x->n++;
}

static const char *fx(const char *name)
{
    static char p[1024];
    const char *d = getenv("LF_FIXTURES");
    snprintf(p, sizeof p, "%s/csaf/%s", d ? d : "tests/fixtures", name);
    return p;
}

typedef struct imp {
    lf_vdb_builder *b;
    lf_feed_ctx c;
    errs e;
    errs unnamed;
    lf_buf docs;              /* one line per document */
    lf_buf meta;              /* one line per document: ids, dates, description, metrics, refs */
    size_t ndocs;
} imp;

static void crit_text(lf_buf *b, const lf_vcrit *c)
{
    if (c->scheme != LF_VS_GENERIC)
        lf_buf_printf(b, "%s:", lf_vscheme_name(c->scheme));
    lf_buf_puts(b, c->cpe);
    if (c->start || c->end)
        lf_buf_printf(b, " %c%s,%s%c", c->start && c->start_incl ? '[' : '(', c->start ? c->start : "",
                      c->end ? c->end : "", c->end && c->end_incl ? ']' : ')');
}

static int on_doc(void *ud, const lf_vdoc *d)
{
    imp *im = ud;
    assert_int_equal(d->source, LF_SRC_CSAF);
    assert_non_null(d->vuln_id);
    assert_non_null(d->doc_id);
    im->ndocs++;
    lf_buf *b = &im->docs;
    lf_buf_printf(b, "%s |", d->doc_id);
    for (size_t i = 0; i < d->nconfig; i++) {
        const lf_vconfig *c = &d->config[i];
        assert_false(c->op_and);
        assert_int_equal(c->nnode, 1);
        lf_buf_printf(b, "%s %s{", i ? " ;" : "", c->not_affected ? "NA" : "OR");
        for (size_t k = 0; k < c->node[0].ncrit; k++) {
            if (k)
                lf_buf_puts(b, ", ");
            assert_true(c->node[0].crit[k].vulnerable);
            crit_text(b, &c->node[0].crit[k]);
        }
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, "\n");
    b = &im->meta;
    lf_buf_printf(b, "%s vuln=%s pub=%s mod=%s desc=%.30s cwe=%s", d->doc_id, d->vuln_id,
                  d->published ? d->published : "-", d->modified ? d->modified : "-",
                  d->description ? d->description : "-", d->ncwe ? d->cwe[0] : "-");
    for (size_t i = 0; i < d->nmetric; i++)
        lf_buf_printf(b, " metric=%d/%d/%s/%s%s", (int)d->metric[i].version, d->metric[i].score10,
                      d->metric[i].vector, d->metric[i].source ? d->metric[i].source : "-",
                      d->metric[i].primary ? "/primary" : "");
    for (size_t i = 0; i < d->nref; i++) {
        char tags[128];
        lf_ref_tags_format(d->ref[i].tags, tags, sizeof tags);
        lf_buf_printf(b, " ref%zu=%s[%s]", i, d->ref[i].url, tags);
    }
    lf_buf_puts(b, "\n");
    return 0;
}

static void on_unnamed(void *ud, const lf_err *e)
{
    imp *im = ud;
    on_err(&im->unnamed, e);
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
    lf_buf_init(&im->meta, 0);
}

static void imp_free(imp *im)
{
    lf_buf_clear(&im->docs);
    lf_buf_clear(&im->meta);
    lf_vdb_builder_free(im->b);
}

static int import_paths(imp *im, const lf_namedb *names, const char *const *paths, size_t n,
                        lf_csaf_stats *st)
{
    lf_csaf_opts o = {names, on_doc, on_unnamed, im};
    lf_csaf_reader *r;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_csaf_reader_new(&im->c, &o, &r, &err), LF_OK);
    int rc = LF_OK;
    for (size_t i = 0; i < n && rc == LF_OK; i++)
        rc = lf_csaf_reader_file(r, paths[i], &err);
    if (st)
        lf_csaf_reader_get_stats(r, st);
    lf_csaf_reader_free(r);
    return rc;
}

static int import1(imp *im, const lf_namedb *names, const char *path, lf_csaf_stats *st)
{
    return import_paths(im, names, &path, 1, st);
}

static const char *text(const lf_buf *b)
{
    return b->data ? b->data : "";
}

#define HAS(buf, s) do { if (!strstr(text(buf), (s))) fail_msg("missing: %s\nin:\n%s", (s), text(buf)); } while (0)
#define HASNT(buf, s) \
    do { if (strstr(text(buf), (s))) fail_msg("unexpected: %s\nin:\n%s", (s), text(buf)); } while (0)

/* The line of doc_id in buf (copied into out). */
static const char *line_of(const lf_buf *b, const char *doc_id, char *out, size_t cap)
{
    char key[160];
    snprintf(key, sizeof key, "%s ", doc_id);
    const char *s = text(b);
    for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, key, strlen(key))) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
            return out;
        }
    fail_msg("no document %s in:\n%s", doc_id, s);
    return "";
}

/* An error whose field and message contain the given texts. */
static void has_error(const errs *e, const char *id, const char *field, const char *msg)
{
    for (int i = 0; i < e->n && i < 32; i++)
        if (!strcmp(e->last[i].id, id) && strstr(e->last[i].field, field) && strstr(e->last[i].msg, msg) &&
            e->last[i].src[0] && e->last[i].line > 0)
            return;
    char all[4096] = "";
    size_t o = 0;
    for (int i = 0; i < e->n && i < 32 && o < sizeof all; i++) {
        char b[1024];
        o += (size_t)snprintf(all + o, sizeof all - o, "%s\n", lf_err_format(&e->last[i], b, sizeof b));
    }
    fail_msg("no error [%s] %s: %s among:\n%s", id, field, msg, all);
}

/* ------------------------------------------------------------------ tests ---- */

/* C5, C6, C7, C8: package URLs of every supported type become part-'p' criteria with the
 * ecosystem's scheme and the distro release; vers ranges give one criterion per
 * interval; an rpm package inside a Red Hat platform takes its release; fixed packages
 * are [v, inf) not-affected; first/last_affected are open ranges; an oci image is
 * unnamed (reported apart from errors); under_investigation and recommended are counted. */
static void test_csaf_packages_and_ranges(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_csaf_stats st;
    assert_int_equal(import1(&im, NULL, fx("packages.json"), &st), LF_OK);
    HAS(&im.docs, "EXD-2024:0100/EXD-BUG-1 | OR{"
                  "dpkg:cpe:2.3:p:debian:openssl:*:*:*:*:*:12:*:* [3.0.11-1~deb12u2,3.0.11-1~deb12u2], "
                  "dpkg:cpe:2.3:p:ubuntu:curl:*:*:*:*:*:22.04:*:* [7.81.0-1ubuntu1.15,7.81.0-1ubuntu1.15], "
                  "semver:cpe:2.3:p:npm:lodash:*:*:*:*:*:*:*:* [4.0.0,4.17.21), "
                  "semver:cpe:2.3:p:npm:lodash:*:*:*:*:*:*:*:* [5.0.0,5.0.2), "
                  "semver:cpe:2.3:p:npm:\\@angular\\/core:*:*:*:*:*:*:*:* [17.0.1,17.0.1], "
                  "pep440:cpe:2.3:p:pypi:django-rest:*:*:*:*:*:*:*:* [2.1,2.1], "
                  "maven:cpe:2.3:p:maven:org.apache.logging.log4j\\:log4j-core:*:*:*:*:*:*:*:* [2.17.1,2.17.1], "
                  "semver:cpe:2.3:p:go:golang.org\\/x\\/net:*:*:*:*:*:*:*:* (,0.17.0), "
                  "unordered:cpe:2.3:p:almalinux:libfoo:*:*:*:*:*:9:*:* [vers:rpm/>=1:1.0-1|!=1:1.0-3|<1:1.2-1,), "
                  "cpe:2.3:a:example:widget:*:*:*:*:*:*:*:* [2.1,), "
                  "cpe:2.3:a:example:widget:*:*:*:*:*:*:*:* (,2.5]} ; "
                  "NA{rpm:cpe:2.3:p:red_hat:bash:*:*:*:*:*:9:*:* [5.1.8-9.el9,)}\n");
    /* C1: ids[0].text without cve; modified from the latest revision; C2: summary;
     * C4: vendor_fix first, the workaround URL once with its Mitigation tag */
    char l[2048];
    line_of(&im.meta, "EXD-2024:0100/EXD-BUG-1", l, sizeof l);
    assert_non_null(strstr(l, "vuln=EXD-BUG-1 pub=2024-03-01T00:00:00Z mod=2024-03-09T12:00:00Z "
                              "desc=Several packages are affected"));
    assert_non_null(strstr(l, " ref0=https://security.example.org/EXD-2024:0100[Vendor Advisory,Patch] "
                              "ref1=https://security.example.org/kb/1[Mitigation] "
                              "ref2=https://tracker.example.org/1[]"));
    assert_int_equal(im.unnamed.n, 1);
    assert_int_equal(im.unnamed.last[0].code, LF_ENOTFOUND);
    assert_non_null(strstr(im.unnamed.last[0].msg, "exl9:oci-nginx"));
    assert_int_equal(st.unnamed, 1);
    assert_int_equal(st.under_investigation, 1);
    assert_int_equal(st.recommended, 1);
    assert_int_equal(st.vulns, 1);
    /* the two reference errors of the fixture, and nothing else */
    assert_int_equal(im.e.n, 2);
    has_error(&im.e, "EXD-2024:0100/EXD-BUG-1", "vulnerabilities[0].remediations[0].group_ids[1]",
              "unknown group id \"G-NONE\"");
    has_error(&im.e, "EXD-2024:0100/EXD-BUG-1", "vulnerabilities[0].threats[0].product_ids[0]",
              "unknown product id \"ghost\"");
    imp_free(&im);
}

/* C9: an unknown product id, a bad vers string, wrong JSON types, a bad CPE and a bad
 * score are each reported with file, line, id and field path; the rest is imported. */
static void test_csaf_malformed_reported(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(import1(&im, NULL, fx("malformed.json"), NULL), LF_OK);
    HAS(&im.docs, "EX-2024-0007/CVE-2024-11111 | OR{cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:* [2.0,2.4.1)}\n");
    /* the malformed range needs review; the agent's bad CPE falls back to its names */
    HAS(&im.docs, "EX-2024-0007/EX-BUG-991 | OR{unordered:cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:* "
                  "[vers:generic/>=3.0|>=3.1|<3.2,), cpe:2.3:a:example:agent:*:*:*:*:*:*:*:*}\n");
    char l[2048];
    line_of(&im.meta, "EX-2024-0007/CVE-2024-11111", l, sizeof l);
    /* the score with a text baseScore is left out, the other one kept */
    assert_non_null(strstr(l, " metric=31/88/CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/https://psirt.example.com/primary"
                              " ref0=https://psirt.example.com/fix/2.4.1[Vendor Advisory,Patch]"));
    assert_null(strstr(l, "metric=31/0"));
    has_error(&im.e, "EX-2024-0007/CVE-2024-11111", "vulnerabilities[0].product_status.known_affected[1]",
              "unknown product id \"GW-404\"");
    has_error(&im.e, "EX-2024-0007/CVE-2024-11111", "vulnerabilities[0].product_status.fixed",
              "fixed is a string, not an array");
    has_error(&im.e, "EX-2024-0007/CVE-2024-11111", "vulnerabilities[0].scores[0].cvss_v3",
              "baseScore is not a number");
    has_error(&im.e, "EX-2024-0007", "vulnerabilities[1].cve", "cve is a number, not a string");
    has_error(&im.e, "EX-2024-0007/EX-BUG-991", "product_tree.branches[0].branches[0].branches[1]",
              "not a valid vers string (two lower bounds in a row)");
    has_error(&im.e, "EX-2024-0007/EX-BUG-991", "product_tree.branches[0].branches[1].branches[0]",
              "product_identification_helper.cpe \"cpe:2.3:a:example:agent\" is not a CPE name");
    has_error(&im.e, "EX-2024-0007", "product_tree.branches[0].branches[1].branches[0].name",
              "name is a number, not a string");
    has_error(&im.e, "EX-2024-0007", "vulnerabilities[2]", "vulnerability is a string, not an object");
    assert_int_equal(im.e.n, 8);
    assert_int_equal(im.c.report.errors, 8);
    assert_int_equal(im.c.report.added, 2);
    imp_free(&im);
}

/* C9: a document without tracking id is reported and left out; the next document of
 * the array is imported. Other formats are refused. */
static void test_csaf_no_tracking_id_and_shapes(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(import1(&im, NULL, fx("no-tracking-id.json"), NULL), LF_OK);
    assert_int_equal(im.e.n, 1);
    assert_string_equal(im.e.last[0].field, "document.tracking.id");
    assert_int_equal(im.e.last[0].line, 2);
    assert_non_null(strstr(im.e.last[0].src, "no-tracking-id.json"));
    assert_string_equal(text(&im.docs), "EX-2024-0008/CVE-2024-33333 | OR{cpe:2.3:h:example:router:5.1:*:*:*:*:*:*:*}\n");
    assert_int_equal(im.c.report.records, 2);

    lf_err err;
    lf_err_clear(&err);
    static const char cve5[] = "{\"dataType\":\"CVE_RECORD\",\"cveMetadata\":{\"cveId\":\"CVE-2024-1\"}}";
    assert_int_equal(lf_csaf_import_buffer(&im.c, NULL, "x.json", cve5, sizeof cve5 - 1, &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "CVE JSON 5"));
    lf_err_clear(&err);
    assert_int_equal(lf_csaf_import_buffer(&im.c, NULL, "x.json", "  ", 2, &err), LF_EFORMAT);
    lf_err_clear(&err);
    assert_int_equal(lf_csaf_import_buffer(&im.c, NULL, "x.json", "{\"document\":", 12, &err), LF_EPARSE);
    assert_string_equal(err.src, "x.json");
    lf_err_clear(&err);
    static const char v1[] = "{\"document\":{\"csaf_version\":\"1.2\",\"tracking\":{\"id\":\"OLD-1\"}}}";
    size_t before = im.c.report.errors;
    assert_int_equal(lf_csaf_import_buffer(&im.c, NULL, "v1.json", v1, sizeof v1 - 1, &err), LF_OK);
    assert_int_equal(im.c.report.errors, before + 1);
    imp_free(&im);
}

/* C5: products with only names go through the name resolver when a namedb is given. */
static void test_csaf_names_resolved(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"document\":{\"csaf_version\":\"2.0\",\"publisher\":{\"name\":\"X\"},\"tracking\":{\"id\":\"N-1\","
        "\"current_release_date\":\"2024-01-01T00:00:00Z\"}},\"product_tree\":{\"branches\":[{\"category\":"
        "\"vendor\",\"name\":\"PostgreSQL Global Development Group\",\"branches\":[{\"category\":\"product_name\","
        "\"name\":\"PostgreSQL\",\"branches\":[{\"category\":\"product_version_range\",\"name\":\"<16.4\","
        "\"product\":{\"name\":\"PostgreSQL < 16.4\",\"product_id\":\"P1\"}}]}]}]},"
        "\"vulnerabilities\":[{\"cve\":\"CVE-2024-7348\",\"product_status\":{\"known_affected\":[\"P1\"]}}]}";
    const char *fixtures = getenv("LF_FIXTURES");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/feeds/cve5/dict", fixtures ? fixtures : "tests/fixtures");
    lf_namedb *db;
    lf_norm *norm;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_namedb_new(&db, &err), LF_OK);
    assert_int_equal(lf_norm_new(&norm, &err), LF_OK);
    assert_int_equal(lf_namedb_load_dir(db, norm, dir, NULL, NULL, &err), LF_OK);
    imp im;
    imp_init(&im);
    assert_int_equal(lf_csaf_import_buffer(&im.c, db, "n.json", doc, sizeof doc - 1, &err), LF_OK);
    imp_free(&im);
    /* the one-shot form has no hook: use a reader to see the document */
    imp_init(&im);
    lf_csaf_opts o = {db, on_doc, on_unnamed, &im};
    lf_csaf_reader *r;
    assert_int_equal(lf_csaf_reader_new(&im.c, &o, &r, &err), LF_OK);
    assert_int_equal(lf_csaf_reader_buffer(r, "n.json", doc, sizeof doc - 1, &err), LF_OK);
    lf_csaf_reader_free(r);
    assert_string_equal(text(&im.docs), "N-1/CVE-2024-7348 | OR{cpe:2.3:a:postgresql:postgresql:*:*:*:*:*:*:*:* (,16.4)}\n");
    imp_free(&im);
    /* without names: the vendor's own words (cve5.h M6 fallback) */
    imp_init(&im);
    lf_csaf_opts o2 = {NULL, on_doc, on_unnamed, &im};
    assert_int_equal(lf_csaf_reader_new(&im.c, &o2, &r, &err), LF_OK);
    assert_int_equal(lf_csaf_reader_buffer(r, "n.json", doc, sizeof doc - 1, &err), LF_OK);
    lf_csaf_reader_free(r);
    HAS(&im.docs, "OR{cpe:2.3:a:postgresql_global_development_group:postgresql:*:*:*:*:*:*:*:* (,16.4)}");
    imp_free(&im);
    lf_norm_free(norm);
    lf_namedb_free(db);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every real advisory imports without errors; per vendor, the documented criteria,
 * references and scores. */
static void test_csaf_shared_documents(void **state)
{
    (void)state;
    const char *shared = getenv("LF_SHARED_DATA");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/csaf", shared ? shared : "");
    DIR *d = shared ? opendir(dir) : NULL;
    if (!d) {
        skip();
        return;
    }
    char *paths[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".json")) {
            char p[2048];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            paths[n++] = strdup(p);
        }
    }
    closedir(d);
    qsort(paths, n, sizeof(char *), cmp_name);
    assert_true(n >= 21);
    imp im;
    imp_init(&im);
    lf_csaf_stats st;
    assert_int_equal(import_paths(&im, NULL, (const char *const *)paths, n, &st), LF_OK);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    if (im.e.n) {
        char b[1024];
        fail_msg("%d errors, first: %s", im.e.n, lf_err_format(&im.e.last[0], b, sizeof b));
    }
    assert_int_equal(im.unnamed.n, 0);
    assert_int_equal(st.advisories, n);
    assert_int_equal(im.c.report.added, im.ndocs);
    /* rhsa-2019_1862 is informational: no vulnerabilities, no documents */
    HASNT(&im.docs, "RHSA-2019:1862");
    static char l[1 << 17];

    /* CISA ICS, Delta Electronics: legacy "<=2.0.1" range on the vendor's product, the
     * vendor_fix download link first */
    HAS(&im.docs, "ICSA-24-242-02/CVE-2024-8255 | OR{cpe:2.3:a:delta_electronics:dtn_soft:*:*:*:*:*:*:*:* (,2.0.1]}\n");
    line_of(&im.meta, "ICSA-24-242-02/CVE-2024-8255", l, sizeof l);
    assert_non_null(strstr(l, " ref0=https://downloadcenter.deltaww.com/en-US/DownloadCenter?v=1&q=dtn&sort_expr=cdate"
                              "&sort_dir=DESC[Vendor Advisory,Patch]"));
    /* CISA ICS, Advantech: "<v2.5.2", the vendor name dropped from "Advantech ADAM-5630" */
    HAS(&im.docs, "ICSA-24-270-02/CVE-2024-39275 | OR{cpe:2.3:a:advantech:adam-5630:*:*:*:*:*:*:*:* (,v2.5.2)}\n");
    /* CISA ICS, Moxa: one range and one exact version */
    HAS(&im.docs, "ICSA-24-268-05/CVE-2024-6785 | OR{cpe:2.3:a:moxa:mxview_one_series:*:*:*:*:*:*:*:* (,1.4.0], "
                  "cpe:2.3:a:moxa:mxview_one_central_manager_series:1.0.0:*:*:*:*:*:*:*}\n");
    /* CISA ICS, Pepperl+Fuchs: "3.0.7 | 3.0.8 | 3.0.9" is three exact versions */
    HAS(&im.docs, "ICSA-22-097-01/CVE-2021-34565 | OR{cpe:2.3:a:pepperl\\+fuchs:wha-gw-f2d2-0-as-_z2-eth:3.0.7:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:pepperl\\+fuchs:wha-gw-f2d2-0-as-_z2-eth:3.0.8:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:pepperl\\+fuchs:wha-gw-f2d2-0-as-_z2-eth:3.0.9:*:*:*:*:*:*:*, ");
    /* CISA re-publishing Siemens: a lone star is every version; free text needs review */
    HAS(&im.docs, "ICSA-24-116-03/CVE-2024-3400 | OR{cpe:2.3:a:siemens:ruggedcom_ape1808:*:*:*:*:*:*:*:*}\n");
    HAS(&im.docs, "ICSA-24-074-05/CVE-2024-21762 | OR{unordered:cpe:2.3:a:siemens:ruggedcom_ape1808:*:*:*:*:*:*:*:* "
                  "[All versions with Fortinet NGFW,)}\n");
    line_of(&im.meta, "ICSA-24-116-03/CVE-2024-3400", l, sizeof l);
    assert_non_null(strstr(l, " cwe=CWE-77 metric=31/100/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H/RL:T/RC:C/"
                              "https://www.cisa.gov//primary ref0=https://cert-portal.siemens.com/productcert/csaf/"
                              "ssa-750274.json[Vendor Advisory]"));

    /* Siemens ProductCERT: vers:all/<V3.1.4 ranges and every-version products side by side,
     * the support download as the first reference, the score 5.3 */
    line_of(&im.docs, "SSA-054046/CVE-2024-46887", l, sizeof l);
    assert_non_null(strstr(l, "OR{cpe:2.3:a:siemens:simatic_drive_controller_cpu_1504d_tf_\\(6es7615-4df10-0ab0\\):"
                              "*:*:*:*:*:*:*:* (,V3.1.4), "));
    assert_non_null(strstr(l, ", cpe:2.3:a:siemens:simatic_et_200sp_cpu_1510sp_f-1_pn_\\(6es7510-1sj01-0ab0\\):"
                              "*:*:*:*:*:*:*:*, "));
    assert_non_null(strstr(l, ", cpe:2.3:a:siemens:simatic_s7-plcsim_advanced:*:*:*:*:*:*:*:* (,V7.0)"));
    line_of(&im.meta, "SSA-054046/CVE-2024-46887", l, sizeof l);
    assert_non_null(strstr(l, "vuln=CVE-2024-46887 pub=2024-10-08T00:00:00Z mod=2025-04-08T00:00:00Z"));
    assert_non_null(strstr(l, " metric=31/53/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N/E:P/RL:O/RC:C/"
                              "https://www.siemens.com/primary ref0=https://support.industry.siemens.com/cs/ww/en/view/"
                              "109963863/[Vendor Advisory,Patch] ref1=https://cert-portal.siemens.com/productcert/html/"
                              "ssa-054046.html[Vendor Advisory]"));

    /* Red Hat RHSA with purls: every tomcat subpackage fixed at its NEVRA and later, rpm
     * scheme, release 8 from the AppStream CPE; the errata first; score 7.5 */
    line_of(&im.docs, "RHSA-2024:3666/CVE-2024-23672", l, sizeof l);
    assert_non_null(strstr(l, "RHSA-2024:3666/CVE-2024-23672 | NA{rpm:cpe:2.3:p:red_hat:tomcat:*:*:*:*:*:8:*:* "
                              "[1:9.0.87-1.el8_10.1,), rpm:cpe:2.3:p:red_hat:tomcat-admin-webapps:*:*:*:*:*:8:*:* "
                              "[1:9.0.87-1.el8_10.1,), "));
    assert_null(strstr(l, "OR{"));
    line_of(&im.meta, "RHSA-2024:3666/CVE-2024-23672", l, sizeof l);
    assert_non_null(strstr(l, " metric=31/75/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/https://www.redhat.com/primary "
                              "ref0=https://access.redhat.com/errata/RHSA-2024:3666[Vendor Advisory,Patch]"));
    /* Red Hat RHSA without purls: NEVRA product names, release 7 from rhel_aus:7.6 */
    HAS(&im.docs, "RHSA-2022:0011/CVE-2020-10188 | NA{rpm:cpe:2.3:p:red_hat:telnet:*:*:*:*:*:7:*:* [1:0.17-65.el7_6,), "
                  "rpm:cpe:2.3:p:red_hat:telnet-debuginfo:*:*:*:*:*:7:*:* [1:0.17-65.el7_6,), "
                  "rpm:cpe:2.3:p:red_hat:telnet-server:*:*:*:*:*:7:*:* [1:0.17-65.el7_6,)}\n");
    /* Red Hat VEX: a known_affected package without version is every version */
    HAS(&im.docs, "CVE-2024-34500/CVE-2024-34500 | OR{rpm:cpe:2.3:p:red_hat:mediawiki:*:*:*:*:*:*:*:*}\n");
    /* Red Hat VEX: unnamed components stand for their platform, affected and not */
    line_of(&im.docs, "CVE-2023-0044/CVE-2023-0044", l, sizeof l);
    assert_non_null(strstr(l, "| OR{cpe:2.3:a:redhat:quarkus:2:*:*:*:*:*:*:*} ; NA{cpe:2.3:a:redhat:a_mq_clients:2:"));
    assert_non_null(strstr(l, ", cpe:2.3:a:redhat:quarkus:2.7:*:*:*:*:*:*:*}"));
    /* Red Hat without cve or ids: the CVE id of the title; empty statuses, no criteria */
    line_of(&im.meta, "RHSA-2023:1441/CVE-2023-0286", l, sizeof l);
    assert_non_null(strstr(l, "vuln=CVE-2023-0286 pub=2023-03-23T11:14:00Z mod=2023-03-23T11:14:00Z "
                              "desc=A type confusion vulnerability cwe=CWE-704 metric=31/74/"));
    HAS(&im.docs, "RHSA-2023:1441/CVE-2023-0286 |\n");

    /* BSI: CPE helpers with concrete versions; fixed exactly rc2, first_fixed rc2 and later */
    HAS(&im.docs, "BSI-2022-0001/CVE-2022-27193 | OR{cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev1:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev2:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev3:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1:*:*:*:*:*:*:*} ; "
                  "NA{cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:*:*:*:*:*:*:*:* [1.0.0-rc2,)}\n");
    line_of(&im.meta, "BSI-2022-0001/CVE-2022-27193", l, sizeof l);
    assert_non_null(strstr(l, "cwe=CWE-611 metric=31/61/CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C/"
                              "https://www.bsi.bund.de/primary ref0=https://github.com/csaf-tools/CVRF-CSAF-Converter/"
                              "releases/tag/1.0.0-rc2[Vendor Advisory,Patch]"));

    /* Cisco: train / release branches: the service pack is the release */
    line_of(&im.docs, "cisco-sa-20180328-smi2/CVE-2018-0171", l, sizeof l);
    assert_non_null(strstr(l, "cpe:2.3:a:cisco:ios:12.2\\(55\\)se:*:*:*:*:*:*:*, "));
    assert_non_null(strstr(l, "cpe:2.3:a:cisco:ios:15.2\\(5\\)e1:*:*:*:*:*:*:*"));
    assert_null(strstr(l, ":12.2se:"));

    /* CISA VEX (Adminer): affected releases, the fixed release not affected */
    HAS(&im.docs, "VA-24-201-01/CVE-2023-45195 | OR{cpe:2.3:a:adminerevo:adminerevo:4.8.2:*:*:*:*:*:*:*, "
                  "cpe:2.3:a:adminerevo:adminerevo:4.8.3:*:*:*:*:*:*:*, cpe:2.3:a:adminer:adminer:*:*:*:*:*:*:*:*} ; "
                  "NA{cpe:2.3:a:adminerevo:adminerevo:4.8.4:*:*:*:*:*:*:*}\n");

    /* the index writer accepts every criterion (it refuses the whole file otherwise) */
    char path[256];
    snprintf(path, sizeof path, "/tmp/lf-test-csaf-%ld.lfx", (long)getpid());
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_vdb_builder_write(im.b, path, &err), LF_OK);
    lf_vdb *db;
    assert_int_equal(lf_vdb_open(path, &db, &err), LF_OK);
    lf_vdb_stats vs;
    lf_vdb_get_stats(db, &vs);
    assert_int_equal(vs.docs_by_source[LF_SRC_CSAF], im.ndocs);
    lf_vdb_close(db);
    unlink(path);
    imp_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csaf_packages_and_ranges),
        cmocka_unit_test(test_csaf_malformed_reported),
        cmocka_unit_test(test_csaf_no_tracking_id_and_shapes),
        cmocka_unit_test(test_csaf_names_resolved),
        cmocka_unit_test(test_csaf_shared_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
