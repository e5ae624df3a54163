/*
 * Tests for src/vans/pkgver.c: the version orders of package ecosystems.
 * Every pair of the shared OSV vectors (dpkg and rpm, checked against dpkg 1.21 and
 * rpm 4.18), osv-scalibr's Debian, Red Hat and Alpine test data (the generated files
 * were produced by the real tools), our own tables in tests/fixtures/pkgver/ for
 * SemVer, PEP 440, Maven, NuGet and apk, property tests (reflexive, antisymmetric,
 * transitive) on random triples of each scheme's versions, and invalid versions.
 * Tests that need $LF_SHARED_DATA skip when it is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vans/pkgver.h"
#include "vans/version.h"

/* ------------------------------------------------------------------ table loading */

typedef struct row {
    char *a, *b;
    int want;
    long line;
} row;

typedef struct table {
    row *r;
    size_t n, cap;
    char *text;   /* the file, split in place */
} table;

static void table_free(table *t)
{
    free(t->r);
    free(t->text);
    memset(t, 0, sizeof *t);
}

static void table_add(table *t, char *a, char *b, int want, long line)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->r = realloc(t->r, t->cap * sizeof *t->r);
        assert_non_null(t->r);
    }
    t->r[t->n++] = (row){a, b, want, line};
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t got;
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    fclose(f);
    s[n] = '\0';
    return s;
}

/* Split the file into lines; calls fn on each line that is not empty or a comment. */
static void each_line(char *text, void (*fn)(table *, char *, long), table *t)
{
    long ln = 0;
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        ln++;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[len - 1] = '\0';
        if (*p && *p != '#')
            fn(t, p, ln);
        p = nl ? nl + 1 : NULL;
    }
}

/* TSV: left, right, expected, note; a "left\tright..." header line is skipped. */
static void tsv_line(table *t, char *p, long ln)
{
    char *f[4] = {p, NULL, NULL, NULL};
    for (int k = 1; k < 4; k++) {
        char *tab = strchr(f[k - 1], '\t');
        if (!tab)
            break;
        *tab = '\0';
        f[k] = tab + 1;
    }
    if (strcmp(f[0], "left") == 0)
        return;
    if (!f[2])
        fail_msg("line %ld: fewer than 3 columns", ln);
    char *end;
    long w = strtol(f[2], &end, 10);
    if (end == f[2] || w < -1 || w > 1)
        fail_msg("line %ld: bad expected value '%s'", ln, f[2]);
    table_add(t, f[0], f[1], (int)w, ln);
}

/* osv-scalibr: "A OP B" with OP one of < = >. */
static void scalibr_line(table *t, char *p, long ln)
{
    char *f[3];
    int k = 0;
    for (char *q = p; *q && k < 3;) {
        while (*q == ' ')
            *q++ = '\0';
        if (!*q)
            break;
        f[k++] = q;
        while (*q && *q != ' ')
            q++;
    }
    if (k != 3)
        fail_msg("line %ld: not 'A OP B'", ln);
    int w = strcmp(f[1], "<") == 0 ? -1 : strcmp(f[1], ">") == 0 ? 1 : 0;
    if (w == 0 && strcmp(f[1], "=") != 0)
        fail_msg("line %ld: bad operator '%s'", ln, f[1]);
    table_add(t, f[0], f[2], w, ln);
}

/* Load dir/name; false when the file is absent. */
static bool load(table *t, const char *dir, const char *name, bool scalibr)
{
    memset(t, 0, sizeof *t);
    if (!dir)
        return false;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    t->text = slurp(path);
    if (!t->text)
        return false;
    each_line(t->text, scalibr ? scalibr_line : tsv_line, t);
    return true;
}

static const char *osv_versions_dir(char *buf, size_t cap)
{
    const char *d = getenv("LF_SHARED_DATA");
    if (!d)
        return NULL;
    snprintf(buf, cap, "%s/osv/versions", d);
    return buf;
}

static const char *fixtures_dir(char *buf, size_t cap)
{
    const char *d = getenv("LF_FIXTURES");
    assert_non_null(d);
    snprintf(buf, cap, "%s/pkgver", d);
    return buf;
}

