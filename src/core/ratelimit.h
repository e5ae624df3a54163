/*
 * ratelimit: counts failures per key (a client address, a login name) in a fixed window and
 * blocks the key for a while once it has too many; what the login endpoint uses on top of
 * the store's per-account lockout, so that guessing from one address, or against logins that
 * do not exist, is slowed the same way (an unknown login answers exactly like a known one).
 *
 * Bounded memory: `cap` entries keyed by a 64-bit hash of the key, scanned linearly (a
 * login costs an argon2id hash, milliseconds; a scan of a few thousand entries is
 * microseconds). When every entry is in use, a lapsed one is reused first, then the oldest
 * that is not blocking, then the oldest: a flood of keys can make blocks end early, never
 * block a key that did not fail. Thread-safe (one mutex). Times are the caller's (Unix
 * seconds), so tests can move them.
 */
#ifndef LF_CORE_RATELIMIT_H
#define LF_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct lf_ratelimit lf_ratelimit;

typedef struct lf_ratelimit_opts {
    unsigned max_failures;      /* failures within window_s that block the key */
    int64_t window_s;           /* counting window, from the key's first failure */
    int64_t block_s;            /* how long a block lasts */
    size_t cap;                 /* keys tracked at most */
} lf_ratelimit_opts;

/* LF_EINVAL for a zero field, LF_ENOMEM. */
int lf_ratelimit_new(const lf_ratelimit_opts *o, lf_ratelimit **out, lf_err *err);
void lf_ratelimit_free(lf_ratelimit *r);

/* Whether key is blocked at now; *retry_after (may be NULL) gets the seconds left (>= 1). */
bool lf_ratelimit_blocked(lf_ratelimit *r, const char *key, int64_t now, int64_t *retry_after);
/* Count one failure of key at now; true when this failure blocks it. */
bool lf_ratelimit_fail(lf_ratelimit *r, const char *key, int64_t now);
/* Forget key (a success). */
void lf_ratelimit_reset(lf_ratelimit *r, const char *key);

#endif
