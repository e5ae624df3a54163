/*
 * zip: reading ZIP archives held in memory (PKWARE APPNOTE.TXT 6.3.10), for the CVE
 * Program's bulk and delta archives (cvelistV5 releases: a zip of ~300,000 JSON files,
 * itself shipped inside another zip).
 *
 * What is read: the end of central directory record (4.3.16), with the ZIP64 end record
 * and locator (4.3.14, 4.3.15) when the classic fields are saturated; the central
 * directory file headers (4.3.12) with the ZIP64 extended information extra field
 * (4.5.3) for sizes and offsets; the local file header (4.3.7) of an entry when it is
 * extracted. Methods: 0 (stored) and 8 (deflate, through zlib's raw inflate). Encrypted
 * entries (general purpose bit 0), other methods, and multi-disk archives are refused
 * with a message saying so. Names are taken as the archive writes them (UTF-8 or CP437
 * bytes); a name with a NUL byte is refused.
 *
 * Outside data: every offset and length is checked against the buffer before it is
 * read, the central directory must lie inside the buffer and hold the number of entries
 * it claims, an extracted entry may not exceed the caller's maximum (a zip bomb stops at
 * the limit, not at the memory's end) nor the 1032:1 ratio deflate can reach at most
 * (so a small archive cannot make a large allocation), and its CRC-32 must match.
 *
 * Ownership: lf_zip is caller storage that borrows the archive bytes (keep them alive);
 * nothing in it needs freeing. Entry names point into the archive bytes (not
 * NUL-terminated: use name_len). lf_zip_extract returns a malloc'd buffer (NUL-terminated
 * one byte past len) that the caller free()s.
 */
#ifndef LF_CORE_ZIP_H
#define LF_CORE_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct lf_zip {
    const unsigned char *data;
    size_t len;
    uint64_t cd_off;          /* central directory: offset, size, entries */
    uint64_t cd_size;
    uint64_t count;
    uint64_t next_off;        /* iteration: offset of the next central header */
    uint64_t next_index;
} lf_zip;

typedef struct lf_zip_entry {
    const char *name;         /* borrowed from the archive, name_len bytes */
    size_t name_len;
    uint16_t method;          /* 0 stored, 8 deflate (others are refused on extract) */
    uint16_t flags;           /* general purpose bits */
    uint32_t crc32;
    uint64_t csize;           /* compressed size */
    uint64_t size;            /* uncompressed size */
    uint64_t local_off;       /* offset of the local file header */
    bool is_dir;              /* name ends in '/' */
} lf_zip_entry;

/* True when the bytes start like a ZIP archive (a local header, or an empty archive). */
bool lf_zip_sniff(const void *data, size_t len);

/* Find and check the central directory. LF_EFORMAT when this is no ZIP archive or one
 * this reader does not handle (multi-disk), LF_ECORRUPT when its records point outside
 * the bytes. */
int lf_zip_open(lf_zip *z, const void *data, size_t len, lf_err *err);

/* The next entry in central directory order: LF_OK, LF_ENOTFOUND after the last one,
 * LF_ECORRUPT for a malformed header (iteration cannot go on past it). */
int lf_zip_next(lf_zip *z, lf_zip_entry *e, lf_err *err);

/* Uncompress an entry into a new buffer. max = 0 means 1 GiB. LF_ELIMIT when the entry
 * is larger than max, LF_EFORMAT for encrypted entries and unknown methods, LF_ECORRUPT
 * for bad local headers, deflate data or CRC, LF_ENOMEM. */
int lf_zip_extract(const lf_zip *z, const lf_zip_entry *e, size_t max, char **out, size_t *len, lf_err *err);

#endif
