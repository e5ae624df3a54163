/*
 * Tests for src/intake/purlidx.c (syft's ecosystem → CPE index) and its use by the
 * resolver (method "purl-index"), with the small index tests/fixtures/purlidx/cpe-index.json
 * (invented entries in syft's format) and the resolver's test dictionary
 * tests/fixtures/intake/dict: entries parsed and ecosystems mapped, every malformed entry
 * reported with the file, its JSON path and the reason while the good ones are kept, a file
 * that is not the format refused whole, names compared as each registry does, the written
 * index read back the same, resolution through the index, packages.tsv's precedence, the
 * several-products cases, and distribution packages left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "intake/namedb.h"
#include "intake/purlidx.h"
#include "intake/resolve.h"
#include "unit/intake/resolve_assert.h"

#define MAX_WARN 32

typedef struct fx {
    char path[4096];
    lf_namedb *db;
    lf_norm *norm;
    lf_resolver *r;
    int warnings;
    lf_err warn[MAX_WARN];
} fx;

static void on_warn(void *ud, const lf_err *e)
{
    fx *f = ud;
    if (f->warnings < MAX_WARN)
        f->warn[f->warnings] = *e;
    f->warnings++;
}

static const char *fixtures(void)
{
    const char *d = getenv("LF_FIXTURES");
    return d ? d : "tests/fixtures";
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lf_err err;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/intake/dict", fixtures());
    snprintf(f->path, sizeof f->path, "%s/purlidx/cpe-index.json", fixtures());
    assert_int_equal(lf_namedb_new(&f->db, &err), LF_OK);
    assert_int_equal(lf_norm_new(&f->norm, &err), LF_OK);
    assert_int_equal(lf_namedb_load_dir(f->db, f->norm, dir, NULL, NULL, &err), LF_OK);
    assert_int_equal(lf_namedb_load_purlidx(f->db, f->path, on_warn, f, &err), LF_OK);
    assert_int_equal(lf_resolver_new(f->db, &f->r, &err), LF_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lf_resolver_free(f->r);
    lf_norm_free(f->norm);
    lf_namedb_free(f->db);
    free(f);
    return 0;
}

static size_t lookup(fx *f, const char *eco, const char *name, lf_product *out, size_t max)
{
    return lf_purlidx_lookup(lf_namedb_purlidx(f->db), eco, name, strlen(name), out, max);
}

#define PRODUCT(p, part_, vendor_, product_)            \
    do {                                                \
        assert_int_equal((p).part, part_);              \
        assert_string_equal((p).vendor, vendor_);       \
        assert_string_equal((p).product, product_);     \
    } while (0)

/* The good entries are all there, under lianfang's ecosystem names. */
static void test_purlidx_entries_parsed(void **state)
{
    fx *f = *state;
    lf_purlidx_stats st;
    lf_purlidx_get_stats(lf_namedb_purlidx(f->db), &st);
    assert_int_equal(st.packages, 17);
    assert_int_equal(st.cpes, 24);
    assert_int_equal(st.ambiguous, 6);      /* twin-parser, gridkit, panelkit, postgresql, wireshark, chromish */
    assert_int_equal(st.unmapped, 1);       /* future_ecosystem */
    assert_int_equal(st.ecosystems, 7);
    lf_namedb_counts c;
    lf_namedb_get_counts(f->db, &c);
    assert_int_equal(c.purl_packages, 17);

    lf_purlidx_eco ec[LF_PURLIDX_MAX_ECOSYSTEMS];
    size_t ne = lf_purlidx_ecosystems(lf_namedb_purlidx(f->db), ec, LF_PURLIDX_MAX_ECOSYSTEMS);
    static const char *const want[][2] = {{"npm", "npm"},           {"pypi", "pypi"},
                                          {"rubygems", "gem"},      {"rust_crates", "cargo"},
                                          {"go_modules", "golang"}, {"jenkins_plugins", "jenkins"},
                                          {"future_ecosystem", "future_ecosystem"}};
    assert_int_equal(ne, 7);
    for (size_t i = 0; i < ne; i++) {
        assert_string_equal(ec[i].syft, want[i][0]);
        assert_string_equal(ec[i].ecosystem, want[i][1]);
    }
    assert_int_equal(ec[0].packages, 10);
    assert_string_equal(lf_purlidx_ecosystem_name("wordpress_plugins"), "wordpress-plugin");
    assert_null(lf_purlidx_ecosystem_name("no_such"));

    lf_product p[4];
    assert_int_equal(lookup(f, "npm", "acme-left-pad", p, 4), 1);
    PRODUCT(p[0], 'a', "acme_project", "acme-left-pad");
    /* one vendor:product written for two target_sw values is one product */
    assert_int_equal(lookup(f, "npm", "@widgetco/charts", p, 4), 1);
    PRODUCT(p[0], 'a', "widgetco", "charts");
    assert_int_equal(lookup(f, "npm", "twin-parser", p, 4), 2);
    PRODUCT(p[0], 'a', "alpha_labs", "twin_parser");
    PRODUCT(p[1], 'a', "beta_soft", "twin-parser");
    /* max bounds what is written, not what is counted */
    assert_int_equal(lookup(f, "npm", "twin-parser", p, 1), 2);
    assert_int_equal(lookup(f, "future_ecosystem", "some-package", p, 4), 1);
    assert_int_equal(lookup(f, "npm", "not-there", p, 4), 0);
    assert_int_equal(lookup(f, "deb", "acme-left-pad", p, 4), 0);
}