/* ------------------------------------------------------------------ checks */

/* cmp(a, b) must be want and cmp(b, a) its negation. */
static void check_pair(lf_vscheme s, const char *a, const char *b, int want, const char *src,
                       long line)
{
    int c = 7, r = 7;
    bool ok1 = lf_pkgver_cmpz(s, a, b, &c);
    bool ok2 = lf_pkgver_cmpz(s, b, a, &r);
    if (!ok1 || !ok2)
        fail_msg("%s:%ld [%s] \"%s\" vs \"%s\": not comparable (valid %d, %d)", src, line,
                 lf_vscheme_name(s), a, b, lf_pkgver_valid(s, a, strlen(a)),
                 lf_pkgver_valid(s, b, strlen(b)));
    if (c != want || r != -want)
        fail_msg("%s:%ld [%s] \"%s\" vs \"%s\": want %d, got %d (reverse %d)", src, line,
                 lf_vscheme_name(s), a, b, want, c, r);
}

static void check_table(lf_vscheme s, const table *t, const char *src)
{
    for (size_t i = 0; i < t->n; i++)
        check_pair(s, t->r[i].a, t->r[i].b, t->r[i].want, src, t->r[i].line);
}

/* Reflexive, antisymmetric and transitive on random triples of the table's versions
 * (valid ones only), with a fixed-seed generator so a failure reproduces. */
static void check_properties(lf_vscheme s, const table *t, size_t rounds)
{
    size_t n = 0;
    const char **v = malloc((2 * t->n + 1) * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < t->n; i++) {
        const char *x[2] = {t->r[i].a, t->r[i].b};
        for (int k = 0; k < 2; k++)
            if (lf_pkgver_valid(s, x[k], strlen(x[k])))
                v[n++] = x[k];
    }
    assert_true(n >= 3);
    uint64_t seed = 0x9E3779B97F4A7C15u ^ (uint64_t)s;
    for (size_t i = 0; i < rounds; i++) {
        const char *p[3];
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            p[k] = v[(seed >> 33) % n];
        }
        int c[3][3];
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++)
                assert_true(lf_pkgver_cmpz(s, p[x], p[y], &c[x][y]));
        for (int x = 0; x < 3; x++) {
            if (c[x][x] != 0)
                fail_msg("[%s] not reflexive: \"%s\"", lf_vscheme_name(s), p[x]);
            for (int y = 0; y < 3; y++) {
                if (c[x][y] != -c[y][x])
                    fail_msg("[%s] not antisymmetric: \"%s\" vs \"%s\"", lf_vscheme_name(s),
                             p[x], p[y]);
                for (int z = 0; z < 3; z++)
                    if (c[x][y] <= 0 && c[y][z] <= 0 && c[x][z] > 0)
                        fail_msg("[%s] not transitive: \"%s\" <= \"%s\" <= \"%s\"",
                                 lf_vscheme_name(s), p[x], p[y], p[z]);
            }
        }
    }
    free(v);
}

static void run_fixture(lf_vscheme s, const char *file, size_t min_rows)
{
    char dir[1024];
    table t;
    assert_true(load(&t, fixtures_dir(dir, sizeof dir), file, false));
    assert_true(t.n >= min_rows);
    check_table(s, &t, file);
    check_properties(s, &t, 20000);
    table_free(&t);
}

/* ------------------------------------------------------------------ shared vectors */

/* dpkg-vectors.tsv: every row, as verified with dpkg --compare-versions. */
static void test_pkgver_dpkg_vectors(void **state)
{
    (void)state;
    char dir[1024];
    table t;
    if (!load(&t, osv_versions_dir(dir, sizeof dir), "dpkg-vectors.tsv", false))
        skip();
    assert_int_equal(t.n, 100);
    check_table(LF_VS_DPKG, &t, "dpkg-vectors.tsv");
    check_properties(LF_VS_DPKG, &t, 20000);
    table_free(&t);
}

