/*
 * file: reading whole input files (plain or gzip, told apart by the magic bytes, not the
 * name) with a size limit, atomic replacement of output files (write to a temporary
 * file in the same folder, fsync, rename), and read-only memory maps.
 *
 * Ownership: lf_file_read returns a malloc'd, NUL-terminated buffer the caller free()s.
 * lf_map_open/lf_map_close bracket a caller-owned lf_map.
 */
#ifndef LF_CORE_FILE_H
#define LF_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

/* Read path ("-" = stdin) fully, gunzipping when it starts with 1f 8b. max = 0 means
 * 4 GiB. Returns LF_OK and sets *data and *len, or LF_EIO / LF_ELIMIT / LF_EPARSE (corrupt
 * gzip) with err->src = path. */
int lf_file_read(const char *path, size_t max, char **data, size_t *len, lf_err *err);

/* Atomic writer: lf_atomic_open creates "<path>.tmp.<pid>"; lf_atomic_commit flushes,
 * fsyncs and renames it over path; lf_atomic_abort removes it. */
typedef struct lf_atomic {
    FILE *f;
    char tmp[4096];
    char path[4096];
} lf_atomic;
int lf_atomic_open(lf_atomic *w, const char *path, lf_err *err);
int lf_atomic_commit(lf_atomic *w, lf_err *err);
void lf_atomic_abort(lf_atomic *w);
/* data (len bytes) as the whole of path, through lf_atomic: a reader sees the old file or
 * the new one, never part of it. LF_OK or LF_EIO with the path and the reason. */
int lf_file_write_atomic(const char *path, const void *data, size_t len, lf_err *err);

typedef struct lf_map {
    const unsigned char *data;
    size_t len;
} lf_map;
int lf_map_open(lf_map *m, const char *path, lf_err *err);
void lf_map_close(lf_map *m);

bool lf_file_exists(const char *path);
/* mkdir -p; LF_OK when it exists. */
int lf_mkdirs(const char *path, lf_err *err);
/* True when the file at path is a directory. */
bool lf_is_dir(const char *path);

#endif