static const lf_err *warning_at(fx *f, const char *path)
{
    for (int i = 0; i < f->warnings && i < MAX_WARN; i++)
        if (strncmp(f->warn[i].msg, path, strlen(path)) == 0 && f->warn[i].msg[strlen(path)] == ':')
            return &f->warn[i];
    return NULL;
}

/* Every malformed entry is reported with the file, its JSON path and why; the rest stays. */
static void test_purlidx_malformed_reported(void **state)
{
    fx *f = *state;
    static const struct {
        const char *path, *reason;
    } want[] = {
        {"ecosystems.npm[\"broken-one\"][0]", "\"cpe:2.3:a:broken\": not a CPE name: "},
        {"ecosystems.npm[\"broken-one\"][2]", "a number, not a string"},
        {"ecosystems.npm[\"broken-one\"][3]", "the part must be a, o or h"},
        {"ecosystems.npm[\"broken-one\"][4]", "names no vendor"},
        {"ecosystems.npm[\"broken-one\"][5]", "the part must be a, o or h"},
        {"ecosystems.npm[\"nothing-good\"][0]", "\"not a cpe at all\": not a CPE name"},
        {"ecosystems.npm[\"\"]", "an empty package name"},
        {"ecosystems.npm[\"not-an-array\"]", "a string, not an array of CPE names"},
        {"ecosystems.npm[\"no-names\"]", "lists no CPE name"},
        {"ecosystems.php_composer", "an array, not an object of packages"},
    };
    size_t nw = sizeof want / sizeof want[0];
    assert_int_equal(f->warnings, (int)nw);
    lf_purlidx_stats st;
    lf_purlidx_get_stats(lf_namedb_purlidx(f->db), &st);
    assert_int_equal(st.bad, nw);
    for (size_t i = 0; i < nw; i++) {
        const lf_err *e = warning_at(f, want[i].path);
        if (!e)
            fail_msg("no warning for %s", want[i].path);
        assert_string_equal(e->src, f->path);
        if (!strstr(e->msg, want[i].reason))
            fail_msg("%s: \"%s\" does not say \"%s\"", want[i].path, e->msg, want[i].reason);
    }
    /* the good name of broken-one is kept (once: it is listed twice) */
    lf_product p[4];
    assert_int_equal(lookup(f, "npm", "broken-one", p, 4), 1);
    PRODUCT(p[0], 'a', "fine_vendor", "broken-one");
    assert_int_equal(lookup(f, "npm", "nothing-good", p, 4), 0);
}