/* rpm-vectors.tsv: every row, the documented rpmvercmp oddities included. */
static void test_pkgver_rpm_vectors(void **state)
{
    (void)state;
    char dir[1024];
    table t;
    if (!load(&t, osv_versions_dir(dir, sizeof dir), "rpm-vectors.tsv", false))
        skip();
    assert_int_equal(t.n, 152);
    check_table(LF_VS_RPM, &t, "rpm-vectors.tsv");
    check_properties(LF_VS_RPM, &t, 20000);
    table_free(&t);
}

/* osv-scalibr's Debian data: hand-written pairs and 14,442 adjacent pairs of real
 * Debian versions, each checked with dpkg by its generator. */
static void test_pkgver_scalibr_debian(void **state)
{
    (void)state;
    char dir[1024];
    table t;
    if (!load(&t, osv_versions_dir(dir, sizeof dir), "osv-scalibr/debian-versions.txt", true))
        skip();
    assert_int_equal(t.n, 30);
    check_table(LF_VS_DPKG, &t, "debian-versions.txt");
    table_free(&t);
    assert_true(load(&t, dir, "osv-scalibr/debian-versions-generated.txt", true));
    assert_int_equal(t.n, 14442);
    check_table(LF_VS_DPKG, &t, "debian-versions-generated.txt");
    check_properties(LF_VS_DPKG, &t, 20000);
    table_free(&t);
}

/* osv-scalibr's Red Hat data: rpmvercmp and EVR cases (missing release < any
 * release, colons that are not epochs). */
static void test_pkgver_scalibr_redhat(void **state)
{
    (void)state;
    char dir[1024];
    table t;
    if (!load(&t, osv_versions_dir(dir, sizeof dir), "osv-scalibr/redhat-versions.txt", true))
        skip();
    assert_int_equal(t.n, 165);
    check_table(LF_VS_RPM, &t, "redhat-versions.txt");
    check_properties(LF_VS_RPM, &t, 20000);
    table_free(&t);
}

/* osv-scalibr's Alpine data. The generated file (13,979 pairs of real Alpine
 * versions, ordered by apk) must be valid and agree throughout. The hand-written
 * file also has strings outside apk's grammar, ordered by that tool's own fallback;
 * we call them invalid: exactly the 32 pairs listed below are not comparable, every
 * other pair agrees. */
static void test_pkgver_scalibr_alpine(void **state)
{
    (void)state;
    static const char *const INVALID[] = {
        "1-r-0", "1-r-1", "0.r1", "0r2", "0..1..0", "0..1..1", "0...1...0", "0...1...1",
        "0...1...0.r1", "0...1...0.r2", "0...1...0r1", "0...1...0r2", "0..8", "0...8",
        "0.8.21.r2", "0.8.21.r1", "10.2.24.r0", "10.2.22.r0", "0.8.21r2", "1.2.0A",
        "1.2.0D", "6.6.2p1", "6.6.2p2", "1-r-2", "1-r0-1", "1-r0-2", "1-ruff", "1-ruff2",
        "1-ruff1", "1--ruff1", "1-r0-ruff2", "1-r0-ruff1", "1.2_blah", "1.2_csv2", ".1",
        ".2", "a", "b", "c", "23_foo", "1.0bc",
    };
    char dir[1024];
    table t;
    if (!load(&t, osv_versions_dir(dir, sizeof dir), "osv-scalibr/alpine-versions-generated.txt",
              true))
        skip();
    assert_int_equal(t.n, 13979);
    check_table(LF_VS_APK, &t, "alpine-versions-generated.txt");
    check_properties(LF_VS_APK, &t, 20000);
    table_free(&t);

    assert_true(load(&t, dir, "osv-scalibr/alpine-versions.txt", true));
    assert_int_equal(t.n, 778);
    size_t skipped = 0;
    for (size_t i = 0; i < t.n; i++) {
        const row *r = &t.r[i];
        bool va = lf_pkgver_valid(LF_VS_APK, r->a, strlen(r->a));
        bool vb = lf_pkgver_valid(LF_VS_APK, r->b, strlen(r->b));
        if (va && vb) {
            check_pair(LF_VS_APK, r->a, r->b, r->want, "alpine-versions.txt", r->line);
            continue;
        }
        const char *bad = va ? r->b : r->a;
        bool listed = false;
        for (size_t k = 0; k < sizeof INVALID / sizeof INVALID[0]; k++)
            listed = listed || strcmp(bad, INVALID[k]) == 0;
        if (!listed)
            fail_msg("alpine-versions.txt:%ld: \"%s\" unexpectedly invalid", r->line, bad);
        skipped++;
    }
    assert_int_equal(skipped, 32);
    table_free(&t);
}

