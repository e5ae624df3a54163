/*
 * namedb: dictionary loading and lookups (see namedb.h). All strings live in one arena;
 * the maps are open-addressing tables of (hash, key, value).
 */
#include "intake/namedb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/strmap.h"
#include "intake/purlidx.h"

/* packages.tsv value of a package known to have no CPE */
#define NOCPE_PKG UINT32_MAX
/* a package's value: the product index, and in the top bits its line's segments= (0-9) */
#define PKG_SEG_SHIFT 28
#define PKG_PROD_MASK ((1u << PKG_SEG_SHIFT) - 1)

const lf_product lf_namedb_no_cpe = {'-', "", ""};

typedef lf_strmap_slot slot;
typedef lf_strmap smap;

struct lf_namedb {
    lf_arena a;
    lf_alias *alias;
    size_t nalias, capalias, alias_names, conflicts;
    smap alias_map;          /* name key -> alias index */
    smap squash_map;         /* name key without spaces -> alias index (UINT32_MAX: ambiguous) */
    smap fuzzy_map;          /* squashed key less one ASCII letter -> alias index (UINT32_MAX: ambiguous) */
    uint64_t *fuzzy_bits;    /* delfilt of fuzzy_map's keys */
    smap pub_map;            /* publisher key -> vendor (index into vendors) */
    const char **vendors;
    size_t nvendors, capvendors;
    smap pkg_map;            /* "eco\x1fname" -> product index */
    size_t npkg;
    lf_product *prod;
    uint32_t *prod_next;     /* next product with the same product name */
    size_t nprod, capprod;
    smap prod_map;           /* "part\x1fvendor\x1fproduct" -> product index */
    smap vp_map;             /* "vendor\x1fproduct" -> product index */
    smap vendor_map;         /* vendor -> its last product (chained by prod_vnext) */
    uint32_t *prod_vnext;    /* previous product of the same vendor */
    uint32_t *prod_title;    /* last title of the product (index into titles), UINT32_MAX: none */
    struct ptitle {
        const char *key;     /* folded title key */
        uint32_t next;       /* the product's previous title */
    } *titles;
    size_t ntitles, captitles;
    smap vw_map;             /* "vendor\x1fword" -> last entry of vw: the vendor's products with the
                                word in their name or one of their titles */
    struct vwent {
        uint32_t prod, next;
    } *vw;
    size_t nvw, capvw;
    smap pname_map;          /* product -> first product index */
    smap title_map;          /* title key -> product index */
    smap equiv_map;          /* "vendor\x1fproduct" -> equivalence group */
    smap java_map;           /* "vendor\x1fproduct" of products with Java release spellings */
    uint32_t *equiv;         /* groups: product indexes, each group ended by UINT32_MAX */
    size_t nequiv, capequiv;
    smap word_map;           /* Latin word of an alias name -> word index */
    smap wdel_map;           /* a word less one letter -> word index (UINT32_MAX: two words) */
    uint64_t *word_bits;     /* delfilt of word_map's and wdel_map's keys */
    const char **words;
    size_t nwords, capwords;
    lf_purlidx *purlidx;     /* imported by the operator; NULL: none */
};

int lf_namedb_new(lf_namedb **out, lf_err *err)
{
    lf_namedb *db = calloc(1, sizeof(*db));
    if (!db)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    lf_arena_init(&db->a, 1 << 20);
    *out = db;
    return LF_OK;
}

void lf_namedb_free(lf_namedb *db)
{
    if (!db)
        return;
    free(db->alias);
    lf_strmap_clear(&db->alias_map);
    lf_strmap_clear(&db->squash_map);
    lf_strmap_clear(&db->fuzzy_map);
    free(db->fuzzy_bits);
    free(db->word_bits);
    lf_strmap_clear(&db->pub_map);
    free(db->vendors);
    lf_strmap_clear(&db->pkg_map);
    free(db->prod);
    free(db->prod_next);
    lf_strmap_clear(&db->prod_map);
    lf_strmap_clear(&db->vp_map);
    lf_strmap_clear(&db->vendor_map);
    free(db->prod_vnext);
    free(db->prod_title);
    free(db->titles);
    lf_strmap_clear(&db->vw_map);
    free(db->vw);
    lf_strmap_clear(&db->pname_map);
    lf_strmap_clear(&db->title_map);
    lf_strmap_clear(&db->word_map);
    lf_strmap_clear(&db->wdel_map);
    free(db->words);
    lf_strmap_clear(&db->equiv_map);
    lf_strmap_clear(&db->java_map);
    free(db->equiv);
    lf_purlidx_free(db->purlidx);
    lf_arena_clear(&db->a);
    free(db);
}

void lf_namedb_get_counts(const lf_namedb *db, lf_namedb_counts *c)
{
    c->aliases = db->nalias;
    c->alias_names = db->alias_names;
    c->publishers = db->pub_map.n;
    c->packages = db->npkg;
    c->titles = db->title_map.n;
    c->vocabulary = db->vp_map.n;
    c->conflicts = db->conflicts;
    lf_purlidx_stats ps;
    lf_purlidx_get_stats(db->purlidx, &ps);
    c->purl_packages = ps.packages;
}

int lf_namedb_load_purlidx(lf_namedb *db, const char *path, lf_namedb_warn_fn warn, void *ud, lf_err *err)
{
    int rc;
    if (!db->purlidx && (rc = lf_purlidx_new(&db->purlidx, err)))
        return rc;
    return lf_purlidx_load_file(db->purlidx, path, warn, ud, err);
}

const lf_purlidx *lf_namedb_purlidx(const lf_namedb *db)
{
    return db->purlidx;
}

/* ---- products ---- */

/* Index product pi under (vendor, word). */
static int vw_add(lf_namedb *db, const char *vendor, size_t vl, const char *w, size_t wl, uint32_t pi)
{
    char key[512];
    if (!wl || vl + wl + 2 > sizeof key)
        return LF_OK;
    memcpy(key, vendor, vl);
    key[vl] = '\x1f';
    memcpy(key + vl + 1, w, wl);
    slot *s;
    bool ex;
    if (lf_strmap_put(&db->vw_map, &db->a, key, vl + 1 + wl, (uint32_t)db->nvw, &s, &ex))
        return LF_ENOMEM;
    if (ex) {
        for (uint32_t e = s->v; e != UINT32_MAX; e = db->vw[e].next)
            if (db->vw[e].prod == pi)
                return LF_OK;
    }
    if (db->nvw == db->capvw) {
        size_t nc = db->capvw ? db->capvw * 2 : 4096;
        struct vwent *nv = realloc(db->vw, nc * sizeof(*nv));
        if (!nv)
            return LF_ENOMEM;
        db->vw = nv;
        db->capvw = nc;
    }
    db->vw[db->nvw] = (struct vwent){pi, ex ? s->v : UINT32_MAX};
    s->v = (uint32_t)db->nvw++;
    return LF_OK;
}

