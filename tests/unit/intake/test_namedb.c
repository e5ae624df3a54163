/*
 * Tests for src/intake/namedb.c: the squashed and fuzzy alias keys (one typing error, never
 * on digits or roman numerals, never where two products are one letter apart) and the
 * version options of aliases.tsv (segments=, vmap=, namever), the word index for typing
 * errors in one word (lf_namedb_word_fix), the (vendor, word) index and the titles of a
 * product, on a dictionary the test writes to a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/namedb.h"
#include "intake/normalize.h"

static const char aliases[] =
    "browser\ta:mozilla:firefox\tMozilla Firefox\n"
    /* two products one letter apart: neither is guessed from a slip between them */
    "devtool\ta:acme:widgetmaker\tAcme Widgetmaker\n"
    "devtool\ta:acme:widgetmaper\tAcme Widgetmaper\n"
    /* the same product under two names one letter apart is no ambiguity */
    "archiver\ta:rarlab:winrar\tWinRAR Archiver|WinRAR Archiver2\n"
    "office\ta:microsoft:office\tMicrosoft Office 2016\tversion=name\n"
    "driver\ta:asus:gpu_tweak_ii\tGPU Tweak II\n"
    "os\to:canonical:ubuntu_linux\tUbuntu Linux\tsegments=2\n"
    "av\ta:trendmicro:officescan\tOfficeScan Client\tsegments=2 vmap=12.0>xg\n"
    "runtime\ta:microsoft:.net_framework\tMicrosoft .NET Framework\tnamever\n"
    /* malformed options are reported (line 10) and the entry kept without them */
    "av\ta:acme:scanner\tAcme Scanner Pro\tsegments=x vmap=>xg\n"
    "archiver\ta:7-zip:7-zip\t7-Zip\n"
    "browser\t-\tMozilla Update Helper\n";

typedef struct fx {
    char dir[64];
    lf_namedb *db;
    lf_norm *norm;
    int warnings;
    long warn_line;
} fx;

