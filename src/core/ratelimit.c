/* ratelimit: failures per key in a window, then a block (see ratelimit.h). */
#include "core/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

typedef struct rl_entry {
    uint64_t h;                 /* 0 = free */
    unsigned count;
    int64_t start;              /* the window's first failure */
    int64_t until;              /* blocked before this time; 0 = not blocked */
} rl_entry;

struct lf_ratelimit {
    lf_ratelimit_opts o;
    pthread_mutex_t mu;
    rl_entry *e;
};

int lf_ratelimit_new(const lf_ratelimit_opts *o, lf_ratelimit **out, lf_err *err)
{
    *out = NULL;
    if (!o || !o->max_failures || o->window_s <= 0 || o->block_s <= 0 || !o->cap)
        return lf_err_set(err, LF_EINVAL, "rate limit: failures, window, block and size must be > 0");
    lf_ratelimit *r = calloc(1, sizeof *r);
    if (!r || !(r->e = calloc(o->cap, sizeof *r->e))) {
        free(r);
        return lf_err_set(err, LF_ENOMEM, "rate limit: out of memory");
    }
    r->o = *o;
    pthread_mutex_init(&r->mu, NULL);
    *out = r;
    return LF_OK;
}

void lf_ratelimit_free(lf_ratelimit *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    free(r->e);
    free(r);
}

static uint64_t key_hash(const char *key)
{
    uint64_t h = lf_hash64(key, strlen(key));
    return h ? h : 1;           /* 0 marks a free entry */
}

/* an entry that no longer counts: its window and its block are over */
static bool lapsed(const lf_ratelimit *r, const rl_entry *x, int64_t now)
{
    return !x->h || (x->until <= now && x->start + r->o.window_s <= now);
}

static rl_entry *find(lf_ratelimit *r, uint64_t h)
{
    for (size_t i = 0; i < r->o.cap; i++)
        if (r->e[i].h == h)
            return &r->e[i];
    return NULL;
}

/* the entry to reuse for a new key (see the header for the order) */
static rl_entry *victim(lf_ratelimit *r, int64_t now)
{
    rl_entry *old_free = NULL, *old_any = NULL;
    for (size_t i = 0; i < r->o.cap; i++) {
        rl_entry *x = &r->e[i];
        if (lapsed(r, x, now))
            return x;
        if (x->until <= now && (!old_free || x->start < old_free->start))
            old_free = x;
        if (!old_any || x->start < old_any->start)
            old_any = x;
    }
    return old_free ? old_free : old_any;
}

bool lf_ratelimit_blocked(lf_ratelimit *r, const char *key, int64_t now, int64_t *retry_after)
{
    pthread_mutex_lock(&r->mu);
    rl_entry *x = find(r, key_hash(key));
    int64_t left = x && x->until > now ? x->until - now : 0;
    pthread_mutex_unlock(&r->mu);
    if (retry_after)
        *retry_after = left > 0 ? left : 0;
    return left > 0;
}

bool lf_ratelimit_fail(lf_ratelimit *r, const char *key, int64_t now)
{
    uint64_t h = key_hash(key);
    pthread_mutex_lock(&r->mu);
    rl_entry *x = find(r, h);
    if (x && lapsed(r, x, now))
        x->h = 0;               /* a new window */
    if (!x)
        x = victim(r, now);
    if (x->h != h)
        *x = (rl_entry){h, 0, now, 0};
    bool block = false;
    if (x->until <= now && ++x->count >= r->o.max_failures) {
        /* the count restarts after a block, as the store's account lockout does */
        x->until = now + r->o.block_s;
        x->count = 0;
        x->start = now;
        block = true;
    }
    pthread_mutex_unlock(&r->mu);
    return block;
}

void lf_ratelimit_reset(lf_ratelimit *r, const char *key)
{
    pthread_mutex_lock(&r->mu);
    rl_entry *x = find(r, key_hash(key));
    if (x)
        memset(x, 0, sizeof *x);
    pthread_mutex_unlock(&r->mu);
}
