/*
 * zip: ZIP archive reader over a buffer (see zip.h). Section numbers refer to PKWARE's
 * APPNOTE.TXT 6.3.10. All multi-byte fields are little-endian (4.4.1.2).
 */
#include "core/zip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SIG_LOCAL   0x04034b50u   /* 4.3.7 */
#define SIG_CENTRAL 0x02014b50u   /* 4.3.12 */
#define SIG_EOCD    0x06054b50u   /* 4.3.16 */
#define SIG_EOCD64  0x06064b50u   /* 4.3.14 */
#define SIG_LOC64   0x07064b50u   /* 4.3.15 */
#define EOCD_LEN    22u
#define CENTRAL_LEN 46u
#define LOCAL_LEN   30u
#define EOCD64_LEN  56u
#define LOC64_LEN   20u
#define DEFAULT_MAX ((size_t)1 << 30)

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* [off, off + n) lies inside the buffer (no overflow). */
static bool inside(size_t len, uint64_t off, uint64_t n)
{
    return off <= len && n <= len - off;
}

static int corrupt(lf_err *err, uint64_t off, const char *what)
{
    lf_err_at(err, NULL, 0, (long)(off < LONG_MAX ? off + 1 : LONG_MAX), NULL);
    return lf_err_set(err, LF_ECORRUPT, "ZIP archive: %s (at byte %llu)", what, (unsigned long long)off);
}

bool lf_zip_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
           ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* The ZIP64 end record, when the classic one is saturated (4.3.14, 4.3.15). */
static int open64(lf_zip *z, size_t eocd, lf_err *err)
{
    if (eocd < LOC64_LEN || rd32(z->data + eocd - LOC64_LEN) != SIG_LOC64)
        return corrupt(err, eocd, "saturated end record without a ZIP64 locator");
    const unsigned char *loc = z->data + eocd - LOC64_LEN;
    if (rd32(loc + 16) > 1)
        return lf_err_set(err, LF_EFORMAT, "ZIP archive spans several disks; only single-file archives are read");
    uint64_t off = rd64(loc + 8);
    if (!inside(z->len, off, EOCD64_LEN) || rd32(z->data + off) != SIG_EOCD64)
        return corrupt(err, off, "ZIP64 end record missing where the locator points");
    const unsigned char *e = z->data + off;
    if (rd32(e + 16) != 0 || rd32(e + 20) != 0)
        return lf_err_set(err, LF_EFORMAT, "ZIP archive spans several disks; only single-file archives are read");
    z->count = rd64(e + 32);
    z->cd_size = rd64(e + 40);
    z->cd_off = rd64(e + 48);
    return LF_OK;
}

int lf_zip_open(lf_zip *z, const void *data, size_t len, lf_err *err)
{
    memset(z, 0, sizeof *z);
    z->data = data;
    z->len = len;
    if (len < EOCD_LEN)
        return lf_err_set(err, LF_EFORMAT, "not a ZIP archive: %zu bytes is shorter than an end record", len);
    /* the end record is last, followed only by its comment (at most 65535 bytes):
     * take the last signature whose comment reaches exactly the end, else the last one */
    size_t lo = len - EOCD_LEN > 0xffffu ? len - EOCD_LEN - 0xffffu : 0;
    size_t found = SIZE_MAX, loose = SIZE_MAX;
    for (size_t i = len - EOCD_LEN + 1; i-- > lo;) {
        if (rd32(z->data + i) != SIG_EOCD)
            continue;
        size_t clen = rd16(z->data + i + 20);
        if (i + EOCD_LEN + clen == len) {
            found = i;
            break;
        }
        if (loose == SIZE_MAX && i + EOCD_LEN + clen <= len)
            loose = i;
    }
    if (found == SIZE_MAX)
        found = loose;
    if (found == SIZE_MAX)
        return lf_err_set(err, LF_EFORMAT, "not a ZIP archive: no end of central directory record");
    const unsigned char *e = z->data + found;
    uint16_t disk = rd16(e + 4), cd_disk = rd16(e + 6);
    z->count = rd16(e + 10);
    z->cd_size = rd32(e + 12);
    z->cd_off = rd32(e + 16);
    if (z->count == 0xffffu || z->cd_size == 0xffffffffu || z->cd_off == 0xffffffffu || disk == 0xffffu ||
        cd_disk == 0xffffu) {
        int rc = open64(z, found, err);
        if (rc)
            return rc;
    } else if (disk != 0 || cd_disk != 0 || rd16(e + 8) != z->count) {
        return lf_err_set(err, LF_EFORMAT, "ZIP archive spans several disks; only single-file archives are read");
    }
    if (!inside(len, z->cd_off, z->cd_size))
        return corrupt(err, z->cd_off, "central directory lies outside the file");
    if (z->count > z->cd_size / CENTRAL_LEN)
        return corrupt(err, z->cd_off, "central directory is too small for the entries it claims");
    z->next_off = z->cd_off;
    z->next_index = 0;
    return LF_OK;
}

