/*
 * Blocklist dispatch over the list rows (schema 8) and the list cache (isac/dispatch.h):
 * a list reads only its kinds; re-approval replaces rows; the group's change counter
 * moves on approve and revoke; a cached list is served until an approval, a revocation
 * or an expiry, and identical lists of two fetchers are kept once; migration 8 fills the
 * list rows of a database that had approvals before it. Real SQLite store in a temporary
 * directory, with an injected clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "isac/dispatch.h"
#include "store/store.h"

typedef struct fx {
    char dir[64];
    lf_store *s;
    int64_t now;
    lf_id tpe, khh, group, coll;
    lf_arena a;
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-dcache-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    lf_arena_init(&f->a, 0);
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/s.db", f->dir);
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;
    o.argon2_m_kib = 64;
    f->now = 1700000000;
    lf_err err;
    if (lf_store_open_opts(url, &o, &f->s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    lf_store_org org;
    if (lf_store_org_get_by_code(f->s, "TW-TPE", &f->a, &org, &err))
        return -1;
    f->tpe = org.id;
    if (lf_store_org_get_by_code(f->s, "TW-KHH", &f->a, &org, &err))
        return -1;
    f->khh = org.id;
    lf_id members[2] = {f->tpe, f->khh}, root;
    lf_store_taxii_root r = {0, "isac", "test", NULL, 10485760};
    lf_store_isac_group g = {0, "north", "north", members, 2, 0};
    if (lf_store_taxii_root_put(f->s, &r, &root, &err) || lf_store_isac_group_create(f->s, &g, &f->group, &err))
        return -1;
    lf_store_taxii_coll c = {0};
    c.root_id = root;
    c.uuid = "00000000-0000-4000-8000-0000000000c1";
    c.title = "test";
    c.group_id = f->group;
    c.read = c.write = LF_TAXII_ACCESS_GROUP;
    c.default_tlp = 2;
    c.media_types = "application/stix+json;version=2.1";
    if (lf_store_taxii_coll_put(f->s, &c, &f->coll, &err))
        return -1;
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    lf_arena_clear(&f->a);
    char p[128];
    const char *suffix[] = {"s.db", "s.db-wal", "s.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Store indicator n (a GREEN STIX object) and approve it with the given simple indicators
 * until expires; returns the approval id. */
static lf_id approve(fx *f, int n, const lf_store_isac_ioc *iocs, size_t niocs, int64_t expires)
{
    char id[80], json[320];
    snprintf(id, sizeof id, "indicator--00000000-0000-4000-8000-%012d", n);
    int len = snprintf(json, sizeof json,
                       "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"%s\","
                       "\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\"}",
                       id);
    lf_store_stix_row w = {0};
    w.stix_id = id;
    w.type = "indicator";
    w.spec_version = "2.1";
    w.created = w.modified = w.version = "2024-01-01T00:00:00.000Z";
    w.vkey = "20240101000000000000";
    w.json = json;
    w.json_len = (size_t)len;
    lf_err err;
    lf_err_clear(&err);
    bool dup = false;
    int rc = lf_store_stix_add(f->s, f->coll, &w, 1, &dup, NULL, NULL, &err);
    assert_int_equal(rc, LF_OK);
    lf_store_isac_ind d;
    assert_int_equal(lf_store_isac_ind_find(f->s, id, &f->a, &d, &err), LF_OK);
    lf_store_isac_approval ap = {0};
    ap.group_id = f->group;
    ap.ind = &d;
    ap.source = "identity--test";
    ap.expires = expires;
    ap.approver = "analyst";
    ap.approver_org = f->tpe;
    lf_id aid = 0;
    rc = lf_store_isac_approve(f->s, &ap, iocs, niocs, &aid, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, LF_OK);
    return aid;
}

typedef struct seen {
    size_t n;
    int kinds[16];
    char values[16][64];
} seen;

static int see(void *ud, const lf_store_isac_bl_row *r)
{
    seen *x = ud;
    assert_true(x->n < 16);
    x->kinds[x->n] = r->kind;
    snprintf(x->values[x->n], sizeof x->values[0], "%s", r->value);
    x->n++;
    return LF_OK;
}