/* ------------------------------------------------------------------ own tables */

static void test_pkgver_semver_table(void **state)
{
    (void)state;
    run_fixture(LF_VS_SEMVER, "semver.tsv", 60);
}

static void test_pkgver_pep440_table(void **state)
{
    (void)state;
    run_fixture(LF_VS_PEP440, "pep440.tsv", 60);
}

static void test_pkgver_maven_table(void **state)
{
    (void)state;
    run_fixture(LF_VS_MAVEN, "maven.tsv", 60);
}

static void test_pkgver_nuget_table(void **state)
{
    (void)state;
    run_fixture(LF_VS_NUGET, "nuget.tsv", 60);
}

static void test_pkgver_apk_table(void **state)
{
    (void)state;
    run_fixture(LF_VS_APK, "apk.tsv", 60);
}

/* ------------------------------------------------------------------ invalid versions */

typedef struct bad {
    lf_vscheme s;
    const char *v;
    size_t n;   /* 0: strlen(v) */
} bad;

/* Versions each scheme rejects (the rule is in pkgver.c next to the scheme). */
static const bad INVALID[] = {
    {LF_VS_DPKG, "", 0},           {LF_VS_DPKG, "   ", 0},        {LF_VS_DPKG, "1.0 beta", 0},
    {LF_VS_DPKG, "a:1.0", 0},      {LF_VS_DPKG, ":1.0", 0},       {LF_VS_DPKG, "1:", 0},
    {LF_VS_DPKG, "1.0-", 0},       {LF_VS_DPKG, "-1", 0},         {LF_VS_DPKG, "1.0_1", 0},
    {LF_VS_DPKG, "1.0-1:2", 0},    {LF_VS_DPKG, "1.0-1-", 0},     {LF_VS_DPKG, "2147483648:1", 0},
    {LF_VS_DPKG, "-1:1.0", 0},     {LF_VS_DPKG, "1.0\0001", 5},   {LF_VS_DPKG, "1.0@", 0},
    {LF_VS_RPM, "", 0},            {LF_VS_RPM, "1.0 1", 0},       {LF_VS_RPM, "1.0\t", 0},
    {LF_VS_RPM, "1:", 0},          {LF_VS_RPM, "-1", 0},          {LF_VS_RPM, "1:-1", 0},
    {LF_VS_RPM, "1.0\0001", 5},    {LF_VS_RPM, "\x7f", 0},
    {LF_VS_APK, "", 0},            {LF_VS_APK, "1.0A", 0},        {LF_VS_APK, "1.0bc", 0},
    {LF_VS_APK, "1.0_blah", 0},    {LF_VS_APK, ".1", 0},          {LF_VS_APK, "1..2", 0},
    {LF_VS_APK, "a", 0},           {LF_VS_APK, "1.0-1", 0},       {LF_VS_APK, "1.0-r-1", 0},
    {LF_VS_APK, "v1.0", 0},        {LF_VS_APK, "1.0~", 0},        {LF_VS_APK, "1.0~XYZ", 0},
    {LF_VS_APK, "1.0.", 0},        {LF_VS_APK, "1.0_p1 ", 0},     {LF_VS_APK, "1.0-r1-r2", 0},
    {LF_VS_SEMVER, "", 0},         {LF_VS_SEMVER, "1.2", 0},      {LF_VS_SEMVER, "1.2.3.4", 0},
    {LF_VS_SEMVER, "01.2.3", 0},   {LF_VS_SEMVER, "1.02.3", 0},   {LF_VS_SEMVER, "1.2.3-", 0},
    {LF_VS_SEMVER, "1.2.3-01", 0}, {LF_VS_SEMVER, "1.2.3+", 0},   {LF_VS_SEMVER, "1.2.3-a..b", 0},
    {LF_VS_SEMVER, " 1.2.3", 0},   {LF_VS_SEMVER, "1.2.3 ", 0},   {LF_VS_SEMVER, "1.2.3-\xce\xb1", 0},
    {LF_VS_SEMVER, "v", 0},        {LF_VS_SEMVER, "1.2.3+a+b", 0}, {LF_VS_SEMVER, "1.2.3-a.", 0},
    {LF_VS_SEMVER, "1.2.3\0", 6},
    {LF_VS_PEP440, "", 0},         {LF_VS_PEP440, "1.0 beta", 0}, {LF_VS_PEP440, "latest", 0},
    {LF_VS_PEP440, "1.0+", 0},     {LF_VS_PEP440, "1.0+abc.", 0}, {LF_VS_PEP440, "1.0.", 0},
    {LF_VS_PEP440, "1..0", 0},     {LF_VS_PEP440, "1.0a1b1", 0},  {LF_VS_PEP440, "1.0.post1.post2", 0},
    {LF_VS_PEP440, "v", 0},        {LF_VS_PEP440, "1.0+ab!c", 0}, {LF_VS_PEP440, "1!2!3", 0},
    {LF_VS_PEP440, "1.0-beta.2.x", 0}, {LF_VS_PEP440, "1.0.dev1.dev2", 0},
    {LF_VS_MAVEN, "", 0},          {LF_VS_MAVEN, "1.0 beta", 0},  {LF_VS_MAVEN, "1.0\n", 0},
    {LF_VS_NUGET, "", 0},          {LF_VS_NUGET, "v1.0.0", 0},    {LF_VS_NUGET, "1.0.0.0.0", 0},
    {LF_VS_NUGET, "1.0.0-", 0},    {LF_VS_NUGET, "1.0.0-a..b", 0}, {LF_VS_NUGET, "1..0", 0},
    {LF_VS_NUGET, "1.0.0+", 0},    {LF_VS_NUGET, ".1", 0},        {LF_VS_NUGET, "1.0.0 ", 0},
    {LF_VS_GENERIC, "", 0},        {LF_VS_GENERIC, "*", 0},       {LF_VS_GENERIC, "-", 0},
    {LF_VS_GENERIC, "n/a", 0},
    {LF_VS_UNORDERED, "1.0", 0},   {LF_VS_UNORDERED, "2d8b1f3", 0},
};

