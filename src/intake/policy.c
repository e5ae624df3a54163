/*
 * policy: banned and non-official software lists (see policy.h). Every record is checked,
 * so entries are indexed: by vendor, by vendor:product, and by folded name (a name key
 * is looked up whole and at each word boundary), each map pointing at a chain of entries.
 */
#include "intake/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/strmap.h"

typedef struct entry {
    lf_policy_hit hit;
    int match;                /* 0 vendor, 1 product, 2 name */
    const char *v1, *v2;      /* vendor / product plain, or the folded name */
    size_t n2;
    uint32_t next;            /* next entry with the same key, UINT32_MAX at the end */
} entry;

struct lf_policy {
    lf_arena a;
    entry *e;
    size_t n, cap;
    lf_strmap by[3];          /* vendor; "vendor\x1fproduct"; folded name */
};

int lf_policy_new(lf_policy **out, lf_err *err)
{
    lf_policy *p = calloc(1, sizeof(*p));
    if (!p)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    lf_arena_init(&p->a, 0);
    *out = p;
    return LF_OK;
}

void lf_policy_free(lf_policy *p)
{
    if (!p)
        return;
    free(p->e);
    for (int i = 0; i < 3; i++)
        lf_strmap_clear(&p->by[i]);
    lf_arena_clear(&p->a);
    free(p);
}

size_t lf_policy_count(const lf_policy *p)
{
    return p->n;
}

static void warn_line(lf_namedb_warn_fn warn, void *ud, const char *path, long line, const char *msg)
{
    if (!warn)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, path, line, 0, NULL);
    warn(ud, &e);
}

static char *unquote(lf_arena *a, const char *s, size_t n)
{
    char *o = lf_arena_alloc(a, n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        o[k++] = s[i];
    }
    o[k] = '\0';
    return o;
}