static void test_rows_by_kind(void **state)
{
    fx *f = *state;
    lf_store_isac_ioc a[] = {{LF_BL_DOMAIN, "evil.example"}, {LF_BL_IPV4, "192.0.2.9"}, {LF_BL_IPV4, "192.0.2.1"}};
    lf_id aid = approve(f, 1, a, 3, f->now + 3600);
    lf_store_isac_ioc b[] = {{LF_BL_HASH, "d41d8cd98f00b204e9800998ecf8427e"}};
    approve(f, 2, b, 1, f->now + 3600);
    seen x = {0};
    assert_int_equal(lf_store_isac_bl_each(f->s, f->group, f->tpe, f->now, LF_BL_IPV4, LF_BL_CIDR, see, &x, NULL),
                     LF_OK);
    /* only the IP rows, by value */
    assert_int_equal(x.n, 2);
    assert_string_equal(x.values[0], "192.0.2.1");
    assert_string_equal(x.values[1], "192.0.2.9");
    memset(&x, 0, sizeof x);
    assert_int_equal(lf_store_isac_bl_each(f->s, f->group, f->tpe, f->now, LF_BL_IPV4, LF_BL_HASH, see, &x, NULL),
                     LF_OK);
    assert_int_equal(x.n, 4);
    assert_int_equal(x.kinds[0], LF_BL_IPV4);
    assert_int_equal(x.kinds[2], LF_BL_DOMAIN);
    assert_int_equal(x.kinds[3], LF_BL_HASH);
    /* re-approval replaces the rows, revocation removes them */
    uint64_t s0, s1, s2;
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s0, NULL), LF_OK);
    assert_true(s0 > 0);
    lf_store_isac_ioc a2[] = {{LF_BL_IPV4, "198.51.100.7"}};
    assert_int_equal(approve(f, 1, a2, 1, f->now + 3600), aid);
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s1, NULL), LF_OK);
    assert_true(s1 > s0);
    memset(&x, 0, sizeof x);
    assert_int_equal(lf_store_isac_bl_each(f->s, f->group, f->tpe, f->now, LF_BL_IPV4, LF_BL_HASH, see, &x, NULL),
                     LF_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.values[0], "198.51.100.7");
    assert_int_equal(lf_store_isac_revoke(f->s, aid, "analyst", NULL), LF_OK);
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s2, NULL), LF_OK);
    assert_true(s2 > s1);
    memset(&x, 0, sizeof x);
    assert_int_equal(lf_store_isac_bl_each(f->s, f->group, f->tpe, f->now, LF_BL_IPV4, LF_BL_HASH, see, &x, NULL),
                     LF_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.kinds[0], LF_BL_HASH);
    /* revoking twice: not found, and the counter stays */
    assert_int_equal(lf_store_isac_revoke(f->s, aid, "analyst", NULL), LF_ENOTFOUND);
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s0, NULL), LF_OK);
    assert_true(s0 == s2);
    /* a group never approved for */
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group + 100, &s0, NULL), LF_OK);
    assert_true(s0 == 0);
}

/* Fetch ip.txt through the cache; returns whether it was a hit, copies the text. */
static bool fetch(fx *f, lf_dispatch_cache *c, lf_id org, char *text, size_t size)
{
    const lf_dispatch_list *l = NULL;
    bool hit = false;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_dispatch_cache_get(c, f->s, f->group, org, f->now, LF_BL_FMT_IP, &l, &hit, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, LF_OK);
    assert_non_null(l);
    assert_true(l->len < size);
    memcpy(text, l->data, l->len);
    text[l->len] = '\0';
    /* the cached text is what a fresh build gives, version included */
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_dispatch_report r;
    assert_int_equal(lf_dispatch_build(f->s, f->group, org, f->now, NULL, LF_BL_FMT_IP, &b, &r, NULL), LF_OK);
    assert_int_equal(b.len, l->len);
    assert_memory_equal(b.data ? b.data : "", l->data, l->len);
    assert_string_equal(r.version, l->report.version);
    lf_buf_clear(&b);
    lf_dispatch_list_put(l);
    return hit;
}

static void test_cache_invalidation(void **state)
{
    fx *f = *state;
    lf_dispatch_cache *c = NULL;
    assert_int_equal(lf_dispatch_cache_new(LF_DISPATCH_CACHE_DEFAULT, &c, NULL), LF_OK);
    char t[4096];
    lf_store_isac_ioc a[] = {{LF_BL_IPV4, "192.0.2.1"}};
    lf_id first = approve(f, 1, a, 1, f->now + 100);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_non_null(strstr(t, "192.0.2.1"));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));
    /* the other member sees the same list: its own entry, one shared copy */
    assert_false(fetch(f, c, f->khh, t, sizeof t));
    assert_true(fetch(f, c, f->khh, t, sizeof t));
    size_t lists, bytes;
    lf_dispatch_cache_usage(c, &lists, &bytes);
    assert_int_equal(lists, 2);
    assert_int_equal(bytes, strlen(t));

    /* an approval: rebuilt, with the new address */
    lf_store_isac_ioc b[] = {{LF_BL_IPV4, "198.51.100.7"}};
    lf_id second = approve(f, 2, b, 1, f->now + 1000);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_non_null(strstr(t, "198.51.100.7"));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));

    /* an expiry: the first approval's row lapses at now + 100 with no write at all */
    f->now += 99;
    assert_true(fetch(f, c, f->tpe, t, sizeof t));
    f->now += 1;
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_null(strstr(t, "192.0.2.1"));
    assert_non_null(strstr(t, "198.51.100.7"));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));

    /* a revocation */
    assert_int_equal(lf_store_isac_revoke(f->s, second, "analyst", NULL), LF_OK);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_null(strstr(t, "198.51.100.7"));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));

    /* re-approving the expired one brings it back */
    assert_int_equal(approve(f, 1, a, 1, f->now + 100), first);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_non_null(strstr(t, "192.0.2.1"));

    /* a clock set back: rows expired before the build could be visible again */
    f->now -= 10;
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));
    lf_dispatch_cache_free(c);
}

