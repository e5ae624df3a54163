/*
 * Tests for src/feeds/cve5.c: the mapping rules of cve5.h (M1..M11) on hand-made records
 * in tests/fixtures/feeds/cve5/ (one per rule: ranges, lessThanOrEqual and wildcards,
 * changes, defaultStatus "affected" with unaffected ranges, git and commit ids, unknown,
 * products resolved by name, REJECTED, CISA ADP metrics and KEV, malformed parts), the
 * documents' effect on the real matcher (an index is written and matched), and the real
 * records of ../shared/data/cve5 (every one imports; known records give the documented
 * criteria and findings).
 *
 * Documents are observed through the on_doc hook and written as one line each:
 *   "<source> <doc_id> | <config> ; <config>" with config "OR(...)" / "AND(...)", node
 *   "{...}" or "NOT{...}", criterion "<cpe> <range>" where range is "[a,b)" style (empty
 *   bound = none, no range = the CPE's own version), "!" = scheme UNORDERED.
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
#include "core/json.h"
#include "core/file.h"
#include "feeds/cve5.h"
#include "feeds/nvd.h"
#include "intake/namedb.h"
#include "intake/normalize.h"
#include "vans/match.h"
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
    snprintf(p, sizeof p, "%s/feeds/cve5/%s", d ? d : "tests/fixtures", name);
    return p;
}

/* ---- documents as text ---- */

static void crit_text(lf_buf *b, const lf_vcrit *c)
{
    lf_buf_printf(b, "%s%s", c->scheme == LF_VS_UNORDERED ? "!" : "", c->cpe);
    if (c->start || c->end)
        lf_buf_printf(b, " %c%s,%s%c", c->start && c->start_incl ? '[' : '(', c->start ? c->start : "",
                      c->end ? c->end : "", c->end && c->end_incl ? ']' : ')');
    if (!c->vulnerable)
        lf_buf_puts(b, " ~");
}

static void doc_text(lf_buf *b, const lf_vdoc *d)
{
    lf_buf_printf(b, "%s %s |", lf_source_name(d->source), d->doc_id);
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
    /* a copy of interesting fields of the last document with these ids */
    char kev_added[32], metric_src[64], kev_ref_tags[128], desc[256];
    int metric_score10, nmetric, ncwe, nref;
    char cwe0[32], ref0_tags[128];
    const char *watch;        /* doc_id whose fields are copied */
} imp;

static int on_doc(void *ud, const lf_vdoc *d, bool rejected)
{
    imp *im = ud;
    assert_non_null(d->vuln_id);
    assert_non_null(d->doc_id);
    im->ndocs++;
    if (rejected) {
        im->nrejected++;
        lf_buf_printf(&im->docs, "REJECT %s %s\n", lf_source_name(d->source), d->doc_id);
        return 0;
    }
    doc_text(&im->docs, d);
    if (im->watch && !strcmp(d->doc_id, im->watch)) {
        snprintf(im->kev_added, sizeof im->kev_added, "%s", d->kev_added ? d->kev_added : "");
        snprintf(im->desc, sizeof im->desc, "%s", d->description ? d->description : "");
        im->nmetric = (int)d->nmetric;
        im->metric_score10 = d->nmetric ? d->metric[0].score10 : -1;
        snprintf(im->metric_src, sizeof im->metric_src, "%s",
                 d->nmetric && d->metric[0].source ? d->metric[0].source : "");
        im->ncwe = (int)d->ncwe;
        snprintf(im->cwe0, sizeof im->cwe0, "%s", d->ncwe ? d->cwe[0] : "");
        im->nref = (int)d->nref;
        im->ref0_tags[0] = im->kev_ref_tags[0] = '\0';
        if (d->nref)
            lf_ref_tags_format(d->ref[0].tags, im->ref0_tags, sizeof im->ref0_tags);
        for (size_t i = 0; i < d->nref; i++)
            if (strstr(d->ref[i].url, "cisa.gov"))
                lf_ref_tags_format(d->ref[i].tags, im->kev_ref_tags, sizeof im->kev_ref_tags);
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

/* Import fixture files with one reader (names may be NULL). */
static int import(imp *im, const lf_namedb *names, const char *const *files, size_t n)
{
    lf_cve5_opts o = {names, on_doc, im};
    lf_cve5_reader *r;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_cve5_reader_new(&im->c, &o, &r, &err), LF_OK);
    int rc = LF_OK;
    for (size_t i = 0; i < n && rc == LF_OK; i++)
        rc = lf_cve5_reader_file(r, fx(files[i]), &err);
    lf_cve5_reader_free(r);
    return rc;
}
#define IMPORT(im, names, ...) ({ static const char *const f_[] = {__VA_ARGS__}; \
    import((im), (names), f_, sizeof f_ / sizeof f_[0]); })

