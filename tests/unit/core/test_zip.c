/*
 * Tests for src/core/zip.c: archives written by a real ZIP writer (Python's zipfile:
 * tests/fixtures/zip/basic.zip with a directory, a deflated and a stored entry, an
 * empty entry and a comment; local64.zip whose local header carries ZIP64 sizes and a
 * data descriptor; empty.zip), archives built here byte by byte for the ZIP64 central
 * directory path (APPNOTE 4.3.14, 4.3.15, 4.5.3), and damaged archives: every damage is
 * a located error, never a read outside the buffer (the fuzz target checks the rest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/file.h"
#include "core/zip.h"

static const char *fx(const char *name)
{
    static char p[1024];
    const char *d = getenv("LF_FIXTURES");
    snprintf(p, sizeof p, "%s/zip/%s", d ? d : "tests/fixtures", name);
    return p;
}

static char *load(const char *name, size_t *len)
{
    char *data;
    assert_int_equal(lf_file_read(fx(name), 0, &data, len, NULL), LF_OK);
    return data;
}

/* Entry i (0-based) of an opened archive. */
static void entry_at(lf_zip *z, size_t i, lf_zip_entry *e)
{
    lf_zip it = *z;
    for (size_t k = 0; k <= i; k++)
        assert_int_equal(lf_zip_next(&it, e, NULL), LF_OK);
}

/* A real writer's archive: names, directory flag, stored and deflated content, the
 * empty entry, the end (LF_ENOTFOUND), and the comment after the end record. */
static void test_zip_basic(void **state)
{
    (void)state;
    size_t len;
    char *data = load("basic.zip", &len);
    lf_zip z;
    lf_err err;
    lf_err_clear(&err);
    assert_true(lf_zip_sniff(data, len));
    assert_int_equal(lf_zip_open(&z, data, len, &err), LF_OK);
    assert_int_equal(z.count, 4);
    lf_zip_entry e;
    static const char *const names[] = {"dir/", "dir/CVE-2099-0001.json", "notes.txt", "empty.json"};
    static const uint16_t methods[] = {0, 8, 0, 8};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(lf_zip_next(&z, &e, &err), LF_OK);
        assert_int_equal(e.name_len, strlen(names[i]));
        assert_memory_equal(e.name, names[i], e.name_len);
        assert_int_equal(e.method, methods[i]);
        assert_int_equal(e.is_dir, i == 0);
        char *buf;
        size_t n;
        assert_int_equal(lf_zip_extract(&z, &e, 0, &buf, &n, &err), LF_OK);
        assert_int_equal(n, e.size);
        assert_int_equal(buf[n], '\0');
        if (i == 1) {
            assert_int_equal(n, 24 + 2000 + 2);
            assert_memory_equal(buf, "{\"hello\": \"world\", \"n\": 111", 27);
            assert_true(e.csize < e.size);
        }
        if (i == 2)
            assert_string_equal(buf, "stored text\n");
        free(buf);
    }
    assert_int_equal(lf_zip_next(&z, &e, &err), LF_ENOTFOUND);
    free(data);
}

/* ZIP64 sizes in the local header (0xffffffff there, data descriptor after the data):
 * the central directory's sizes are used. An empty archive has no entries. */
static void test_zip_local64_and_empty(void **state)
{
    (void)state;
    size_t len;
    char *data = load("local64.zip", &len);
    lf_zip z;
    assert_int_equal(lf_zip_open(&z, data, len, NULL), LF_OK);
    lf_zip_entry e;
    assert_int_equal(lf_zip_next(&z, &e, NULL), LF_OK);
    char *buf;
    size_t n;
    assert_int_equal(lf_zip_extract(&z, &e, 0, &buf, &n, NULL), LF_OK);
    assert_int_equal(n, 1200);
    assert_memory_equal(buf, "zip64 entry\nzip64 entry\n", 24);
    free(buf);
    free(data);
    data = load("empty.zip", &len);
    assert_true(lf_zip_sniff(data, len));
    assert_int_equal(lf_zip_open(&z, data, len, NULL), LF_OK);
    assert_int_equal(z.count, 0);
    assert_int_equal(lf_zip_next(&z, &e, NULL), LF_ENOTFOUND);
    free(data);
}

/* ---- archives built byte by byte ---- */