static void on_warn(void *ud, const lf_err *e)
{
    fx *f = ud;
    f->warnings++;
    f->warn_line = e->line;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-test-namedb-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/aliases.tsv", f->dir);
    FILE *fp = fopen(path, "w");
    if (!fp || fwrite(aliases, 1, sizeof aliases - 1, fp) != sizeof aliases - 1 || fclose(fp))
        return -1;
    lf_err err;
    if (lf_namedb_new(&f->db, &err) || lf_norm_new(&f->norm, &err) ||
        lf_namedb_load_dir(f->db, f->norm, f->dir, on_warn, f, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/aliases.tsv", f->dir);
    remove(path);
    remove(f->dir);
    lf_norm_free(f->norm);
    lf_namedb_free(f->db);
    free(f);
    return 0;
}

/* The alias a name's FULL key finds by the fuzzy lookup, or NULL. */
static const lf_alias *fuzzy(fx *f, const char *name)
{
    lf_norm_result r;
    lf_err err;
    assert_int_equal(lf_norm_name(f->norm, name, strlen(name), &r, &err), LF_OK);
    char key[256];
    size_t kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
    return lf_namedb_alias_fuzzy(f->db, key, kn);
}

static const lf_alias *squashed(fx *f, const char *name)
{
    lf_norm_result r;
    lf_err err;
    assert_int_equal(lf_norm_name(f->norm, name, strlen(name), &r, &err), LF_OK);
    char key[256];
    size_t kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
    return lf_namedb_alias_squashed(f->db, key, kn);
}

static void test_namedb_fuzzy_edits(void **state)
{
    fx *f = *state;
    static const char *const hits[] = {
        "Mozila Firefox",   /* a letter left out */
        "Mozzilla Firefox", /* a letter too many (a doubled one) */
        "Mozilla Firefix",  /* a letter replaced */
        "Mozilla Fierfox",  /* two letters swapped */
        "MozillaFirefox",   /* spaces are not letters */
    };
    for (size_t i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        const lf_alias *a = fuzzy(f, hits[i]);
        if (!a)
            fail_msg("%s: no fuzzy hit", hits[i]);
        assert_string_equal(a->prod.product, "firefox");
    }
    /* two errors are too many */
    assert_null(fuzzy(f, "Mozila Firefix"));
    /* same product under two near names is found; two products one letter apart are not */
    const lf_alias *a = fuzzy(f, "WinRAR Archivr");
    assert_non_null(a);
    assert_string_equal(a->prod.product, "winrar");
    assert_null(fuzzy(f, "Acme Widgetmaer"));   /* one letter from both */
    a = fuzzy(f, "Acme Widgetmakr");            /* one from maker, two from maper */
    assert_non_null(a);
    assert_string_equal(a->prod.product, "widgetmaker");
}

static void test_namedb_fuzzy_never_digits_or_roman(void **state)
{
    fx *f = *state;
    /* digits are versions and years: Office 2019 is not a slip for Office 2016 */
    assert_null(fuzzy(f, "Microsoft Office 2019"));
    assert_null(fuzzy(f, "Microsft Office 2019"));
    const lf_alias *a = fuzzy(f, "Microsft Office 2016");
    assert_non_null(a);
    assert_string_equal(a->prod.product, "office");
    /* roman numerals are versions spelled in letters */
    assert_null(fuzzy(f, "GPU Tweak III"));
    assert_null(fuzzy(f, "GPU Twaek II"));
}

static void test_namedb_squash_hyphens(void **state)
{
    fx *f = *state;
    const lf_alias *a = squashed(f, "7zip");
    assert_non_null(a);
    assert_string_equal(a->prod.product, "7-zip");
    a = squashed(f, "Ubuntu-Linux");
    assert_non_null(a);
    assert_string_equal(a->prod.product, "ubuntu_linux");
    /* dots are not squashed: an MSIX id "Ubuntu.Linux" is another name */
    assert_null(squashed(f, "Ubuntu.Linux"));
}

static void test_namedb_version_options(void **state)
{
    fx *f = *state;
    char key[256];
    lf_norm_result r;
    lf_err err;
    assert_int_equal(lf_norm_name(f->norm, "OfficeScan Client", 17, &r, &err), LF_OK);
    size_t kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
    const lf_alias *a = lf_namedb_alias(f->db, key, kn);
    assert_non_null(a);
    assert_int_equal(a->segments, 2);
    assert_string_equal(a->vmap_from, "12.0");
    assert_string_equal(a->vmap_to, "xg");
    assert_int_equal(lf_norm_name(f->norm, "Microsoft .NET Framework", 24, &r, &err), LF_OK);
    kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
    a = lf_namedb_alias(f->db, key, kn);
    assert_non_null(a);
    assert_true(a->flags & LF_ALIAS_NAME_VERSION);
    assert_int_equal(a->segments, 0);
    assert_null(a->vmap_from);
    /* "segments=x" and "vmap=>xg" are reported as unknown options of line 10 */
    assert_int_equal(f->warnings, 2);
    assert_int_equal(f->warn_line, 10);
    assert_int_equal(lf_norm_name(f->norm, "Acme Scanner Pro", 16, &r, &err), LF_OK);
    kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
    a = lf_namedb_alias(f->db, key, kn);
    assert_non_null(a);
    assert_int_equal(a->segments, 0);
    assert_null(a->vmap_from);
}

static const char *fix(fx *f, const char *w)
{
    return lf_namedb_word_fix(f->db, w, strlen(w));
}

/* One word one letter from a word of the alias names: left out, added, replaced, swapped. */
static void test_namedb_word_fix(void **state)
{
    fx *f = *state;
    assert_string_equal(fix(f, "micrsoft"), "microsoft");    /* left out */
    assert_string_equal(fix(f, "microsofft"), "microsoft");  /* added */
    assert_string_equal(fix(f, "mozila"), "mozilla");
    assert_string_equal(fix(f, "firefax"), "firefox");       /* replaced */
    assert_string_equal(fix(f, "fierfox"), "firefox");       /* swapped */
    assert_string_equal(fix(f, "archivre"), "archiver");
    /* a known word, a word two letters off, a short word, digits: nothing */
    assert_null(fix(f, "microsoft"));
    assert_null(fix(f, "mcrsoft"));
    assert_string_equal(fix(f, "offce"), "office");          /* five letters is enough */
    assert_null(fix(f, "ofce"));        /* four is not */
    assert_null(fix(f, "ubun"));
    assert_null(fix(f, "7-zip"));
    assert_null(fix(f, "firefox2"));
    /* one letter from two different words (widgetmaker / widgetmaper): ambiguous */
    assert_string_equal(fix(f, "widgetmakr"), "widgetmaker");
    assert_null(fix(f, "widgetmaer"));
    assert_null(fix(f, "widgetmaxer"));
    /* words of known-without-CPE entries take no part */
    assert_null(fix(f, "helpr"));
}

/* The products of a vendor, by vendor and by (vendor, word), and a product's titles. */
static void test_namedb_vendor_words_and_titles(void **state)
{
    fx *f = *state;
    lf_err err;
    lf_product p = {'a', "ulead", "photo_explorer"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p, "Ulead Photo Explorer 8.0", &err), LF_OK);
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p, "Ulead Photo Explorer 8.5 SE", &err), LF_OK);
    lf_product q = {'a', "ulead", "videostudio"};
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &q, NULL, &err), LF_OK);
    const lf_product *ps[8];
    assert_int_equal(lf_namedb_vendor_products(f->db, "ulead", 5, ps, 8), 2);
    assert_int_equal(lf_namedb_vendor_products(f->db, "acme", 4, ps, 8), 3);   /* widgetmaker/-maper, scanner */
    assert_int_equal(lf_namedb_vendor_products(f->db, "nobody", 6, ps, 8), 0);
    /* "photo" is a word of the product name, "explorer" too; "videostudio" of the other */
    assert_int_equal(lf_namedb_vendor_word_products(f->db, "ulead", 5, "photo", 5, ps, 8), 1);
    assert_string_equal(ps[0]->product, "photo_explorer");
    assert_int_equal(lf_namedb_vendor_word_products(f->db, "ulead", 5, "videostudio", 11, ps, 8), 1);
    assert_string_equal(ps[0]->product, "videostudio");
    assert_int_equal(lf_namedb_vendor_word_products(f->db, "acme", 4, "photo", 5, ps, 8), 0);
    /* the titles' own words are indexed too ("se" only in the second title) */
    assert_int_equal(lf_namedb_vendor_word_products(f->db, "ulead", 5, "se", 2, ps, 8), 1);
    const char *tk[4];
    assert_int_equal(lf_namedb_vendor_products(f->db, "ulead", 5, ps, 8), 2);
    const lf_product *pe = strcmp(ps[0]->product, "photo_explorer") == 0 ? ps[0] : ps[1];
    assert_int_equal(lf_namedb_product_titles(f->db, pe, tk, 4), 2);
    /* adding the same title again keeps one key */
    assert_int_equal(lf_namedb_add_title(f->db, f->norm, &p, "Ulead Photo Explorer 9.0", &err), LF_OK);
    assert_int_equal(lf_namedb_product_titles(f->db, pe, tk, 4), 2);
    assert_int_equal(lf_namedb_product_titles(f->db, &p, tk, 4), 0);   /* not the namedb's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_namedb_word_fix),
        cmocka_unit_test(test_namedb_vendor_words_and_titles),
        cmocka_unit_test(test_namedb_fuzzy_edits),
        cmocka_unit_test(test_namedb_fuzzy_never_digits_or_roman),
        cmocka_unit_test(test_namedb_squash_hyphens),
        cmocka_unit_test(test_namedb_version_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