/* Every word of s (split at sep) under (vendor, word). */
static int vw_add_words(lf_namedb *db, const char *vendor, size_t vl, const char *s, size_t n, char sep, uint32_t pi)
{
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != sep)
            e++;
        if (vw_add(db, vendor, vl, s + i, e - i, pi))
            return LF_ENOMEM;
        i = e + 1;
    }
    return LF_OK;
}

static int add_product(lf_namedb *db, char part, const char *vendor, size_t vl, const char *product, size_t pl,
                       uint32_t *idx)
{
    char key[512];
    if (vl + pl + 4 > sizeof key)
        return LF_ELIMIT;
    size_t kn = 0;
    key[kn++] = part;
    key[kn++] = '\x1f';
    memcpy(key + kn, vendor, vl);
    kn += vl;
    key[kn++] = '\x1f';
    memcpy(key + kn, product, pl);
    kn += pl;
    slot *s;
    bool ex;
    if (lf_strmap_put(&db->prod_map, &db->a, key, kn, (uint32_t)db->nprod, &s, &ex))
        return LF_ENOMEM;
    if (ex) {
        *idx = s->v;
        return LF_OK;
    }
    if (db->nprod == db->capprod) {
        size_t nc = db->capprod ? db->capprod * 2 : 1024;
        lf_product *np = realloc(db->prod, nc * sizeof(*np));
        if (!np)
            return LF_ENOMEM;
        db->prod = np;
        uint32_t *nn = realloc(db->prod_next, nc * sizeof(*nn));
        if (!nn)
            return LF_ENOMEM;
        db->prod_next = nn;
        uint32_t *nv = realloc(db->prod_vnext, nc * sizeof(*nv));
        if (!nv)
            return LF_ENOMEM;
        db->prod_vnext = nv;
        uint32_t *nt = realloc(db->prod_title, nc * sizeof(*nt));
        if (!nt)
            return LF_ENOMEM;
        db->prod_title = nt;
        db->capprod = nc;
    }
    const char *vk = s->k + 2, *pk = s->k + 3 + vl;   /* views into the stored key */
    char *v = lf_arena_strndup(&db->a, vk, vl), *p = lf_arena_strndup(&db->a, pk, pl);
    if (!v || !p)
        return LF_ENOMEM;
    uint32_t i = (uint32_t)db->nprod++;
    db->prod[i] = (lf_product){part, v, p};
    db->prod_next[i] = UINT32_MAX;
    db->prod_vnext[i] = UINT32_MAX;
    db->prod_title[i] = UINT32_MAX;
    /* vendor\x1fproduct, vendor, product name */
    if (lf_strmap_put(&db->vp_map, &db->a, key + 2, kn - 2, i, &s, &ex))
        return LF_ENOMEM;
    if (lf_strmap_put(&db->vendor_map, &db->a, vendor, vl, i, &s, &ex))
        return LF_ENOMEM;
    if (ex) {
        db->prod_vnext[i] = s->v;
        s->v = i;
    }
    if (vw_add_words(db, v, vl, p, pl, '_', i))
        return LF_ENOMEM;
    if (lf_strmap_put(&db->pname_map, &db->a, product, pl, i, &s, &ex))
        return LF_ENOMEM;
    if (ex) {
        db->prod_next[i] = s->v;
        s->v = i;
    }
    *idx = i;
    return LF_OK;
}

/* "a:vendor:product" with CPE 2.3 quoting → plain parts. */
static bool parse_vp(const char *s, size_t n, char *part, char *vendor, size_t vcap, char *product, size_t pcap)
{
    if (n < 5 || (s[0] != 'a' && s[0] != 'o' && s[0] != 'h') || s[1] != ':')
        return false;
    *part = s[0];
    char *outs[2] = {vendor, product};
    size_t caps[2] = {vcap, pcap}, f = 0, o = 0;
    for (size_t i = 2; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            c = s[++i];
        } else if (c == ':') {
            if (f == 1)
                return false;
            outs[f][o] = '\0';
            if (!o)
                return false;
            f++;
            o = 0;
            continue;
        } else if (c == '*' || c == '?' || c == ' ') {
            return false;
        }
        if (o + 1 >= caps[f])
            return false;
        outs[f][o++] = c;
    }
    if (f != 1 || !o)
        return false;
    outs[f][o] = '\0';
    return true;
}

/* Package key "eco\x1fname". PyPI names compare as PEP 503 says: case-insensitive, runs of
 * '-', '_' and '.' equal ("Jinja2" = "jinja2", "zope.interface" = "zope-interface"). */
static int pkg_key(const char *eco, const char *name, size_t n, char *key, size_t cap)
{
    int kn = snprintf(key, cap, "%s\x1f", eco);
    if (kn < 0 || (size_t)kn + n + 1 > cap)
        return -1;
    size_t o = (size_t)kn;
    bool pypi = strcmp(eco, "pypi") == 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (pypi) {
            if (c == '-' || c == '_' || c == '.') {
                if (o > (size_t)kn && key[o - 1] == '-')
                    continue;
                c = '-';
            } else if (c >= 'A' && c <= 'Z') {
                c = (char)(c + 32);
            }
        }
        key[o++] = c;
    }
    key[o] = '\0';
    return (int)o;
}

/* ---- squashed and fuzzy keys ---- */

/* A key with its spaces and the hyphens people type or leave out ("7zip" for 7-Zip,
 * "Win-RAR") removed. Dots stay: "Microsoft.OutlookForWindows" (an MSIX package id) is
 * not the Outlook desktop app. Returns the length. */
static size_t squash_key(const char *key, size_t n, char *sq, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++)
        if (key[i] != ' ' && key[i] != '-')
            sq[o++] = key[i];
    sq[o] = '\0';
    return o;
}

static bool same_alias_target(const lf_alias *a, const lf_alias *b)
{
    if ((a->flags & LF_ALIAS_NOCPE) != (b->flags & LF_ALIAS_NOCPE))
        return false;
    return (a->flags & LF_ALIAS_NOCPE) ||
           (a->prod.part == b->prod.part && strcmp(a->prod.vendor, b->prod.vendor) == 0 &&
            strcmp(a->prod.product, b->prod.product) == 0);
}

/* Typing errors are matched only in long Latin names (a one-letter slip in "Opera" or
 * "Skype" would be another product), never on digits (Office 2016 vs 2019), and only
 * where no two products are one letter apart. */
#define FUZZY_MIN_LETTERS 7
#define FUZZY_MAX_LEN 40

static size_t ascii_letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] >= 'a' && s[i] <= 'z';
    return k;
}

/* ---- deletion filter ----
 * A query of the symmetric-deletion indexes (fuzzy_map, word_map/wdel_map) looks up each
 * of its one-letter deletions, and almost all of them are in no map: hashing and probing
 * every one was a fifth of an uncached resolution (perf, bench_intake). A bit per key
 * under a polynomial hash lets the query compute each deletion's hash in O(1) from its
 * prefix and suffix hashes and skip the map unless the bit is set (2^20 bits for some
 * 40,000 keys: a few per cent pass in vain, and a set bit only costs the lookup). */