typedef struct zb {
    unsigned char b[4096];
    size_t n;
} zb;

static void put16(zb *z, unsigned v)
{
    z->b[z->n++] = (unsigned char)(v & 0xff);
    z->b[z->n++] = (unsigned char)(v >> 8);
}

static void put32(zb *z, uint32_t v)
{
    put16(z, v & 0xffff);
    put16(z, v >> 16);
}

static void put64(zb *z, uint64_t v)
{
    put32(z, (uint32_t)v);
    put32(z, (uint32_t)(v >> 32));
}

static void putb(zb *z, const void *p, size_t n)
{
    memcpy(z->b + z->n, p, n);
    z->n += n;
}

/* One stored entry "a.json" holding body; zip64: the central header saturates size,
 * csize and offset and gives them in a ZIP64 extra field, and the end record is
 * saturated with a ZIP64 end record and locator before it. */
static void build(zb *z, const char *body, bool zip64)
{
    memset(z, 0, sizeof *z);
    size_t bl = strlen(body);
    uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)body, (uInt)bl);
    put32(z, 0x04034b50u); put16(z, 20); put16(z, 0); put16(z, 0); put16(z, 0); put16(z, 0);
    put32(z, crc); put32(z, (uint32_t)bl); put32(z, (uint32_t)bl); put16(z, 6); put16(z, 0);
    putb(z, "a.json", 6);
    putb(z, body, bl);
    size_t cd = z->n;
    put32(z, 0x02014b50u); put16(z, 45); put16(z, 45); put16(z, 0); put16(z, 0); put16(z, 0); put16(z, 0);
    put32(z, crc);
    put32(z, zip64 ? 0xffffffffu : (uint32_t)bl);
    put32(z, zip64 ? 0xffffffffu : (uint32_t)bl);
    put16(z, 6); put16(z, zip64 ? 28 : 0); put16(z, 0); put16(z, 0); put16(z, 0); put32(z, 0);
    put32(z, zip64 ? 0xffffffffu : 0);
    putb(z, "a.json", 6);
    if (zip64) {
        put16(z, 0x0001); put16(z, 24); put64(z, bl); put64(z, bl); put64(z, 0);
    }
    size_t cd_size = z->n - cd;
    if (zip64) {
        size_t e64 = z->n;
        put32(z, 0x06064b50u); put64(z, 44); put16(z, 45); put16(z, 45); put32(z, 0); put32(z, 0);
        put64(z, 1); put64(z, 1); put64(z, cd_size); put64(z, cd);
        put32(z, 0x07064b50u); put32(z, 0); put64(z, e64); put32(z, 1);
    }
    put32(z, 0x06054b50u); put16(z, 0); put16(z, 0);
    put16(z, zip64 ? 0xffff : 1); put16(z, zip64 ? 0xffff : 1);
    put32(z, zip64 ? 0xffffffffu : (uint32_t)cd_size); put32(z, zip64 ? 0xffffffffu : (uint32_t)cd);
    put16(z, 0);
}

static int extract_first(const zb *z, size_t max, char *out, size_t cap, lf_err *err)
{
    lf_zip zip;
    int rc = lf_zip_open(&zip, z->b, z->n, err);
    if (rc)
        return rc;
    lf_zip_entry e;
    if ((rc = lf_zip_next(&zip, &e, err)))
        return rc;
    char *buf;
    size_t n;
    if ((rc = lf_zip_extract(&zip, &e, max, &buf, &n, err)))
        return rc;
    snprintf(out, cap, "%s", buf);
    free(buf);
    return LF_OK;
}

/* The ZIP64 central directory path: saturated classic fields, values from the ZIP64
 * end record and extra field; the same archive without ZIP64 reads the same. */
static void test_zip_central64(void **state)
{
    (void)state;
    zb z;
    char out[128];
    build(&z, "{\"x\": 1}", true);
    assert_int_equal(extract_first(&z, 0, out, sizeof out, NULL), LF_OK);
    assert_string_equal(out, "{\"x\": 1}");
    build(&z, "{\"x\": 1}", false);
    assert_int_equal(extract_first(&z, 0, out, sizeof out, NULL), LF_OK);
    assert_string_equal(out, "{\"x\": 1}");
}

