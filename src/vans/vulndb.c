/*
 * vulndb: builder and reader of the LFVX vulnerability index (see vulndb.h for the model
 * and vulndb_int.h for the layout).
 */
#include "vans/vulndb.h"
#include "vans/vulndb_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/hash.h"
#include "vans/cpe.h"
#include "vans/version.h"

const char *lf_source_name(lf_source s)
{
    switch (s) {
    case LF_SRC_NVD: return "nvd";
    case LF_SRC_CVE5_CNA: return "cve5-cna";
    case LF_SRC_CVE5_ADP: return "cve5-adp";
    case LF_SRC_CSAF: return "csaf";
    case LF_SRC_OSV: return "osv";
    default: return "unknown";
    }
}

uint32_t lf_ref_tag_bit(const char *tag)
{
#define LF_REF_CMP(name, bit, str) if (strcmp(tag, str) == 0) return LF_REF_##name;
    LF_REF_TAGS(LF_REF_CMP)
#undef LF_REF_CMP
    return 0;
}

void lf_ref_tags_format(uint32_t tags, char *out, size_t n)
{
    size_t off = 0;
    if (n)
        out[0] = '\0';
#define LF_REF_FMT(name, bit, str)                                                   \
    if ((tags & LF_REF_##name) && off < n) {                                          \
        int r_ = snprintf(out + off, n - off, "%s%s", off ? "," : "", str);         \
        if (r_ > 0) off += (size_t)r_;                                                \
    }
    LF_REF_TAGS(LF_REF_FMT)
#undef LF_REF_FMT
}

uint32_t lf_vx_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

int lf_vx_prod_key(char part, const char *vendor, size_t vlen, const char *product, size_t plen,
                   char *out, size_t cap)
{
    if (vlen + plen + 5 > cap)
        return -1;
    size_t o = 0;
    out[o++] = part;
    out[o++] = ':';
    memcpy(out + o, vendor, vlen);
    o += vlen;
    out[o++] = ':';
    memcpy(out + o, product, plen);
    o += plen;
    out[o] = '\0';
    return (int)o;
}

size_t lf_vdb_nproducts(const lf_vdb *db)
{
    return db->nprod;
}

const char *lf_vdb_product(const lf_vdb *db, size_t i)
{
    return i < db->nprod ? vx_str(db, db->prod[i].key) : NULL;
}

uint32_t lf_vx_find_prod(const lf_vdb *db, const char *key, size_t n, uint32_t hash)
{
    if (!db->nprodhash)
        return UINT32_MAX;
    size_t mask = db->nprodhash - 1;
    for (size_t i = hash & mask, probes = 0; probes < db->nprodhash; i = (i + 1) & mask, probes++) {
        uint32_t slot = db->prodhash[i];
        if (!slot)
            return UINT32_MAX;
        const vx_prod *p = &db->prod[slot - 1];
        if (p->hash == hash) {
            const char *k = vx_str(db, p->key);
            if (strncmp(k, key, n) == 0 && k[n] == '\0')
                return slot - 1;
        }
    }
    return UINT32_MAX;
}

/* ------------------------------------------------------------------ builder ---- */

struct lf_vdb_builder {
    lf_arena arena;
    lf_vdoc *docs;
    unsigned char *live;
    size_t ndocs, capdocs, nlive;
    uint32_t *slots;          /* (source, doc_id) -> doc index + 1 */
    size_t nslots;
    lf_vkev *kev;
    size_t nkev;
    char kev_version[32];
};

lf_vdb_builder *lf_vdb_builder_new(void)
{
    lf_vdb_builder *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    lf_arena_init(&b->arena, 1 << 20);
    return b;
}

void lf_vdb_builder_free(lf_vdb_builder *b)
{
    if (!b)
        return;
    lf_arena_clear(&b->arena);
    free(b->docs);
    free(b->live);
    free(b->slots);
    free(b->kev);
    free(b);
}

size_t lf_vdb_builder_ndocs(const lf_vdb_builder *b)
{
    return b->nlive;
}

static uint32_t doc_key_hash(lf_source s, const char *id)
{
    uint32_t h = lf_vx_hash(id, strlen(id));
    return h ^ ((uint32_t)s * 0x9e3779b9u);
}

static int slots_grow(lf_vdb_builder *b)
{
    size_t n = b->nslots ? b->nslots * 2 : 1024;
    uint32_t *ns = calloc(n, sizeof(*ns));
    if (!ns)
        return LF_ENOMEM;
    for (size_t i = 0; i < b->ndocs; i++) {
        if (!b->live[i])
            continue;
        uint32_t h = doc_key_hash(b->docs[i].source, b->docs[i].doc_id);
        size_t j = h & (n - 1);
        while (ns[j])
            j = (j + 1) & (n - 1);
        ns[j] = (uint32_t)i + 1;
    }
    free(b->slots);
    b->slots = ns;
    b->nslots = n;
    return LF_OK;
}

/* Slot holding (source, id), or the empty slot where it would go. */
static size_t slot_find(const lf_vdb_builder *b, lf_source s, const char *id)
{
    size_t mask = b->nslots - 1;
    size_t j = doc_key_hash(s, id) & mask;
    for (;;) {
        uint32_t v = b->slots[j];
        if (!v)
            return j;
        const lf_vdoc *d = &b->docs[v - 1];
        if (d->source == s && strcmp(d->doc_id, id) == 0)
            return j;
        j = (j + 1) & mask;
    }
}

static const char *bdup(lf_vdb_builder *b, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *p = lf_arena_strdup(&b->arena, s);
    if (!p)
        *oom = true;
    return p;
}

static void *balloc(lf_vdb_builder *b, size_t n, bool *oom)
{
    if (!n)
        return NULL;
    void *p = lf_arena_alloc(&b->arena, n);
    if (!p)
        *oom = true;
    return p;
}

/* Deep copy into the builder arena; with `borrow` strings are kept as they are (they
 * point into a mapped index that outlives the builder's write). */
static int doc_copy(lf_vdb_builder *b, const lf_vdoc *in, lf_vdoc *out, bool borrow)
{
    bool oom = false;
#define DUP(s) (borrow ? (s) : bdup(b, (s), &oom))
    *out = *in;
    out->doc_id = DUP(in->doc_id);
    out->vuln_id = DUP(in->vuln_id);
    out->published = DUP(in->published);
    out->modified = DUP(in->modified);
    out->status = DUP(in->status);
    out->description = DUP(in->description);
    out->kev_added = DUP(in->kev_added);
    out->kev_due = DUP(in->kev_due);
    out->kev_action = DUP(in->kev_action);
    out->kev_name = DUP(in->kev_name);
    out->authority = DUP(in->authority);
    out->metric = balloc(b, in->nmetric * sizeof(lf_vmetric), &oom);
    for (size_t i = 0; !oom && i < in->nmetric; i++) {
        out->metric[i] = in->metric[i];
        out->metric[i].source = DUP(in->metric[i].source);
        out->metric[i].vector = DUP(in->metric[i].vector);
    }
    out->cwe = balloc(b, in->ncwe * sizeof(char *), &oom);
    for (size_t i = 0; !oom && i < in->ncwe; i++)
        out->cwe[i] = DUP(in->cwe[i]);
    out->ref = balloc(b, in->nref * sizeof(lf_vref), &oom);
    for (size_t i = 0; !oom && i < in->nref; i++) {
        out->ref[i] = in->ref[i];
        out->ref[i].url = DUP(in->ref[i].url);
        out->ref[i].source = DUP(in->ref[i].source);
    }
    out->config = balloc(b, in->nconfig * sizeof(lf_vconfig), &oom);
    for (size_t i = 0; !oom && i < in->nconfig; i++) {
        const lf_vconfig *ic = &in->config[i];
        lf_vconfig *oc = &out->config[i];
        *oc = *ic;
        oc->node = balloc(b, ic->nnode * sizeof(lf_vnode), &oom);
        for (size_t j = 0; !oom && j < ic->nnode; j++) {
            const lf_vnode *in_n = &ic->node[j];
            lf_vnode *on = &oc->node[j];
            *on = *in_n;
            on->crit = balloc(b, in_n->ncrit * sizeof(lf_vcrit), &oom);
            for (size_t k = 0; !oom && k < in_n->ncrit; k++) {
                const lf_vcrit *icr = &in_n->crit[k];
                lf_vcrit *ocr = &on->crit[k];
                *ocr = *icr;
                ocr->cpe = DUP(icr->cpe);
                ocr->start = DUP(icr->start);
                ocr->end = DUP(icr->end);
                ocr->match_id = DUP(icr->match_id);
            }
        }
    }
#undef DUP
    return oom ? LF_ENOMEM : LF_OK;
}

static int builder_add(lf_vdb_builder *b, const lf_vdoc *doc, bool borrow, lf_put_result *res,
                       bool rejected, lf_err *err)
{
    if (!doc->doc_id || !doc->doc_id[0])
        return lf_err_set(err, LF_EINVAL, "document without an id");
    if ((b->nlive + 1) * 2 > b->nslots && slots_grow(b) != LF_OK)
        return lf_err_set(err, LF_ENOMEM, "out of memory growing the document table");
    size_t j = slot_find(b, doc->source, doc->doc_id);
    uint32_t have = b->slots[j];
    if (have) {
        lf_vdoc *old = &b->docs[have - 1];
        const char *om = old->modified ? old->modified : "";
        const char *nm = doc->modified ? doc->modified : "";
        int c = strcmp(nm, om);
        if (rejected) {
            if (c < 0) {
                *res = LF_PUT_STALE;
                return LF_OK;
            }
            /* remove: mark dead and re-insert the rest of the probe chain */
            b->live[have - 1] = 0;
            b->nlive--;
            b->slots[j] = 0;
            size_t mask = b->nslots - 1;
            for (size_t k = (j + 1) & mask; b->slots[k]; k = (k + 1) & mask) {
                uint32_t v = b->slots[k];
                b->slots[k] = 0;
                size_t t = slot_find(b, b->docs[v - 1].source, b->docs[v - 1].doc_id);
                b->slots[t] = v;
            }
            *res = LF_PUT_REMOVED;
            return LF_OK;
        }
        if (c < 0) {
            *res = LF_PUT_STALE;
            return LF_OK;
        }
        if (c == 0) {
            *res = LF_PUT_UNCHANGED;
            return LF_OK;
        }
        lf_vdoc copy;
        if (doc_copy(b, doc, &copy, borrow) != LF_OK)
            return lf_err_set(err, LF_ENOMEM, "out of memory copying %s", doc->doc_id);
        *old = copy;
        *res = LF_PUT_REPLACED;
        return LF_OK;
    }
    if (rejected) {
        *res = LF_PUT_REJECTED_NEW;
        return LF_OK;
    }
    if (b->ndocs == b->capdocs) {
        size_t nc = b->capdocs ? b->capdocs * 2 : 1024;
        lf_vdoc *nd = realloc(b->docs, nc * sizeof(*nd));
        if (!nd)
            return lf_err_set(err, LF_ENOMEM, "out of memory growing the document table");
        b->docs = nd;
        unsigned char *nl = realloc(b->live, nc);
        if (!nl)
            return lf_err_set(err, LF_ENOMEM, "out of memory growing the document table");
        b->live = nl;
        b->capdocs = nc;
    }
    if (doc_copy(b, doc, &b->docs[b->ndocs], borrow) != LF_OK)
        return lf_err_set(err, LF_ENOMEM, "out of memory copying %s", doc->doc_id);
    b->live[b->ndocs] = 1;
    b->slots[j] = (uint32_t)b->ndocs + 1;
    b->ndocs++;
    b->nlive++;
    *res = LF_PUT_ADDED;
    return LF_OK;
}

int lf_vdb_builder_put(lf_vdb_builder *b, const lf_vdoc *doc, bool rejected, lf_put_result *res,
                       lf_err *err)
{
    lf_put_result tmp;
    return builder_add(b, doc, false, res ? res : &tmp, rejected, err);
}

int lf_vdb_builder_set_kev(lf_vdb_builder *b, const lf_vkev *k, size_t n, const char *catalog_version,
                           lf_err *err)
{
    lf_vkev *nk = n ? calloc(n, sizeof(*nk)) : NULL;
    if (n && !nk)
        return lf_err_set(err, LF_ENOMEM, "out of memory for the KEV catalog");
    bool oom = false;
    for (size_t i = 0; i < n && !oom; i++) {
        nk[i].cve = bdup(b, k[i].cve, &oom);
        nk[i].date_added = bdup(b, k[i].date_added, &oom);
        nk[i].due_date = bdup(b, k[i].due_date, &oom);
        nk[i].required_action = bdup(b, k[i].required_action, &oom);
        nk[i].ransomware = bdup(b, k[i].ransomware, &oom);
        nk[i].name = bdup(b, k[i].name, &oom);
        nk[i].vendor = bdup(b, k[i].vendor, &oom);
        nk[i].product = bdup(b, k[i].product, &oom);
    }
    if (oom) {
        free(nk);
        return lf_err_set(err, LF_ENOMEM, "out of memory for the KEV catalog");
    }
    free(b->kev);
    b->kev = nk;
    b->nkev = n;
    snprintf(b->kev_version, sizeof(b->kev_version), "%s", catalog_version ? catalog_version : "");
    return LF_OK;
}

int lf_vdb_builder_load(lf_vdb_builder *b, const lf_vdb *db, lf_err *err)
{
    lf_arena tmp;
    lf_arena_init(&tmp, 1 << 16);
    int rc = LF_OK;
    for (size_t i = 0; i < db->ndoc; i++) {
        lf_vdoc d;
        lf_arena_reset(&tmp);
        rc = lf_vdb_doc(db, i, &tmp, &d);
        if (rc)
            break;
        lf_put_result res;
        /* arrays are copied into the builder arena; strings stay borrowed from the map */
        rc = builder_add(b, &d, true, &res, false, err);
        if (rc)
            break;
    }
    lf_arena_clear(&tmp);
    if (rc)
        return rc;
    if (db->nkev) {
        lf_vkev *k = calloc(db->nkev, sizeof(*k));
        if (!k)
            return lf_err_set(err, LF_ENOMEM, "out of memory loading KEV");
        for (size_t i = 0; i < db->nkev; i++) {
            const vx_kev *v = &db->kev[i];
            k[i] = (lf_vkev){vx_str(db, v->cve), vx_str(db, v->added), vx_str(db, v->due),
                             vx_str(db, v->action), vx_str(db, v->ransom), vx_str(db, v->name),
                             vx_str(db, v->vendor), vx_str(db, v->product)};
        }
        free(b->kev);
        b->kev = k;
        b->nkev = db->nkev;
        snprintf(b->kev_version, sizeof(b->kev_version), "%.*s", (int)sizeof db->hdr->kev_version,
                 db->hdr->kev_version);
    }
    return LF_OK;
}

/* ------------------------------------------------------------------- writer ---- */

/* Interning pool: identical byte strings are stored once. */
typedef struct pool {
    lf_buf data;
    uint32_t *slots;         /* offset of the entry, 0 = empty */
    uint32_t *hashes;
    size_t nslots, n;
    bool keys;               /* KEY pool: u16 length prefix; STR pool: NUL terminator */
} pool;

static int pool_init(pool *p, bool keys)
{
    memset(p, 0, sizeof(*p));
    lf_buf_init(&p->data, (size_t)UINT32_MAX - 1);
    p->keys = keys;
    p->nslots = 1 << 16;
    p->slots = calloc(p->nslots, sizeof(uint32_t));
    p->hashes = calloc(p->nslots, sizeof(uint32_t));
    if (!p->slots || !p->hashes)
        return LF_ENOMEM;
    /* offset 0: the empty string / the absent key */
    return lf_buf_append(&p->data, "\0\0", keys ? 2 : 1);
}

static void pool_clear(pool *p)
{
    lf_buf_clear(&p->data);
    free(p->slots);
    free(p->hashes);
}

static bool pool_eq(const pool *p, uint32_t off, const void *s, size_t n)
{
    const unsigned char *d = (const unsigned char *)p->data.data + off;
    if (p->keys) {
        size_t len = (size_t)d[0] | ((size_t)d[1] << 8);
        return len == n && memcmp(d + 2, s, n) == 0;
    }
    /* d[0..n] must lie inside the pool before memcmp may read it: a stored string that
     * runs to the end of the pool is shorter than n + 1 bytes and cannot be equal */
    if ((size_t)off + n >= p->data.len)
        return false;
    return memcmp(d, s, n) == 0 && d[n] == '\0';
}

static int pool_grow(pool *p)
{
    size_t nn = p->nslots * 2;
    uint32_t *ns = calloc(nn, sizeof(uint32_t)), *nh = calloc(nn, sizeof(uint32_t));
    if (!ns || !nh) {
        free(ns);
        free(nh);
        return LF_ENOMEM;
    }
    for (size_t i = 0; i < p->nslots; i++) {
        if (!p->slots[i])
            continue;
        size_t j = p->hashes[i] & (nn - 1);
        while (ns[j])
            j = (j + 1) & (nn - 1);
        ns[j] = p->slots[i];
        nh[j] = p->hashes[i];
    }
    free(p->slots);
    free(p->hashes);
    p->slots = ns;
    p->hashes = nh;
    p->nslots = nn;
    return LF_OK;
}

/* The pool's own hash (never stored in the file): eight bytes at a time, because the
 * writer interns millions of strings and byte-wise FNV was a tenth of the write. */
static uint32_t pool_hash(const void *p, size_t n) { return (uint32_t)lf_hash64(p, n); }

/* Returns the offset, 0 for absent/empty, UINT32_MAX on failure. */
static uint32_t pool_add(pool *p, const void *s, size_t n)
{
    if (!s || (!n && !p->keys))
        return 0;
    if (p->keys && n > 0xffff)
        n = 0xffff;
    if (!p->keys && n > 64) {
        /* long strings (descriptions, URLs) are nearly all distinct: storing them without
         * the hash probe halves the write time and costs little space */
        if (p->data.len > UINT32_MAX - n - 4)
            return UINT32_MAX;
        uint32_t off = (uint32_t)p->data.len;
        if (lf_buf_append(&p->data, s, n) || lf_buf_putc(&p->data, '\0'))
            return UINT32_MAX;
        return off;
    }
    uint32_t h = pool_hash(s, n);
    if ((p->n + 1) * 2 > p->nslots && pool_grow(p) != LF_OK)
        return UINT32_MAX;
    size_t mask = p->nslots - 1;
    size_t j = h & mask;
    while (p->slots[j]) {
        if (p->hashes[j] == h && pool_eq(p, p->slots[j], s, n))
            return p->slots[j];
        j = (j + 1) & mask;
    }
    if (p->data.len > UINT32_MAX - n - 4)
        return UINT32_MAX;
    uint32_t off = (uint32_t)p->data.len;
    int rc;
    if (p->keys) {
        unsigned char len[2] = {(unsigned char)(n & 0xff), (unsigned char)(n >> 8)};
        rc = lf_buf_append(&p->data, len, 2);
        if (!rc)
            rc = lf_buf_append(&p->data, s, n);
    } else {
        rc = lf_buf_append(&p->data, s, n);
        if (!rc)
            rc = lf_buf_putc(&p->data, '\0');
    }
    if (rc)
        return UINT32_MAX;
    p->slots[j] = off;
    p->hashes[j] = h;
    p->n++;
    return off;
}

/* A growable array of fixed-size records. */
typedef struct vec {
    unsigned char *p;
    size_t n, cap, size;
} vec;

static void *vec_push(vec *v)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 1024;
        unsigned char *np = realloc(v->p, nc * v->size);
        if (!np)
            return NULL;
        v->p = np;
        v->cap = nc;
    }
    void *r = v->p + v->n * v->size;
    memset(r, 0, v->size);
    v->n++;
    return r;
}