#define DF_BITS 20
#define DF_P 0x100000001b3ull
#define DF_MAXN 64
_Static_assert(FUZZY_MAX_LEN <= DF_MAXN, "a fuzzy query key must fit the deletion filter's arrays");

static uint64_t df_hash(const char *k, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * DF_P + (unsigned char)k[i] + 1;
    return h;
}

static size_t df_bit(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return (size_t)(h >> (64 - DF_BITS));
}

static int df_add(uint64_t **bits, const char *k, size_t n)
{
    if (!*bits && !(*bits = calloc((size_t)1 << (DF_BITS - 6), sizeof **bits)))
        return LF_ENOMEM;
    size_t b = df_bit(df_hash(k, n));
    (*bits)[b >> 6] |= 1ull << (b & 63);
    return LF_OK;
}

static bool df_may(const uint64_t *bits, uint64_t h)
{
    size_t b = df_bit(h);
    return bits && (bits[b >> 6] >> (b & 63) & 1);
}

/* The hashes of k (n <= DF_MAXN) with one byte deleted: del[i] is k without k[i]; and
 * returns the hash of k itself. */
static uint64_t df_deletions(const char *k, size_t n, uint64_t del[DF_MAXN])
{
    uint64_t pre[DF_MAXN + 1], suf[DF_MAXN + 1], pw[DF_MAXN + 1];
    pre[0] = 0;
    pw[0] = 1;
    for (size_t i = 0; i < n; i++) {
        pre[i + 1] = pre[i] * DF_P + (unsigned char)k[i] + 1;
        pw[i + 1] = pw[i] * DF_P;
    }
    suf[n] = 0;
    for (size_t i = n; i-- > 0;)
        suf[i] = ((uint64_t)(unsigned char)k[i] + 1) * pw[n - 1 - i] + suf[i + 1];
    for (size_t i = 0; i < n; i++)
        del[i] = pre[i] * pw[n - 1 - i] + suf[i + 1];
    return pre[n];
}

/* Roman numerals are versions spelled in letters (GPU Tweak II / III, Civilization VI): a
 * key with one takes no part in fuzzy matching. */
static bool has_roman(const char *key, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t e = i;
        bool roman = true;
        while (e < n && key[e] != ' ') {
            roman = roman && (key[e] == 'i' || key[e] == 'v' || key[e] == 'x');
            e++;
        }
        if (roman && e > i)
            return true;
        i = e + 1;
    }
    return false;
}

static int fuzzy_put(lf_namedb *db, const char *k, size_t n, uint32_t ai)
{
    slot *q;
    bool ex;
    if (lf_strmap_put(&db->fuzzy_map, &db->a, k, n, ai, &q, &ex) || df_add(&db->fuzzy_bits, k, n))
        return LF_ENOMEM;
    if (ex && q->v != UINT32_MAX && q->v != ai && !same_alias_target(&db->alias[q->v], &db->alias[ai]))
        q->v = UINT32_MAX;
    return LF_OK;
}

/* Every one-letter deletion of a squashed alias key (a symmetric-deletion index: two keys
 * one substitution, insertion, deletion or transposition apart share a deletion). */
static int fuzzy_add(lf_namedb *db, const char *sq, size_t sn, uint32_t ai)
{
    if (sn >= 256 || ascii_letters(sq, sn) < FUZZY_MIN_LETTERS)
        return LF_OK;
    char d[256];
    /* the key itself too, so that one lookup per deletion of the query finds a letter too
     * many (the deletion is the alias) as well as a replaced or swapped one */
    if (fuzzy_put(db, sq, sn, ai))
        return LF_ENOMEM;
    for (size_t i = 0; i < sn; i++) {
        if (sq[i] < 'a' || sq[i] > 'z' || (i && sq[i - 1] == sq[i]))
            continue;     /* a run of one letter gives one deletion */
        memcpy(d, sq, i);
        memcpy(d + i, sq + i + 1, sn - i - 1);
        if (fuzzy_put(db, d, sn - 1, ai))
            return LF_ENOMEM;
    }
    return LF_OK;
}

/* ---- words of alias names (typing errors in one word) ---- */

/* Only plain Latin words this long take part: one letter changes short words into other
 * words ("line" / "lime", "skype" / "swipe" are distance 1 from many). */
#define WORD_MIN_LEN 5
#define WORD_MAX_LEN 40
_Static_assert(WORD_MAX_LEN <= DF_MAXN, "a word must fit the deletion filter's arrays");

static bool plain_word(const char *w, size_t n)
{
    if (n < WORD_MIN_LEN || n > WORD_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return false;
    return true;
}

static int wdel_put(lf_namedb *db, const char *k, size_t n, uint32_t wi)
{
    slot *q;
    bool ex;
    if (lf_strmap_put(&db->wdel_map, &db->a, k, n, wi, &q, &ex) || df_add(&db->word_bits, k, n))
        return LF_ENOMEM;
    if (ex && q->v != wi)
        q->v = UINT32_MAX;
    return LF_OK;
}

/* Every plain word of an alias key, with its one-letter deletions (as fuzzy_add does for
 * whole keys). */
static int words_add(lf_namedb *db, const char *key, size_t kn)
{
    for (size_t i = 0; i < kn;) {
        size_t e = i;
        while (e < kn && key[e] != ' ')
            e++;
        const char *w = key + i;
        size_t wl = e - i;
        i = e + 1;
        if (!plain_word(w, wl))
            continue;
        slot *s;
        bool ex;
        if (lf_strmap_put(&db->word_map, &db->a, w, wl, (uint32_t)db->nwords, &s, &ex) ||
            df_add(&db->word_bits, w, wl))
            return LF_ENOMEM;
        if (ex)
            continue;
        if (db->nwords == db->capwords) {
            size_t nc = db->capwords ? db->capwords * 2 : 1024;
            const char **nw = realloc(db->words, nc * sizeof(*nw));
            if (!nw)
                return LF_ENOMEM;
            db->words = nw;
            db->capwords = nc;
        }
        uint32_t wi = (uint32_t)db->nwords;
        db->words[db->nwords++] = s->k;
        char d[48];
        for (size_t k = 0; k < wl; k++) {
            if (k && w[k - 1] == w[k])
                continue;
            memcpy(d, w, k);
            memcpy(d + k, w + k + 1, wl - k - 1);
            if (wdel_put(db, d, wl - 1, wi))
                return LF_ENOMEM;
        }
    }
    return LF_OK;
}

/* ---- TSV ---- */

typedef struct tsv {
    const char *path;
    char *data;
    size_t len, pos;
    long line;
} tsv;

/* Next non-comment line split into up to max fields (in place). Returns field count, -1 at end. */
static int tsv_next(tsv *t, char **f, int max)
{
    while (t->pos < t->len) {
        char *s = t->data + t->pos;
        char *e = memchr(s, '\n', t->len - t->pos);
        size_t l = e ? (size_t)(e - s) : t->len - t->pos;
        t->pos += l + (e ? 1 : 0);
        t->line++;
        if (l && s[l - 1] == '\r')
            l--;
        s[l] = '\0';
        if (t->line == 1 && l >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            l -= 3;
        }
        if (!l || s[0] == '#')
            continue;
        int nf = 0;
        f[nf++] = s;
        for (char *p = s; *p; p++)
            if (*p == '\t') {
                *p = '\0';
                if (nf == max)
                    break;
                f[nf++] = p + 1;
            }
        return nf;
    }
    return -1;
}

__attribute__((format(printf, 4, 5)))
static void warn_at(lf_namedb_warn_fn warn, void *ud, const tsv *t, const char *fmt, ...)
{
    if (!warn)
        return;
    lf_err e;
    lf_err_clear(&e);
    va_list ap;
    va_start(ap, fmt);
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, t->path, t->line, 0, NULL);
    warn(ud, &e);
}