static const char *docs_of(imp *im)
{
    return im->docs.data ? im->docs.data : "";
}

#define HAS(im, s) do { if (!strstr(docs_of(im), (s))) fail_msg("missing: %s\nin:\n%s", (s), docs_of(im)); } while (0)
#define HASNT(im, s) \
    do { if (strstr(docs_of(im), (s))) fail_msg("unexpected: %s\nin:\n%s", (s), docs_of(im)); } while (0)

/* ---- matching through a real index ---- */

typedef struct mfx {
    char path[256];
    lf_vdb *db;
    lf_matcher *m;
} mfx;

static void mfx_open(mfx *f, lf_vdb_builder *b)
{
    snprintf(f->path, sizeof f->path, "/tmp/lf-test-cve5-%ld.lfx", (long)getpid());
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_vdb_builder_write(b, f->path, &err), LF_OK);
    assert_int_equal(lf_vdb_open(f->path, &f->db, &err), LF_OK);
    assert_int_equal(lf_matcher_new(f->db, &f->m, &err), LF_OK);
}

static void mfx_close(mfx *f)
{
    lf_matcher_free(f->m);
    lf_vdb_close(f->db);
    unlink(f->path);
}

/* The hits of a one-item host as "CVE:kind" joined by ',' (kinds: match, review,
 * unanalysed), sorted by the matcher's order. */
static const char *scan1(mfx *f, const char *cpe, char *out, size_t cap)
{
    lf_cpe item;
    assert_int_equal(lf_cpe_parse(&item, cpe, strlen(cpe), NULL), LF_OK);
    const lf_hit *hits;
    size_t nh;
    assert_int_equal(lf_matcher_run(f->m, &item, 1, &hits, &nh, NULL), LF_OK);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nh && o < cap; i++) {
        static const char *const kinds[] = {"match", "review", "unanalysed"};
        o += (size_t)snprintf(out + o, cap - o, "%s%s:%s", o ? "," : "", lf_vdb_vuln_id(f->db, hits[i].vuln),
                              kinds[hits[i].kind]);
    }
    return out;
}

/* ------------------------------------------------------------------ tests ---- */

/* M1, M3, M4, M5, M7: one CNA document with the CVE id as doc_id; lessThan and
 * lessThanOrEqual ranges, "0" as no lower bound, an exact version, a "4.1.*" lower
 * bound; the English description (en-US), CWE from cweId and from a description,
 * reference tags, CVSS 3.1 and 2.0 with the CNA's shortName as source. */
