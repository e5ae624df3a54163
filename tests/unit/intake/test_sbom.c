/*
 * Tests for src/intake/sbom.c: CycloneDX JSON (nested components, the BOM's subject,
 * vendor order, purl ecosystems), SPDX JSON (supplier/originator agents, externalRefs)
 * and SPDX tag-value (<text> blocks, section ends, both PACKAGE-MANAGER spellings), on
 * hand-made fixtures and on real SBOMs from ../shared/data (skipped when absent).
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
#include "core/file.h"
#include "intake/psjson.h"
#include "intake/sbom.h"

/* ---- a sink that copies what it is given ---------------------------------------------- */

#define MAXREC 256

typedef struct got_rec {
    char name[128], version[64], vendor[128], host[64], os[64], cpe[128], purl[160], eco[16];
    long line;
} got_rec;

typedef struct got {
    got_rec rec[MAXREC];
    size_t nrec;
    long rej_line[MAXREC];
    char rej_field[MAXREC][64];
    char rej_msg[MAXREC][512];
    size_t nrej;
    size_t stop_after;    /* 0: never stop */
} got;

/* NULL is kept apart from "" so tests can say "not given". */
static void cp(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "(null)");
}

static int on_rec(void *ud, const lf_inv_rec *r)
{
    got *g = ud;
    assert_non_null(r->name);
    assert_true(r->line >= 1);
    if (g->nrec < MAXREC) {
        got_rec *o = &g->rec[g->nrec];
        cp(o->name, sizeof o->name, r->name);
        cp(o->version, sizeof o->version, r->version);
        cp(o->vendor, sizeof o->vendor, r->vendor);
        cp(o->host, sizeof o->host, r->host);
        cp(o->os, sizeof o->os, r->os);
        cp(o->cpe, sizeof o->cpe, r->cpe);
        cp(o->purl, sizeof o->purl, r->purl);
        cp(o->eco, sizeof o->eco, r->ecosystem);
        o->line = r->line;
    }
    g->nrec++;
    return g->stop_after && g->nrec >= g->stop_after ? 9 : 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    got *g = ud;
    if (g->nrej < MAXREC) {
        g->rej_line[g->nrej] = e->line;
        snprintf(g->rej_field[g->nrej], 64, "%s", e->field);
        snprintf(g->rej_msg[g->nrej], 512, "%s", e->msg);
    }
    g->nrej++;
}

static got *got_new(void)
{
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    return g;
}

static int run(lf_inv_reader_fn fn, got *g, const char *src, const char *text, size_t len,
               const lf_inv_opts *opts, lf_inv_counts *c, lf_err *err)
{
    lf_inv_sink sink = {on_rec, on_reject, g};
    lf_err_clear(err);
    int rc = fn(src, text, len, opts, &sink, c, err);
    /* the loss rule: every delivery is counted, and nothing counted went undelivered */
    assert_int_equal(c->records, g->nrec);
    assert_int_equal(c->rejected, g->nrej);
    return rc;
}

static int run_s(lf_inv_reader_fn fn, got *g, const char *text, lf_inv_counts *c, lf_err *err)
{
    return run(fn, g, "t", text, strlen(text), NULL, c, err);
}

static char *load(const char *path, size_t *len)
{
    char *data = NULL;
    lf_err err;
    lf_err_clear(&err);
    if (lf_file_read(path, 0, &data, len, &err) != LF_OK)
        fail_msg("cannot read %s: %s", path, err.msg);
    return data;
}

static char *load_fixture(const char *name, size_t *len)
{
    const char *root = getenv("LF_FIXTURES");
    char path[1024];
    if (root)
        snprintf(path, sizeof path, "%s/intake/json/%s", root, name);
    else
        snprintf(path, sizeof path, "%s/tests/fixtures/intake/json/%s", LF_SOURCE_DIR, name);
    return load(path, len);
}

/* A file of ../shared/data/inventories/sbom, or NULL (the test then skips). */
static char *load_shared(const char *name, size_t *len)
{
    const char *root = getenv("LF_SHARED_DATA");
    if (!root)
        return NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/inventories/sbom/%s", root, name);
    if (!lf_file_exists(path))
        return NULL;
    return load(path, len);
}

static void rec_is(const got_rec *r, const char *name, const char *version, const char *vendor,
                   const char *cpe, const char *purl, const char *eco, long line)
{
    assert_string_equal(r->name, name);
    assert_string_equal(r->version, version);
    assert_string_equal(r->vendor, vendor);
    assert_string_equal(r->cpe, cpe);
    assert_string_equal(r->purl, purl);
    assert_string_equal(r->eco, eco);
    assert_int_equal(r->line, line);
}