static int tsv_open(tsv *t, const char *path, lf_err *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    return lf_file_read(path, (size_t)64 << 20, &t->data, &t->len, err);
}

/* Key of a name for the maps: folded, tokenised, FULL key. */
static size_t name_key(lf_norm *norm, const char *name, char *key, size_t cap, size_t *ntok, lf_err *err)
{
    lf_norm_result r;
    if (lf_norm_name(norm, name, strlen(name), &r, err))
        return 0;
    size_t n = lf_norm_key(&r, LF_NORM_KEY_FULL, key, cap);
    if (ntok) {
        const lf_norm_tok *tk[LF_NORM_MAX_TOKENS];
        *ntok = lf_norm_key_tokens(&r, LF_NORM_KEY_FULL, tk, LF_NORM_MAX_TOKENS);
    }
    return n;
}

int lf_namedb_load_aliases(lf_namedb *db, lf_norm *norm, const char *path, lf_namedb_warn_fn warn, void *ud,
                           lf_err *err)
{
    tsv t;
    int rc = tsv_open(&t, path, err);
    if (rc)
        return rc;
    char *f[5];
    int nf;
    while ((nf = tsv_next(&t, f, 5)) >= 0) {
        if (nf < 3) {
            warn_at(warn, ud, &t, "expected category, cpe, names and options separated by tabs");
            continue;
        }
        lf_alias al = {0};
        al.line = t.line;
        al.category = lf_arena_strdup(&db->a, f[0]);
        if (!al.category)
            goto oom;
        if (strcmp(f[1], "-") == 0) {
            al.flags |= LF_ALIAS_NOCPE;
        } else {
            char v[256], p[256];
            if (!parse_vp(f[1], strlen(f[1]), &al.prod.part, v, sizeof v, p, sizeof p)) {
                warn_at(warn, ud, &t, "'%s' is not part:vendor:product", f[1]);
                continue;
            }
            uint32_t pi;
            if (add_product(db, al.prod.part, v, strlen(v), p, strlen(p), &pi))
                goto oom;
            al.prod = db->prod[pi];
        }
        if (nf >= 4) {
            for (char *o = f[3]; *o;) {
                while (*o == ' ')
                    o++;
                char *e = o;
                while (*e && *e != ' ')
                    e++;
                size_t ol = (size_t)(e - o);
                if (ol == 6 && memcmp(o, "prefix", 6) == 0) {
                    al.flags |= LF_ALIAS_PREFIX;
                } else if (ol == 12 && memcmp(o, "version=name", 12) == 0) {
                    al.flags |= LF_ALIAS_VERSION_NAME;
                } else if (ol == 12 && memcmp(o, "version=java", 12) == 0) {
                    al.flags |= LF_ALIAS_VERSION_JAVA;
                } else if (ol == 7 && memcmp(o, "namever", 7) == 0) {
                    al.flags |= LF_ALIAS_NAME_VERSION;
                } else if (ol == 10 && memcmp(o, "segments=", 9) == 0 && o[9] >= '1' && o[9] <= '9') {
                    al.segments = (unsigned)(o[9] - '0');
                } else if (ol > 7 && memcmp(o, "vmap=", 5) == 0 && memchr(o + 5, '>', ol - 5) &&
                           o[5] != '>' && o[ol - 1] != '>') {
                    const char *gt = memchr(o + 5, '>', ol - 5);
                    al.vmap_from = lf_arena_strndup(&db->a, o + 5, (size_t)(gt - o - 5));
                    al.vmap_to = lf_arena_strndup(&db->a, gt + 1, (size_t)(o + ol - gt - 1));
                    if (!al.vmap_from || !al.vmap_to)
                        goto oom;
                } else if (ol > 8 && memcmp(o, "version=", 8) == 0) {
                    al.flags |= LF_ALIAS_VERSION_FIXED;
                    al.fixed_version = lf_arena_strndup(&db->a, o + 8, ol - 8);
                    if (!al.fixed_version)
                        goto oom;
                } else if (ol) {
                    char opt[64];
                    snprintf(opt, sizeof opt, "%.*s", (int)ol, o);
                    warn_at(warn, ud, &t, "unknown option '%s'", opt);
                }
                o = e;
            }
        }
        if ((al.flags & LF_ALIAS_VERSION_JAVA) && !(al.flags & LF_ALIAS_NOCPE)) {
            char jk[520];
            int jn = snprintf(jk, sizeof jk, "%s\x1f%s", al.prod.vendor, al.prod.product);
            slot *js = NULL;
            bool jex = false;
            if (jn > 0 && (size_t)jn < sizeof jk && lf_strmap_put(&db->java_map, &db->a, jk, (size_t)jn, 1, &js, &jex))
                goto oom;
        }
        /* each name is its own entry (its own token count, for prefix matching) */
        for (char *nm = f[2]; nm && *nm;) {
            char *bar = strchr(nm, '|');
            if (bar)
                *bar = '\0';
            char key[512];
            size_t ntok = 0;
            size_t kn = name_key(norm, nm, key, sizeof key, &ntok, err);
            if (kn) {
                if (db->nalias == db->capalias) {
                    size_t nc = db->capalias ? db->capalias * 2 : 512;
                    lf_alias *na = realloc(db->alias, nc * sizeof(*na));
                    if (!na)
                        goto oom;
                    db->alias = na;
                    db->capalias = nc;
                }
                slot *s;
                bool ex;
                if (lf_strmap_put(&db->alias_map, &db->a, key, kn, (uint32_t)db->nalias, &s, &ex))
                    goto oom;
                if (ex) {
                    const lf_alias *o = &db->alias[s->v];
                    bool same = (o->flags & LF_ALIAS_NOCPE) == (al.flags & LF_ALIAS_NOCPE) &&
                                ((al.flags & LF_ALIAS_NOCPE) ||
                                 (o->prod.part == al.prod.part && strcmp(o->prod.vendor, al.prod.vendor) == 0 &&
                                  strcmp(o->prod.product, al.prod.product) == 0));
                    if (!same) {
                        db->conflicts++;
                        warn_at(warn, ud, &t, "name '%s' is already mapped to another product (first entry kept)",
                                nm);
                    }
                } else {
                    al.ntokens = ntok;
                    char sq[512];
                    size_t sn = squash_key(key, kn, sq, sizeof sq);
                    slot *q;
                    bool qex;
                    if (lf_strmap_put(&db->squash_map, &db->a, sq, sn, (uint32_t)db->nalias, &q, &qex))
                        goto oom;
                    if (qex && q->v != UINT32_MAX && !same_alias_target(&db->alias[q->v], &al))
                        q->v = UINT32_MAX;
                    uint32_t ai = (uint32_t)db->nalias;
                    db->alias[db->nalias++] = al;
                    db->alias_names++;
                    if (!has_roman(key, kn) && fuzzy_add(db, sq, sn, ai))
                        goto oom;
                    if (!(al.flags & LF_ALIAS_NOCPE) && words_add(db, key, kn))
                        goto oom;
                }
            }
            nm = bar ? bar + 1 : NULL;
        }
    }
    free(t.data);
    return LF_OK;
oom:
    free(t.data);
    return lf_err_set(err, LF_ENOMEM, "out of memory loading %s", path);
}

