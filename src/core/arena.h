/*
 * arena: a bump allocator for data that dies together (one parsed document, one
 * request, one import batch). Allocation is a pointer bump inside large blocks, so
 * building a JSON tree or a record costs no malloc per node, and freeing is one call.
 *
 * Ownership: lf_arena_init/lf_arena_clear bracket the caller-owned struct; every
 * pointer returned by lf_arena_alloc/_strdup stays valid until lf_arena_clear or
 * lf_arena_reset. Allocation failure returns NULL (never aborts).
 */
#ifndef LF_CORE_ARENA_H
#define LF_CORE_ARENA_H

#include <stddef.h>

typedef struct lf_arena_block lf_arena_block;

typedef struct lf_arena {
    lf_arena_block *head;   /* current block (linked to older ones) */
    size_t block_size;      /* default size of new blocks */
    size_t total;           /* bytes handed out, for statistics */
} lf_arena;

void lf_arena_init(lf_arena *a, size_t block_size); /* 0 = 64 KiB */
void lf_arena_clear(lf_arena *a);                   /* frees every block */
/* Keep the first block, drop the rest, so a loop can reuse one arena cheaply. */
void lf_arena_reset(lf_arena *a);
/* Grow an array *p of *cap elements of elem bytes, n of them in use, so that one more
 * fits: doubled into a new arena block (the old block is left behind; arenas free all
 * at once). LF_OK or LF_ENOMEM. */
int lf_arena_grow(lf_arena *a, void **p, size_t *cap, size_t n, size_t elem);

void *lf_arena_alloc(lf_arena *a, size_t n);        /* 8-byte aligned; NULL on OOM */
void *lf_arena_calloc(lf_arena *a, size_t n);
char *lf_arena_strndup(lf_arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *lf_arena_strdup(lf_arena *a, const char *s);

#endif
