/*
 * arena: bump allocator (see arena.h).
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

struct lf_arena_block {
    lf_arena_block *prev;
    size_t size;
    size_t used;
    max_align_t data[];
};

void lf_arena_init(lf_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->total = 0;
}

void lf_arena_clear(lf_arena *a)
{
    lf_arena_block *b = a->head;
    while (b) {
        lf_arena_block *p = b->prev;
        free(b);
        b = p;
    }
    a->head = NULL;
    a->total = 0;
}

void lf_arena_reset(lf_arena *a)
{
    lf_arena_block *b = a->head;
    if (!b)
        return;
    /* keep the oldest block: it is the one of default size */
    while (b->prev) {
        lf_arena_block *p = b->prev;
        free(b);
        b = p;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void *lf_arena_alloc(lf_arena *a, size_t n)
{
    size_t need = (n + 7) & ~(size_t)7;
    if (need < n)
        return NULL;
    lf_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t sz = a->block_size;
        if (need > sz / 4)
            sz = need; /* big objects get a block of their own */
        lf_arena_block *nb = malloc(sizeof(*nb) + sz);
        if (!nb)
            return NULL;
        nb->size = sz;
        nb->used = 0;
        if (b && need == sz && b->size - b->used > need / 2) {
            /* keep bump-allocating from the current block; chain the big one behind it */
            nb->prev = b->prev;
            b->prev = nb;
            nb->used = need;
            a->total += need;
            return (char *)nb->data;
        }
        nb->prev = b;
        a->head = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

void *lf_arena_calloc(lf_arena *a, size_t n)
{
    void *p = lf_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *lf_arena_strndup(lf_arena *a, const char *s, size_t n)
{
    char *p = lf_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *lf_arena_strdup(lf_arena *a, const char *s)
{
    return lf_arena_strndup(a, s, strlen(s));
}

int lf_arena_grow(lf_arena *a, void **p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return LF_OK;
    size_t nc = *cap ? *cap * 2 : 8;
    void *np = lf_arena_alloc(a, nc * elem);
    if (!np)
        return LF_ENOMEM;
    if (n)
        memcpy(np, *p, n * elem);
    *p = np;
    *cap = nc;
    return LF_OK;
}
