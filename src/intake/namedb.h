/*
 * namedb: the dictionaries name resolution looks names up in, loaded once per process.
 *
 *   aliases     data/intake/aliases.tsv: software names (English, 繁體, 简体) → CPE product,
 *               or "-" for software known to have no CPE;
 *   publishers  data/intake/publishers.tsv: Publisher column values → CPE vendor;
 *   packages    data/intake/packages.tsv: (ecosystem, package name) → CPE product;
 *   titles      product titles of NVD's CPE dictionary (cpedict.h), version words removed;
 *   vocabulary  every vendor:product of the CPE dictionary and of the CVE index, the
 *               fallback when no dictionary names the software;
 *   purl index  syft's (ecosystem, package) → CPE index, when the operator imported it
 *               (purlidx.h, `feed import purlidx`): packages packages.tsv does not name.
 * The file formats are documented in data/intake/README.md. Every name is folded with
 * normalize.h exactly as input names are, so "Ｇｏｏｇｌｅ Ｃｈｒｏｍｅ" and "谷歌浏览器" meet
 * the entries written "Google Chrome" and "谷歌瀏覽器".
 *
 * Products are kept as (part, vendor, product) in plain text (CPE quoting removed); the
 * resolver quotes them again when it writes a CPE.
 *
 * Ownership: lf_namedb owns everything it returns; pointers live until lf_namedb_free.
 * Loaded, it is read-only and may be shared by threads (each with its own lf_norm).
 */
#ifndef LF_INTAKE_NAMEDB_H
#define LF_INTAKE_NAMEDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "intake/normalize.h"
#include "vans/vulndb.h"

typedef struct lf_namedb lf_namedb;

enum {
    LF_ALIAS_PREFIX = 1,        /* the name may be followed by more words */
    LF_ALIAS_VERSION_NAME = 2,  /* the CPE version is the year/number in the name */
    LF_ALIAS_VERSION_FIXED = 4, /* the CPE version is fixed_version */
    LF_ALIAS_NOCPE = 8,         /* known software without a CPE */
    LF_ALIAS_VERSION_JAVA = 16, /* Java's release spellings: "8 Update 401", 8u401, 1.8.0_401 */
    LF_ALIAS_NAME_VERSION = 32  /* namever: a version in the name wins over the column even when
                                   the column extends it (.NET Framework 4.8 / 4.8.03761) */
};

typedef struct lf_product {
    char part;                  /* 'a', 'o', 'h' */
    const char *vendor;         /* plain text */
    const char *product;
} lf_product;

typedef struct lf_alias {
    lf_product prod;            /* vendor/product NULL when LF_ALIAS_NOCPE */
    const char *category;
    const char *fixed_version;
    /* segments=N: the version keeps its first N dot-separated parts (NVD writes Ubuntu
     * 22.04, OfficeScan 11.0, VMware Tools 12.3.5 without the point release or build);
     * 0 = all. vmap=FROM>TO (after the cut): NVD's name for a release (OfficeScan 12.0 is
     * "xg"); vmap_from/vmap_to are NULL when absent. */
    unsigned segments;
    const char *vmap_from, *vmap_to;
    unsigned flags;
    long line;                  /* in aliases.tsv */
    size_t ntokens;             /* tokens of the matched name (for prefix matching) */
} lf_alias;

typedef struct lf_namedb_counts {
    size_t aliases, alias_names, publishers, packages, titles, vocabulary, conflicts;
    size_t purl_packages;       /* packages of the purl index (0: none loaded) */
} lf_namedb_counts;

typedef void (*lf_namedb_warn_fn)(void *ud, const lf_err *e);

int lf_namedb_new(lf_namedb **out, lf_err *err);
void lf_namedb_free(lf_namedb *db);

/* Load the dictionary files of dir (data/intake): aliases.tsv, publishers.tsv and
 * packages.tsv, each optional but an unreadable or malformed line is reported through
 * warn (file, line, reason) and skipped. Returns LF_ENOTFOUND if none of them exists. */
int lf_namedb_load_dir(lf_namedb *db, lf_norm *norm, const char *dir, lf_namedb_warn_fn warn, void *ud,
                       lf_err *err);
int lf_namedb_load_aliases(lf_namedb *db, lf_norm *norm, const char *path, lf_namedb_warn_fn warn, void *ud,
                           lf_err *err);
/* The CPE dictionary digest written by `feed import cpedict` (cpedict.h). */
int lf_namedb_load_titles(lf_namedb *db, lf_norm *norm, const char *path, lf_namedb_warn_fn warn, void *ud,
                          lf_err *err);
/* The purl index written by `feed import purlidx` (purlidx.h): loaded from path and owned
 * by the namedb; its malformed entries are reported through warn and left out. Loading a
 * second file adds its entries. Load it before making resolvers: their result caches would
 * keep answers given without it. */
