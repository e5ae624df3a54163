/*
 * sha2: SHA-256 and SHA-512 (FIPS 180-4), for checking downloaded files against the
 * digests their publishers post beside them (CSAF 2.0 §7.1.18: <file>.sha256 and
 * <file>.sha512) and for anything else that needs a digest without a crypto library.
 *
 * Not constant-time and not for secrets beyond hashing them: no MAC, no key handling.
 * Ownership: lf_sha2_ctx is plain caller-owned storage; nothing needs freeing.
 */
#ifndef LF_CORE_SHA2_H
#define LF_CORE_SHA2_H

#include <stddef.h>
#include <stdint.h>

typedef enum lf_sha2_alg {
    LF_SHA2_256 = 0,   /* 32-byte digest */
    LF_SHA2_512 = 1    /* 64-byte digest */
} lf_sha2_alg;

#define LF_SHA2_MAX_DIGEST 64

typedef struct lf_sha2_ctx {
    lf_sha2_alg alg;
    uint32_t h32[8];
    uint64_t h64[8];
    uint64_t len_lo, len_hi;   /* message length in bytes (128-bit for SHA-512) */
    unsigned char block[128];
    size_t fill;
} lf_sha2_ctx;

/* Digest length in bytes of alg (32 or 64). */
size_t lf_sha2_len(lf_sha2_alg alg);
void lf_sha2_init(lf_sha2_ctx *c, lf_sha2_alg alg);
void lf_sha2_update(lf_sha2_ctx *c, const void *data, size_t n);
/* Writes lf_sha2_len(alg) bytes to out. */
void lf_sha2_final(lf_sha2_ctx *c, unsigned char *out);
/* One call: lower-case hex of the digest of data[0..n) into hex (2 * len + 1 bytes,
 * NUL-terminated: 65 for SHA-256, 129 for SHA-512). */
void lf_sha2_hex(lf_sha2_alg alg, const void *data, size_t n, char *hex);

#endif