static size_t count_not_null(const got *g, size_t off)
{
    size_t n = 0;
    for (size_t i = 0; i < g->nrec && i < MAXREC; i++)
        if (strcmp((const char *)&g->rec[i] + off, "(null)") != 0)
            n++;
    return n;
}

/* ---- CycloneDX -------------------------------------------------------------------------- */

/* Nested components in document order with their top-level entry's line; the container
 * subject skipped (with its own sub-component) and naming the host; the OS component as
 * the default os; vendor order publisher > supplier > manufacturer > author > authors >
 * group; purl type lowercased; nameless, non-object and bad-version components rejected. */
static void test_sbom_cdx_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("cdx-nested.cdx.json", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    lf_inv_opts opts = {"from-opts", "from-opts-os"};
    assert_int_equal(run(lf_sbom_cdx_read, g, "cdx-nested.cdx.json", text, len, &opts, &c, &err), LF_OK);
    assert_int_equal(c.records, 7);
    assert_int_equal(c.rejected, 3);
    assert_int_equal(c.skipped, 2);
    rec_is(&g->rec[0], "debian", "12.5", "(null)", "(null)", "(null)", "(null)", 16);
    rec_is(&g->rec[1], "openssl", "3.0.11-1~deb12u2", "Debian OpenSSL Team",
           "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
           "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "deb", 21);
    rec_is(&g->rec[2], "tomcat", "9.0.85", "org.apache.tomcat", "(null)", "pkg:maven/org.apache.tomcat/tomcat@9.0.85",
           "maven", 29);
    rec_is(&g->rec[3], "tomcat-embed-core", "9.0.85", "Apache Software Foundation", "(null)", "(null)", "(null)", 29);
    rec_is(&g->rec[4], "ecj", "3.26", "Eclipse Foundation", "(null)", "(null)", "(null)", 29);
    rec_is(&g->rec[5], "lodash", "4.17.21", "John-David Dalton", "(null)", "pkg:NPM/lodash@4.17.21", "npm", 51);
    rec_is(&g->rec[6], "Foxit PDF Reader 福昕", "2024.1.0", "Foxit Software Inc.", "(null)",
           "pkg:generic/foxit-reader@2024.1.0", "generic", 64);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(g->rec[i].host, "moj-portal");
        assert_string_equal(g->rec[i].os, "debian 12.5");
    }
    assert_int_equal(g->rej_line[0], 29);
    assert_non_null(strstr(g->rej_msg[0], "unnamed-jar-1"));
    assert_int_equal(g->rej_line[1], 58);
    assert_non_null(strstr(g->rej_msg[1], "a string, not an object"));
    assert_int_equal(g->rej_line[2], 59);
    assert_string_equal(g->rej_field[2], "version");
    free(g);
    free(text);
}

/* An operating-system subject wins over a components[] OS; without metadata the opts
 * give host and os; a missing components[] is an empty inventory; a components value
 * that is not an array is one rejection. */