/* An invalid version is not valid, and every comparison with it fails and leaves
 * *out at 0, in either argument position. */
static void test_pkgver_invalid(void **state)
{
    (void)state;
    static const char *const GOOD[LF_VS_COUNT] = {"1.0", "1.0", "1.0-1", "1.0-1", "1.0-r0",
                                                  "1.0.0", "1.0", "1.0", "1.0.0"};
    for (size_t i = 0; i < sizeof INVALID / sizeof INVALID[0]; i++) {
        const bad *b = &INVALID[i];
        size_t n = b->n ? b->n : strlen(b->v);
        if (lf_pkgver_valid(b->s, b->v, n))
            fail_msg("[%s] \"%s\" accepted", lf_vscheme_name(b->s), b->v);
        int out = 5;
        if (lf_pkgver_cmp(b->s, b->v, n, GOOD[b->s], strlen(GOOD[b->s]), &out) || out != 0)
            fail_msg("[%s] \"%s\" compared", lf_vscheme_name(b->s), b->v);
        out = 5;
        if (lf_pkgver_cmp(b->s, GOOD[b->s], strlen(GOOD[b->s]), b->v, n, &out) || out != 0)
            fail_msg("[%s] \"%s\" compared (right side)", lf_vscheme_name(b->s), b->v);
    }
    /* the good versions are good, except under UNORDERED */
    for (int s = 0; s < LF_VS_COUNT; s++)
        assert_int_equal(lf_pkgver_valid((lf_vscheme)s, GOOD[s], strlen(GOOD[s])),
                         s != LF_VS_UNORDERED);
    /* too long for any scheme but GENERIC */
    char big[400];
    memset(big, '1', sizeof big);
    for (int s = LF_VS_DPKG; s < LF_VS_COUNT; s++)
        assert_false(lf_pkgver_valid((lf_vscheme)s, big, sizeof big));
    assert_false(lf_pkgver_valid(LF_VS_COUNT, "1.0", 3));
    assert_false(lf_pkgver_cmpz(LF_VS_DPKG, NULL, "1.0", NULL));
}