typedef struct writer {
    pool str, key;
    vec doc, metric, ref, cwe, config, node, crit, prod, prodhash, prodcrit, hintdoc, vuln,
        vulndoc, kev, extra, block, pcrit, drange;
    /* product map during the build: key string offset -> prod index + 1 */
    uint32_t *pslots;
    size_t npslots;
    bool oom;
} writer;

#define S(w, s) str_ref((w), (s))
static uint32_t str_ref(writer *w, const char *s)
{
    if (!s)
        return 0;
    uint32_t off = pool_add(&w->str, s, strlen(s));
    if (off == UINT32_MAX) {
        w->oom = true;
        return 0;
    }
    return off;
}

/* Strings known to be distinct (document ids) are appended without the
 * interning probe: they would only grow the table. */
static uint32_t str_raw(writer *w, const char *s)
{
    if (!s || !*s)
        return 0;
    size_t n = strlen(s);
    if (w->str.data.len > UINT32_MAX - n - 4) {
        w->oom = true;
        return 0;
    }
    uint32_t off = (uint32_t)w->str.data.len;
    if (lf_buf_append(&w->str.data, s, n + 1)) {
        w->oom = true;
        return 0;
    }
    return off;
}

static uint32_t key_ref(writer *w, const char *v)
{
    if (!v)
        return 0;
    unsigned char k[LF_VERSION_KEY_MAX];
    size_t n = lf_version_key(v, strlen(v), k, sizeof(k));
    if (n > sizeof(k))
        n = sizeof(k);
    uint32_t off = pool_add(&w->key, k, n);
    if (off == UINT32_MAX) {
        w->oom = true;
        return 0;
    }
    return off;
}