/* Damage, one row per case, each a located error of the documented kind. */
static void test_zip_damage(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        size_t off;      /* byte to change in the classic archive ("{\"x\": 1}" body) */
        unsigned char to;
        int rc;
    } cases[] = {
        /* layout: local header 0..29, name 30..35, body 36..43, central header 44..89,
         * its name 90..95, end record 96..117 */
        {"CRC of the data", 36 + 2, 'y', LF_ECORRUPT},
        {"local signature", 0, 'Q', LF_ECORRUPT},
        {"method 12 (bzip2)", 44 + 10, 12, LF_EFORMAT},
        {"encrypted flag", 44 + 8, 1, LF_EFORMAT},
        {"central signature", 44, 'Q', LF_ECORRUPT},
        {"central name length past the directory", 44 + 28, 200, LF_ECORRUPT},
        {"local offset past the end", 44 + 42 + 1, 0x7f, LF_ECORRUPT},
        {"central directory too small for its entry", 96 + 12, 10, LF_ECORRUPT},
        {"central directory offset past the end", 96 + 16 + 1, 0x7f, LF_ECORRUPT},
        {"multi-disk", 96 + 4, 1, LF_EFORMAT},
        {"end record signature", 96, 'Q', LF_EFORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zb z;
        build(&z, "{\"x\": 1}", false);
        z.b[cases[i].off] = cases[i].to;
        char out[128];
        lf_err err;
        lf_err_clear(&err);
        int rc = extract_first(&z, 0, out, sizeof out, &err);
        if (rc != cases[i].rc)
            fail_msg("%s: got %d (%s), want %d", cases[i].what, rc, err.msg, cases[i].rc);
        assert_true(err.msg[0] != '\0');
    }
    /* a size above the caller's limit */
    zb z;
    build(&z, "{\"x\": 1}", false);
    char out[128];
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(extract_first(&z, 4, out, sizeof out, &err), LF_ELIMIT);
    /* every truncation of a real archive is refused or read correctly, never past the end */
    size_t len;
    char *data = load("basic.zip", &len);
    for (size_t cut = 0; cut < len; cut++) {
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, data, cut);
        lf_zip zz;
        int rc = lf_zip_open(&zz, copy, cut, NULL);
        assert_true(rc == LF_EFORMAT || rc == LF_ECORRUPT || rc == LF_OK);
        if (rc == LF_OK) {
            /* only the comment was cut: the last end record still reaches into it */
            lf_zip_entry e;
            while (lf_zip_next(&zz, &e, NULL) == LF_OK) {
                char *buf;
                size_t n;
                if (lf_zip_extract(&zz, &e, 0, &buf, &n, NULL) == LF_OK)
                    free(buf);
            }
        }
        free(copy);
    }
    /* a deflated entry whose data is damaged */
    char *copy = malloc(len);
    memcpy(copy, data, len);
    lf_zip zz;
    assert_int_equal(lf_zip_open(&zz, copy, len, NULL), LF_OK);
    lf_zip_entry e;
    entry_at(&zz, 1, &e);
    size_t lh = (size_t)e.local_off;
    size_t start = lh + 30 + (size_t)(copy[lh + 26] | (copy[lh + 27] << 8)) +
                   (size_t)(copy[lh + 28] | (copy[lh + 29] << 8));
    for (size_t k = 0; k < 8; k++)
        copy[start + 2 + k] = (char)0xff;
    char *buf;
    size_t n;
    assert_int_equal(lf_zip_extract(&zz, &e, 0, &buf, &n, &err), LF_ECORRUPT);
    /* a stated size deflate cannot reach from this little data: refused before any
     * allocation (a bomb made of one small entry) */
    lf_zip_entry big = e;
    big.size = (uint64_t)100 << 20;
    assert_int_equal(lf_zip_extract(&zz, &big, 0, &buf, &n, &err), LF_ECORRUPT);
    assert_non_null(strstr(err.msg, "deflate can produce"));
    free(copy);
    free(data);
    /* not a zip at all */
    assert_false(lf_zip_sniff("{}", 2));
    assert_int_equal(lf_zip_open(&zz, "{\"a\": 1}                                ", 40, &err), LF_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_basic),
        cmocka_unit_test(test_zip_local64_and_empty),
        cmocka_unit_test(test_zip_central64),
        cmocka_unit_test(test_zip_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