int lf_namedb_load_purlidx(lf_namedb *db, const char *path, lf_namedb_warn_fn warn, void *ud, lf_err *err);
/* The purl index, NULL when none was loaded. */
struct lf_purlidx;
const struct lf_purlidx *lf_namedb_purlidx(const lf_namedb *db);
/* Add the CVE index's products to the vocabulary. */
int lf_namedb_add_vdb(lf_namedb *db, const lf_vdb *vdb, lf_err *err);
/* Add one title (CPE dictionary entry) and vocabulary product. */
int lf_namedb_add_title(lf_namedb *db, lf_norm *norm, const lf_product *p, const char *title, lf_err *err);

void lf_namedb_get_counts(const lf_namedb *db, lf_namedb_counts *c);

/* Lookups: key = a key of normalize.h (lf_norm_key). NULL / false when absent. */
const lf_alias *lf_namedb_alias(const lf_namedb *db, const char *key, size_t n);
/* The same with spaces and hyphens ignored on both sides ("Fire Fox", "Office2019", "Win RAR",
 * "7zip"); a squashed key two different aliases share is ambiguous and finds nothing. */
const lf_alias *lf_namedb_alias_squashed(const lf_namedb *db, const char *key, size_t n);
/* One typing error away from an alias ("Mozila Firefox", "Wireshak", "Notepda++"): one
 * letter left out, added, replaced, or two letters swapped, in the squashed key. Only
 * aliases with 7 or more Latin letters take part, digits never differ, and a key near two
 * different products finds nothing. */
const lf_alias *lf_namedb_alias_fuzzy(const lf_namedb *db, const char *key, size_t n);
/* One word one typing error from a word of the alias names ("micrsoft" → "microsoft",
 * "acrobt" → "acrobat"): the word (NUL-terminated, owned by the namedb), or NULL when w
 * is itself such a word, is shorter than 5 letters or not plain a-z, or is one letter
 * from two different words. */
const char *lf_namedb_word_fix(const lf_namedb *db, const char *w, size_t n);
const char *lf_namedb_publisher_vendor(const lf_namedb *db, lf_norm *norm, const char *publisher);
/* The same, and when publishers.tsv does not know the Publisher, *vocab (may be NULL) gets
 * the vocabulary's vendor it spells, from the same key: its words (legal-form words
 * dropped) joined by '_' or run together, else its first word when that has at least 5
 * letters ("Rizonesoft" -> rizonesoft, "KeePassXC Team" -> keepassxc); NULL when none is
 * a vendor of the vocabulary. Weaker than publishers.tsv: only for records no alias names. */
const char *lf_namedb_publisher_vendors(const lf_namedb *db, lf_norm *norm, const char *publisher,
                                        const char **vocab);
/* A package's product; &lf_namedb_no_cpe (part '-') for a package known to have none.
 * *segments (may be NULL) gets its line's segments= option, 0 when none. */
const lf_product *lf_namedb_package(const lf_namedb *db, const char *ecosystem, const char *name, size_t n,
                                    unsigned *segments);
extern const lf_product lf_namedb_no_cpe;
/* A CPE-dictionary title: the product, and how many distinct products share the title. */
const lf_product *lf_namedb_title(const lf_namedb *db, const char *key, size_t n, unsigned *nproducts);
/* Vocabulary: is vendor:product known (part out), is vendor known, vendors of a product. */
bool lf_namedb_has_product(const lf_namedb *db, const char *vendor, const char *product, char *part);
bool lf_namedb_has_vendor(const lf_namedb *db, const char *vendor, size_t n);
size_t lf_namedb_product_vendors(const lf_namedb *db, const char *product, const lf_product **out, size_t max);
/* The products of a vendor (up to max into out; returns how many there are). */
size_t lf_namedb_vendor_products(const lf_namedb *db, const char *vendor, size_t n, const lf_product **out,
                                 size_t max);
/* The vendor's products with the word w among the words of their CPE product name (split
 * at '_') or of one of their titles (up to max; returns how many there are). */
size_t lf_namedb_vendor_word_products(const lf_namedb *db, const char *vendor, size_t vl, const char *w, size_t wl,
                                      const lf_product **out, size_t max);
/* The folded title keys (lf_norm_key, no edition, no trailing number) of a product that
 * lf_namedb_vendor_products or lf_namedb_product_vendors returned. */
size_t lf_namedb_product_titles(const lf_namedb *db, const lf_product *p, const char **out, size_t max);

/* Product equivalences (data/intake/equivalents.tsv: one product's NVD names on a line):
 * the other names of vendor:product, up to max; returns how many there are (0: none). */
/* Does vendor:product spell its releases Java's way (an alias with version=java names it)? */
bool lf_namedb_java_versions(const lf_namedb *db, const char *vendor, const char *product);

size_t lf_namedb_equivalents(const lf_namedb *db, const char *vendor, const char *product, const lf_product **out,
                             size_t max);
int lf_namedb_load_equivalents(lf_namedb *db, const char *path, lf_namedb_warn_fn warn, void *ud, lf_err *err);

#endif