static void test_cve5_cna_ranges_and_metadata(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    im.watch = "CVE-2099-0001";
    assert_int_equal(IMPORT(&im, NULL, "range.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    assert_int_equal(im.c.report.records, 1);
    assert_int_equal(im.c.report.added, 1);
    HAS(&im, "cve5-cna CVE-2099-0001 | OR({cpe:2.3:a:gitlab:gitlab:*:*:*:*:*:*:*:* [18.9,18.9.2)})");
    /* no cpes: the CNA's names lower-cased with '_' (M6 fallback) */
    HAS(&im, "OR({cpe:2.3:a:acme_corp:widget_server:*:*:*:*:*:*:*:* (,2.3.4], "
             "cpe:2.3:a:acme_corp:widget_server:3.0.0:*:*:*:*:*:*:*, "
             "cpe:2.3:a:acme_corp:widget_server:*:*:*:*:*:*:*:* [4.1,4.1.7)})");
    assert_string_equal(im.desc, "A flaw in Acme Widget Server before 2.3.5 and GitLab 18.9 before 18.9.2.");
    assert_int_equal(im.nmetric, 2);
    assert_int_equal(im.metric_score10, 98);
    assert_string_equal(im.metric_src, "acme");
    assert_int_equal(im.ncwe, 2);
    assert_string_equal(im.cwe0, "CWE-79");
    assert_int_equal(im.nref, 3);
    assert_non_null(strstr(im.ref0_tags, "Vendor Advisory"));
    assert_non_null(strstr(im.ref0_tags, "Patch"));
    imp_free(&im);
}

/* M1, M3, M6, M7: the CISA ADP container is its own document "<id>/CISA-ADP" with its
 * dateUpdated; its cpes (version "-" and "2.3.4") give one range criterion with the
 * version ANY, duplicates merged; its CVSS has source CISA-ADP; the kev "other" metric
 * gives kev_added and a US-government reference; ssvc is ignored. The CVE Program
 * Container only adds links: they are folded into the CNA document (M12), which has no
 * document of its own. The CNA's "n/a" product gives no criteria. */
static void test_cve5_adp_containers(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    im.watch = "CVE-2099-0001/CISA-ADP";
    assert_int_equal(IMPORT(&im, NULL, "adp.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    assert_int_equal(im.c.report.added, 2);
    HAS(&im, "cve5-cna CVE-2099-0001 |\n");
    HASNT(&im, "CVE-2099-0001/CVE |");
    HAS(&im, "cve5-adp CVE-2099-0001/CISA-ADP | OR({cpe:2.3:a:acme:widget_server:*:*:*:*:*:*:*:* (,2.3.5)})\n");
    assert_string_equal(im.kev_added, "2099-01-08");
    assert_string_equal(im.metric_src, "CISA-ADP");
    assert_int_equal(im.metric_score10, 88);
    assert_int_equal(im.nmetric, 1);
    assert_string_equal(im.cwe0, "CWE-94");
    assert_string_equal(im.kev_ref_tags, "US Government Resource");
    imp_free(&im);
}

/* M8, M10: defaultStatus "affected" with unaffected ranges is an AND of "any version"
 * and a negated node of the unaffected ranges ("6.1.*" is [6.1.117, 6.2), "*" no upper
 * bound); the entry of git commits for the same product is dropped. Matched: 6.1.100
 * and 5.0 are affected, 6.1.117, 6.13.2 and 2.6.25 are not, a kernel without a version
 * needs review (never a silent non-match). */
static void test_cve5_default_affected(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "default-affected.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "cve5-cna CVE-2099-0002 | AND({cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:*} "
             "NOT{cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:* (,2.6.26), cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:* "
             "[6.1.117,6.2), cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:* [6.13,)})\n");
    HASNT(&im, "c0efd232");
    mfx f;
    mfx_open(&f, im.b);
    char buf[512];
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:6.1.100:*:*:*:*:*:*:*", buf, sizeof buf),
                        "CVE-2099-0002:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:5.0:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0002:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:6.1.117:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:6.1.200:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:6.13.2:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:2.6.25:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0002:review");
    mfx_close(&f);
    imp_free(&im);
}

/* M8, M10: versionType git, and commit ids typed "custom", give UNORDERED criteria that
 * keep the stated bounds; a status "unknown" entry is its own configuration, UNORDERED.
 * Matched: every version of those products needs review, none is reported affected. */
static void test_cve5_git_and_unknown_need_review(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "git.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "OR({!cpe:2.3:a:concrete_cms:concrete_cms:*:*:*:*:*:*:*:* [5,9.4.8)})");
    HAS(&im, "OR({!cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:* [1da177e4c3f4,cfa73607eb21)}) ; "
             "OR({!cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:* [2.0,2.0]})");
    mfx f;
    mfx_open(&f, im.b);
    char buf[512];
    assert_string_equal(scan1(&f, "cpe:2.3:a:concrete_cms:concrete_cms:9.4.7:*:*:*:*:*:*:*", buf, sizeof buf),
                        "CVE-2099-0003:review");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:tool:3.1:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0003:review");
    mfx_close(&f);
    imp_free(&im);
}

/* M7, M9, M10: changes in version order (given unsorted) split a range into affected
 * parts; Citrix "patch" lessThan is a build of the version; defaultStatus "affected"
 * with only affected ranges uses the ranges; version expressions are read as ranges;
 * prose is undecidable (UNORDERED). Matched against the changes and the PHP rule. */
static void test_cve5_changes_patch_and_expressions(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "changes.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "OR({cpe:2.3:a:acme:router:*:*:*:*:*:*:*:* [1.0,1.5), cpe:2.3:a:acme:router:*:*:*:*:*:*:*:* [2.0,2.2)})");
    HAS(&im, "OR({cpe:2.3:a:acme:switch:*:*:*:*:*:*:*:* [6.1,6.1.0-h3), "
             "cpe:2.3:a:acme:switch:*:*:*:*:*:*:*:* [14.1,14.1-12.35)})");
    HAS(&im, "OR({cpe:2.3:a:acme:php:*:*:*:*:*:*:*:* [8.1,8.1.29)})");
    HAS(&im, "OR({cpe:2.3:a:acme:exprs:*:*:*:*:*:*:*:* [6.4.0,6.4.3), cpe:2.3:a:acme:exprs:*:*:*:*:*:*:*:* (,5.15.5), "
             "cpe:2.3:a:acme:exprs:*:*:*:*:*:*:*:* (,1.2], "
             "!cpe:2.3:a:acme:exprs:*:*:*:*:*:*:*:* [Versions between V2.0.0 and V2.4.5,)})");
    mfx f;
    mfx_open(&f, im.b);
    char buf[512];
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:router:1.4:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0004:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:router:1.7:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:router:2.1:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0004:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:router:3.0:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:switch:14.1-12.30:*:*:*:*:*:*:*", buf, sizeof buf),
                        "CVE-2099-0004:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:switch:14.1-12.35:*:*:*:*:*:*:*", buf, sizeof buf), "");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:php:8.1.28:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2099-0004:match");
    assert_string_equal(scan1(&f, "cpe:2.3:a:acme:php:8.2.0:*:*:*:*:*:*:*", buf, sizeof buf), "");
    mfx_close(&f);
    imp_free(&im);
}

/* M6, M8: a bound that is not a version ("publication") with a CPE naming the release
 * makes that CPE the criterion; without one, an UNORDERED criterion keeps the bounds;
 * Red Hat's glibc package inside RHEL 8 (packageName, platform CPE) is left out. */
static void test_cve5_unusable_bounds_and_packages(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "microsoft.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "cve5-cna CVE-2099-0005 | OR({cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_8:*:*:*:*:*:*})"
             " ; OR({!cpe:2.3:a:microsoft:office_online_server:*:*:*:*:*:*:*:* "
             "[16.0.1,https://aka.ms/OfficeSecurityReleases)})\n");
    HASNT(&im, "redhat");
    imp_free(&im);
}