static void test_sbom_cdx_defaults(void **state)
{
    (void)state;
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    const char *t = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":"
                    "{\"type\":\"operating-system\",\"name\":\"Windows Server 2019 Standard\",\"version\":\"10.0.17763\"}},"
                    "\"components\":[{\"type\":\"operating-system\",\"name\":\"ubuntu\",\"version\":\"22.04\"},"
                    "{\"name\":\"x\",\"version\":\"\"}]}";
    lf_inv_opts opts = {"h1", "o1"};
    assert_int_equal(run(lf_sbom_cdx_read, g, "t", t, strlen(t), &opts, &c, &err), LF_OK);
    assert_int_equal(c.records, 2);
    assert_int_equal(c.skipped, 1);
    assert_string_equal(g->rec[1].os, "Windows Server 2019 Standard 10.0.17763");
    assert_string_equal(g->rec[1].host, "h1");
    assert_string_equal(g->rec[1].version, "(null)");
    free(g);

    g = got_new();
    const char *t2 = "{\"bomFormat\":\"CycloneDX\",\"components\":[{\"name\":\"x\",\"type\":\"library\"}]}";
    assert_int_equal(run(lf_sbom_cdx_read, g, "t", t2, strlen(t2), &opts, &c, &err), LF_OK);
    assert_string_equal(g->rec[0].host, "h1");
    assert_string_equal(g->rec[0].os, "o1");
    free(g);

    g = got_new();
    assert_int_equal(run_s(lf_sbom_cdx_read, g, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}", &c, &err), LF_OK);
    assert_int_equal(c.records + c.rejected + c.skipped, 0);
    assert_int_equal(run_s(lf_sbom_cdx_read, g, "{\"bomFormat\":\"CycloneDX\",\"components\":{\"name\":\"x\"}}", &c, &err),
                     LF_OK);
    assert_int_equal(c.rejected, 1);
    assert_string_equal(g->rej_field[0], "components");
    free(g);
}

/* Not CycloneDX: LF_EFORMAT with nothing delivered; broken JSON: LF_EPARSE located, with
 * nothing delivered (the document is parsed whole first). */
static void test_sbom_cdx_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        long line;
    } cases[] = {
        {"", LF_EFORMAT, 0},
        {"[{\"bomFormat\":\"CycloneDX\"}]", LF_EFORMAT, 0},
        {"{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[]}", LF_EFORMAT, 0},
        {"{\"bomFormat\":\"cyclonedx\",\"components\":[{\"name\":\"x\"}]}", LF_EFORMAT, 0},
        {"{\"bomFormat\":\"CycloneDX\",\n\"components\":[{\"name\":\"x\"},\n{\"name\":]}", LF_EPARSE, 3},
        {"{\"bomFormat\":\"CycloneDX\",\"components\":[{\"name\":\"x\"}]} trailing", LF_EPARSE, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        int rc = run(lf_sbom_cdx_read, g, "bom.json", cases[i].text, strlen(cases[i].text), NULL, &c, &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc, err.msg);
        assert_int_equal(g->nrec + g->nrej, 0);
        assert_non_null(strstr(rc == LF_EPARSE ? err.src : err.msg, "bom.json"));
        if (cases[i].line)
            assert_int_equal(err.line, cases[i].line);
        free(g);
    }
}

/* The sink's value stops the walk, also from inside nested components. */
static void test_sbom_cdx_stop(void **state)
{
    (void)state;
    const char *t = "{\"bomFormat\":\"CycloneDX\",\"components\":[{\"name\":\"a\",\"components\":[{\"name\":\"b\"},"
                    "{\"name\":\"c\"}]},{\"name\":\"d\"}]}";
    got *g = got_new();
    g->stop_after = 2;
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run_s(lf_sbom_cdx_read, g, t, &c, &err), 9);
    assert_int_equal(c.records, 2);
    assert_string_equal(g->rec[1].name, "b");
    free(g);
}

/* Just over lf_json's default string and list limits (1 Mi). */
#define OVER_LIMIT (((size_t)1 << 20) + 10)

static void put_run(lf_buf *b, char ch, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lf_buf_putc(b, ch);
}

/* n copies of item, comma-separated */
static void put_list(lf_buf *b, const char *item, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_buf_puts(b, item);
    }
}

/* A document too big in places (lf_json's default limits: 1 MiB strings, 1 Mi list
 * entries): a component over a limit is parsed again on its own and read like the others,
 * with its nested components (one of which holds the big string); a huge list elsewhere
 * in the document ("dependencies") costs nothing; the document's os is still found past
 * the big component, and metadata after components is still the subject. */
static void test_sbom_cdx_limits(void **state)
{
    (void)state;
    lf_buf d;
    lf_buf_init(&d, 0);
    lf_buf_puts(&d, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\n\"components\":[\n"
                    "{\"name\":\"openssl\",\"version\":\"3.0.2\"},\n"          /* line 3 */
                    "{\"name\":\"bigdoc\",\"version\":\"1\",\"description\":\"");
    put_run(&d, 'x', OVER_LIMIT);
    lf_buf_puts(&d, "\"},\n"                                                          /* line 4 */
                    "{\"name\":\"curl\",\"version\":\"7.81.0\"},\n"              /* line 5 */
                    "{\"name\":\"parent\",\"components\":[{\"name\":\"kid1\"},{\"name\":\"kid2\","
                    "\"description\":\"");                                                /* line 6 */
    put_run(&d, 'y', OVER_LIMIT);
    lf_buf_puts(&d, "\"}]},\n"
                    "{\"type\":\"operating-system\",\"name\":\"ubuntu\",\"version\":\"22.04\"}\n"
                    "],\n\"dependencies\":[");
    put_list(&d, "{}", OVER_LIMIT);
    lf_buf_puts(&d, "],\n\"metadata\":{\"component\":{\"type\":\"container\",\"name\":\"img-1\"}}}");
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_cdx_read, g, "big.json", d.data, d.len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 7);
    assert_int_equal(c.rejected, 0);
    assert_int_equal(c.skipped, 1);
    static const char *const names[] = {"openssl", "bigdoc", "curl", "parent", "kid1", "kid2", "ubuntu"};
    static const long lines[] = {3, 4, 5, 6, 6, 6, 7};
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(g->rec[i].name, names[i]);
        assert_int_equal(g->rec[i].line, lines[i]);
        assert_string_equal(g->rec[i].os, "ubuntu 22.04");
        assert_string_equal(g->rec[i].host, "img-1");
    }
    assert_string_equal(g->rec[1].version, "1");
    free(g);
    lf_buf_clear(&d);
}