static int pmap_grow(writer *w)
{
    size_t nn = w->npslots ? w->npslots * 2 : 4096;
    uint32_t *ns = calloc(nn, sizeof(uint32_t));
    if (!ns)
        return LF_ENOMEM;
    const vx_prod *prods = (const vx_prod *)w->prod.p;
    for (size_t i = 0; i < w->prod.n; i++) {
        size_t j = prods[i].hash & (nn - 1);
        while (ns[j])
            j = (j + 1) & (nn - 1);
        ns[j] = (uint32_t)i + 1;
    }
    free(w->pslots);
    w->pslots = ns;
    w->npslots = nn;
    return LF_OK;
}

/* Product index for a key, created when new; UINT32_MAX on OOM. */
static uint32_t prod_get(writer *w, const char *key, size_t n, bool create)
{
    if ((w->prod.n + 1) * 2 > w->npslots && pmap_grow(w) != LF_OK)
        return UINT32_MAX;
    uint32_t h = lf_vx_hash(key, n);
    size_t mask = w->npslots - 1;
    size_t j = h & mask;
    vx_prod *prods = (vx_prod *)w->prod.p;
    while (w->pslots[j]) {
        vx_prod *p = &prods[w->pslots[j] - 1];
        if (p->hash == h && pool_eq(&w->str, p->key, key, n))
            return w->pslots[j] - 1;
        j = (j + 1) & mask;
    }
    if (!create)
        return UINT32_MAX - 1;
    uint32_t koff = pool_add(&w->str, key, n);
    vx_prod *p = vec_push(&w->prod);
    if (!p || koff == UINT32_MAX)
        return UINT32_MAX;
    p->key = koff;
    p->hash = h;
    w->pslots[j] = (uint32_t)w->prod.n;
    return (uint32_t)w->prod.n - 1;
}

static int cmp_doc_order(const void *a, const void *b)
{
    const lf_vdoc *x = *(const lf_vdoc *const *)a, *y = *(const lf_vdoc *const *)b;
    const char *xv = x->vuln_id ? x->vuln_id : x->doc_id, *yv = y->vuln_id ? y->vuln_id : y->doc_id;
    int c = strcmp(xv, yv);
    if (c)
        return c;
    if (x->source != y->source)
        return (int)x->source - (int)y->source;
    return strcmp(x->doc_id, y->doc_id);
}

static int cmp_kev(const void *a, const void *b)
{
    const lf_vkev *x = a, *y = b;
    return strcmp(x->cve ? x->cve : "", y->cve ? y->cve : "");
}

/* Criterion flags and product from its CPE. */
static int crit_prepare(writer *w, const lf_vcrit *c, vx_crit *out, lf_err *err)
{
    lf_cpe cpe;
    if (lf_cpe_parse(&cpe, c->cpe, strlen(c->cpe), err) != LF_OK)
        return LF_EPARSE;
    const char *vendor = lf_cpe_value(&cpe, LF_CPE_VENDOR);
    const char *product = lf_cpe_value(&cpe, LF_CPE_PRODUCT);
    const char *part = lf_cpe_value(&cpe, LF_CPE_PART);
    char key[LF_CPE_MAX + 8];
    int kn = lf_vx_prod_key(part ? part[0] : '*', vendor ? vendor : "*", vendor ? strlen(vendor) : 1,
                            product ? product : "*", product ? strlen(product) : 1, key, sizeof key);
    if (kn < 0)
        return lf_err_set(err, LF_ELIMIT, "criterion name too long");
    uint32_t p = prod_get(w, key, (size_t)kn, true);
    if (p == UINT32_MAX)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    out->prod = p;
    uint32_t f = c->vulnerable ? VXC_VULNERABLE : 0;
    int vk = lf_cpe_kind(&cpe, LF_CPE_VERSION);
    if (vk == LF_CPE_ANY)
        f |= VXC_VER_ANY;
    else if (vk == LF_CPE_NA)
        f |= VXC_VER_NA;
    else {
        char plain[LF_CPE_MAX];
        const char *wv = lf_cpe_value(&cpe, LF_CPE_VERSION);
        bool wild = false;
        for (const char *q = wv; *q; q++) {
            if (*q == '\\' && q[1]) {
                q++;
                continue;
            }
            if (*q == '*' || *q == '?')
                wild = true;
        }
        if (wild)
            f |= VXC_COMPLEX;
        else if (lf_cpe_plain(&cpe, LF_CPE_VERSION, plain, sizeof plain) >= 0)
            out->ver_key = key_ref(w, plain);
    }
    for (int a = LF_CPE_UPDATE; a < LF_CPE_NATTR; a++)
        if (lf_cpe_kind(&cpe, a) != LF_CPE_ANY)
            f |= VXC_COMPLEX;
    /* vendor/product wildcards never occur in NVD; if they do, the product key is the
     * literal pattern and only identical inventory names reach it (documented limit). */
    bool schemed = c->scheme >= LF_VS_DPKG && c->scheme < LF_VS_COUNT;
    if (c->start) {
        f |= VXC_HAS_START | (c->start_incl ? VXC_START_INCL : 0);
        out->start = S(w, c->start);
        out->start_key = schemed ? 0 : key_ref(w, c->start);
    }
    if (c->end) {
        f |= VXC_HAS_END | (c->end_incl ? VXC_END_INCL : 0);
        out->end = S(w, c->end);
        out->end_key = schemed ? 0 : key_ref(w, c->end);
    }
    if (c->scheme == LF_VS_UNORDERED)
        f |= VXC_UNORDERED;
    if (schemed) {
        f |= (uint32_t)c->scheme << VXC_SCHEME_SHIFT;
        out->ver_key = 0;   /* an exact version is compared under the scheme too */
        if (lf_cpe_kind(&cpe, LF_CPE_VERSION) == LF_CPE_VALUE)
            f |= VXC_COMPLEX;
    }
    if (f & VXC_COMPLEX) {
        vx_extra *x = vec_push(&w->extra);
        if (!x)
            return lf_err_set(err, LF_ENOMEM, "out of memory");
        for (int slot = 0; slot < 8; slot++) {
            int attr = slot == 0 ? LF_CPE_VERSION : LF_CPE_UPDATE + slot - 1;
            int k = lf_cpe_kind(&cpe, attr);
            x->kinds |= (uint32_t)k << (2 * slot);
            if (k == LF_CPE_VALUE)
                x->val[slot] = S(w, lf_cpe_value(&cpe, attr));
        }
        if (lf_cpe_kind(&cpe, LF_CPE_VERSION) == LF_CPE_VALUE && lf_cpe_kind(&cpe, LF_CPE_UPDATE) == LF_CPE_VALUE &&
            out->ver_key) {
            char pv[LF_CPE_MAX], pu[LF_CPE_MAX], both[2 * LF_CPE_MAX + 2];
            int a = lf_cpe_plain(&cpe, LF_CPE_VERSION, pv, sizeof pv);
            int b = lf_cpe_plain(&cpe, LF_CPE_UPDATE, pu, sizeof pu);
            if (a > 0 && b > 0) {
                snprintf(both, sizeof both, "%s %s", pv, pu);
                x->combo_key = key_ref(w, both);
            }
        }
        out->extra = (uint32_t)w->extra.n;
    }
    out->flags = f;
    out->cpe = S(w, c->cpe);
    out->match_id = S(w, c->match_id);   /* shared by every CVE using the criterion */
    return LF_OK;
}

/*
 * Version ranges stated in a description, for documents NVD has not analysed: the
 * common English forms of CVE descriptions ("before V", "prior to V", "V and earlier /
 * prior / older", "up to (and including) V", "A through B", "from A to B", "A.* before
 * B", "<= V", "< V"). The ranges of every product the text names are pooled: a
 * low-confidence hint is kept only when the item's version falls in one of them, and
 * a description with no recognisable range keeps every version (nothing is dropped on
 * a guess).
 */
#define PROSE_MAX_TOK 400
typedef struct ptok {
    char s[64];
} ptok;

static bool is_version_tok(const char *t)
{
    if ((t[0] == 'v' || t[0] == 'V') && t[1] >= '0' && t[1] <= '9')
        t++;
    if (!(t[0] >= '0' && t[0] <= '9'))
        return false;
    for (const char *q = t; *q; q++)
        if (*q == '.')
            return true;
    return strlen(t) <= 8;   /* "2024", "17": plain numbers as versions, not long ids */
}

/* "v2.0" -> "2.0"; a branch start "1.x" -> "1" (so 1.0 is inside "1.x through 1.5") */
static const char *prose_ver(const char *t, char *buf, size_t n)
{
    if (!t)
        return NULL;
    if ((t[0] == 'v' || t[0] == 'V') && t[1] >= '0' && t[1] <= '9')
        t++;
    size_t l = strlen(t);
    if (l > 2 && t[l - 2] == '.' && (t[l - 1] == 'x' || t[l - 1] == '*')) {
        snprintf(buf, n, "%.*s", (int)(l - 2), t);
        return buf;
    }
    return t;
}