/* M10: cpeApplicability configurations replace the ones made from affected[]; an
 * invalid one is reported and left out. */
static void test_cve5_cpe_applicability(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "cpeapp.json"), LF_OK);
    HAS(&im, "cve5-cna CVE-2099-0006 | OR({cpe:2.3:a:sudo_project:sudo:*:*:*:*:*:*:*:* [1.8.8,1.9.17p1)})\n");
    assert_int_equal(im.e.n, 1);
    assert_string_equal(im.e.last[0].field, "containers.cna.cpeApplicability[1]");
    assert_non_null(strstr(im.e.last[0].msg, "not a cpe"));
    assert_int_equal(im.c.report.configs_dropped, 1);
    imp_free(&im);
}

/* M6: with a namedb, entries without cpes resolve through the intake resolver
 * (PostgreSQL, glibc from packageName alone); without one, the CNA's names are used and
 * an entry without a vendor is left out. Non-ASCII in names (U+202F, en dash) is folded
 * to separators. */
static void test_cve5_names_resolved(void **state)
{
    (void)state;
    lf_namedb *db;
    lf_norm *norm;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_namedb_new(&db, &err), LF_OK);
    assert_int_equal(lf_norm_new(&norm, &err), LF_OK);
    assert_int_equal(lf_namedb_load_dir(db, norm, fx("dict"), NULL, NULL, &err), LF_OK);
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, db, "names.json"), LF_OK);
    assert_int_equal(im.e.n, 0);
    HAS(&im, "OR({cpe:2.3:a:postgresql:postgresql:*:*:*:*:*:*:*:* (,16.4)}) ; "
             "OR({cpe:2.3:a:gnu:glibc:*:*:*:*:*:*:*:* [2.34,2.39)}) ; "
             "OR({cpe:2.3:a:acme:wp_widget_forms_\\&_more:*:*:*:*:*:*:*:* (,4.0.7]})");
    imp_free(&im);
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "names.json"), LF_OK);
    HAS(&im, "OR({cpe:2.3:a:postgresql_global_development_group:postgresql:*:*:*:*:*:*:*:* (,16.4)}) ; "
             "OR({cpe:2.3:a:acme:wp_widget_forms_\\&_more:*:*:*:*:*:*:*:* (,4.0.7]})\n");
    HASNT(&im, "glibc");
    imp_free(&im);
    lf_norm_free(norm);
    lf_namedb_free(db);
}