typedef struct cdx_real {
    const char *file;
    size_t records, cpes;
    long first_line, last_line;
    const char *first_name, *first_version, *first_vendor, *first_purl, *eco;
    const char *last_name, *last_vendor;
} cdx_real;

/* Real CycloneDX 1.2, 1.4 and 1.6 BOMs: counts, lines and values checked with Python's
 * json module (every component has a vendor hint by the documented order). */
static void test_sbom_cdx_real(void **state)
{
    (void)state;
    static const cdx_real cases[] = {
        {"cve-bin-tool-py3.12.cdx.json", 70, 65, 30, 3452, "cve-bin-tool", "3.4", "Terri Oda",
         "pkg:pypi/cve-bin-tool@3.4", "pypi", "zstandard", "Gregory Szorc"},
        {"laravel-7.12.0.bom.1.4.cdx.json", 62, 0, 53, 3236, "stack-cors", "1.3.0", "Alexander",
         "pkg:composer/asm89/stack-cors@1.3.0", "composer", "portable-ascii", "Lars Moelleken"},
        {"dropwizard-1.3.15.bom.1.2.cdx.json", 167, 0, 61, 10040, "jackson-annotations", "2.9.10", "FasterXML",
         "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar", "maven", "dropwizard-forms",
         "io.dropwizard"},
    };
    size_t ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const cdx_real *w = &cases[i];
        size_t len;
        char *text = load_shared(w->file, &len);
        if (!text)
            continue;
        ran++;
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        assert_int_equal(run(lf_sbom_cdx_read, g, w->file, text, len, NULL, &c, &err), LF_OK);
        assert_int_equal(c.records, w->records);
        assert_int_equal(c.rejected, 0);
        assert_int_equal(c.skipped, 1);   /* metadata.component */
        assert_true(lf_sbom_cdx_sniff(text, len) >= 95);
        assert_int_equal(lf_sbom_spdx_sniff(text, len), 0);
        const got_rec *f = &g->rec[0], *l = &g->rec[w->records - 1];
        assert_string_equal(f->name, w->first_name);
        assert_string_equal(f->version, w->first_version);
        assert_string_equal(f->vendor, w->first_vendor);
        assert_string_equal(f->purl, w->first_purl);
        assert_int_equal(f->line, w->first_line);
        assert_string_equal(l->name, w->last_name);
        assert_string_equal(l->vendor, w->last_vendor);
        assert_int_equal(l->line, w->last_line);
        assert_int_equal(count_not_null(g, offsetof(got_rec, cpe)), w->cpes);
        for (size_t k = 0; k < w->records; k++)
            assert_string_equal(g->rec[k].eco, w->eco);
        free(g);
        free(text);
    }
    if (!ran)
        skip();
}

/* Laravel's components without an author take the Composer vendor (group) instead. */
static void test_sbom_cdx_group_vendor(void **state)
{
    (void)state;
    size_t len;
    char *text = load_shared("laravel-7.12.0.bom.1.4.cdx.json", &len);
    if (!text)
        skip();
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_cdx_read, g, "l", text, len, NULL, &c, &err), LF_OK);
    assert_string_equal(g->rec[1].name, "math");
    assert_string_equal(g->rec[1].vendor, "brick");
    assert_string_equal(g->rec[1].version, "0.9.3");
    free(g);
    free(text);
}

/* ---- SPDX JSON -------------------------------------------------------------------------- */

/* Supplier agents reduced to the name, NOASSERTION falling back to the originator, the
 * first cpe (22 or 23) and purl, a number version as text, OPERATING-SYSTEM and CONTAINER
 * packages as os/host defaults (and still records), a nameless package rejected. */