/* Publisher key: folded name tokens without legal-form words, and CJK company suffixes cut. */
static const char *const legal_words[] = {"corporation", "corp", "corp.", "inc", "inc.", "incorporated", "llc",
                                          "ltd", "ltd.", "limited", "co", "co.", "company", "gmbh", "ag", "sa",
                                          "s.a", "bv", "b.v", "plc", "srl", "s.r.l", "kk", "k.k", "pty", "oy",
                                          "ab", "as", "a/s", "nv", "spa", "s.p.a", "sas", "lp", "llp", "the",
                                          NULL};
static const char *const cjk_suffixes[] = {"股份有限公司", "有限責任公司", "有限公司", "公司", "集團", NULL};

static size_t publisher_key(lf_norm *norm, const char *pub, char *key, size_t cap)
{
    lf_norm_result r;
    lf_err e;
    if (lf_norm_name(norm, pub, strlen(pub), &r, &e))
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < r.ntok; i++) {
        const char *t = r.text + r.tok[i].off;
        size_t l = r.tok[i].len;
        if (r.tok[i].cls == LF_TOK_PAREN)
            continue;
        bool legal = false;
        for (size_t w = 0; legal_words[w] && !r.tok[i].cjk && !legal; w++)
            legal = strlen(legal_words[w]) == l && memcmp(legal_words[w], t, l) == 0;
        if (legal)
            continue;
        if (r.tok[i].cjk)
            for (size_t w = 0; cjk_suffixes[w]; w++) {
                size_t sl = strlen(cjk_suffixes[w]);
                if (l > sl && memcmp(t + l - sl, cjk_suffixes[w], sl) == 0) {
                    l -= sl;
                    break;
                }
                if (l == sl && memcmp(t, cjk_suffixes[w], sl) == 0) {
                    l = 0;
                    break;
                }
            }
        if (!l || o + l + 2 > cap)
            continue;
        if (o)
            key[o++] = ' ';
        memcpy(key + o, t, l);
        o += l;
    }
    key[o] = '\0';
    return o;
}

static int load_publishers(lf_namedb *db, lf_norm *norm, const char *path, lf_namedb_warn_fn warn, void *ud,
                           lf_err *err)
{
    tsv t;
    int rc = tsv_open(&t, path, err);
    if (rc)
        return rc;
    char *f[3];
    int nf;
    while ((nf = tsv_next(&t, f, 3)) >= 0) {
        if (nf < 2 || !f[0][0]) {
            warn_at(warn, ud, &t, "expected vendor and publisher names separated by a tab");
            continue;
        }
        char v[256], *vo = v;
        size_t vl = 0;
        for (const char *s = f[0]; *s && vl + 1 < sizeof v; s++) {
            if (*s == '\\' && s[1])
                s++;
            v[vl++] = *s;
        }
        v[vl] = '\0';
        if (db->nvendors == db->capvendors) {
            size_t nc = db->capvendors ? db->capvendors * 2 : 256;
            const char **nv = realloc(db->vendors, nc * sizeof(*nv));
            if (!nv)
                goto oom;
            db->vendors = nv;
            db->capvendors = nc;
        }
        db->vendors[db->nvendors] = lf_arena_strdup(&db->a, vo);
        if (!db->vendors[db->nvendors])
            goto oom;
        uint32_t vi = (uint32_t)db->nvendors++;
        for (char *nm = f[1]; nm && *nm;) {
            char *bar = strchr(nm, '|');
            if (bar)
                *bar = '\0';
            char key[512];
            size_t kn = publisher_key(norm, nm, key, sizeof key);
            slot *s;
            bool ex;
            if (kn) {
                if (lf_strmap_put(&db->pub_map, &db->a, key, kn, vi, &s, &ex))
                    goto oom;
                if (ex && strcmp(db->vendors[s->v], vo) != 0)
                    warn_at(warn, ud, &t, "publisher '%s' already maps to another vendor (first kept)", nm);
            }
            nm = bar ? bar + 1 : NULL;
        }
    }
    free(t.data);
    return LF_OK;
oom:
    free(t.data);
    return lf_err_set(err, LF_ENOMEM, "out of memory loading %s", path);
}