/* A file that is not the format is refused whole, with where and why. */
static void test_purlidx_not_the_format(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        const char *says;
    } cases[] = {
        {"{\"ecosystems\": {\"npm\": {\"x\": [\"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*\"]}}", LF_EPARSE, ""},
        {"[1, 2]", LF_EFORMAT, "an array without an \"ecosystems\" member"},
        {"{\"products\": []}", LF_EFORMAT, "an object without an \"ecosystems\" member"},
        {"{\"ecosystems\": [\"npm\"]}", LF_EFORMAT, "\"ecosystems\" is an array, not an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_purlidx *x;
        lf_err err;
        lf_err_clear(&err);
        assert_int_equal(lf_purlidx_new(&x, &err), LF_OK);
        int rc = lf_purlidx_load_buffer(x, "t.json", cases[i].text, strlen(cases[i].text), NULL, NULL, &err);
        assert_int_equal(rc, cases[i].rc);
        assert_string_equal(err.src, "t.json");
        if (!strstr(err.msg, cases[i].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.msg, cases[i].says);
        if (rc == LF_EPARSE)
            assert_true(err.line == 1 && err.col > 0);
        lf_purlidx_stats st;
        lf_purlidx_get_stats(x, &st);
        assert_int_equal(st.packages, 0);
        lf_purlidx_free(x);
    }
}

/* Package names compare as each registry compares them. */
static void test_purlidx_name_rules(void **state)
{
    fx *f = *state;
    static const struct {
        const char *eco, *name;
        const char *vendor;     /* NULL: not found */
    } cases[] = {
        {"pypi", "Zope.Widget_Kit", "zope"},        /* PEP 503 */
        {"pypi", "zope-widget-kit", "zope"},
        {"pypi", "ZOPE__widget..kit", "zope"},
        {"npm", "@widgetco/forms", "widgetco"},     /* the file writes %40widgetco/Forms */
        {"npm", "%40widgetco/forms", "widgetco"},
        {"npm", "ACME-LEFT-PAD", "acme_project"},
        {"cargo", "fast-hash", "fast_hash_project"},
        {"cargo", "Fast_Hash", "fast_hash_project"},
        {"golang", "example.org/Tools/tiny", "example"},
        {"golang", "example.org/tools/tiny", NULL},  /* module paths are exact */
        {"gem", "ruby-gadget", "gadgetworks"},
        {"gem", "Ruby-Gadget", NULL},
        {"jenkins", "build-light", "jenkins"},
        {"maven", "org.jenkins-ci.plugins:build-light", "jenkins"},   /* a Jenkins plugin */
        {"maven", "io.jenkins.plugins:build-light", "jenkins"},
        {"maven", "org.jenkins-ci.plugins.workflow:build-light", "jenkins"},
        {"maven", "org.jenkins-ci.pluginsx:build-light", NULL},
        {"maven", "com.example:build-light", NULL},
        {"composer", "composer_vendor/thing", NULL},  /* its ecosystem was malformed */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_product p[2];
        size_t n = lookup(f, cases[i].eco, cases[i].name, p, 2);
        if (!cases[i].vendor) {
            if (n)
                fail_msg("%s %s: found %s", cases[i].eco, cases[i].name, p[0].vendor);
            continue;
        }
        if (n != 1)
            fail_msg("%s %s: %zu products", cases[i].eco, cases[i].name, n);
        assert_string_equal(p[0].vendor, cases[i].vendor);
    }
}

/* What lf_purlidx_write_buf writes reads back as the same index, byte for byte. */
static void test_purlidx_round_trip(void **state)
{
    fx *f = *state;
    lf_buf a, b;
    lf_buf_init(&a, 0);
    lf_buf_init(&b, 0);
    assert_int_equal(lf_purlidx_write_buf(lf_namedb_purlidx(f->db), &a), LF_OK);
    lf_purlidx *x;
    lf_err err;
    assert_int_equal(lf_purlidx_new(&x, &err), LF_OK);
    int warnings = 0;
    assert_int_equal(lf_purlidx_load_buffer(x, "written.json", a.data, a.len, NULL, &warnings, &err), LF_OK);
    assert_int_equal(lf_purlidx_write_buf(x, &b), LF_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    lf_purlidx_stats s1, s2;
    lf_purlidx_get_stats(lf_namedb_purlidx(f->db), &s1);
    lf_purlidx_get_stats(x, &s2);
    assert_int_equal(s2.packages, s1.packages);
    assert_int_equal(s2.cpes, s1.cpes);
    assert_int_equal(s2.ambiguous, s1.ambiguous);
    assert_int_equal(s2.bad, 0);
    /* syft's ecosystem names and the file's own spelling of a package are kept */
    assert_non_null(strstr(a.data, "\"rust_crates\": {"));
    assert_non_null(strstr(a.data, "\"%40widgetco/Forms\": [\"cpe:2.3:a:widgetco:forms:*:*:*:*:*:node.js:*:*\"]"));
    assert_null(strstr(a.data, "broken\""));
    lf_purlidx_free(x);
    lf_buf_clear(&a);
    lf_buf_clear(&b);
}

static lf_resolution res_purl(fx *f, const char *name, const char *purl, const char *eco, const char *version)
{
    lf_inv_rec rec = {0};
    rec.name = name;
    rec.purl = purl;
    rec.ecosystem = eco;
    rec.version = version;
    lf_resolution o;
    lf_err err;
    assert_int_equal(lf_resolve(f->r, &rec, &o, &err), LF_OK);
    return o;
}

/* A package packages.tsv does not name resolves through the index at 0.90. */
static void test_resolve_purl_index(void **state)
{
    fx *f = *state;
    lf_resolution o = res_purl(f, "acme-left-pad", "pkg:npm/acme-left-pad@1.3.0", NULL, "1.3.0");
    RESOLVED(o, "cpe:2.3:a:acme_project:acme-left-pad:1.3.0:*:*:*:*:*:*:*", "purl-index", 0.90);
    assert_string_equal(o.vendor, "acme_project");
    /* a scoped npm package from its purl; a row that names the ecosystem without a purl */
    o = res_purl(f, "@widgetco/charts", "pkg:npm/%40widgetco/charts@4.0.1", NULL, NULL);
    RESOLVED(o, "cpe:2.3:a:widgetco:charts:4.0.1:*:*:*:*:*:*:*", "purl-index", 0.90);
    o = res_purl(f, "Zope.Widget-Kit", NULL, "pypi", "2.0");
    RESOLVED(o, "cpe:2.3:a:zope:widget_kit:2.0:*:*:*:*:*:*:*", "purl-index", 0.90);
    o = res_purl(f, "build-light", "pkg:maven/org.jenkins-ci.plugins/build-light@1.7", NULL, NULL);
    RESOLVED(o, "cpe:2.3:a:jenkins:build_light:1.7:*:*:*:*:*:*:*", "purl-index", 0.90);
    /* the same record again: the cached answer, the same */
    lf_resolver_stats s0, s1;
    lf_resolver_get_stats(f->r, &s0);
    o = res_purl(f, "build-light", "pkg:maven/org.jenkins-ci.plugins/build-light@1.7", NULL, NULL);
    lf_resolver_get_stats(f->r, &s1);
    assert_int_equal(s1.cache_hits, s0.cache_hits + 1);
    RESOLVED(o, "cpe:2.3:a:jenkins:build_light:1.7:*:*:*:*:*:*:*", "purl-index", 0.90);
}

/* The shipped packages.tsv wins over the index (which names requests differently here). */
static void test_resolve_packages_tsv_first(void **state)
{
    fx *f = *state;
    lf_resolution o = res_purl(f, "requests", "pkg:pypi/requests@2.31.0", NULL, "2.31.0");
    RESOLVED(o, "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*", "purl", 0.97);
    o = res_purl(f, "requests", NULL, "pypi", "2.31.0");
    RESOLVED(o, "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*", "package", 0.95);
}

/* Several products: unresolved with them as candidates, unless one is clearly the
 * package's (one product under two NVD names; one vendor, one product named as the
 * package). */
static void test_resolve_several_products(void **state)
{
    fx *f = *state;
    lf_resolution o = res_purl(f, "twin-parser", "pkg:npm/twin-parser@0.4.2", NULL, "0.4.2");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "the purl index names several products for this package (see candidates)");
    assert_int_equal(o.ncand, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(o.cand[i].method, "purl-index");
        assert_true(o.cand[i].score < LF_RESOLVE_THRESHOLD);
    }
    assert_true((!strcmp(o.cand[0].cpe, "a:alpha_labs:twin_parser") && !strcmp(o.cand[1].cpe, "a:beta_soft:twin-parser")) ||
                (!strcmp(o.cand[1].cpe, "a:alpha_labs:twin_parser") && !strcmp(o.cand[0].cpe, "a:beta_soft:twin-parser")));
    /* without a name column the reason is the same */
    o = res_purl(f, NULL, "pkg:npm/twin-parser@0.4.2", NULL, NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "the purl index names several products for this package (see candidates)");
    /* one vendor, neither product spelled as the package: not guessed */
    o = res_purl(f, "panelkit", "pkg:npm/panelkit@3.0.0", NULL, NULL);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_int_equal(o.ncand, 2);
    /* one vendor, one product named as the package: that one, at 0.85 */
    o = res_purl(f, "gridkit", "pkg:npm/gridkit@5.1.0", NULL, NULL);
    RESOLVED(o, "cpe:2.3:a:gridkit:gridkit:5.1.0:*:*:*:*:*:*:*", "purl-index", 0.85);
    /* the name may choose among the index's products ("Wireshark" is an alias of one), not
     * name another ("PostgreSQL" is the database, which the index does not list here) */
    o = res_purl(f, "wireshark", "pkg:npm/wireshark@2.0.0", NULL, "2.0.0");
    RESOLVED(o, "cpe:2.3:a:wireshark:wireshark:2.0.0:*:*:*:*:*:*:*", "alias", 0.98);
    o = res_purl(f, "postgresql", "pkg:npm/postgresql@1.1.0", NULL, "1.1.0");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "the purl index names several products for this package (see candidates)");
    /* the index's two products first; the vocabulary's exact product name ranks below */
    assert_int_equal(o.ncand, 3);
    assert_string_equal(o.cand[0].method, "purl-index");
    assert_string_equal(o.cand[1].method, "purl-index");
    assert_string_equal(o.cand[2].cpe, "a:postgresql:postgresql");
    /* one product under its two NVD names (equivalents.tsv): resolved, the other matched too */
    o = res_purl(f, "chromish", "pkg:npm/chromish@1.0.0", NULL, NULL);
    RESOLVED(o, "cpe:2.3:a:google:chrome_legacy_name:1.0.0:*:*:*:*:*:*:*", "purl-index", 0.90);
    assert_int_equal(o.nalso, 1);
    assert_string_equal(o.also[0], "cpe:2.3:a:google:chrome:1.0.0:*:*:*:*:*:*:*");
}