static int add_drange(writer *w, vx_doc *xd, const char *start, bool sincl, const char *end, bool eincl)
{
    char sb[64], eb[64];
    start = prose_ver(start, sb, sizeof sb);
    end = prose_ver(end, eb, sizeof eb);
    vx_drange *r = vec_push(&w->drange);
    if (!r)
        return LF_ENOMEM;
    if (!xd->drange_n)
        xd->drange_first = (uint32_t)w->drange.n - 1;
    xd->drange_n++;
    if (start)
        r->start_key = key_ref(w, start);
    if (end)
        r->end_key = key_ref(w, end);
    r->flags = (sincl ? VXC_START_INCL : 0) | (eincl ? VXC_END_INCL : 0);
    return w->oom ? LF_ENOMEM : LF_OK;
}

static int prose_ranges(writer *w, const char *desc, vx_doc *xd)
{
    ptok *t = malloc(PROSE_MAX_TOK * sizeof(*t));
    if (!t)
        return LF_ENOMEM;
    size_t n = 0;
    const char *p = desc;
    while (*p && n < PROSE_MAX_TOK) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(' || *p == '"')
            p++;
        if (!*p)
            break;
        size_t len = 0;
        while (p[len] && p[len] != ' ' && p[len] != '\t' && p[len] != '\n' && p[len] != '\r')
            len++;
        size_t keep = len;
        while (keep && strchr(".,;:)\"", p[keep - 1]))
            keep--;
        if (keep >= sizeof t[n].s)
            keep = sizeof t[n].s - 1;
        for (size_t i = 0; i < keep; i++)
            t[n].s[i] = (char)tolower((unsigned char)p[i]);
        t[n].s[keep] = '\0';
        if (keep)
            n++;
        p += len;
    }
    int rc = LF_OK;
#define T(k) ((k) < n ? t[k].s : "")
    for (size_t i = 0; i < n && !rc; i++) {
        const char *a = T(i);
        if ((!strcmp(a, "before") || !strcmp(a, "<")) && is_version_tok(T(i + 1))) {
            /* "8.0.* before 8.0.30": the branch is the start */
            const char *prev = i ? T(i - 1) : "";
            size_t pl = strlen(prev);
            if (pl > 2 && prev[pl - 1] == '*' && prev[pl - 2] == '.' && is_version_tok(prev)) {
                char br[64];
                snprintf(br, sizeof br, "%.*s", (int)(pl - 2), prev);
                rc = add_drange(w, xd, br, true, T(i + 1), false);
            } else {
                rc = add_drange(w, xd, NULL, false, T(i + 1), false);
            }
        } else if (!strcmp(a, "prior") && !strcmp(T(i + 1), "to") && is_version_tok(T(i + 2))) {
            rc = add_drange(w, xd, NULL, false, T(i + 2), false);
        } else if (!strcmp(a, "<=") && is_version_tok(T(i + 1))) {
            rc = add_drange(w, xd, NULL, false, T(i + 1), true);
        } else if (is_version_tok(a) && (!strcmp(T(i + 1), "and") || !strcmp(T(i + 1), "or")) &&
                   (!strcmp(T(i + 2), "earlier") || !strcmp(T(i + 2), "prior") || !strcmp(T(i + 2), "older") ||
                    !strcmp(T(i + 2), "below") || !strcmp(T(i + 2), "lower"))) {
            rc = add_drange(w, xd, NULL, false, a, true);
        } else if (!strcmp(a, "through") && is_version_tok(T(i + 1))) {
            /* "A through B", or "Widget through 3.4" (every version up to 3.4) */
            const char *prev = i ? T(i - 1) : "";
            rc = add_drange(w, xd, is_version_tok(prev) ? prev : NULL, true, T(i + 1), true);
        } else if (!strcmp(a, "from") && is_version_tok(T(i + 1)) && !strcmp(T(i + 2), "to") &&
                   is_version_tok(T(i + 3))) {
            bool excl = strstr(T(i + 4), "exclusive") != NULL;
            rc = add_drange(w, xd, T(i + 1), true, T(i + 3), !excl);
        } else if (!strcmp(a, "up") && !strcmp(T(i + 1), "to")) {
            size_t k = i + 2;
            while (k < n && k < i + 5 && (!strcmp(T(k), "and") || !strcmp(T(k), "including")))
                k++;
            if (is_version_tok(T(k)))
                rc = add_drange(w, xd, NULL, false, T(k), true);
        }
    }
#undef T
    free(t);
    return rc;
}

/* Words of a description, lower-cased ASCII alnum runs, for product hints. */
typedef struct word {
    const char *s;
    size_t n;
} word;

static bool phrase_in(const word *wd, size_t nw, const char *name)
{
    /* name "http_server" matches consecutive words "http" "server" (also "-", "." split) */
    for (size_t i = 0; i < nw; i++) {
        const char *p = name;
        size_t k = i;
        for (;;) {
            size_t len = 0;
            while (p[len] && isalnum((unsigned char)p[len]))
                len++;
            if (len == 0 || k >= nw || wd[k].n != len || strncasecmp(wd[k].s, p, len) != 0)
                break;
            k++;
            p += len;
            while (*p && !isalnum((unsigned char)*p))
                p++;
            if (!*p)
                return true;
        }
    }
    return false;
}

/*
 * Hints for documents without applicability data (NVD's backlog): a product is hinted
 * when its name appears as a phrase in the description AND its vendor does too (or the
 * vendor equals the product). Precision first: a generic product word alone ("server")
 * never makes a hint. Findings from hints carry confidence "low".
 * Cost: one hash lookup per word window of up to 4 words, then a vendor check per
 * candidate, so the backlog of an NVD-size feed takes well under a second.
 */
typedef struct namepair {
    uint32_t h, prod;
} namepair;

static int cmp_namepair(const void *a, const void *b)
{
    const namepair *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->prod < y->prod ? -1 : (x->prod > y->prod);
}

static int build_hints(writer *w, lf_vdoc **docs, size_t nd, vec *pairs)
{
    word *wd = NULL;
    size_t cap = 0;
    int rc = LF_OK;
    const vx_prod *prods = (const vx_prod *)w->prod.p;
    size_t nprod = w->prod.n;
    namepair *names = malloc((nprod ? nprod : 1) * sizeof(*names));
    if (!names)
        return LF_ENOMEM;
    for (size_t p = 0; p < nprod; p++) {
        const char *k = w->str.data.data + prods[p].key;
        const char *c1 = strchr(k, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        const char *name = c2 ? c2 + 1 : k;
        names[p].h = lf_vx_hash(name, strlen(name));
        names[p].prod = (uint32_t)p;
    }
    qsort(names, nprod, sizeof(*names), cmp_namepair);
    /* hash -> first index in names: one probe per word window instead of a binary
     * search (the backlog scan tries millions of windows at NVD scale) */
    size_t nslot = 16;
    while (nslot < nprod * 2)
        nslot *= 2;
    uint32_t *slot_h = calloc(nslot, sizeof(uint32_t)), *slot_i = calloc(nslot, sizeof(uint32_t));
    if (!slot_h || !slot_i) {
        free(slot_h);
        free(slot_i);
        free(names);
        return LF_ENOMEM;
    }
    for (size_t k = 0; k < nprod; k++) {
        if (k && names[k].h == names[k - 1].h)
            continue;
        size_t j = names[k].h & (nslot - 1);
        while (slot_i[j])
            j = (j + 1) & (nslot - 1);
        slot_h[j] = names[k].h;
        slot_i[j] = (uint32_t)k + 1;
    }
    for (size_t i = 0; i < nd; i++) {
        const lf_vdoc *d = docs[i];
        if (d->nconfig || !d->description || !d->description[0])
            continue;
        size_t nw = 0;
        const char *s = d->description;
        while (*s) {
            while (*s && !isalnum((unsigned char)*s))
                s++;
            if (!*s)
                break;
            const char *st = s;
            while (*s && isalnum((unsigned char)*s))
                s++;
            if (nw == cap) {
                size_t nc = cap ? cap * 2 : 256;
                word *nwd = realloc(wd, nc * sizeof(*wd));
                if (!nwd) {
                    rc = LF_ENOMEM;
                    goto out;
                }
                wd = nwd;
                cap = nc;
            }
            wd[nw].s = st;
            wd[nw].n = (size_t)(s - st);
            nw++;
        }
        for (size_t a = 0; a < nw; a++) {
            char pname[256];
            size_t pl = 0;
            for (size_t len = 1; len <= 4 && a + len <= nw; len++) {
                const word *x = &wd[a + len - 1];
                if (pl + x->n + 2 > sizeof pname)
                    break;
                if (len > 1)
                    pname[pl++] = '_';
                for (size_t q = 0; q < x->n; q++)
                    pname[pl++] = (char)tolower((unsigned char)x->s[q]);
                pname[pl] = '\0';
                uint32_t h = lf_vx_hash(pname, pl);
                size_t lo = nprod;
                for (size_t j = h & (nslot - 1); slot_i[j]; j = (j + 1) & (nslot - 1))
                    if (slot_h[j] == h) {
                        lo = slot_i[j] - 1;
                        break;
                    }
                for (size_t c = lo; c < nprod && names[c].h == h; c++) {
                    const char *k = w->str.data.data + prods[names[c].prod].key;
                    const char *c1 = strchr(k, ':');
                    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                    if (!c2 || strcmp(c2 + 1, pname) != 0)
                        continue;
                    char vendor[256];
                    size_t vl = (size_t)(c2 - c1 - 1);
                    if (vl >= sizeof vendor)
                        continue;
                    memcpy(vendor, c1 + 1, vl);
                    vendor[vl] = '\0';
                    if (strcmp(vendor, pname) != 0 && !phrase_in(wd, nw, vendor))
                        continue;
                    uint32_t *pair = vec_push(pairs);
                    if (!pair) {
                        rc = LF_ENOMEM;
                        goto out;
                    }
                    pair[0] = names[c].prod;
                    pair[1] = (uint32_t)i;
                }
            }
        }
    }
out:
    free(slot_h);
    free(slot_i);
    free(wd);
    free(names);
    return rc;
}

static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    if (x[1] != y[1])
        return x[1] < y[1] ? -1 : 1;
    return 0;
}

typedef struct ivl {
    const unsigned char *s, *e;
    uint32_t soff, eoff;
    uint16_t sl, el;
    uint8_t sneg, epos;
    uint32_t crit;
} ivl;