/* M2: a REJECTED record removes the CNA and ADP documents of its CVE (the well-known
 * ADP keys too); an older state does not come back; gzip input reads the same. */
static void test_cve5_rejected_removes(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "range.json.gz", "adp.json"), LF_OK);
    assert_int_equal(im.c.report.added, 2);     /* CNA (with the CVE program's links), CISA-ADP */
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 2);
    assert_int_equal(IMPORT(&im, NULL, "rejected.json"), LF_OK);
    HAS(&im, "REJECT cve5-cna CVE-2099-0001\n");
    HAS(&im, "REJECT cve5-adp CVE-2099-0001/CISA-ADP\n");
    assert_int_equal(im.c.report.removed, 2);
    assert_int_equal(lf_vdb_builder_ndocs(im.b), 0);
    assert_int_equal(im.e.n, 0);
    imp_free(&im);
}

/* M11: malformed parts are reported with file, line, CVE id and field path, and the
 * rest is kept: a bad CPE, a lessThan that is a number, a bad status, a non-object
 * entry, an out-of-range score, an ADP without provider, a record without id, a
 * non-record element, a 4.0 record. */
static void test_cve5_malformed_reported(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "bad.json"), LF_OK);
    assert_int_equal(im.c.report.records, 5);
    HAS(&im, "cve5-cna CVE-2099-0010 | OR({cpe:2.3:a:acme:good:*:*:*:*:*:*:*:* [1.0,1.2)})");
    HAS(&im, "cve5-cna CVE-2099-0011 | OR({cpe:2.3:a:acme:mixed:*:*:*:*:*:*:*:* [4.0,4.5)})");
    assert_int_equal(im.ndocs, 2);
    static const char *const fields[] = {
        "containers.cna.metrics[0].cvssV3_1",     "containers.cna.affected[0].cpes[0]",
        "containers.cna.affected[0].versions[0]", "containers.cna.affected[0].versions[1]",
        "containers.cna.affected[1]",             "containers.adp[0].providerMetadata",
        "cveMetadata.cveId",                      "",
        "dataVersion",
    };
    assert_int_equal(im.e.n, (int)(sizeof fields / sizeof fields[0]));
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        assert_string_equal(im.e.last[i].field, fields[i]);
        assert_non_null(strstr(im.e.last[i].src, "bad.json"));
        assert_true(im.e.last[i].line >= 2);
    }
    assert_string_equal(im.e.last[1].id, "CVE-2099-0011");
    assert_non_null(strstr(im.e.last[1].msg, "broken*name"));
    assert_non_null(strstr(im.e.last[0].msg, "0 to 10"));
    assert_non_null(strstr(im.e.last[2].msg, "must be strings"));
    assert_non_null(strstr(im.e.last[3].msg, "status"));
    assert_string_equal(im.e.last[8].id, "CVE-2099-0012");
    /* later records sit on later lines */
    assert_true(im.e.last[6].line > im.e.last[0].line);
    imp_free(&im);
}