/* ------------------------------------------------------------------ api */

/* Lengths are honoured: bytes after n never take part. */
static void test_pkgver_lengths(void **state)
{
    (void)state;
    int out = 9;
    assert_true(lf_pkgver_cmp(LF_VS_DPKG, "1.0-1xyz", 5, "1.0-1", 5, &out));
    assert_int_equal(out, 0);
    assert_true(lf_pkgver_cmp(LF_VS_SEMVER, "1.2.3-rc.1", 5, "1.2.3", 5, &out));
    assert_int_equal(out, 0);
    assert_true(lf_pkgver_cmp(LF_VS_PEP440, "1.0rc1", 3, "1.0", 3, &out));
    assert_int_equal(out, 0);
    assert_true(lf_pkgver_cmp(LF_VS_MAVEN, "1.0-SNAPSHOT", 3, "1", 1, &out));
    assert_int_equal(out, 0);
    assert_true(lf_pkgver_cmpz(LF_VS_RPM, "1.0", "1.0~rc1", &out));
    assert_int_equal(out, 1);
}

/* GENERIC is version.h's order and orderability; UNORDERED never compares. */
static void test_pkgver_generic_unordered(void **state)
{
    (void)state;
    static const char *const V[] = {"1.0", "1.0.1", "2.0rc1", "2.0", "9.3p1", "1.1.1w",
                                    "v2.4.1", "10.0.19045.3803"};
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++)
        for (size_t j = 0; j < sizeof V / sizeof V[0]; j++) {
            int out = 7;
            assert_true(lf_pkgver_cmpz(LF_VS_GENERIC, V[i], V[j], &out));
            assert_int_equal(out, lf_version_cmp(V[i], V[j]));
            out = 7;
            assert_false(lf_pkgver_cmpz(LF_VS_UNORDERED, V[i], V[j], &out));
            assert_int_equal(out, 0);
        }
}

/* Names round-trip; OSV ecosystem names map to their scheme with or without the
 * release suffix, case-insensitively. */