static int load(lf_policy *p, lf_norm *norm, const char *path, lf_policy_kind kind, lf_namedb_warn_fn warn,
                void *ud, lf_err *err)
{
    char *data;
    size_t len;
    int rc = lf_file_read(path, (size_t)16 << 20, &data, &len, err);
    if (rc)
        return rc;
    long line = 0;
    size_t pos = 0;
    while (pos < len) {
        char *s = data + pos;
        char *nl = memchr(s, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - s) : len - pos;
        pos += l + (nl ? 1 : 0);
        line++;
        if (l && s[l - 1] == '\r')
            l--;
        s[l] = '\0';
        if (line == 1 && l >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        if (!*s || *s == '#')
            continue;
        char *f[4] = {0};
        int nf = 0;
        f[nf++] = s;
        for (char *c = s; *c && nf < 4; c++)
            if (*c == '\t') {
                *c = '\0';
                f[nf++] = c + 1;
            }
        /* banned: match value reason; unofficial: category match value note */
        const char *cat = kind == LF_POLICY_BANNED ? "banned" : f[0];
        const char *m = kind == LF_POLICY_BANNED ? f[0] : f[1];
        const char *v = kind == LF_POLICY_BANNED ? f[1] : f[2];
        const char *why = kind == LF_POLICY_BANNED ? f[2] : f[3];
        if (!m || !v || !*v || !*cat) {
            warn_line(warn, ud, path, line,
                      kind == LF_POLICY_BANNED ? "expected match, value and reason separated by tabs"
                                               : "expected category, match, value and note separated by tabs");
            continue;
        }
        entry e = {0};
        if (strcmp(m, "vendor") == 0) {
            e.match = 0;
            e.v1 = unquote(&p->a, v, strlen(v));
        } else if (strcmp(m, "product") == 0) {
            const char *colon = NULL;
            for (const char *c = v; *c; c++) {
                if (*c == '\\' && c[1]) {
                    c++;
                    continue;
                }
                if (*c == ':') {
                    colon = c;
                    break;
                }
            }
            /* "a:vendor:product" or "vendor:product" */
            if (colon && colon - v == 1 && (v[0] == 'a' || v[0] == 'o' || v[0] == 'h')) {
                v = colon + 1;
                colon = strchr(v, ':');
            }
            if (!colon) {
                warn_line(warn, ud, path, line, "a product entry is vendor:product");
                continue;
            }
            e.match = 1;
            e.v1 = unquote(&p->a, v, (size_t)(colon - v));
            e.v2 = unquote(&p->a, colon + 1, strlen(colon + 1));
        } else if (strcmp(m, "name") == 0) {
            lf_norm_result r;
            char key[512];
            if (lf_norm_name(norm, v, strlen(v), &r, err)) {
                free(data);
                return err ? err->code : LF_EPARSE;
            }
            size_t kn = lf_norm_key(&r, LF_NORM_KEY_FULL, key, sizeof key);
            if (!kn) {
                warn_line(warn, ud, path, line, "the name has no words once folded");
                continue;
            }
            e.match = 2;
            e.v2 = lf_arena_strndup(&p->a, key, kn);
            e.n2 = kn;
        } else {
            warn_line(warn, ud, path, line, "match must be vendor, product or name");
            continue;
        }
        e.hit.kind = kind;
        e.hit.category = lf_arena_strdup(&p->a, cat);
        e.hit.match = e.match == 0 ? "vendor" : e.match == 1 ? "product" : "name";
        e.hit.value = lf_arena_strdup(&p->a, v);
        e.hit.reason = lf_arena_strdup(&p->a, why ? why : "");
        if (!e.hit.category || !e.hit.value || !e.hit.reason || (e.match < 2 && !e.v1) || (e.match == 1 && !e.v2))
            goto oom;
        if (p->n == p->cap) {
            size_t nc = p->cap ? p->cap * 2 : 128;
            entry *ne = realloc(p->e, nc * sizeof(*ne));
            if (!ne)
                goto oom;
            p->e = ne;
            p->cap = nc;
        }
        char key[600];
        int kn = e.match == 0   ? snprintf(key, sizeof key, "%s", e.v1)
                 : e.match == 1 ? snprintf(key, sizeof key, "%s\x1f%s", e.v1, e.v2)
                                : snprintf(key, sizeof key, "%s", e.v2);
        if (kn <= 0 || (size_t)kn >= sizeof key) {
            warn_line(warn, ud, path, line, "the entry is too long");
            continue;
        }
        lf_strmap_slot *sl;
        bool ex;
        if (lf_strmap_put(&p->by[e.match], &p->a, key, (size_t)kn, (uint32_t)p->n, &sl, &ex))
            goto oom;
        e.next = ex ? sl->v : UINT32_MAX;
        if (ex)
            sl->v = (uint32_t)p->n;     /* chain: newest first, each points at the older */
        p->e[p->n++] = e;
    }
    free(data);
    return LF_OK;
oom:
    free(data);
    return lf_err_set(err, LF_ENOMEM, "out of memory loading %s", path);
}

int lf_policy_load_dir(lf_policy *p, lf_norm *norm, const char *dir, lf_namedb_warn_fn warn, void *ud, lf_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/banned.tsv", dir);
    if (lf_file_exists(path)) {
        int rc = load(p, norm, path, LF_POLICY_BANNED, warn, ud, err);
        if (rc)
            return rc;
    }
    snprintf(path, sizeof path, "%s/unofficial.tsv", dir);
    if (lf_file_exists(path)) {
        int rc = load(p, norm, path, LF_POLICY_UNOFFICIAL, warn, ud, err);
        if (rc)
            return rc;
    }
    return LF_OK;
}

static size_t add_hits(const lf_policy *p, const lf_strmap_slot *sl, lf_policy_hit *hits, size_t max, size_t k)
{
    for (uint32_t i = sl ? sl->v : UINT32_MAX; i != UINT32_MAX; i = p->e[i].next) {
        const entry *e = &p->e[i];
        /* one flag per category and reason: "BitTorrent" by name and by vendor is one */
        bool dup = false;
        for (size_t j = 0; j < k && j < max && !dup; j++)
            dup = strcmp(hits[j].category, e->hit.category) == 0 && strcmp(hits[j].reason, e->hit.reason) == 0;
        if (dup)
            continue;
        if (k < max)
            hits[k] = e->hit;
        k++;
    }
    return k;
}

size_t lf_policy_check(const lf_policy *p, const char *vendor, const char *product, const char *name_key,
                       lf_policy_hit *hits, size_t max)
{
    size_t k = 0;
    if (vendor && *vendor) {
        k = add_hits(p, lf_strmap_find(&p->by[0], vendor, strlen(vendor)), hits, max, k);
        if (product && *product) {
            char key[600];
            int kn = snprintf(key, sizeof key, "%s\x1f%s", vendor, product);
            if (kn > 0 && (size_t)kn < sizeof key)
                k = add_hits(p, lf_strmap_find(&p->by[1], key, (size_t)kn), hits, max, k);
        }
    }
    if (name_key && *name_key && p->by[2].n) {
        /* the whole name key, and each run of its first words */
        size_t nl = strlen(name_key);
        for (size_t i = 1; i <= nl; i++)
            if (i == nl || name_key[i] == ' ')
                k = add_hits(p, lf_strmap_find(&p->by[2], name_key, i), hits, max, k);
    }
    return k;
}