/* Shapes: delta summaries are skipped without error; CVE JSON 4, NVD JSON, other JSON
 * and non-JSON are refused saying what they are; truncated JSON is located. */
static void test_cve5_shapes(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_cve5_import_file(&im.c, NULL, fx("delta.json"), &err), LF_OK);
    assert_int_equal(im.c.report.records, 0);
    assert_int_equal(lf_cve5_import_file(&im.c, NULL, fx("cve4.json"), &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "CVE JSON 4"));
    lf_err_clear(&err);
    const char nvd[] = "{\"vulnerabilities\":[]}";
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "nvd.json", nvd, sizeof nvd - 1, &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "feed import nvd"));
    lf_err_clear(&err);
    const char nvd1[] = "{\"id\":\"CVE-2024-0001\",\"vulnStatus\":\"Analyzed\"}";
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "nvd1.json", nvd1, sizeof nvd1 - 1, &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "feed import nvd"));
    lf_err_clear(&err);
    const char arr[] = "[{\"id\":1}]";
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "x.json", arr, sizeof arr - 1, &err), LF_EFORMAT);
    lf_err_clear(&err);
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "x.csv", "id,name\n", 8, &err), LF_EFORMAT);
    assert_non_null(strstr(err.msg, "not JSON"));
    lf_err_clear(&err);
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "empty", " \n", 2, &err), LF_EFORMAT);
    /* a truncated array keeps the records before the break */
    char *data;
    size_t len;
    assert_int_equal(lf_file_read(fx("bad.json"), 0, &data, &len, &err), LF_OK);
    size_t cut = (size_t)(strstr(data, "CVE-2099-0011") - data);
    lf_err_clear(&err);
    size_t before = im.c.report.added;
    assert_int_equal(lf_cve5_import_buffer(&im.c, NULL, "cut.json", data, cut, &err), LF_EPARSE);
    assert_string_equal(err.src, "cut.json");
    assert_true(err.line > 1);
    assert_int_equal(im.c.report.added, before + 1);
    free(data);
    imp_free(&im);
}

/* Archives: the bulk release shape (a zip holding cves.zip); each *.json entry is
 * imported as "archive!entry", a broken entry is reported with that name and the rest
 * goes on; delta.json, README.md and macOS resource forks are skipped. */
static void test_cve5_zip_archive(void **state)
{
    (void)state;
    imp im;
    imp_init(&im);
    assert_int_equal(IMPORT(&im, NULL, "bulk.zip"), LF_OK);
    HAS(&im, "cve5-cna CVE-2099-0001 | OR({cpe:2.3:a:gitlab:gitlab:*:*:*:*:*:*:*:* [18.9,18.9.2)})");
    HAS(&im, "cve5-cna CVE-2099-0003 |");
    assert_int_equal(im.c.report.records, 2);
    assert_int_equal(im.c.report.added, 2);
    assert_int_equal(im.c.report.files, 4);     /* delta.json, two records, the broken one */
    assert_int_equal(im.e.n, 1);
    assert_non_null(strstr(im.e.last[0].src, "bulk.zip!cves.zip!cves/2099/0xxx/CVE-2099-0008.json"));
    assert_int_equal(im.e.last[0].code, LF_EPARSE);
    imp_free(&im);
}

