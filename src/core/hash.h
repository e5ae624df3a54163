/*
 * hash: a fast 64-bit hash of a byte string, eight bytes a step, for in-memory tables
 * (the index writer's string pool) and content keys (the store's finding_sources.hash,
 * which is stored: changing the function only costs sharing, since every lookup also
 * compares the text). Not cryptographic: use sha2.h where an adversary picks the input.
 */
#ifndef LF_CORE_HASH_H
#define LF_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t lf_hash64(const void *p, size_t n);

#endif