static void test_pkgver_names(void **state)
{
    (void)state;
    for (int s = 0; s < LF_VS_COUNT; s++)
        assert_int_equal(lf_vscheme_parse(lf_vscheme_name((lf_vscheme)s)), s);
    assert_string_equal(lf_vscheme_name(LF_VS_PEP440), "pep440");
    assert_int_equal(lf_vscheme_parse("DPKG"), LF_VS_DPKG);
    assert_int_equal(lf_vscheme_parse("debian"), -1);
    assert_int_equal(lf_vscheme_parse(NULL), -1);
    assert_string_equal(lf_vscheme_name(LF_VS_COUNT), "unknown");

    static const struct {
        const char *eco;
        lf_vscheme s;
    } E[] = {
        {"Debian", LF_VS_DPKG},           {"Debian:12", LF_VS_DPKG},
        {"Ubuntu:22.04:LTS", LF_VS_DPKG}, {"Ubuntu:Pro:14.04:LTS", LF_VS_DPKG},
        {"AlmaLinux:9", LF_VS_RPM},       {"Rocky Linux:8", LF_VS_RPM},
        {"Red Hat", LF_VS_RPM},           {"Red Hat:enterprise_linux:9::appstream", LF_VS_RPM},
        {"SUSE:Linux Enterprise Server 15 SP5", LF_VS_RPM},
        {"openSUSE:Leap 15.5", LF_VS_RPM}, {"Mageia:9", LF_VS_RPM},
        {"openEuler:22.03-LTS", LF_VS_RPM}, {"Alpine:v3.19", LF_VS_APK},
        {"Wolfi", LF_VS_APK},             {"Chainguard", LF_VS_APK},
        {"npm", LF_VS_SEMVER},            {"Go", LF_VS_SEMVER},
        {"crates.io", LF_VS_SEMVER},      {"Hex", LF_VS_SEMVER},
        {"Pub", LF_VS_SEMVER},            {"PyPI", LF_VS_PEP440},
        {"pypi", LF_VS_PEP440},           {"Maven", LF_VS_MAVEN},
        {"NuGet", LF_VS_NUGET},           {"GIT", LF_VS_UNORDERED},
        {"OSS-Fuzz", LF_VS_UNORDERED},    {"RubyGems", LF_VS_UNORDERED},
        {"", LF_VS_UNORDERED},            {"Debianx", LF_VS_UNORDERED},
        {NULL, LF_VS_UNORDERED},
    };
    for (size_t i = 0; i < sizeof E / sizeof E[0]; i++)
        if (lf_vscheme_for_ecosystem(E[i].eco) != E[i].s)
            fail_msg("ecosystem \"%s\": want %s, got %s", E[i].eco ? E[i].eco : "(null)",
                     lf_vscheme_name(E[i].s), lf_vscheme_name(lf_vscheme_for_ecosystem(E[i].eco)));
}

/* What inventories leave out: rpm -qa's queryformat writes no epoch, Alma/Rocky bounds do;
 * an installed version with an epoch, and every other scheme, compare as lf_pkgver_cmp. */
static void test_pkgver_cmp_installed(void **state)
{
    (void)state;
    int r = 9;
    assert_true(lf_pkgver_cmp_installed(LF_VS_RPM, "3.0.1-47.el9_1", 14, "1:3.0.1-47.el9_1", 16, &r));
    assert_int_equal(r, 0);
    assert_true(lf_pkgver_cmp_installed(LF_VS_RPM, "3.0.1-43.el9_0", 14, "1:3.0.1-47.el9_1", 16, &r));
    assert_int_equal(r, -1);
    /* with its own epoch the installed version is compared whole: epoch 0 < 1 */
    assert_true(lf_pkgver_cmp_installed(LF_VS_RPM, "0:3.0.9-1.el9", 13, "1:3.0.1-47.el9_1", 16, &r));
    assert_int_equal(r, -1);
    assert_true(lf_pkgver_cmp(LF_VS_RPM, "3.0.1-47.el9_1", 14, "1:3.0.1-47.el9_1", 16, &r));
    assert_int_equal(r, -1);   /* the plain order keeps the epoch */
    /* dpkg: no such rule (dpkg-query writes the epoch) */
    assert_true(lf_pkgver_cmp_installed(LF_VS_DPKG, "1.0-1", 5, "1:0.9-1", 7, &r));
    assert_int_equal(r, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkgver_dpkg_vectors),
        cmocka_unit_test(test_pkgver_rpm_vectors),
        cmocka_unit_test(test_pkgver_scalibr_debian),
        cmocka_unit_test(test_pkgver_scalibr_redhat),
        cmocka_unit_test(test_pkgver_scalibr_alpine),
        cmocka_unit_test(test_pkgver_semver_table),
        cmocka_unit_test(test_pkgver_pep440_table),
        cmocka_unit_test(test_pkgver_maven_table),
        cmocka_unit_test(test_pkgver_nuget_table),
        cmocka_unit_test(test_pkgver_apk_table),
        cmocka_unit_test(test_pkgver_invalid),
        cmocka_unit_test(test_pkgver_lengths),
        cmocka_unit_test(test_pkgver_generic_unordered),
        cmocka_unit_test(test_pkgver_names),
        cmocka_unit_test(test_pkgver_cmp_installed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