static void test_sbom_spdx_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("spdx-small.spdx.json", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_spdx_read, g, "s.json", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 5);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(c.skipped, 0);
    rec_is(&g->rec[0], "ubuntu", "22.04", "(null)", "(null)", "(null)", "(null)", 9);
    rec_is(&g->rec[1], "openssh-server", "1:8.9p1-3ubuntu0.6", "Ubuntu Developers", "cpe:/a:openbsd:openssh:8.9p1",
           "pkg:deb/ubuntu/openssh-server@1:8.9p1-3ubuntu0.6?arch=amd64", "deb", 15);
    rec_is(&g->rec[2], "curl", "7.81.0-1ubuntu1.15", "Daniel Stenberg", "(null)", "(null)", "(null)", 26);
    rec_is(&g->rec[3], "國家資通安全研究院工具", "2", "王小明", "(null)", "(null)", "(null)", 37);
    rec_is(&g->rec[4], "gov-app-image", "sha256:0123abcd", "(null)", "(null)", "(null)", "(null)", 43);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(g->rec[i].os, "ubuntu 22.04");
        assert_string_equal(g->rec[i].host, "gov-app-image");
    }
    assert_int_equal(g->rej_line[0], 33);
    assert_non_null(strstr(g->rej_msg[0], "SPDXRef-noname"));
    free(g);
    free(text);
}

/* Real syft output for alpine 3.10: three packages, the first cpe23Type of several, the
 * apk purl, the originator (with its <mail>) as vendor. */
static void test_sbom_spdx_real(void **state)
{
    (void)state;
    size_t len;
    char *text = load_shared("alpine-3.10.syft.spdx.json", &len);
    if (!text)
        skip();
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_spdx_read, g, "alpine", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 3);
    assert_int_equal(c.rejected, 0);
    rec_is(&g->rec[0], "busybox", "1.30.1-r5", "Natanael Copa", "cpe:2.3:a:busybox:busybox:1.30.1-r5:*:*:*:*:*:*:*",
           "pkg:apk/alpine/busybox@1.30.1-r5?arch=x86_64&distro=alpine-3.10.9", "apk", 16);
    rec_is(&g->rec[1], "libssl1.1", "1.1.1k-r0", "Timo Teras", "cpe:2.3:a:libssl1.1:libssl1.1:1.1.1k-r0:*:*:*:*:*:*:*",
           "pkg:apk/alpine/libssl1.1@1.1.1k-r0?arch=x86_64&distro=alpine-3.10.9", "apk", 40);
    rec_is(&g->rec[2], "ssl_client", "1.30.1-r5", "Natanael Copa", "cpe:2.3:a:ssl-client:ssl-client:1.30.1-r5:*:*:*:*:*:*:*",
           "pkg:apk/alpine/ssl_client@1.30.1-r5?arch=x86_64&upstream=busybox&distro=alpine-3.10.9", "apk", 64);
    assert_true(lf_sbom_spdx_sniff(text, len) >= 95);
    assert_int_equal(lf_sbom_cdx_sniff(text, len), 0);
    free(g);
    free(text);
}

/* SPDX agents (clause 7.5): the kind and a mail part dropped, other brackets kept. */
static void test_sbom_spdx_agents(void **state)
{
    (void)state;
    static const struct {
        const char *supplier, *want;
    } cases[] = {
        {"Organization: ExampleCodeInspect (contact@example.com)", "ExampleCodeInspect"},
        {"Person: Jane Doe <jane@example.com>", "Jane Doe"},
        {"Organization: 台灣大哥大 (Taiwan Mobile)", "台灣大哥大 (Taiwan Mobile)"},
        {"Organization:  Acme ()  ", "Acme"},
        {"Tool: syft-0.100", "syft-0.100"},
        {"NOASSERTION", "(null)"},
        {"Person: (a@b)", "(a@b)"},
        {"Organization: ", "(null)"},
        {"plain vendor", "plain vendor"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"name\":\"p\",\"supplier\":\"%s\"}]}",
                 cases[i].supplier);
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        assert_int_equal(run_s(lf_sbom_spdx_read, g, doc, &c, &err), LF_OK);
        assert_int_equal(c.records, 1);
        if (strcmp(g->rec[0].vendor, cases[i].want) != 0)
            fail_msg("case %zu: vendor \"%s\", want \"%s\"", i, g->rec[0].vendor, cases[i].want);
        free(g);
    }
}

/* Not SPDX JSON: LF_EFORMAT, nothing delivered; a packages value that is not an array is
 * one rejection; no packages is an empty inventory. */
