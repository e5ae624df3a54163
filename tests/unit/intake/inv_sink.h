/*
 * inv_sink: test helpers shared by the inventory reader tests (csv, wmic, pkglist): a
 * sink that keeps copies of every record and rejection (and can stop the reader at a
 * given record), field assertions, and fixture loading from LF_FIXTURES / LF_SHARED_DATA.
 * Included by one test file each (static functions).
 */
#ifndef LF_TESTS_INV_SINK_H
#define LF_TESTS_INV_SINK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/inv.h"

/* ---- a sink that keeps copies ------------------------------------------------------ */

enum { H, IP, OS, NAME, VER, VEND, DATE, ARCH, ECO, NF };

typedef struct got_rec {
    char *f[NF];
    long line;
} got_rec;

typedef struct got {
    got_rec *r;
    size_t n, cap;
    size_t nrej;
    long rej_line[32];
    long rej_col[32];
    char rej_msg[32][512];
    int stop_at;   /* return 7 at this record (1-based), 0 = never */
} got;

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    assert_non_null(p);
    memcpy(p, s, n + 1);
    return p;
}

static int on_rec(void *ud, const lf_inv_rec *r)
{
    got *g = ud;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->r = realloc(g->r, g->cap * sizeof(*g->r));
        assert_non_null(g->r);
    }
    got_rec *c = &g->r[g->n++];
    const char *src[NF] = {r->host, r->ip, r->os, r->name, r->version, r->vendor, r->install_date, r->arch,
                           r->ecosystem};
    for (int i = 0; i < NF; i++)
        c->f[i] = dup_or_null(src[i]);
    c->line = r->line;
    return g->stop_at && (int)g->n == g->stop_at ? 7 : 0;
}

static void on_rej(void *ud, const lf_err *e)
{
    got *g = ud;
    if (g->nrej < 32) {
        g->rej_line[g->nrej] = e->line;
        g->rej_col[g->nrej] = e->col;
        snprintf(g->rej_msg[g->nrej], sizeof g->rej_msg[0], "%s", e->msg);
    }
    g->nrej++;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++)
        for (int k = 0; k < NF; k++)
            free(g->r[i].f[k]);
    free(g->r);
    memset(g, 0, sizeof(*g));
}

#define assert_field(g, i, k, want)                                   \
    do {                                                              \
        if ((want) == NULL)                                           \
            assert_null((g)->r[i].f[k]);                              \
        else {                                                        \
            assert_non_null((g)->r[i].f[k]);                          \
            assert_string_equal((g)->r[i].f[k], (const char *)(want)); \
        }                                                             \
    } while (0)

/* Read a file into memory; NULL (and a skip) when it is absent. */
static char *slurp(const char *env, const char *rel, size_t *len)
{
    const char *root = getenv(env);
    if (!root)
        return NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (!lf_file_exists(path))
        return NULL;
    char *data = NULL;
    lf_err e;
    lf_err_clear(&e);
    assert_int_equal(lf_file_read(path, 0, &data, len, &e), LF_OK);
    return data;
}

static char *fixture(const char *name, size_t *len)
{
    char rel[256];
    snprintf(rel, sizeof rel, "intake/fmt/%s", name);
    char *d = slurp("LF_FIXTURES", rel, len);
    assert_non_null(d);   /* the project's own fixtures are always there */
    return d;
}

#endif