static int load_packages(lf_namedb *db, const char *path, lf_namedb_warn_fn warn, void *ud, lf_err *err)
{
    tsv t;
    int rc = tsv_open(&t, path, err);
    if (rc)
        return rc;
    char *f[4];
    int nf;
    while ((nf = tsv_next(&t, f, 4)) >= 0) {
        char part, v[256], p[256];
        if (nf < 3 || !f[0][0]) {
            warn_at(warn, ud, &t, "expected ecosystem, package names and cpe separated by tabs");
            continue;
        }
        uint32_t pi = NOCPE_PKG;
        unsigned seg = 0;
        /* options: segments=N, the version read from the package keeps its first N
         * dot-separated parts and no +build (as aliases.tsv's option) */
        if (nf > 3 && f[3][0]) {
            if (strlen(f[3]) == 10 && memcmp(f[3], "segments=", 9) == 0 && f[3][9] >= '1' && f[3][9] <= '9') {
                seg = (unsigned)(f[3][9] - '0');
            } else {
                warn_at(warn, ud, &t, "unknown option '%s' (known: segments=N)", f[3]);
                continue;
            }
        }
        if (strcmp(f[2], "-") == 0) {
            /* a known package with no CPE of its own (documentation, fonts, meta packages) */
        } else if (!parse_vp(f[2], strlen(f[2]), &part, v, sizeof v, p, sizeof p)) {
            warn_at(warn, ud, &t, "'%s' is not part:vendor:product (or - for none)", f[2]);
            continue;
        } else if (add_product(db, part, v, strlen(v), p, strlen(p), &pi)) {
            goto oom;
        }
        if (pi != NOCPE_PKG && pi > PKG_PROD_MASK)
            goto oom;                /* 268 M products: cannot happen short of memory */
        if (pi != NOCPE_PKG)
            pi |= (uint32_t)seg << PKG_SEG_SHIFT;
        for (char *nm = f[1]; nm && *nm;) {
            char *bar = strchr(nm, '|');
            if (bar)
                *bar = '\0';
            char key[512];
            int kn = pkg_key(f[0], nm, strlen(nm), key, sizeof key);
            slot *s;
            bool ex;
            if (kn > 0 && (size_t)kn < sizeof key) {
                if (lf_strmap_put(&db->pkg_map, &db->a, key, (size_t)kn, pi, &s, &ex))
                    goto oom;
                if (!ex)
                    db->npkg++;
                else if (s->v != pi)
                    warn_at(warn, ud, &t, "package '%s' already maps to another product (first kept)", nm);
            }
            nm = bar ? bar + 1 : NULL;
        }
    }
    free(t.data);
    return LF_OK;
oom:
    free(t.data);
    return lf_err_set(err, LF_ENOMEM, "out of memory loading %s", path);
}

static int equiv_push(lf_namedb *db, uint32_t v)
{
    if (db->nequiv == db->capequiv) {
        size_t nc = db->capequiv ? db->capequiv * 2 : 256;
        uint32_t *ne = realloc(db->equiv, nc * sizeof(*ne));
        if (!ne)
            return LF_ENOMEM;
        db->equiv = ne;
        db->capequiv = nc;
    }
    db->equiv[db->nequiv++] = v;
    return LF_OK;
}

int lf_namedb_load_equivalents(lf_namedb *db, const char *path, lf_namedb_warn_fn warn, void *ud, lf_err *err)
{
    tsv t;
    int rc = tsv_open(&t, path, err);
    if (rc)
        return rc;
    char *f[2];
    int nf;
    while ((nf = tsv_next(&t, f, 2)) >= 0) {
        uint32_t group = (uint32_t)db->nequiv;
        size_t members = 0;
        for (char *nm = f[0]; nm && *nm;) {
            char *bar = strchr(nm, '|');
            if (bar)
                *bar = '\0';
            char part, v[256], p[256];
            if (!parse_vp(nm, strlen(nm), &part, v, sizeof v, p, sizeof p)) {
                warn_at(warn, ud, &t, "'%s' is not part:vendor:product", nm);
            } else {
                uint32_t pi;
                char key[520];
                int kn = snprintf(key, sizeof key, "%s\x1f%s", v, p);
                slot *sl = NULL;
                bool ex = false;
                if (add_product(db, part, v, strlen(v), p, strlen(p), &pi) || equiv_push(db, pi) ||
                    (kn > 0 && (size_t)kn < sizeof key &&
                     lf_strmap_put(&db->equiv_map, &db->a, key, (size_t)kn, group, &sl, &ex)))
                    goto oom;
                if (ex)
                    warn_at(warn, ud, &t, "'%s' is already in another equivalence (first kept)", nm);
                members++;
            }
            nm = bar ? bar + 1 : NULL;
        }
        if (equiv_push(db, UINT32_MAX))
            goto oom;
        if (members < 2)
            warn_at(warn, ud, &t, "an equivalence needs two or more names");
    }
    free(t.data);
    return LF_OK;
oom:
    free(t.data);
    return lf_err_set(err, LF_ENOMEM, "out of memory loading %s", path);
}

bool lf_namedb_java_versions(const lf_namedb *db, const char *vendor, const char *product)
{
    char key[520];
    int kn = snprintf(key, sizeof key, "%s\x1f%s", vendor, product);
    return kn > 0 && (size_t)kn < sizeof key && lf_strmap_find(&db->java_map, key, (size_t)kn);
}

size_t lf_namedb_equivalents(const lf_namedb *db, const char *vendor, const char *product, const lf_product **out,
                             size_t max)
{
    char key[520];
    int kn = snprintf(key, sizeof key, "%s\x1f%s", vendor, product);
    if (kn <= 0 || (size_t)kn >= sizeof key)
        return 0;
    const slot *sl = lf_strmap_find(&db->equiv_map, key, (size_t)kn);
    if (!sl)
        return 0;
    size_t k = 0, total = 0;
    for (size_t i = sl->v; i < db->nequiv && db->equiv[i] != UINT32_MAX; i++) {
        const lf_product *p = &db->prod[db->equiv[i]];
        if (strcmp(p->vendor, vendor) == 0 && strcmp(p->product, product) == 0)
            continue;
        if (k < max)
            out[k++] = p;
        total++;
    }
    return total;
}

int lf_namedb_load_dir(lf_namedb *db, lf_norm *norm, const char *dir, lf_namedb_warn_fn warn, void *ud,
                       lf_err *err)
{
    static const char *const files[] = {"aliases.tsv", "publishers.tsv", "packages.tsv"};
    int found = 0;
    for (size_t i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (!lf_file_exists(path))
            continue;
        found++;
        int rc = i == 0 ? lf_namedb_load_aliases(db, norm, path, warn, ud, err)
                 : i == 1 ? load_publishers(db, norm, path, warn, ud, err)
                          : load_packages(db, path, warn, ud, err);
        if (rc)
            return rc;
    }
    char epath[4096];
    snprintf(epath, sizeof epath, "%s/equivalents.tsv", dir);
    if (lf_file_exists(epath)) {
        int rc = lf_namedb_load_equivalents(db, epath, warn, ud, err);
        if (rc)
            return rc;
    }
    if (!found)
        return lf_err_set(err, LF_ENOTFOUND, "no name dictionaries (aliases.tsv, publishers.tsv, packages.tsv) in %s",
                          dir);
    return LF_OK;
}

static int add_title_key(lf_namedb *db, const lf_product *p, const char *key, size_t kn, lf_err *err);

int lf_namedb_add_title(lf_namedb *db, lf_norm *norm, const lf_product *p, const char *title, lf_err *err)
{
    char key[512];
    size_t kn = 0;
    if (title && *title) {
        lf_norm_result r;
        int rc = lf_norm_name(norm, title, strlen(title), &r, err);
        if (rc)
            return rc;
        kn = lf_norm_key(&r, LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM, key, sizeof key);
    }
    return add_title_key(db, p, key, kn, err);
}

/* The product, and its title key kn bytes at key (already folded as lf_namedb_add_title
 * folds; kn = 0: the product only). */