/* ---- the real records of ../shared/data/cve5 ---- */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every real record imports: one CNA document per record and one ADP document per ADP
 * container (counted from the JSON itself), no file refused; known records give the
 * documented criteria (GitLab 2026 range, Chrome from CISA's ADP with KEV, the Linux
 * kernel's negated ranges without its git entry, Red Hat's packages left out, Exchange
 * by its CPE); and the matcher finds a deferred 2026 CVE only in its affected range. */
static void test_cve5_shared_records(void **state)
{
    (void)state;
    const char *shared = getenv("LF_SHARED_DATA");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/cve5", shared ? shared : "");
    DIR *d = shared ? opendir(dir) : NULL;
    if (!d) {
        skip();
        return;
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".json"))
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp_name);
    assert_true(n > 100);
    imp im;
    imp_init(&im);
    lf_cve5_opts o = {NULL, on_doc, &im};
    lf_cve5_reader *r;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_cve5_reader_new(&im.c, &o, &r, &err), LF_OK);
    size_t nadp = 0;
    lf_arena a;
    lf_arena_init(&a, 0);
    for (size_t i = 0; i < n; i++) {
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        lf_err_clear(&err);
        if (lf_cve5_reader_file(r, p, &err) != LF_OK)
            fail_msg("%s: %s", p, err.msg);
        char *data;
        size_t len;
        lf_json *root;
        assert_int_equal(lf_file_read(p, 0, &data, &len, NULL), LF_OK);
        lf_arena_reset(&a);
        assert_int_equal(lf_json_parse(&a, data, len, NULL, &root, NULL), LF_OK);
        const lf_json *adp = lf_json_get(lf_json_get(root, "containers"), "adp");
        for (size_t k = 0; k < lf_json_len(adp); k++) {
            /* link-only containers are folded into the CNA document (M12) */
            const lf_json *c = lf_json_at(adp, k);
            static const char *const content[] = {"affected", "descriptions", "cpeApplicability"};
            bool has = false;
            for (size_t q = 0; q < sizeof content / sizeof content[0]; q++)
                has = has || lf_json_len(lf_json_get(c, content[q])) > 0;
            /* CWEs count when they have an id (a CWE text alone is not read) */
            const lf_json *pts = lf_json_get(c, "problemTypes");
            for (size_t q = 0; q < lf_json_len(pts); q++) {
                const lf_json *ds = lf_json_get(lf_json_at(pts, q), "descriptions");
                for (size_t w = 0; w < lf_json_len(ds); w++)
                    has = has || lf_json_get_str(lf_json_at(ds, w), "cweId");
            }
            /* metrics count when CVSS or KEV (an SSVC decision alone is not read) */
            const lf_json *ms = lf_json_get(c, "metrics");
            for (size_t q = 0; q < lf_json_len(ms); q++) {
                const lf_json *m = lf_json_at(ms, q);
                const char *ot = lf_json_get_str(lf_json_get(m, "other"), "type");
                has = has || lf_json_get(m, "cvssV3_1") || lf_json_get(m, "cvssV3_0") || lf_json_get(m, "cvssV4_0") ||
                      lf_json_get(m, "cvssV2_0") || (ot && !strcmp(ot, "kev"));
            }
            nadp += has;
        }
        free(data);
        free(names[i]);
    }
    lf_arena_clear(&a);
    lf_cve5_reader_free(r);
    assert_int_equal(im.c.report.records, n);
    assert_int_equal(im.c.report.added, n + nadp);
    /* reported parts are rare and located (CISA's "6.95 .. 6.10" range, say) */
    assert_true(im.e.n <= 5);
    for (int i = 0; i < im.e.n && i < 32; i++) {
        assert_true(im.e.last[i].id[0] != '\0');
        assert_true(im.e.last[i].field[0] != '\0');
    }
    HAS(&im, "cve5-cna CVE-2026-1069 | OR({cpe:2.3:a:gitlab:gitlab:*:*:*:*:*:*:*:* [18.9,18.9.2)})\n");
    HAS(&im, "cve5-adp CVE-2024-7971/CISA-ADP | OR({cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:* (,128.0.6613.84)})\n");
    HAS(&im, "cve5-cna CVE-2024-53104 | AND({cpe:2.3:a:linux:linux:*:*:*:*:*:*:*:*} NOT{");
    HASNT(&im, "95edf13a48e75dc2cc5b0bc57bf90d6948a22fe8");
    HAS(&im, "cve5-cna CVE-2023-4911 |\n");
    HAS(&im, "OR({cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_19:*:*:*:*:*:*})");

    mfx f;
    mfx_open(&f, im.b);
    char buf[1024];
    assert_non_null(strstr(scan1(&f, "cpe:2.3:a:gitlab:gitlab:18.9.1:*:*:*:*:*:*:*", buf, sizeof buf),
                           "CVE-2026-1069:match"));
    assert_null(strstr(scan1(&f, "cpe:2.3:a:gitlab:gitlab:18.9.2:*:*:*:*:*:*:*", buf, sizeof buf), "CVE-2026-1069"));
    assert_non_null(strstr(scan1(&f, "cpe:2.3:a:google:chrome:128.0.6613.83:*:*:*:*:*:*:*", buf, sizeof buf),
                           "CVE-2024-7971:match"));
    assert_null(strstr(scan1(&f, "cpe:2.3:a:google:chrome:128.0.6613.84:*:*:*:*:*:*:*", buf, sizeof buf),
                       "CVE-2024-7971"));
    mfx_close(&f);
    imp_free(&im);
}