/* Sizes and offset from the ZIP64 extended information extra field (4.5.3): only the
 * fields whose central value is saturated are present, in this order. */
static int extra64(const unsigned char *x, size_t xlen, lf_zip_entry *e, bool need_size, bool need_csize,
                   bool need_off, uint64_t at, lf_err *err)
{
    size_t i = 0;
    while (i + 4 <= xlen) {
        uint16_t id = rd16(x + i), n = rd16(x + i + 2);
        if (i + 4 + n > xlen)
            break;
        if (id == 0x0001) {
            const unsigned char *p = x + i + 4;
            size_t k = 0;
            if (need_size) {
                if (k + 8 > n)
                    return corrupt(err, at, "ZIP64 extra field too short");
                e->size = rd64(p + k);
                k += 8;
            }
            if (need_csize) {
                if (k + 8 > n)
                    return corrupt(err, at, "ZIP64 extra field too short");
                e->csize = rd64(p + k);
                k += 8;
            }
            if (need_off) {
                if (k + 8 > n)
                    return corrupt(err, at, "ZIP64 extra field too short");
                e->local_off = rd64(p + k);
            }
            return LF_OK;
        }
        i += 4 + (size_t)n;
    }
    return corrupt(err, at, "saturated size or offset without a ZIP64 extra field");
}

int lf_zip_next(lf_zip *z, lf_zip_entry *e, lf_err *err)
{
    memset(e, 0, sizeof *e);
    if (z->next_index >= z->count)
        return LF_ENOTFOUND;
    uint64_t off = z->next_off, end = z->cd_off + z->cd_size;
    if (off > end || end - off < CENTRAL_LEN || rd32(z->data + off) != SIG_CENTRAL)
        return corrupt(err, off, "central directory header expected");
    const unsigned char *h = z->data + off;
    size_t nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
    uint64_t total = CENTRAL_LEN + (uint64_t)nlen + xlen + clen;
    if (end - off < total)
        return corrupt(err, off, "central directory header runs past the directory");
    e->flags = rd16(h + 8);
    e->method = rd16(h + 10);
    e->crc32 = rd32(h + 16);
    e->csize = rd32(h + 20);
    e->size = rd32(h + 24);
    e->local_off = rd32(h + 42);
    e->name = (const char *)h + CENTRAL_LEN;
    e->name_len = nlen;
    if (memchr(e->name, '\0', nlen))
        return corrupt(err, off, "entry name holds a NUL byte");
    bool ns = e->size == 0xffffffffu, nc = e->csize == 0xffffffffu, no = e->local_off == 0xffffffffu;
    if (ns || nc || no) {
        int rc = extra64(h + CENTRAL_LEN + nlen, xlen, e, ns, nc, no, off, err);
        if (rc)
            return rc;
    }
    e->is_dir = nlen > 0 && e->name[nlen - 1] == '/';
    z->next_off = off + total;
    z->next_index++;
    return LF_OK;
}