static void test_sbom_spdx_errors(void **state)
{
    (void)state;
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "{\"bomFormat\":\"CycloneDX\",\"components\":[]}", &c, &err),
                     LF_EFORMAT);
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "{\"spdxVersion\":\"2.3\",\"packages\":[{\"name\":\"x\"}]}", &c, &err),
                     LF_EFORMAT);
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "SPDXVersion: SPDX-2.3\n", &c, &err), LF_EFORMAT);
    assert_int_equal(g->nrec + g->nrej, 0);
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "{\"spdxVersion\":\"SPDX-2.2\",\"packages\":[{\"name\":\"x\"},]}", &c, &err),
                     LF_EPARSE);
    assert_int_equal(g->nrec, 0);
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "{\"spdxVersion\":\"SPDX-2.2\"}", &c, &err), LF_OK);
    assert_int_equal(run_s(lf_sbom_spdx_read, g, "{\"spdxVersion\":\"SPDX-2.2\",\"packages\":\"none\"}", &c, &err), LF_OK);
    assert_int_equal(c.rejected, 1);
    free(g);
}

/* SPDX: a package nested deeper than lf_json reads (64) is rejected with its line, the
 * rest are read, and the OPERATING-SYSTEM / CONTAINER defaults come from packages after
 * it; a huge relationships list costs nothing. */
static void test_sbom_spdx_limits(void **state)
{
    (void)state;
    lf_buf d;
    lf_buf_init(&d, 0);
    lf_buf_puts(&d, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[\n"
                    "{\"name\":\"zlib\",\"versionInfo\":\"1.2.11\"},\n"        /* line 2 */
                    "{\"name\":\"deep\",\"versionInfo\":\"1\",\"x\":");         /* line 3 */
    for (int i = 0; i < 80; i++)
        lf_buf_putc(&d, '[');
    for (int i = 0; i < 80; i++)
        lf_buf_putc(&d, ']');
    lf_buf_puts(&d, "},\n{\"name\":\"debian\",\"versionInfo\":\"12\",\"primaryPackagePurpose\":\"OPERATING-SYSTEM\"},\n"
                    "{\"name\":\"box\",\"primaryPackagePurpose\":\"CONTAINER\"}\n],\"relationships\":[");
    put_list(&d, "1", OVER_LIMIT);
    lf_buf_puts(&d, "]}");
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_spdx_read, g, "big.spdx.json", d.data, d.len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 3);
    assert_int_equal(c.rejected, 1);
    assert_string_equal(g->rec[0].name, "zlib");
    assert_string_equal(g->rec[0].os, "debian 12");
    assert_string_equal(g->rec[0].host, "box");
    assert_int_equal(g->rej_line[0], 3);
    assert_string_equal(g->rej_field[0], "packages");
    assert_non_null(strstr(g->rej_msg[0], "max_depth"));
    free(g);
    lf_buf_clear(&d);
}

/* ---- SPDX tag-value ----------------------------------------------------------------------- */

/* <text> blocks (one line and many) hide the tags inside them; FileName: ends a package
 * (a later PackageVersion is not its); PACKAGE-MANAGER and PACKAGE_MANAGER; an empty
 * PackageName rejected; a line with no colon skipped; the OS package as default os. */
static void test_sbom_tv_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = load_fixture("spdx-small.spdx", &len);
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_spdx_tv_read, g, "small.spdx", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 3);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(c.skipped, 1);
    rec_is(&g->rec[0], "openssl", "3.0.13", "OpenSSL Software Foundation",
           "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*", "pkg:generic/openssl@3.0.13", "generic", 12);
    rec_is(&g->rec[1], "zlib", "1.3.1", "Jean-loup Gailly", "(null)", "pkg:deb/debian/zlib1g@1:1.3.1", "deb", 22);
    rec_is(&g->rec[2], "alpine", "3.19.1", "(null)", "(null)", "(null)", "(null)", 34);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(g->rec[i].os, "alpine 3.19.1");
    assert_int_equal(g->rej_line[0], 31);
    assert_string_equal(g->rej_field[0], "PackageName");
    assert_true(lf_sbom_spdx_tv_sniff(text, len) >= 95);
    assert_int_equal(lf_sbom_spdx_sniff(text, len), 0);
    free(g);
    free(text);
}

/* CRLF line ends, a <text> value that closes on a later line of its own tag, a multi-line
 * PackageVersion in <text>, and the line numbers after it. */
static void test_sbom_tv_text_blocks(void **state)
{
    (void)state;
    const char *t = "SPDXVersion: SPDX-2.2\r\n"
                    "PackageName: a\r\n"
                    "PackageComment: <text>line one\r\nPackageName: b\r\nstill text</text> PackageName: c\r\n"
                    "PackageVersion: <text>1.0</text>\r\n"
                    "PackageName: d\r\n"
                    "PackageSupplier: Organization:ACME  \r\n";
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run_s(lf_sbom_spdx_tv_read, g, t, &c, &err), LF_OK);
    assert_int_equal(c.records, 2);
    assert_string_equal(g->rec[0].name, "a");
    assert_string_equal(g->rec[0].version, "1.0");
    assert_int_equal(g->rec[0].line, 2);
    assert_string_equal(g->rec[1].name, "d");
    assert_string_equal(g->rec[1].vendor, "ACME");
    assert_int_equal(g->rec[1].line, 7);
    free(g);
}