static int cmp_ivl(const void *a, const void *b)
{
    const ivl *x = a, *y = b;
    if (x->sneg != y->sneg)
        return x->sneg ? -1 : 1;
    if (!x->sneg) {
        int c = vx_keycmp(x->s, x->sl, y->s, y->sl);
        if (c)
            return c;
    }
    if (x->epos != y->epos)
        return x->epos ? 1 : -1;
    if (!x->epos) {
        int c = vx_keycmp(x->e, x->el, y->e, y->el);
        if (c)
            return c;
    }
    return x->crit < y->crit ? -1 : (x->crit > y->crit);
}

static void key_at(const writer *w, uint32_t off, const unsigned char **p, uint16_t *len)
{
    const unsigned char *k = (const unsigned char *)w->key.data.data + off;
    *len = (uint16_t)(k[0] | (k[1] << 8));
    *p = k + 2;
}

static int build_blocks(writer *w)
{
    vx_prod *prods = (vx_prod *)w->prod.p;
    vx_crit *crits = (vx_crit *)w->crit.p;
    uint32_t *pc = (uint32_t *)w->prodcrit.p;
    ivl *tmp = NULL;
    size_t cap = 0;
    for (size_t p = 0; p < w->prod.n; p++) {
        vx_prod *pr = &prods[p];
        size_t n = pr->crit_n;
        pr->block_first = (uint32_t)w->block.n;
        pr->block_n = 0;
        if (!n)
            continue;
        if (n > cap) {
            ivl *nt = realloc(tmp, n * sizeof(*nt));
            if (!nt) {
                free(tmp);
                return LF_ENOMEM;
            }
            tmp = nt;
            cap = n;
        }
        for (size_t k = 0; k < n; k++) {
            const vx_crit *c = &crits[pc[pr->crit_first + k]];
            ivl *v = &tmp[k];
            memset(v, 0, sizeof(*v));
            v->crit = pc[pr->crit_first + k];
            bool unbounded = (c->flags & (VXC_VER_NA | VXC_UNORDERED | VXC_SCHEME_MASK)) ||
                             (!(c->flags & VXC_VER_ANY) && !c->ver_key) ||
                             ((c->flags & VXC_VER_ANY) && !(c->flags & (VXC_HAS_START | VXC_HAS_END)));
            if (unbounded) {
                v->sneg = v->epos = 1;
            } else if (c->ver_key) {
                v->soff = v->eoff = c->ver_key;
                /* "version update" written as one sorts after the bare version: the
                 * interval reaches it so pruning never skips the combined form */
                if (c->extra) {
                    uint32_t ck = ((const vx_extra *)w->extra.p)[c->extra - 1].combo_key;
                    if (ck) {
                        const unsigned char *a1, *b1;
                        uint16_t al, bl;
                        key_at(w, ck, &a1, &al);
                        key_at(w, c->ver_key, &b1, &bl);
                        v->eoff = vx_keycmp(a1, al, b1, bl) > 0 ? ck : c->ver_key;
                        if (vx_keycmp(a1, al, b1, bl) < 0)
                            v->soff = ck;
                    }
                }
            } else {
                if (c->flags & VXC_HAS_START)
                    v->soff = c->start_key;
                else
                    v->sneg = 1;
                if (c->flags & VXC_HAS_END)
                    v->eoff = c->end_key;
                else
                    v->epos = 1;
            }
            if (!v->sneg)
                key_at(w, v->soff, &v->s, &v->sl);
            if (!v->epos)
                key_at(w, v->eoff, &v->e, &v->el);
        }
        qsort(tmp, n, sizeof(*tmp), cmp_ivl);
        for (size_t k = 0; k < n; k++)
            pc[pr->crit_first + k] = tmp[k].crit;
        for (size_t b0 = 0; b0 < n; b0 += VX_BLOCK) {
            vx_block *bl = vec_push(&w->block);
            if (!bl) {
                free(tmp);
                return LF_ENOMEM;
            }
            size_t b1 = b0 + VX_BLOCK < n ? b0 + VX_BLOCK : n;
            if (tmp[b0].sneg)
                bl->flags |= VXB_START_NEG_INF;
            else
                bl->start_key = tmp[b0].soff;
            const ivl *best = NULL;
            for (size_t k = b0; k < b1; k++) {
                if (tmp[k].epos) {
                    bl->flags |= VXB_END_POS_INF;
                    break;
                }
                if (!best || vx_keycmp(tmp[k].e, tmp[k].el, best->e, best->el) > 0)
                    best = &tmp[k];
            }
            if (!(bl->flags & VXB_END_POS_INF) && best)
                bl->max_end_key = best->eoff;
            pr->block_n++;
        }
    }
    free(tmp);
    return LF_OK;
}

static int write_all(lf_atomic *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f->f) == n ? LF_OK : LF_EIO;
}

int lf_vdb_builder_write(lf_vdb_builder *b, const char *path, lf_err *err)
{
    writer w;
    memset(&w, 0, sizeof(w));
    lf_vdoc **docs = NULL;
    uint32_t *crit_count = NULL;
    vec pairs = {.size = 2 * sizeof(uint32_t)};
    int rc = LF_OK;
    lf_atomic af = {0};
    bool af_open = false;

    w.doc.size = sizeof(vx_doc);
    w.metric.size = sizeof(vx_metric);
    w.ref.size = sizeof(vx_ref);
    w.cwe.size = sizeof(uint32_t);
    w.config.size = sizeof(vx_config);
    w.node.size = sizeof(vx_node);
    w.crit.size = sizeof(vx_crit);
    w.prod.size = sizeof(vx_prod);
    w.prodhash.size = sizeof(uint32_t);
    w.prodcrit.size = sizeof(uint32_t);
    w.hintdoc.size = sizeof(uint32_t);
    w.vuln.size = sizeof(vx_vuln);
    w.vulndoc.size = sizeof(uint32_t);
    w.kev.size = sizeof(vx_kev);
    w.extra.size = sizeof(vx_extra);
    w.block.size = sizeof(vx_block);
    w.pcrit.size = sizeof(vx_pcrit);
    w.drange.size = sizeof(vx_drange);
    if (pool_init(&w.str, false) || pool_init(&w.key, true)) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }

    /* documents in (vuln_id, source, doc_id) order: deterministic output */
    docs = malloc((b->nlive ? b->nlive : 1) * sizeof(*docs));
    if (!docs) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    size_t nd = 0;
    for (size_t i = 0; i < b->ndocs; i++)
        if (b->live[i])
            docs[nd++] = &b->docs[i];
    qsort(docs, nd, sizeof(*docs), cmp_doc_order);

    if (b->nkev)
        qsort(b->kev, b->nkev, sizeof(*b->kev), cmp_kev);
    uint64_t digest = 1469598103934665603ull;
    size_t kev_i = 0;
    for (size_t i = 0; i < nd; i++) {
        const lf_vdoc *d = docs[i];
        const char *vid = d->vuln_id ? d->vuln_id : d->doc_id;
        digest = fnv64(digest, &d->source, sizeof(d->source));
        digest = fnv64(digest, d->doc_id, strlen(d->doc_id) + 1);
        digest = fnv64(digest, d->modified ? d->modified : "", strlen(d->modified ? d->modified : "") + 1);
        vx_vuln *vu = w.vuln.n ? (vx_vuln *)(w.vuln.p + (w.vuln.n - 1) * w.vuln.size) : NULL;
        if (!vu || strcmp(w.str.data.data + vu->vuln_id, vid) != 0) {
            vu = vec_push(&w.vuln);
            if (!vu)
                goto oom;
            vu->vuln_id = S(&w, vid);
            vu->doc_first = (uint32_t)w.vulndoc.n;
            /* KEV listing by id (both sorted) */
            while (kev_i < b->nkev && strcmp(b->kev[kev_i].cve ? b->kev[kev_i].cve : "", vid) < 0)
                kev_i++;
            if (kev_i < b->nkev && strcmp(b->kev[kev_i].cve ? b->kev[kev_i].cve : "", vid) == 0)
                vu->kev = (uint32_t)kev_i + 1;
        }
        uint32_t *vd = vec_push(&w.vulndoc);
        if (!vd)
            goto oom;
        *vd = (uint32_t)i;
        vu->doc_n++;

        vx_doc *xd = vec_push(&w.doc);
        if (!xd)
            goto oom;
        xd->doc_id = str_raw(&w, d->doc_id);
        xd->vuln_id = S(&w, vid);
        xd->published = S(&w, d->published);
        xd->modified = S(&w, d->modified);
        xd->status = S(&w, d->status);
        xd->description = S(&w, d->description);
        xd->kev_added = S(&w, d->kev_added);
        xd->kev_due = S(&w, d->kev_due);
        xd->kev_action = S(&w, d->kev_action);
        xd->kev_name = S(&w, d->kev_name);
        xd->authority = S(&w, d->authority);
        xd->source = (uint32_t)d->source;
        xd->vuln = (uint32_t)w.vuln.n - 1;
        xd->metric_first = (uint32_t)w.metric.n;
        xd->metric_n = (uint32_t)d->nmetric;
        for (size_t k = 0; k < d->nmetric; k++) {
            vx_metric *m = vec_push(&w.metric);
            if (!m)
                goto oom;
            m->source = S(&w, d->metric[k].source);
            m->vector = S(&w, d->metric[k].vector);
            m->version = (uint8_t)d->metric[k].version;
            m->primary = d->metric[k].primary;
            m->severity = (uint8_t)d->metric[k].severity;
            m->score10 = (uint32_t)d->metric[k].score10;
        }
        xd->ref_first = (uint32_t)w.ref.n;
        xd->ref_n = (uint32_t)d->nref;
        for (size_t k = 0; k < d->nref; k++) {
            vx_ref *r = vec_push(&w.ref);
            if (!r)
                goto oom;
            r->url = S(&w, d->ref[k].url);
            r->source = S(&w, d->ref[k].source);
            r->tags = d->ref[k].tags;
        }
        xd->cwe_first = (uint32_t)w.cwe.n;
        xd->cwe_n = (uint32_t)d->ncwe;
        for (size_t k = 0; k < d->ncwe; k++) {
            uint32_t *c = vec_push(&w.cwe);
            if (!c)
                goto oom;
            *c = S(&w, d->cwe[k]);
        }
        if (!d->nconfig && d->description && prose_ranges(&w, d->description, xd) != LF_OK)
            goto oom;
        xd->config_first = (uint32_t)w.config.n;
        xd->config_n = (uint32_t)d->nconfig;
        for (size_t k = 0; k < d->nconfig; k++) {
            const lf_vconfig *c = &d->config[k];
            vx_config *xc = vec_push(&w.config);
            if (!xc)
                goto oom;
            xc->doc = (uint32_t)i;
            xc->op_and = (c->op_and ? VXF_AND : 0) | (c->not_affected ? VXF_NOT_AFFECTED : 0);
            xc->node_first = (uint32_t)w.node.n;
            xc->node_n = (uint32_t)c->nnode;
            uint32_t config_idx = (uint32_t)w.config.n - 1;
            for (size_t m = 0; m < c->nnode; m++) {
                const lf_vnode *n = &c->node[m];
                vx_node *xn = vec_push(&w.node);
                if (!xn)
                    goto oom;
                xn->config = config_idx;
                xn->flags = (n->op_and ? VXN_AND : 0) | (n->negate ? VXN_NEGATE : 0);
                xn->crit_first = (uint32_t)w.crit.n;
                xn->crit_n = (uint32_t)n->ncrit;
                uint32_t node_idx = (uint32_t)w.node.n - 1;
                for (size_t q = 0; q < n->ncrit; q++) {
                    vx_crit *xc2 = vec_push(&w.crit);
                    if (!xc2)
                        goto oom;
                    xc2->node = node_idx;
                    xc2->doc = (uint32_t)i;
                    lf_err cerr;
                    lf_err_clear(&cerr);
                    if (crit_prepare(&w, &n->crit[q], xc2, &cerr) != LF_OK) {
                        if (cerr.code == LF_ENOMEM)
                            goto oom;
                        /* feed readers validate criteria; one that slipped through is kept
                         * with its text (so a rewrite loses nothing) but can never match */
                        xc2->prod = UINT32_MAX;
                        xc2->cpe = S(&w, n->crit[q].cpe);
                        xc2->start = S(&w, n->crit[q].start);
                        xc2->end = S(&w, n->crit[q].end);
                        xc2->match_id = S(&w, n->crit[q].match_id);
                        xc2->flags = (n->crit[q].vulnerable ? VXC_VULNERABLE : 0) |
                                     (n->crit[q].start ? VXC_HAS_START : 0) |
                                     (n->crit[q].start_incl ? VXC_START_INCL : 0) |
                                     (n->crit[q].end ? VXC_HAS_END : 0) | (n->crit[q].end_incl ? VXC_END_INCL : 0);
                    }
                }
            }
        }
        if (w.oom)
            goto oom;
    }
    for (size_t k = 0; k < b->nkev; k++) {
        const lf_vkev *kv = &b->kev[k];
        vx_kev *xk = vec_push(&w.kev);
        if (!xk)
            goto oom;
        xk->cve = S(&w, kv->cve);
        xk->added = S(&w, kv->date_added);
        xk->due = S(&w, kv->due_date);
        xk->action = S(&w, kv->required_action);
        xk->ransom = S(&w, kv->ransomware);
        xk->name = S(&w, kv->name);
        xk->vendor = S(&w, kv->vendor);
        xk->product = S(&w, kv->product);
        digest = fnv64(digest, kv->cve ? kv->cve : "", strlen(kv->cve ? kv->cve : ""));
        digest = fnv64(digest, kv->due_date ? kv->due_date : "", strlen(kv->due_date ? kv->due_date : ""));
    }
    if (w.oom)
        goto oom;

    /* product -> criteria (counting sort keeps doc order inside a product) */
    crit_count = calloc(w.prod.n + 1, sizeof(uint32_t));
    if (!crit_count)
        goto oom;
    vx_crit *crits = (vx_crit *)w.crit.p;
    const vx_node *nodes = (const vx_node *)w.node.p;
    const vx_config *cfgs = (const vx_config *)w.config.p;