int lf_zip_extract(const lf_zip *z, const lf_zip_entry *e, size_t max, char **out, size_t *len, lf_err *err)
{
    *out = NULL;
    *len = 0;
    if (!max)
        max = DEFAULT_MAX;
    if (e->flags & 1u)
        return lf_err_set(err, LF_EFORMAT, "ZIP entry \"%.*s\" is encrypted",
                          (int)(e->name_len > 200 ? 200 : e->name_len), e->name);
    if (e->method != 0 && e->method != 8)
        return lf_err_set(err, LF_EFORMAT, "ZIP entry \"%.*s\" uses compression method %u (only stored and deflate "
                                           "are read)", (int)(e->name_len > 200 ? 200 : e->name_len), e->name,
                          (unsigned)e->method);
    if (e->size > max || e->size >= SIZE_MAX)
        return lf_err_set(err, LF_ELIMIT, "ZIP entry \"%.*s\" is %llu bytes uncompressed, above the limit of %zu",
                          (int)(e->name_len > 200 ? 200 : e->name_len), e->name, (unsigned long long)e->size, max);
    if (!inside(z->len, e->local_off, LOCAL_LEN) || rd32(z->data + e->local_off) != SIG_LOCAL)
        return corrupt(err, e->local_off, "local file header expected");
    const unsigned char *lh = z->data + e->local_off;
    uint64_t start = e->local_off + LOCAL_LEN + rd16(lh + 26) + rd16(lh + 28);
    if (!inside(z->len, start, e->csize))
        return corrupt(err, e->local_off, "entry data runs past the end of the file");
    if (e->method == 0 && e->csize != e->size)
        return corrupt(err, e->local_off, "stored entry whose sizes differ");
    /* deflate cannot expand data more than about 1032:1, so a larger stated size is a
     * lie: refused before the buffer is allocated */
    if (e->method == 8 && e->size / 1032 > e->csize + 1)
        return corrupt(err, e->local_off, "stated size is beyond what deflate can produce from the data");
    size_t n = (size_t)e->size;
    char *buf = malloc(n + 1);
    if (!buf)
        return lf_err_set(err, LF_ENOMEM, "out of memory for a %zu-byte ZIP entry", n);
    const unsigned char *src = z->data + start;
    if (e->method == 0) {
        memcpy(buf, src, n);
    } else {
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
            free(buf);
            return lf_err_set(err, LF_ENOMEM, "out of memory starting inflate");
        }
        uint64_t in_left = e->csize;
        size_t out_done = 0;
        int zr = Z_OK;
        /* one byte of room past the stated size shows an entry that inflates to more */
        while (zr != Z_STREAM_END) {
            if (!s.avail_in && in_left) {
                uInt chunk = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
                s.next_in = (Bytef *)(uintptr_t)(src + (e->csize - in_left));
                s.avail_in = chunk;
                in_left -= chunk;
            }
            size_t room = n + 1 - out_done;
            s.next_out = (Bytef *)buf + out_done;
            s.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
            uInt before = s.avail_out;
            zr = inflate(&s, Z_NO_FLUSH);
            out_done += before - s.avail_out;
            if (out_done > n || (zr != Z_OK && zr != Z_STREAM_END) || (zr == Z_OK && !s.avail_in && !in_left &&
                                                                        before == s.avail_out)) {
                inflateEnd(&s);
                free(buf);
                return corrupt(err, e->local_off, out_done > n ? "entry inflates to more than its stated size"
                                                               : "bad or truncated deflate data");
            }
        }
        inflateEnd(&s);
        if (out_done != n) {
            free(buf);
            return corrupt(err, e->local_off, "entry inflates to less than its stated size");
        }
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t o = 0; o < n;) {
        uInt chunk = n - o > UINT_MAX ? UINT_MAX : (uInt)(n - o);
        crc = crc32(crc, (const Bytef *)buf + o, chunk);
        o += chunk;
    }
    if ((uint32_t)crc != e->crc32) {
        free(buf);
        return corrupt(err, e->local_off, "CRC-32 of the entry does not match");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return LF_OK;
}