static int add_title_key(lf_namedb *db, const lf_product *p, const char *key, size_t kn, lf_err *err)
{
    uint32_t pi;
    if (add_product(db, p->part, p->vendor, strlen(p->vendor), p->product, strlen(p->product), &pi))
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (!kn)
        return LF_OK;
    slot *s;
    bool ex;
    if (lf_strmap_put(&db->title_map, &db->a, key, kn, pi, &s, &ex))
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (ex && s->v != pi && s->v < (1u << 31)) {
        /* several products share the title: remember it is ambiguous (top bit) */
        s->v |= 1u << 31;
    }
    /* the product's own list of title keys (for word matching, lf_namedb_product_titles),
     * each key once */
    for (uint32_t t = db->prod_title[pi]; t != UINT32_MAX; t = db->titles[t].next)
        if (db->titles[t].key == s->k)
            return LF_OK;
    if (db->ntitles == db->captitles) {
        size_t nc = db->captitles ? db->captitles * 2 : 1024;
        struct ptitle *nt = realloc(db->titles, nc * sizeof(*nt));
        if (!nt)
            return lf_err_set(err, LF_ENOMEM, "out of memory");
        db->titles = nt;
        db->captitles = nc;
    }
    db->titles[db->ntitles] = (struct ptitle){s->k, db->prod_title[pi]};
    db->prod_title[pi] = (uint32_t)db->ntitles++;
    const lf_product *pp = &db->prod[pi];
    if (vw_add_words(db, pp->vendor, strlen(pp->vendor), s->k, kn, ' ', pi))
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    return LF_OK;
}

int lf_namedb_load_titles(lf_namedb *db, lf_norm *norm, const char *path, lf_namedb_warn_fn warn, void *ud,
                          lf_err *err)
{
    (void)norm;
    tsv t;
    int rc = tsv_open(&t, path, err);
    if (rc)
        return rc;
    char *f[3];
    int nf;
    while ((nf = tsv_next(&t, f, 3)) >= 0) {
        lf_product p;
        char v[256], pr[256];
        if (nf < 1 || !parse_vp(f[0], strlen(f[0]), &p.part, v, sizeof v, pr, sizeof pr)) {
            warn_at(warn, ud, &t, "expected part:vendor:product and a title");
            continue;
        }
        p.vendor = v;
        p.product = pr;
        /* the digest's titles are folded already (cpedict.c folds them as add_title does);
         * folding again would strip a second trailing number ("windows 10 1809" ->
         * "windows 10" -> "windows"), so norm is not needed here */
        rc = add_title_key(db, &p, nf >= 2 ? f[1] : "", nf >= 2 ? strlen(f[1]) : 0, err);
        if (rc) {
            free(t.data);
            return rc;
        }
    }
    free(t.data);
    return LF_OK;
}