/* Distribution packages are not looked up (ruby-gadget is a gem, not a deb), and without
 * an imported index nothing changes. */
static void test_resolve_scope(void **state)
{
    fx *f = *state;
    lf_resolution o = res_purl(f, "ruby-gadget", NULL, "deb", "1.0-1");
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "package not in the package map");
    o = res_purl(f, "ruby-gadget", "pkg:gem/ruby-gadget@1.0.2", NULL, NULL);
    RESOLVED(o, "cpe:2.3:a:gadgetworks:ruby-gadget:1.0.2:*:*:*:*:*:*:*", "purl-index", 0.90);

    lf_namedb *db;
    lf_resolver *r;
    lf_err err;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/intake/dict", fixtures());
    assert_int_equal(lf_namedb_new(&db, &err), LF_OK);
    assert_int_equal(lf_namedb_load_dir(db, f->norm, dir, NULL, NULL, &err), LF_OK);
    assert_null(lf_namedb_purlidx(db));
    assert_int_equal(lf_resolver_new(db, &r, &err), LF_OK);
    lf_inv_rec rec = {0};
    rec.purl = "pkg:npm/acme-left-pad@1.3.0";
    assert_int_equal(lf_resolve(r, &rec, &o, &err), LF_OK);
    assert_int_equal(o.bucket, LF_BUCKET_UNRESOLVED);
    assert_string_equal(o.reason, "package not in the package map");
    lf_resolver_free(r);
    lf_namedb_free(db);
}

