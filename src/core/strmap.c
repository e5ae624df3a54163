/*
 * strmap: open addressing with linear probing, kept at most half full.
 */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"

/* lf_hash64 folded: eight bytes a step. FNV-1a byte by byte was a fifth of an upload's
 * matcher thread once keys were ~1 KB texts (a match batch's sources, server/rematch.c). */
uint32_t lf_strmap_hash(const char *s, size_t n)
{
    uint64_t h64 = lf_hash64(s, n);
    uint32_t h = (uint32_t)(h64 ^ (h64 >> 32));
    return h ? h : 1;
}

void lf_strmap_reset(lf_strmap *m)
{
    if (m->cap)
        memset(m->s, 0, m->cap * sizeof *m->s);
    m->n = 0;
}

void lf_strmap_clear(lf_strmap *m)
{
    free(m->s);
    m->s = NULL;
    m->cap = m->n = 0;
}

lf_strmap_slot *lf_strmap_find(const lf_strmap *m, const char *k, size_t n)
{
    if (!m->cap)
        return NULL;
    uint32_t h = lf_strmap_hash(k, n);
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        lf_strmap_slot *s = &m->s[i];
        if (!s->k)
            return NULL;
        if (s->h == h && s->n == n && memcmp(s->k, k, n) == 0)
            return s;
    }
}

int lf_strmap_put(lf_strmap *m, lf_arena *a, const char *k, size_t n, uint32_t v, lf_strmap_slot **out,
                  bool *existing)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 256;
        lf_strmap_slot *ns = calloc(nc, sizeof(*ns));
        if (!ns)
            return LF_ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->s[i].k)
                continue;
            size_t j = m->s[i].h & (nc - 1);
            while (ns[j].k)
                j = (j + 1) & (nc - 1);
            ns[j] = m->s[i];
        }
        free(m->s);
        m->s = ns;
        m->cap = nc;
    }
    uint32_t h = lf_strmap_hash(k, n);
    size_t i = h & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        lf_strmap_slot *s = &m->s[i];
        if (!s->k)
            break;
        if (s->h == h && s->n == n && memcmp(s->k, k, n) == 0) {
            *existing = true;
            *out = s;
            return LF_OK;
        }
    }
    char *kc = lf_arena_strndup(a, k, n);
    if (!kc)
        return LF_ENOMEM;
    m->s[i] = (lf_strmap_slot){kc, (uint32_t)n, h, v};
    m->n++;
    *existing = false;
    *out = &m->s[i];
    return LF_OK;
}