int lf_namedb_add_vdb(lf_namedb *db, const lf_vdb *vdb, lf_err *err)
{
    size_t n = lf_vdb_nproducts(vdb);
    for (size_t i = 0; i < n; i++) {
        const char *k = lf_vdb_product(vdb, i);
        char part, v[256], p[256];
        if (!k || !parse_vp(k, strlen(k), &part, v, sizeof v, p, sizeof p))
            continue;    /* wildcard vendors or products name no product */
        uint32_t pi;
        if (add_product(db, part, v, strlen(v), p, strlen(p), &pi))
            return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    return LF_OK;
}

const lf_alias *lf_namedb_alias(const lf_namedb *db, const char *key, size_t n)
{
    const slot *s = lf_strmap_find(&db->alias_map, key, n);
    return s ? &db->alias[s->v] : NULL;
}

const lf_alias *lf_namedb_alias_squashed(const lf_namedb *db, const char *key, size_t n)
{
    char sq[512];
    size_t sn = squash_key(key, n, sq, sizeof sq);
    const slot *s = lf_strmap_find(&db->squash_map, sq, sn);
    return s && s->v != UINT32_MAX ? &db->alias[s->v] : NULL;
}

/* Fold one more alias hit into the answer: the first, or the same target, else ambiguous. */
static bool fuzzy_merge(const lf_namedb *db, const slot *s, const lf_alias **hit)
{
    if (!s)
        return true;
    if (s->v == UINT32_MAX)
        return false;
    const lf_alias *a = &db->alias[s->v];
    if (!*hit)
        *hit = a;
    return same_alias_target(*hit, a);
}

const lf_alias *lf_namedb_alias_fuzzy(const lf_namedb *db, const char *key, size_t n)
{
    char sq[256], d[256];
    if (has_roman(key, n))
        return NULL;
    size_t sn = squash_key(key, n, sq, sizeof sq);
    /* long names are rarely mistyped product names, and each letter costs a lookup */
    if (sn > FUZZY_MAX_LEN || ascii_letters(sq, sn) < FUZZY_MIN_LETTERS - 1)
        return NULL;
    const lf_alias *hit = NULL;
    uint64_t del[DF_MAXN];
    uint64_t hk = df_deletions(sq, sn, del);
    /* a letter left out: the key is a deletion of an alias */
    if (df_may(db->fuzzy_bits, hk) && !fuzzy_merge(db, lf_strmap_find(&db->fuzzy_map, sq, sn), &hit))
        return NULL;
    for (size_t i = 0; i < sn; i++) {
        if (sq[i] < 'a' || sq[i] > 'z' || (i && sq[i - 1] == sq[i]) || !df_may(db->fuzzy_bits, del[i]))
            continue;
        memcpy(d, sq, i);
        memcpy(d + i, sq + i + 1, sn - i - 1);
        /* a letter too many (the deletion is an alias), or one letter replaced or two
         * swapped (both share a deletion) */
        if (!fuzzy_merge(db, lf_strmap_find(&db->fuzzy_map, d, sn - 1), &hit))
            return NULL;
    }
    return hit;
}

/* Fold one more candidate word into the answer: the first, or the same, else ambiguous. */
static bool word_merge(const lf_namedb *db, const slot *s, const char **hit)
{
    if (!s)
        return true;
    if (s->v == UINT32_MAX)
        return false;
    const char *w = db->words[s->v];
    if (!*hit)
        *hit = w;
    return *hit == w;
}

const char *lf_namedb_word_fix(const lf_namedb *db, const char *w, size_t n)
{
    if (!plain_word(w, n))
        return NULL;
    uint64_t del[DF_MAXN];
    uint64_t hw = df_deletions(w, n, del);
    bool maybe = df_may(db->word_bits, hw);
    if (maybe && lf_strmap_find(&db->word_map, w, n))
        return NULL;
    const char *hit = NULL;
    /* a letter left out: the word is a deletion of a known word */
    if (maybe && !word_merge(db, lf_strmap_find(&db->wdel_map, w, n), &hit))
        return NULL;
    char d[48];
    for (size_t i = 0; i < n; i++) {
        if ((i && w[i - 1] == w[i]) || !df_may(db->word_bits, del[i]))
            continue;
        memcpy(d, w, i);
        memcpy(d + i, w + i + 1, n - i - 1);
        /* a letter too many (the deletion is a word), one replaced or two swapped */
        if (!word_merge(db, lf_strmap_find(&db->word_map, d, n - 1), &hit) ||
            !word_merge(db, lf_strmap_find(&db->wdel_map, d, n - 1), &hit))
            return NULL;
    }
    return hit;
}

/* The vocabulary's vendor a Publisher key spells (namedb.h, lf_namedb_publisher_vendors). */
static const char *vocab_vendor_of_key(const lf_namedb *db, const char *key, size_t kn)
{
    char v[3][512];
    /* the words with a letter or digit ("Acme, Inc." leaves a lone "." or ","), joined by
     * '_' (v[0]), run together (v[1]); the first alone (v[2]) */
    size_t n[3] = {0, 0, 0}, words = 0;
    for (size_t i = 0; i < kn && kn < sizeof v[0];) {
        size_t e = i;
        bool alnum = false;
        while (e < kn && key[e] != ' ') {
            unsigned char c = (unsigned char)key[e++];
            alnum = alnum || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        }
        if (alnum) {
            if (words++)
                v[0][n[0]++] = '_';
            memcpy(v[0] + n[0], key + i, e - i);
            n[0] += e - i;
            memcpy(v[1] + n[1], key + i, e - i);
            n[1] += e - i;
            if (words == 1) {
                memcpy(v[2], key + i, e - i);
                n[2] = e - i;
            }
        }
        i = e + 1;
    }
    for (int form = 0; form < 3; form++) {
        if (!n[form] || (form == 1 && words < 2) || (form == 2 && (words < 2 || n[2] < 5)))
            continue;                /* nothing new, or a first word too short to be sure */
        const slot *s = lf_strmap_find(&db->vendor_map, v[form], n[form]);
        if (s)
            return s->k;
    }
    return NULL;
}

const char *lf_namedb_publisher_vendors(const lf_namedb *db, lf_norm *norm, const char *publisher,
                                        const char **vocab)
{
    if (vocab)
        *vocab = NULL;
    if (!publisher || !*publisher)
        return NULL;
    char key[512];
    size_t kn = publisher_key(norm, publisher, key, sizeof key);
    if (!kn)
        return NULL;
    const slot *s = lf_strmap_find(&db->pub_map, key, kn);
    if (s)
        return db->vendors[s->v];
    /* "Mozilla Corporation" is covered above; "Adobe Systems Incorporated" → first words */
    for (size_t cut = kn; cut > 0; cut--) {
        if (key[cut] != ' ')
            continue;
        s = lf_strmap_find(&db->pub_map, key, cut);
        if (s)
            return db->vendors[s->v];
    }
    if (vocab)
        *vocab = vocab_vendor_of_key(db, key, kn);
    return NULL;
}

const char *lf_namedb_publisher_vendor(const lf_namedb *db, lf_norm *norm, const char *publisher)
{
    return lf_namedb_publisher_vendors(db, norm, publisher, NULL);
}

const lf_product *lf_namedb_package(const lf_namedb *db, const char *ecosystem, const char *name, size_t n,
                                    unsigned *segments)
{
    if (segments)
        *segments = 0;
    char key[512];
    int kn = pkg_key(ecosystem, name, n, key, sizeof key);
    if (kn <= 0)
        return NULL;
    const slot *s = lf_strmap_find(&db->pkg_map, key, (size_t)kn);
    if (!s)
        return NULL;
    if (s->v == NOCPE_PKG)
        return &lf_namedb_no_cpe;
    if (segments)
        *segments = s->v >> PKG_SEG_SHIFT;
    return &db->prod[s->v & PKG_PROD_MASK];
}

const lf_product *lf_namedb_title(const lf_namedb *db, const char *key, size_t n, unsigned *nproducts)
{
    const slot *s = lf_strmap_find(&db->title_map, key, n);
    if (!s)
        return NULL;
    *nproducts = (s->v >> 31) ? 2 : 1;
    return &db->prod[s->v & ~(1u << 31)];
}

bool lf_namedb_has_product(const lf_namedb *db, const char *vendor, const char *product, char *part)
{
    char key[512];
    int kn = snprintf(key, sizeof key, "%s\x1f%s", vendor, product);
    if (kn <= 0 || (size_t)kn >= sizeof key)
        return false;
    const slot *s = lf_strmap_find(&db->vp_map, key, (size_t)kn);
    if (s && part)
        *part = db->prod[s->v].part;
    return s != NULL;
}

bool lf_namedb_has_vendor(const lf_namedb *db, const char *vendor, size_t n)
{
    return lf_strmap_find(&db->vendor_map, vendor, n) != NULL;
}

size_t lf_namedb_vendor_products(const lf_namedb *db, const char *vendor, size_t n, const lf_product **out,
                                 size_t max)
{
    const slot *s = lf_strmap_find(&db->vendor_map, vendor, n);
    size_t k = 0, total = 0;
    for (uint32_t i = s ? s->v : UINT32_MAX; i != UINT32_MAX; i = db->prod_vnext[i]) {
        if (k < max)
            out[k++] = &db->prod[i];
        total++;
    }
    return total;
}

size_t lf_namedb_vendor_word_products(const lf_namedb *db, const char *vendor, size_t vl, const char *w, size_t wl,
                                      const lf_product **out, size_t max)
{
    char key[512];
    if (vl + wl + 2 > sizeof key)
        return 0;
    memcpy(key, vendor, vl);
    key[vl] = '\x1f';
    memcpy(key + vl + 1, w, wl);
    const slot *s = lf_strmap_find(&db->vw_map, key, vl + 1 + wl);
    size_t k = 0, total = 0;
    for (uint32_t e = s ? s->v : UINT32_MAX; e != UINT32_MAX; e = db->vw[e].next) {
        if (k < max)
            out[k++] = &db->prod[db->vw[e].prod];
        total++;
    }
    return total;
}

size_t lf_namedb_product_titles(const lf_namedb *db, const lf_product *p, const char **out, size_t max)
{
    if (p < db->prod || p >= db->prod + db->nprod)
        return 0;
    size_t k = 0, total = 0;
    for (uint32_t t = db->prod_title[p - db->prod]; t != UINT32_MAX; t = db->titles[t].next) {
        if (k < max)
            out[k++] = db->titles[t].key;
        total++;
    }
    return total;
}

size_t lf_namedb_product_vendors(const lf_namedb *db, const char *product, const lf_product **out, size_t max)
{
    const slot *s = lf_strmap_find(&db->pname_map, product, strlen(product));
    size_t k = 0, total = 0;
    for (uint32_t i = s ? s->v : UINT32_MAX; i != UINT32_MAX; i = db->prod_next[i]) {
        if (k < max)
            out[k++] = &db->prod[i];
        total++;
    }
    return total;
}
