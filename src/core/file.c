/*
 * file: whole-file reads (plain or gzip), atomic writes, read-only maps (see file.h).
 */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define LF_FILE_DEFAULT_MAX ((size_t)4 << 30)

static int read_fd_all(int fd, const char *path, size_t max, char **data, size_t *len,
                       lf_err *err)
{
    size_t cap = 1 << 16, n = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uint64_t)st.st_size > max)
            goto toobig;
        cap = (size_t)st.st_size + 1;
    }
    char *buf = malloc(cap);
    if (!buf)
        return lf_err_set(err, LF_ENOMEM, "cannot allocate %zu bytes to read the file", cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max) {
                free(buf);
                goto toobig;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return lf_err_set(err, LF_ENOMEM, "out of memory reading the file");
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            lf_err_at(err, path, 0, 0, NULL);
            return lf_err_set(err, LF_EIO, "read failed: %s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            free(buf);
            goto toobig;
        }
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return LF_OK;
toobig:
    lf_err_at(err, path, 0, 0, NULL);
    return lf_err_set(err, LF_ELIMIT, "file larger than the %zu-byte limit", max);
}

static int gunzip(const char *path, const char *in, size_t inlen, size_t max, char **data,
                  size_t *len, lf_err *err)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    /* 16 + MAX_WBITS: gzip wrapper; concatenated members are handled by the loop. */
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return lf_err_set(err, LF_ENOMEM, "cannot initialise zlib");
    size_t cap = inlen * 4 + 1024, n = 0;
    char *out = NULL;
    int rc = LF_OK;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)(inlen > UINT32_MAX ? UINT32_MAX : inlen);
    size_t consumed_base = 0;
    for (;;) {
        if (!out || n + 1 >= cap) {
            if (out)
                cap *= 2;
            if (cap > max + 1)
                cap = max + 1;
            if (out && n + 1 >= cap) {
                rc = lf_err_set(err, LF_ELIMIT, "decompressed size exceeds the %zu-byte limit", max);
                goto fail;
            }
            char *nb = realloc(out, cap);
            if (!nb) {
                rc = lf_err_set(err, LF_ENOMEM, "out of memory decompressing");
                goto fail;
            }
            out = nb;
        }
        z.next_out = (Bytef *)out + n;
        z.avail_out = (uInt)((cap - 1 - n) > UINT32_MAX ? UINT32_MAX : (cap - 1 - n));
        int zr = inflate(&z, Z_NO_FLUSH);
        n = (size_t)((char *)z.next_out - out);
        if (zr == Z_STREAM_END) {
            size_t used = consumed_base + ((const char *)z.next_in - (in + consumed_base));
            consumed_base = used;
            if (used >= inlen)
                break;
            /* another gzip member follows */
            if (inflateReset(&z) != Z_OK) {
                rc = lf_err_set(err, LF_EPARSE, "corrupt gzip data");
                goto fail;
            }
            continue;
        }
        if (zr == Z_BUF_ERROR && z.avail_in == 0) {
            size_t used = (size_t)((const char *)z.next_in - in);
            if (used >= inlen) {
                rc = lf_err_set(err, LF_EPARSE, "truncated gzip data (ends after %zu bytes)", inlen);
                goto fail;
            }
            size_t left = inlen - used;
            z.avail_in = (uInt)(left > UINT32_MAX ? UINT32_MAX : left);
            continue;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            rc = lf_err_set(err, LF_EPARSE, "corrupt gzip data: %s", z.msg ? z.msg : "inflate error");
            goto fail;
        }
    }
    inflateEnd(&z);
    out[n] = '\0';
    *data = out;
    *len = n;
    return LF_OK;
fail:
    inflateEnd(&z);
    free(out);
    lf_err_at(err, path, 0, 0, NULL);
    return rc;
}

int lf_file_read(const char *path, size_t max, char **data, size_t *len, lf_err *err)
{
    if (!max)
        max = LF_FILE_DEFAULT_MAX;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot open: %s", strerror(errno));
    }
    char *raw = NULL;
    size_t rawlen = 0;
    int rc = read_fd_all(fd, path, max, &raw, &rawlen, err);
    if (fd != 0)
        close(fd);
    if (rc)
        return rc;
    if (rawlen >= 2 && (unsigned char)raw[0] == 0x1f && (unsigned char)raw[1] == 0x8b) {
        rc = gunzip(path, raw, rawlen, max, data, len, err);
        free(raw);
        return rc;
    }
    *data = raw;
    *len = rawlen;
    return LF_OK;
}

int lf_atomic_open(lf_atomic *w, const char *path, lf_err *err)
{
    memset(w, 0, sizeof(*w));
    if (snprintf(w->path, sizeof(w->path), "%s", path) >= (int)sizeof(w->path) ||
        snprintf(w->tmp, sizeof(w->tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(w->tmp))
        return lf_err_set(err, LF_ELIMIT, "path too long: %s", path);
    w->f = fopen(w->tmp, "wb");
    if (!w->f) {
        lf_err_at(err, w->tmp, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot create: %s", strerror(errno));
    }
    return LF_OK;
}

int lf_atomic_commit(lf_atomic *w, lf_err *err)
{
    int rc = LF_OK;
    if (fflush(w->f) != 0 || ferror(w->f) || fsync(fileno(w->f)) != 0) {
        lf_err_at(err, w->tmp, 0, 0, NULL);
        rc = lf_err_set(err, LF_EIO, "write failed: %s", strerror(errno));
        fclose(w->f);
        w->f = NULL;
        unlink(w->tmp);
        return rc;
    }
    if (fclose(w->f) != 0) {
        w->f = NULL;
        unlink(w->tmp);
        lf_err_at(err, w->tmp, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "close failed: %s", strerror(errno));
    }
    w->f = NULL;
    if (rename(w->tmp, w->path) != 0) {
        unlink(w->tmp);
        lf_err_at(err, w->path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot rename into place: %s", strerror(errno));
    }
    return LF_OK;
}

void lf_atomic_abort(lf_atomic *w)
{
    if (w->f) {
        fclose(w->f);
        w->f = NULL;
        unlink(w->tmp);
    }
}

int lf_file_write_atomic(const char *path, const void *data, size_t len, lf_err *err)
{
    lf_atomic w;
    int rc = lf_atomic_open(&w, path, err);
    if (rc)
        return rc;
    if (len && fwrite(data, 1, len, w.f) != len) {
        int e = errno;
        lf_atomic_abort(&w);
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "write failed: %s", strerror(e));
    }
    return lf_atomic_commit(&w, err);
}

int lf_map_open(lf_map *m, const char *path, lf_err *err)
{
    m->data = NULL;
    m->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, errno == ENOENT ? LF_ENOTFOUND : LF_EIO, "cannot open: %s",
                          strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot stat: %s", strerror(errno));
    }
    if (st.st_size == 0) {
        close(fd);
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_ECORRUPT, "empty file");
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot map: %s", strerror(errno));
    }
    m->data = p;
    m->len = (size_t)st.st_size;
    return LF_OK;
}

void lf_map_close(lf_map *m)
{
    if (m->data)
        munmap((void *)(uintptr_t)m->data, m->len);
    m->data = NULL;
    m->len = 0;
}

bool lf_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool lf_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lf_mkdirs(const char *path, lf_err *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
        return lf_err_set(err, LF_ELIMIT, "path too long");
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            lf_err_at(err, tmp, 0, 0, NULL);
            return lf_err_set(err, LF_EIO, "cannot create directory: %s", strerror(errno));
        }
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
        lf_err_at(err, tmp, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot create directory: %s", strerror(errno));
    }
    return LF_OK;
}