/* An unterminated <text> swallows the rest: the package it is in is rejected (reading
 * stops there) and the packages before it are kept. */
static void test_sbom_tv_unterminated(void **state)
{
    (void)state;
    const char *t = "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageName: b\nPackageComment: <text>oops\n"
                    "PackageName: c\n";
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run_s(lf_sbom_spdx_tv_read, g, t, &c, &err), LF_OK);
    assert_int_equal(c.records, 1);
    assert_string_equal(g->rec[0].name, "a");
    assert_int_equal(c.rejected, 1);
    assert_int_equal(g->rej_line[0], 3);
    assert_non_null(strstr(g->rej_msg[0], "line 4"));
    free(g);

    g = got_new();
    assert_int_equal(run_s(lf_sbom_spdx_tv_read, g, "SPDXVersion: SPDX-2.3\nDocumentComment: <text>x\n", &c, &err),
                     LF_OK);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(g->rej_line[0], 2);
    free(g);
}

/* Not tag-value SPDX: LF_EFORMAT with nothing delivered. */
static void test_sbom_tv_errors(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "PackageName: a\nSPDXVersion: SPDX-2.3\n",
        "{\"spdxVersion\": \"SPDX-2.3\"}",
        "DocumentComment: <text>SPDXVersion: SPDX-2.3</text>\nPackageName: a\n",
        "name,version\nopenssl,3.0\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        got *g = got_new();
        lf_inv_counts c;
        lf_err err;
        int rc = run_s(lf_sbom_spdx_tv_read, g, cases[i], &c, &err);
        if (rc != LF_EFORMAT)
            fail_msg("case %zu: rc %d", i, rc);
        assert_int_equal(g->nrec + g->nrej + c.skipped, 0);
        free(g);
    }
}

/* The sink's value stops the tag-value reader too. */
static void test_sbom_tv_stop(void **state)
{
    (void)state;
    const char *t = "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageName: b\nPackageName: c\n";
    got *g = got_new();
    g->stop_after = 1;
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run_s(lf_sbom_spdx_tv_read, g, t, &c, &err), 9);
    assert_int_equal(c.records, 1);
    free(g);
}

/* Real sbom4python output: 70 packages (counted with grep), supplier agents with
 * "(mail)" reduced to the name, NOASSERTION as no vendor, 65 cpe23Type refs and
 * PACKAGE_MANAGER purls; each record's line is its PackageName line. */
static void test_sbom_tv_real(void **state)
{
    (void)state;
    size_t len;
    char *text = load_shared("cve-bin-tool-py3.12.spdx", &len);
    if (!text)
        skip();
    got *g = got_new();
    lf_inv_counts c;
    lf_err err;
    assert_int_equal(run(lf_sbom_spdx_tv_read, g, "cbt.spdx", text, len, NULL, &c, &err), LF_OK);
    assert_int_equal(c.records, 70);
    assert_int_equal(c.rejected, 0);
    assert_int_equal(c.skipped, 0);
    rec_is(&g->rec[0], "cve-bin-tool", "3.4", "Terri Oda", "cpe:2.3:a:terri_oda:cve-bin-tool:3.4:*:*:*:*:*:*:*",
           "pkg:pypi/cve-bin-tool@3.4", "pypi", 12);
    rec_is(&g->rec[1], "aiohttp", "3.10.9", "(null)", "(null)", "pkg:pypi/aiohttp@3.10.9", "pypi", 28);
    rec_is(&g->rec[2], "aiohappyeyeballs", "2.4.3", "J. Nick Koston",
           "cpe:2.3:a:j._nick_koston:aiohappyeyeballs:2.4.3:*:*:*:*:*:*:*", "pkg:pypi/aiohappyeyeballs@2.4.3", "pypi", 44);
    rec_is(&g->rec[69], "zstandard", "0.23.0", "Gregory Szorc", "cpe:2.3:a:gregory_szorc:zstandard:0.23.0:*:*:*:*:*:*:*",
           "pkg:pypi/zstandard@0.23.0", "pypi", 1162);
    assert_int_equal(count_not_null(g, offsetof(got_rec, cpe)), 65);
    assert_int_equal(count_not_null(g, offsetof(got_rec, vendor)), 65);
    assert_int_equal(count_not_null(g, offsetof(got_rec, purl)), 70);
    assert_true(lf_sbom_spdx_tv_sniff(text, len) >= 95);
    free(g);
    free(text);
}