static void test_cache_limit(void **state)
{
    fx *f = *state;
    lf_store_isac_ioc a[] = {{LF_BL_IPV4, "192.0.2.1"}};
    approve(f, 1, a, 1, f->now + 100);
    char t[4096];
    /* a list larger than the cache: built every time, never kept */
    lf_dispatch_cache *c = NULL;
    assert_int_equal(lf_dispatch_cache_new(4, &c, NULL), LF_OK);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    size_t lists, bytes;
    lf_dispatch_cache_usage(c, &lists, &bytes);
    assert_int_equal(lists, 0);
    assert_int_equal(bytes, 0);
    lf_dispatch_cache_free(c);

    /* room for one list: the least recently used one goes */
    size_t iplen = strlen(t);
    lf_store_isac_ioc h[] = {{LF_BL_HASH, "d41d8cd98f00b204e9800998ecf8427e"}};
    approve(f, 2, h, 1, f->now + 100);
    lf_buf hb;
    lf_buf_init(&hb, 0);
    lf_dispatch_report hr;
    assert_int_equal(lf_dispatch_build(f->s, f->group, f->tpe, f->now, NULL, LF_BL_FMT_HASH, &hb, &hr, NULL), LF_OK);
    size_t hashlen = hb.len;
    lf_buf_clear(&hb);
    /* room for either list, not both */
    assert_int_equal(lf_dispatch_cache_new(iplen + hashlen - 1, &c, NULL), LF_OK);
    assert_false(fetch(f, c, f->tpe, t, sizeof t));
    assert_true(fetch(f, c, f->tpe, t, sizeof t));
    const lf_dispatch_list *l = NULL;
    bool hit = true;
    assert_int_equal(lf_dispatch_cache_get(c, f->s, f->group, f->tpe, f->now, LF_BL_FMT_HASH, &l, &hit, NULL), LF_OK);
    assert_false(hit);
    assert_int_equal(l->len, hashlen);
    lf_dispatch_cache_usage(c, &lists, &bytes);
    assert_int_equal(lists, 1);
    assert_int_equal(bytes, l->len);
    /* the evicted list was not in use: the one still held stays valid after free */
    lf_dispatch_cache_free(c);
    assert_true(l->len < sizeof t);
    memcpy(t, l->data, l->len);
    t[l->len] = '\0';
    assert_non_null(strstr(t, "d41d8cd98f00b204e9800998ecf8427e"));
    lf_dispatch_list_put(l);
}

/* A database from before migration 8: its active approvals get their list rows. */
static void test_migration_fills_rows(void **state)
{
    fx *f = *state;
    lf_store_isac_ioc a[] = {{LF_BL_IPV4, "192.0.2.1"}, {LF_BL_DOMAIN, "evil.example"}};
    approve(f, 1, a, 2, f->now + 100);
    lf_store_isac_ioc b[] = {{LF_BL_IPV4, "198.51.100.7"}};
    lf_id gone = approve(f, 2, b, 1, f->now + 100);
    assert_int_equal(lf_store_isac_revoke(f->s, gone, "analyst", NULL), LF_OK);
    lf_store_close(f->s);
    f->s = NULL;
    char path[128];
    snprintf(path, sizeof path, "%s/s.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER isac_bl_state_ins; DROP TRIGGER isac_bl_state_upd; "
                                  "DROP TRIGGER isac_bl_state_del; DROP TABLE isac_bl_state; DROP TABLE isac_bl_rows; "
                                  "DELETE FROM schema_version WHERE version = 8",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    char url[160];
    snprintf(url, sizeof url, "sqlite:%s", path);
    assert_int_equal(lf_store_open_opts(url, &o, &f->s, NULL), LF_OK);
    seen x = {0};
    assert_int_equal(lf_store_isac_bl_each(f->s, f->group, f->tpe, f->now, LF_BL_IPV4, LF_BL_HASH, see, &x, NULL),
                     LF_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.values[0], "192.0.2.1");
    assert_string_equal(x.values[1], "evil.example");
    /* and the counter moves again from there */
    uint64_t s0, s1;
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s0, NULL), LF_OK);
    assert_int_equal(approve(f, 2, b, 1, f->now + 100), gone);
    assert_int_equal(lf_store_isac_bl_stamp(f->s, f->group, &s1, NULL), LF_OK);
    assert_true(s1 > s0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows_by_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cache_invalidation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cache_limit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_migration_fills_rows, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