/* More than LF_PURLIDX_MAX_WARNINGS malformed entries: that many reported, then one line
 * with how many more; all counted. */
static void test_purlidx_warning_cap(void **state)
{
    (void)state;
    lf_buf t;
    lf_buf_init(&t, 0);
    lf_buf_puts(&t, "{\"ecosystems\": {\"npm\": {\"ok\": [\"cpe:2.3:a:ok_vendor:ok:*:*:*:*:*:*:*:*\"]");
    for (int i = 0; i < 150; i++)
        lf_buf_printf(&t, ", \"bad-%d\": [\"cpe:2.3:a:bad\"]", i);
    lf_buf_puts(&t, "}}}");
    fx f = {0};
    lf_purlidx *x;
    lf_err err;
    assert_int_equal(lf_purlidx_new(&x, &err), LF_OK);
    assert_int_equal(lf_purlidx_load_buffer(x, "many.json", t.data, t.len, on_warn, &f, &err), LF_OK);
    assert_int_equal(f.warnings, LF_PURLIDX_MAX_WARNINGS + 1);
    lf_purlidx_stats st;
    lf_purlidx_get_stats(x, &st);
    assert_int_equal(st.bad, 150);
    assert_int_equal(st.packages, 1);
    lf_purlidx_free(x);
    lf_buf_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purlidx_entries_parsed),
        cmocka_unit_test(test_purlidx_malformed_reported),
        cmocka_unit_test(test_purlidx_not_the_format),
        cmocka_unit_test(test_purlidx_name_rules),
        cmocka_unit_test(test_purlidx_round_trip),
        cmocka_unit_test(test_purlidx_warning_cap),
        cmocka_unit_test(test_resolve_purl_index),
        cmocka_unit_test(test_resolve_packages_tsv_first),
        cmocka_unit_test(test_resolve_several_products),
        cmocka_unit_test(test_resolve_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