/* ---- sniffers and purl ---------------------------------------------------------------- */

/* Each fixture scores high with its own sniffer and zero with the others. */
static void test_sbom_sniff_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int cdx, spdx, tv, ps;
    } cases[] = {
        {"cdx-nested.cdx.json", 95, 0, 0, 0},
        {"spdx-small.spdx.json", 0, 95, 0, 0},
        {"spdx-small.spdx", 0, 0, 95, 0},
        {"ps-uninstall.json", 0, 0, 0, 95},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *text = load_fixture(cases[i].file, &len);
        int got_cdx = lf_sbom_cdx_sniff(text, len), got_spdx = lf_sbom_spdx_sniff(text, len);
        int got_tv = lf_sbom_spdx_tv_sniff(text, len), got_ps = lf_psjson_sniff(text, len);
        assert_int_equal(got_cdx, cases[i].cdx);
        assert_int_equal(got_spdx, cases[i].spdx);
        assert_int_equal(got_tv, cases[i].tv);
        assert_int_equal(got_ps, cases[i].ps);
        free(text);
    }
    /* weaker signals */
    const char *cdx = "{\"specVersion\" : \"1.4\", \"components\": []}";
    assert_int_equal(lf_sbom_cdx_sniff(cdx, strlen(cdx)), 40);
    const char *sorted = "{\"SPDXID\": \"SPDXRef-DOCUMENT\", \"creationInfo\": {}}";
    assert_int_equal(lf_sbom_spdx_sniff(sorted, strlen(sorted)), 80);
    const char *tv = "# generated\nSPDXID: SPDXRef-DOCUMENT\nPackageName: x\n";
    assert_int_equal(lf_sbom_spdx_tv_sniff(tv, strlen(tv)), 70);
    assert_int_equal(lf_sbom_spdx_tv_sniff("PackageName: x\n", 15), 30);
    assert_int_equal(lf_sbom_spdx_tv_sniff("<?xml version=\"1.0\"?>\n", 22), 0);
    assert_int_equal(lf_sbom_cdx_sniff(NULL, 0), 0);
}

/* purl-spec types: lowercased, "pkg://" tolerated, not-a-purl gives NULL. */
static void test_sbom_purl_type(void **state)
{
    (void)state;
    static const struct {
        const char *purl, *want;
    } cases[] = {
        {"pkg:pypi/requests@2.31.0", "pypi"},
        {"pkg:Maven/org.apache/x@1", "maven"},
        {"pkg://npm/lodash@4", "npm"},
        {"pkg:deb/debian/openssl@3?arch=amd64", "deb"},
        {"pkg:c++/x@1", "c++"},
        {"pkg:pypi", NULL},
        {"pkg:/x", NULL},
        {"pkg:py pi/x", NULL},
        {"cpe:2.3:a:x:y", NULL},
        {"pkg:averyveryveryverylongtypenamethatdoesnotfit/x", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        const char *got_t = lf_sbom_purl_type(cases[i].purl, buf, sizeof buf);
        if (!cases[i].want)
            assert_null(got_t);
        else
            assert_string_equal(got_t, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_cdx_fixture),
        cmocka_unit_test(test_sbom_cdx_defaults),
        cmocka_unit_test(test_sbom_cdx_errors),
        cmocka_unit_test(test_sbom_cdx_stop),
        cmocka_unit_test(test_sbom_cdx_limits),
        cmocka_unit_test(test_sbom_cdx_real),
        cmocka_unit_test(test_sbom_cdx_group_vendor),
        cmocka_unit_test(test_sbom_spdx_fixture),
        cmocka_unit_test(test_sbom_spdx_real),
        cmocka_unit_test(test_sbom_spdx_agents),
        cmocka_unit_test(test_sbom_spdx_errors),
        cmocka_unit_test(test_sbom_spdx_limits),
        cmocka_unit_test(test_sbom_tv_fixture),
        cmocka_unit_test(test_sbom_tv_text_blocks),
        cmocka_unit_test(test_sbom_tv_unterminated),
        cmocka_unit_test(test_sbom_tv_errors),
        cmocka_unit_test(test_sbom_tv_stop),
        cmocka_unit_test(test_sbom_tv_real),
        cmocka_unit_test(test_sbom_sniff_fixtures),
        cmocka_unit_test(test_sbom_purl_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