#define IN_TABLE(k) (crits[k].prod != UINT32_MAX && !(cfgs[nodes[crits[k].node].config].op_and & VXF_NOT_AFFECTED))
    for (size_t k = 0; k < w.crit.n; k++)
        if (IN_TABLE(k))
            crit_count[crits[k].prod]++;
    vx_prod *prods = (vx_prod *)w.prod.p;
    uint32_t acc = 0;
    for (size_t p = 0; p < w.prod.n; p++) {
        prods[p].crit_first = acc;
        acc += crit_count[p];
        crit_count[p] = prods[p].crit_first;
    }
    for (size_t k = 0; k < acc; k++)
        if (!vec_push(&w.prodcrit))
            goto oom;
    uint32_t *pc = (uint32_t *)w.prodcrit.p;
    for (size_t k = 0; k < w.crit.n; k++) {
        if (!IN_TABLE(k))
            continue;
#undef IN_TABLE
        uint32_t p = crits[k].prod;
        pc[crit_count[p]++] = (uint32_t)k;
        prods[p].crit_n++;
    }

    /* order each product's criteria by version interval and cut them into blocks */
    if (build_blocks(&w) != LF_OK)
        goto oom;

    for (size_t k = 0; k < w.prodcrit.n; k++) {
        vx_pcrit *hp = vec_push(&w.pcrit);
        if (!hp)
            goto oom;
        const vx_crit *c = &((vx_crit *)w.crit.p)[((uint32_t *)w.prodcrit.p)[k]];
        const vx_node *n = &((vx_node *)w.node.p)[c->node];
        const vx_config *cf = &((vx_config *)w.config.p)[n->config];
        const vx_doc *d = &((vx_doc *)w.doc.p)[c->doc];
        uint32_t f = c->flags;
        if (cf->node_n == 1 && !(n->flags & (VXN_AND | VXN_NEGATE)))
            f |= VXC_TRIVIAL;
        *hp = (vx_pcrit){((uint32_t *)w.prodcrit.p)[k], f, c->start_key, c->end_key, c->ver_key,
                         c->extra, c->doc, c->node, d->vuln, n->config - d->config_first};
    }

    /* hints for documents without configurations */
    if (build_hints(&w, docs, nd, &pairs) != LF_OK)
        goto oom;
    prods = (vx_prod *)w.prod.p;
    if (pairs.n)
        qsort(pairs.p, pairs.n, pairs.size, cmp_pair);
    {
        const uint32_t *pp = (const uint32_t *)pairs.p;
        for (size_t k = 0; k < pairs.n; k++) {
            if (k && pp[2 * k] == pp[2 * (k - 1)] && pp[2 * k + 1] == pp[2 * (k - 1) + 1])
                continue;
            vx_prod *p = &prods[pp[2 * k]];
            if (!p->hint_n)
                p->hint_first = (uint32_t)w.hintdoc.n;
            uint32_t *hd = vec_push(&w.hintdoc);
            if (!hd)
                goto oom;
            *hd = pp[2 * k + 1];
            p->hint_n++;
        }
    }

    /* final product hash table, power of two, load <= 0.5 */
    size_t nh = 16;
    while (nh < w.prod.n * 2)
        nh *= 2;
    for (size_t k = 0; k < nh; k++)
        if (!vec_push(&w.prodhash))
            goto oom;
    uint32_t *ph = (uint32_t *)w.prodhash.p;
    for (size_t k = 0; k < w.prod.n; k++) {
        size_t j = prods[k].hash & (nh - 1);
        while (ph[j])
            j = (j + 1) & (nh - 1);
        ph[j] = (uint32_t)k + 1;
    }

    /* header and sections */
    vx_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, LFVX_MAGIC, 8);
    h.version = LFVX_VERSION;
    h.nsec = LFVX_NSEC;
    h.digest = digest;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(h.built, sizeof h.built, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(h.kev_version, sizeof h.kev_version, "%s", b->kev_version);
    struct {
        const void *p;
        size_t bytes, count;
    } secs[LFVX_NSEC] = {
        [LFVX_SEC_STR] = {w.str.data.data, w.str.data.len, w.str.data.len},
        [LFVX_SEC_KEY] = {w.key.data.data, w.key.data.len, w.key.data.len},
#define V(name, v) [name] = {(v).p, (v).n * (v).size, (v).n}
        V(LFVX_SEC_DOC, w.doc), V(LFVX_SEC_METRIC, w.metric), V(LFVX_SEC_REF, w.ref),
        V(LFVX_SEC_CWE, w.cwe), V(LFVX_SEC_CONFIG, w.config), V(LFVX_SEC_NODE, w.node),
        V(LFVX_SEC_CRIT, w.crit), V(LFVX_SEC_PROD, w.prod), V(LFVX_SEC_PRODHASH, w.prodhash),
        V(LFVX_SEC_PRODCRIT, w.prodcrit), V(LFVX_SEC_HINTDOC, w.hintdoc), V(LFVX_SEC_VULN, w.vuln),
        V(LFVX_SEC_VULNDOC, w.vulndoc), V(LFVX_SEC_KEV, w.kev), V(LFVX_SEC_EXTRA, w.extra),
        V(LFVX_SEC_BLOCK, w.block), V(LFVX_SEC_PCRIT, w.pcrit), V(LFVX_SEC_DRANGE, w.drange),
#undef V
    };
    uint64_t off = (sizeof h + 7) & ~(uint64_t)7;
    for (int s = 0; s < LFVX_NSEC; s++) {
        h.sec[s].offset = off;
        h.sec[s].bytes = secs[s].bytes;
        h.sec[s].count = secs[s].count;
        off += (secs[s].bytes + 7) & ~(uint64_t)7;
    }
    if ((rc = lf_atomic_open(&af, path, err)) != LF_OK)
        goto fail;
    af_open = true;
    static const char zeros[8] = {0};
    rc = write_all(&af, &h, sizeof h);
    if (!rc)
        rc = write_all(&af, zeros, ((sizeof h + 7) & ~(size_t)7) - sizeof h);
    for (int s = 0; !rc && s < LFVX_NSEC; s++) {
        if (secs[s].bytes)
            rc = write_all(&af, secs[s].p, secs[s].bytes);
        if (!rc)
            rc = write_all(&af, zeros, ((secs[s].bytes + 7) & ~(size_t)7) - secs[s].bytes);
    }
    if (rc) {
        lf_err_at(err, path, 0, 0, NULL);
        rc = lf_err_set(err, LF_EIO, "write failed");
        goto fail;
    }
    af_open = false;
    rc = lf_atomic_commit(&af, err);
    goto done;
oom:
    rc = lf_err_set(err, LF_ENOMEM, "out of memory writing the index");
fail:
    if (af_open)
        lf_atomic_abort(&af);
done:
    pool_clear(&w.str);
    pool_clear(&w.key);
    free(w.doc.p);
    free(w.metric.p);
    free(w.ref.p);
    free(w.cwe.p);
    free(w.config.p);
    free(w.node.p);
    free(w.crit.p);
    free(w.prod.p);
    free(w.prodhash.p);
    free(w.prodcrit.p);
    free(w.hintdoc.p);
    free(w.vuln.p);
    free(w.vulndoc.p);
    free(w.kev.p);
    free(w.extra.p);
    free(w.block.p);
    free(w.pcrit.p);
    free(w.drange.p);
    free(w.pslots);
    free(pairs.p);
    free(crit_count);
    free(docs);
    return rc;
}