/* The same CVE from NVD and from CVE 5 gives one hit per item: both sources are kept
 * as documents of one vulnerability. */
static void test_cve5_with_nvd_one_hit(void **state)
{
    (void)state;
    const char *shared = getenv("LF_SHARED_DATA");
    char nvdp[1024], c5p[1024];
    snprintf(nvdp, sizeof nvdp, "%s/nvd/CVE-2024-7971.json", shared ? shared : "");
    snprintf(c5p, sizeof c5p, "%s/cve5/CVE-2024-7971.json", shared ? shared : "");
    if (!shared || !lf_file_exists(nvdp) || !lf_file_exists(c5p)) {
        skip();
        return;
    }
    imp im;
    imp_init(&im);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_nvd_import_file(&im.c, nvdp, &err), LF_OK);
    assert_int_equal(lf_cve5_import_file(&im.c, NULL, c5p, &err), LF_OK);
    assert_true(lf_vdb_builder_ndocs(im.b) >= 3);
    mfx f;
    mfx_open(&f, im.b);
    char buf[512];
    assert_string_equal(scan1(&f, "cpe:2.3:a:google:chrome:128.0.6613.83:*:*:*:*:*:*:*", buf, sizeof buf),
                        "CVE-2024-7971:match");
    uint32_t idx[8];
    assert_true(lf_vdb_find_vuln(f.db, "CVE-2024-7971", idx, 8) >= 3);
    mfx_close(&f);
    imp_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cve5_cna_ranges_and_metadata),
        cmocka_unit_test(test_cve5_adp_containers),
        cmocka_unit_test(test_cve5_default_affected),
        cmocka_unit_test(test_cve5_git_and_unknown_need_review),
        cmocka_unit_test(test_cve5_changes_patch_and_expressions),
        cmocka_unit_test(test_cve5_unusable_bounds_and_packages),
        cmocka_unit_test(test_cve5_cpe_applicability),
        cmocka_unit_test(test_cve5_names_resolved),
        cmocka_unit_test(test_cve5_rejected_removes),
        cmocka_unit_test(test_cve5_malformed_reported),
        cmocka_unit_test(test_cve5_shapes),
        cmocka_unit_test(test_cve5_zip_archive),
        cmocka_unit_test(test_cve5_shared_records),
        cmocka_unit_test(test_cve5_with_nvd_one_hit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