/* ------------------------------------------------------------------- reader ---- */

/* A key offset is 0 (none) or a whole key inside the KEY section. */
static bool key_ok(const lf_vdb *db, uint32_t off)
{
    if (!off)
        return true;
    if (off >= db->key_len || db->key_len - off < 2)
        return false;
    size_t n = (size_t)db->key[off] | ((size_t)db->key[off + 1] << 8);
    return n <= db->key_len - off - 2;
}

int lf_vdb_open(const char *path, lf_vdb **out, lf_err *err)
{
    *out = NULL;
    lf_vdb *db = calloc(1, sizeof(*db));
    if (!db)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc = lf_map_open(&db->map, path, err);
    if (rc) {
        free(db);
        return rc;
    }
    const vx_header *h = (const vx_header *)db->map.data;
    if (db->map.len < sizeof(*h) || memcmp(h->magic, LFVX_MAGIC, 8) != 0) {
        rc = LF_ECORRUPT;
        lf_err_set(err, rc, "not a lianfang index (bad magic)");
        goto fail;
    }
    if (h->version != LFVX_VERSION || h->nsec != LFVX_NSEC) {
        rc = LF_ECORRUPT;
        lf_err_set(err, rc, "index format version %u, this build reads %u: re-import the feeds",
                   h->version, LFVX_VERSION);
        goto fail;
    }
    static const size_t recsize[LFVX_NSEC] = {
        [LFVX_SEC_STR] = 1, [LFVX_SEC_KEY] = 1, [LFVX_SEC_DOC] = sizeof(vx_doc),
        [LFVX_SEC_METRIC] = sizeof(vx_metric), [LFVX_SEC_REF] = sizeof(vx_ref),
        [LFVX_SEC_CWE] = 4, [LFVX_SEC_CONFIG] = sizeof(vx_config), [LFVX_SEC_NODE] = sizeof(vx_node),
        [LFVX_SEC_CRIT] = sizeof(vx_crit), [LFVX_SEC_PROD] = sizeof(vx_prod),
        [LFVX_SEC_PRODHASH] = 4, [LFVX_SEC_PRODCRIT] = 4, [LFVX_SEC_HINTDOC] = 4,
        [LFVX_SEC_VULN] = sizeof(vx_vuln), [LFVX_SEC_VULNDOC] = 4, [LFVX_SEC_KEV] = sizeof(vx_kev),
        [LFVX_SEC_EXTRA] = sizeof(vx_extra), [LFVX_SEC_BLOCK] = sizeof(vx_block),
        [LFVX_SEC_PCRIT] = sizeof(vx_pcrit), [LFVX_SEC_DRANGE] = sizeof(vx_drange),
    };
    const void *ptr[LFVX_NSEC];
    for (int s = 0; s < LFVX_NSEC; s++) {
        const vx_section *sec = &h->sec[s];
        if (sec->offset > db->map.len || sec->bytes > db->map.len - sec->offset ||
            sec->count * recsize[s] != sec->bytes || (sec->offset & 7) || sec->count > UINT32_MAX) {
            rc = LF_ECORRUPT;
            lf_err_set(err, rc, "index section %d out of bounds: truncated or corrupt file", s);
            goto fail;
        }
        ptr[s] = db->map.data + sec->offset;
    }
    db->hdr = h;
    db->str = ptr[LFVX_SEC_STR];
    db->str_len = h->sec[LFVX_SEC_STR].bytes;
    if (db->str_len == 0 || db->str[db->str_len - 1] != '\0') {
        rc = LF_ECORRUPT;
        lf_err_set(err, rc, "index string pool is corrupt");
        goto fail;
    }
    db->key = ptr[LFVX_SEC_KEY];
    db->key_len = h->sec[LFVX_SEC_KEY].bytes;
#define SET(field, nfield, s, type) db->field = (const type *)ptr[s]; db->nfield = h->sec[s].count
    SET(doc, ndoc, LFVX_SEC_DOC, vx_doc);
    SET(metric, nmetric, LFVX_SEC_METRIC, vx_metric);
    SET(ref, nref, LFVX_SEC_REF, vx_ref);
    SET(cwe, ncwe, LFVX_SEC_CWE, uint32_t);
    SET(config, nconfig, LFVX_SEC_CONFIG, vx_config);
    SET(node, nnode, LFVX_SEC_NODE, vx_node);
    SET(crit, ncrit, LFVX_SEC_CRIT, vx_crit);
    SET(prod, nprod, LFVX_SEC_PROD, vx_prod);
    SET(prodhash, nprodhash, LFVX_SEC_PRODHASH, uint32_t);
    SET(prodcrit, nprodcrit, LFVX_SEC_PRODCRIT, uint32_t);
    SET(hintdoc, nhintdoc, LFVX_SEC_HINTDOC, uint32_t);
    SET(vuln, nvuln, LFVX_SEC_VULN, vx_vuln);
    SET(vulndoc, nvulndoc, LFVX_SEC_VULNDOC, uint32_t);
    SET(kev, nkev, LFVX_SEC_KEV, vx_kev);
    SET(extra, nextra, LFVX_SEC_EXTRA, vx_extra);
    SET(block, nblock, LFVX_SEC_BLOCK, vx_block);
    SET(drange, ndrange, LFVX_SEC_DRANGE, vx_drange);
    db->pcrit = (const vx_pcrit *)ptr[LFVX_SEC_PCRIT];
    if (h->sec[LFVX_SEC_PCRIT].count != db->nprodcrit)
        goto corrupt;
#undef SET
    if (db->nprodhash & (db->nprodhash - 1)) {
        rc = LF_ECORRUPT;
        lf_err_set(err, rc, "index product table is corrupt");
        goto fail;
    }
    /* Cross-references are trusted only after this check, so a corrupt file gives an
     * error, never an out-of-bounds read in the matcher. */
    for (size_t i = 0; i < db->ndoc; i++) {
        const vx_doc *d = &db->doc[i];
        if ((uint64_t)d->metric_first + d->metric_n > db->nmetric ||
            (uint64_t)d->ref_first + d->ref_n > db->nref || (uint64_t)d->cwe_first + d->cwe_n > db->ncwe ||
            (uint64_t)d->config_first + d->config_n > db->nconfig || d->vuln >= db->nvuln ||
            (uint64_t)d->drange_first + d->drange_n > db->ndrange)
            goto corrupt;
    }
    for (size_t i = 0; i < db->nconfig; i++)
        if ((uint64_t)db->config[i].node_first + db->config[i].node_n > db->nnode || db->config[i].doc >= db->ndoc)
            goto corrupt;
    for (size_t i = 0; i < db->nnode; i++)
        if ((uint64_t)db->node[i].crit_first + db->node[i].crit_n > db->ncrit || db->node[i].config >= db->nconfig)
            goto corrupt;
    for (size_t i = 0; i < db->ncrit; i++)
        if (db->crit[i].node >= db->nnode || db->crit[i].doc >= db->ndoc ||
            (db->crit[i].prod >= db->nprod && db->crit[i].prod != UINT32_MAX) ||
            db->crit[i].extra > db->nextra || (!db->crit[i].extra && (db->crit[i].flags & VXC_COMPLEX)))
            goto corrupt;
    for (size_t i = 0; i < db->nprod; i++)
        if ((uint64_t)db->prod[i].crit_first + db->prod[i].crit_n > db->nprodcrit ||
            (uint64_t)db->prod[i].hint_first + db->prod[i].hint_n > db->nhintdoc ||
            (uint64_t)db->prod[i].block_first + db->prod[i].block_n > db->nblock ||
            (uint64_t)db->prod[i].block_n * VX_BLOCK < db->prod[i].crit_n)
            goto corrupt;
    for (size_t i = 0; i < db->nblock; i++)
        if (!key_ok(db, db->block[i].start_key) || !key_ok(db, db->block[i].max_end_key))
            goto corrupt;
    for (size_t i = 0; i < db->ncrit; i++)
        if (!key_ok(db, db->crit[i].start_key) || !key_ok(db, db->crit[i].end_key) ||
            !key_ok(db, db->crit[i].ver_key))
            goto corrupt;
    for (size_t i = 0; i < db->nextra; i++)
        if (!key_ok(db, db->extra[i].combo_key))
            goto corrupt;
    for (size_t i = 0; i < db->ndrange; i++)
        if (!key_ok(db, db->drange[i].start_key) || !key_ok(db, db->drange[i].end_key))
            goto corrupt;
    for (size_t i = 0; i < db->nprodhash; i++)
        if (db->prodhash[i] > db->nprod)
            goto corrupt;
    for (size_t i = 0; i < db->nprodcrit; i++) {
        const vx_pcrit *pc = &db->pcrit[i];
        if (!key_ok(db, pc->start_key) || !key_ok(db, pc->end_key) || !key_ok(db, pc->ver_key))
            goto corrupt;
        if (db->prodcrit[i] >= db->ncrit || pc->crit != db->prodcrit[i] || pc->doc >= db->ndoc ||
            pc->node >= db->nnode || pc->vuln >= db->nvuln ||
            pc->extra > db->nextra || (!pc->extra && (pc->flags & VXC_COMPLEX)))
            goto corrupt;
    }
    for (size_t i = 0; i < db->nhintdoc; i++)
        if (db->hintdoc[i] >= db->ndoc)
            goto corrupt;
    for (size_t i = 0; i < db->nvuln; i++)
        if ((uint64_t)db->vuln[i].doc_first + db->vuln[i].doc_n > db->nvulndoc || db->vuln[i].kev > db->nkev)
            goto corrupt;
    for (size_t i = 0; i < db->nvulndoc; i++)
        if (db->vulndoc[i] >= db->ndoc)
            goto corrupt;
    *out = db;
    return LF_OK;
corrupt:
    rc = LF_ECORRUPT;
    lf_err_set(err, rc, "index cross-references are corrupt: re-import the feeds");
fail:
    lf_err_at(err, path, 0, 0, NULL);
    lf_map_close(&db->map);
    free(db);
    return rc;
}

void lf_vdb_close(lf_vdb *db)
{
    if (!db)
        return;
    lf_map_close(&db->map);
    free(db);
}

void lf_vdb_get_stats(const lf_vdb *db, lf_vdb_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->docs = db->ndoc;
    st->vulns = db->nvuln;
    st->configs = db->nconfig;
    st->nodes = db->nnode;
    st->crits = db->ncrit;
    st->products = db->nprod;
    st->refs = db->nref;
    st->metrics = db->nmetric;
    st->kev = db->nkev;
    st->file_bytes = db->map.len;
    st->digest = db->hdr->digest;
    snprintf(st->kev_version, sizeof st->kev_version, "%.*s", (int)sizeof db->hdr->kev_version,
             db->hdr->kev_version);
    snprintf(st->built, sizeof st->built, "%.*s", (int)sizeof db->hdr->built, db->hdr->built);
    for (size_t i = 0; i < db->ndoc; i++) {
        if (db->doc[i].source < LF_SRC_COUNT)
            st->docs_by_source[db->doc[i].source]++;
        if (!db->doc[i].config_n)
            st->docs_without_config++;
    }
    for (size_t v = 0; v < db->nvuln; v++) {
        const vx_vuln *vu = &db->vuln[v];
        bool crit = false, seen[LF_SRC_COUNT] = {false};
        for (uint32_t k = 0; k < vu->doc_n; k++) {
            const vx_doc *d = &db->doc[db->vulndoc[vu->doc_first + k]];
            crit = crit || d->config_n;
            if (d->source < LF_SRC_COUNT && !seen[d->source]) {
                seen[d->source] = true;
                st->vulns_by_source[d->source]++;
            }
        }
        if (!crit)
            st->vulns_without_criteria++;
    }
}

bool lf_vdb_has_product(const lf_vdb *db, const lf_cpe *c)
{
    const char *part = lf_cpe_value(c, LF_CPE_PART);
    const char *vendor = lf_cpe_value(c, LF_CPE_VENDOR);
    const char *product = lf_cpe_value(c, LF_CPE_PRODUCT);
    if (!part || !vendor || !product)
        return false;
    char key[LF_CPE_MAX + 8];
    int kn = lf_vx_prod_key(part[0], vendor, c->len[LF_CPE_VENDOR], product, c->len[LF_CPE_PRODUCT], key, sizeof key);
    return kn >= 0 && lf_vx_find_prod(db, key, (size_t)kn, lf_vx_hash(key, (size_t)kn)) != UINT32_MAX;
}

size_t lf_vdb_ndocs(const lf_vdb *db)
{
    return db->ndoc;
}

static const char *nz(const lf_vdb *db, uint32_t off)
{
    return off ? vx_str(db, off) : NULL;
}

int lf_vdb_doc_head(const lf_vdb *db, size_t i, lf_vdoc *out)
{
    if (i >= db->ndoc)
        return LF_ENOTFOUND;
    const vx_doc *d = &db->doc[i];
    memset(out, 0, sizeof(*out));
    out->source = (lf_source)d->source;
    out->doc_id = vx_str(db, d->doc_id);
    out->vuln_id = vx_str(db, d->vuln_id);
    out->published = nz(db, d->published);
    out->modified = nz(db, d->modified);
    out->status = nz(db, d->status);
    out->authority = nz(db, d->authority);
    return LF_OK;
}

int lf_vdb_doc(const lf_vdb *db, size_t i, lf_arena *a, lf_vdoc *out)
{
    return lf_vdb_doc_parts(db, i, LF_VDOC_ALL, a, out);
}

int lf_vdb_doc_parts(const lf_vdb *db, size_t i, unsigned parts, lf_arena *a, lf_vdoc *out)
{
    int rc = lf_vdb_doc_head(db, i, out);
    if (rc)
        return rc;
    const vx_doc *d = &db->doc[i];
    out->description = nz(db, d->description);
    out->kev_added = nz(db, d->kev_added);
    out->kev_due = nz(db, d->kev_due);
    out->kev_action = nz(db, d->kev_action);
    out->kev_name = nz(db, d->kev_name);
    out->nmetric = (parts & LF_VDOC_METRICS) ? d->metric_n : 0;
    out->ncwe = (parts & LF_VDOC_CWES) ? d->cwe_n : 0;
    out->nref = (parts & LF_VDOC_REFS) ? d->ref_n : 0;
    out->nconfig = (parts & LF_VDOC_CONFIGS) ? d->config_n : 0;
    out->metric = out->nmetric ? lf_arena_alloc(a, out->nmetric * sizeof(lf_vmetric)) : NULL;
    out->cwe = out->ncwe ? lf_arena_alloc(a, out->ncwe * sizeof(char *)) : NULL;
    out->ref = out->nref ? lf_arena_alloc(a, out->nref * sizeof(lf_vref)) : NULL;
    out->config = out->nconfig ? lf_arena_alloc(a, out->nconfig * sizeof(lf_vconfig)) : NULL;
    if ((out->nmetric && !out->metric) || (out->ncwe && !out->cwe) || (out->nref && !out->ref) ||
        (out->nconfig && !out->config))
        return LF_ENOMEM;
    for (size_t k = 0; k < out->nmetric; k++) {
        const vx_metric *m = &db->metric[d->metric_first + k];
        out->metric[k] = (lf_vmetric){vx_str(db, m->source), m->primary, (lf_cvss_version)m->version,
                                      (int)m->score10, (lf_cvss_severity)m->severity, vx_str(db, m->vector)};
    }
    for (size_t k = 0; k < out->ncwe; k++)
        out->cwe[k] = vx_str(db, db->cwe[d->cwe_first + k]);
    for (size_t k = 0; k < out->nref; k++) {
        const vx_ref *r = &db->ref[d->ref_first + k];
        out->ref[k] = (lf_vref){vx_str(db, r->url), nz(db, r->source), r->tags};
    }
    for (size_t k = 0; k < out->nconfig; k++) {
        const vx_config *c = &db->config[d->config_first + k];
        lf_vconfig *oc = &out->config[k];
        oc->op_and = (c->op_and & VXF_AND) != 0;
        oc->not_affected = (c->op_and & VXF_NOT_AFFECTED) != 0;
        oc->nnode = c->node_n;
        oc->node = c->node_n ? lf_arena_alloc(a, c->node_n * sizeof(lf_vnode)) : NULL;
        if (c->node_n && !oc->node)
            return LF_ENOMEM;
        for (size_t m = 0; m < c->node_n; m++) {
            const vx_node *n = &db->node[c->node_first + m];
            lf_vnode *on = &oc->node[m];
            on->op_and = (n->flags & VXN_AND) != 0;
            on->negate = (n->flags & VXN_NEGATE) != 0;
            on->ncrit = n->crit_n;
            on->crit = n->crit_n ? lf_arena_alloc(a, n->crit_n * sizeof(lf_vcrit)) : NULL;
            if (n->crit_n && !on->crit)
                return LF_ENOMEM;
            for (size_t q = 0; q < n->crit_n; q++) {
                const vx_crit *cr = &db->crit[n->crit_first + q];
                on->crit[q] = (lf_vcrit){
                    .vulnerable = (cr->flags & VXC_VULNERABLE) != 0,
                    .cpe = vx_str(db, cr->cpe),
                    .start = (cr->flags & VXC_HAS_START) ? vx_str(db, cr->start) : NULL,
                    .start_incl = (cr->flags & VXC_START_INCL) != 0,
                    .end = (cr->flags & VXC_HAS_END) ? vx_str(db, cr->end) : NULL,
                    .end_incl = (cr->flags & VXC_END_INCL) != 0,
                    .scheme = (cr->flags & VXC_SCHEME_MASK) ? VXC_SCHEME(cr->flags)
                              : (cr->flags & VXC_UNORDERED) ? LF_VS_UNORDERED : LF_VS_GENERIC,
                    .match_id = nz(db, cr->match_id),
                };
            }
        }
    }
    return LF_OK;
}

size_t lf_vdb_vuln_docs(const lf_vdb *db, uint32_t vuln, uint32_t *idx, size_t cap)
{
    if (vuln >= db->nvuln)
        return 0;
    const vx_vuln *v = &db->vuln[vuln];
    for (size_t k = 0; k < v->doc_n && k < cap; k++)
        idx[k] = db->vulndoc[v->doc_first + k];
    return v->doc_n;
}

size_t lf_vdb_find_vuln(const lf_vdb *db, const char *vuln_id, uint32_t *idx, size_t cap)
{
    size_t lo = 0, hi = db->nvuln;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(vx_str(db, db->vuln[mid].vuln_id), vuln_id);
        if (c == 0)
            return lf_vdb_vuln_docs(db, (uint32_t)mid, idx, cap);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const lf_vkev *lf_vdb_kev(const lf_vdb *db, const char *cve, lf_vkev *tmp)
{
    size_t lo = 0, hi = db->nkev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const vx_kev *k = &db->kev[mid];
        int c = strcmp(vx_str(db, k->cve), cve);
        if (c == 0) {
            *tmp = (lf_vkev){vx_str(db, k->cve), vx_str(db, k->added), vx_str(db, k->due),
                             vx_str(db, k->action), vx_str(db, k->ransom), vx_str(db, k->name),
                             vx_str(db, k->vendor), vx_str(db, k->product)};
            return tmp;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
