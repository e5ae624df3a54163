/*
 * cli_isac: `lianfang isac pull|push|blocklist`: TAXII 2.1 federation with another
 * ISAC (isac/taxii_client.h), the forwarded copy's TLP limits and de-identification
 * (isac/deident.h), and blocklist files from approved indicators (isac/blocklist.h).
 * Settings come from the configuration (isac.*; file from --config, $LIANFANG_CONFIG or
 * <data>/lianfang.conf, then LIANFANG_ISAC_* variables), options override them.
 *
 *   isac pull URL COLLECTION --into LOCAL [--root R] [--org CODE] [--token T | --user U] [--limit N]
 *             [--added-after TS] [--full]
 *       pages through the collection from the saved mark (<data>/isac/state-*.json) and
 *       stores each page's valid objects in the local collection LOCAL (id, alias or
 *       title in API root R, "isac" by default) through the store API: versioned, TLP
 *       markings and RED recipients (organisation codes known here) kept, date_added
 *       local. --org credits the objects as received by that organisation (counters).
 *       Without --into, each page is written as a bundle to <data>/isac/inbox/.
 *   isac push URL COLLECTION FILE [--token T] [--no-deident] [--max-bytes N]
 *   isac push URL COLLECTION --from-collection LOCAL [--added-after TS] [--root R] [--org CODE]
 *       validates FILE (bundle, envelope, array or object), or reads the latest version of
 *       each object of LOCAL added after TS as a reader of no organisation (so TLP:RED and
 *       AMBER+STRICT never leave), keeps back invalid objects, applies the TLP limits and
 *       de-identification, posts envelopes, polls the status; --org credits the forwarded
 *       objects as shared by that organisation
 *   isac load FILE   TAXII server data into the store (cli_isac_load.c)
 *   isac blocklist FILE --out DIR [--now UNIX] [--max-tlp L]
 *       indicators of FILE (patterns whose simple indicators alone match them; expiry =
 *       valid_until) -> DIR/ip.txt, domain.txt, url.txt, hash.txt, blocklist.nft,
 *       iprep.list, categories.txt, lianfang.rules
 * URL is a TAXII discovery URL or an API root URL; COLLECTION an id, alias or title.
 * Credentials: --token (or isac.token) is sent as a Bearer token; --user (or isac.user)
 * with isac.password as HTTP Basic, which the OASIS reference server requires. A password
 * is never taken from the command line, and user:password@ in URL is never printed or
 * written to a state file.
 */
#include "cli/cli.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/file.h"
#include "core/json.h"
#include "feeds/fetch.h"
#include "isac/blocklist.h"
#include "isac/deident.h"
#include "isac/dispatch.h"
#include "isac/stix.h"
#include "isac/stixpat.h"
#include "isac/taxii.h"
#include "isac/taxii_client.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: lianfang isac load FILE   (TAXII server data into the store)\n"
               "       lianfang isac pull URL COLLECTION [--into LOCAL] [--root R] [--org CODE] [--token T | --user U]\n"
               "                 [--limit N] [--added-after TS] [--full]\n"
               "       lianfang isac push URL COLLECTION FILE [--token T] [--no-deident] [--max-bytes N]\n"
               "       lianfang isac push URL COLLECTION --from-collection LOCAL [--added-after TS] [--root R]\n"
               "                 [--org CODE] [--token T] [--no-deident] [--max-bytes N]\n"
               "       lianfang isac blocklist FILE --out DIR [--now UNIX-SECONDS] [--max-tlp LEVEL]\n"
               "  common: [--config FILE]\n"
               "  URL: TAXII 2.1 discovery or API root; COLLECTION: id, alias or title.\n"
               "  pull stores the objects in the local collection LOCAL (--into; without it, a bundle\n"
               "  per page in <data>/isac/inbox/) and keeps its place in\n"
               "  <data>/isac/state-<host>-<collection>.json (--full ignores it).\n");
}

static void on_retry(void *ud, const char *url, long status, double delay)
{
    const lf_cli_env *env = ud;
    if (!env->quiet)
        fprintf(stderr, "lianfang: %s: %s%ld; retrying in %.1f s\n", url, status ? "HTTP " : "connection error ",
                status, delay);
}

typedef struct opts {
    const char *config, *token, *user, *added_after, *out, *max_tlp;
    const char *into, *from_coll, *root, *org;
    long limit, max_bytes, now;
    bool full, no_deident;
    const char *pos[4];
    int npos;
} opts;

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (!*s || *e || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VAL(field)                                                                                                \
    do {                                                                                                          \
        if (!v) {                                                                                                 \
            fprintf(stderr, "lianfang: %s needs a value\n", a);                                                  \
            return -1;                                                                                            \
        }                                                                                                         \
        field = v;                                                                                                \
        i++;                                                                                                      \
    } while (0)
        if (!strcmp(a, "--config"))
            VAL(o->config);
        else if (!strcmp(a, "--token"))
            VAL(o->token);
        else if (!strcmp(a, "--user"))
            VAL(o->user);
        else if (!strcmp(a, "--added-after"))
            VAL(o->added_after);
        else if (!strcmp(a, "--out"))
            VAL(o->out);
        else if (!strcmp(a, "--max-tlp"))
            VAL(o->max_tlp);
        else if (!strcmp(a, "--into"))
            VAL(o->into);
        else if (!strcmp(a, "--from-collection"))
            VAL(o->from_coll);
        else if (!strcmp(a, "--root"))
            VAL(o->root);
        else if (!strcmp(a, "--org"))
            VAL(o->org);
        else if (!strcmp(a, "--full"))
            o->full = true;
        else if (!strcmp(a, "--no-deident"))
            o->no_deident = true;
        else if (!strcmp(a, "--limit") || !strcmp(a, "--max-bytes") || !strcmp(a, "--now")) {
            const char *s = NULL;
            VAL(s);
            long *dst = a[2] == 'l' ? &o->limit : a[2] == 'm' ? &o->max_bytes : &o->now;
            if (parse_long(s, a[2] == 'n' ? 0 : 1, a[2] == 'l' ? 10000 : 0x7fffffffffffL, dst)) {
                fprintf(stderr, "lianfang: %s: '%s' is not a number in range\n", a, s);
                return -1;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "lianfang: isac: unknown option '%s'\n", a);
            return -1;
        } else if (o->npos < 4) {
            o->pos[o->npos++] = a;
        } else {
            fprintf(stderr, "lianfang: isac: too many arguments\n");
            return -1;
        }
#undef VAL
    }
    return 0;
}

static int client_new(const lf_cli_env *env, const lf_config *cfg, const opts *o, lf_taxii_client **c)
{
    lf_taxii_client_opts co = {0};
    co.token = o->token ? o->token : lf_config_str(cfg, "isac.token");
    /* HTTP Basic (the OASIS reference server takes nothing else): the user from --user or
     * isac.user, the password only from the configuration or its environment variable */
    co.user = o->user ? o->user : lf_config_str(cfg, "isac.user");
    co.password = lf_config_str(cfg, "isac.password");
    if (co.user && *co.user && (!co.password || !*co.password)) {
        fprintf(stderr, "lianfang: isac: user %s has no password: set isac.password (LIANFANG_ISAC_PASSWORD)\n",
                co.user);
        return -1;
    }
    co.max_attempts = (unsigned)lf_config_int(cfg, "isac.max_attempts");
    co.on_retry = on_retry;
    co.ud = (void *)(uintptr_t)env;
    lf_err err;
    lf_err_clear(&err);
    if (lf_taxii_client_new(&co, c, &err)) {
        lf_cli_error(&err);
        return -1;
    }
    return 0;
}

/* ---- the local store (pull --into, push --from-collection) */

typedef struct local {
    lf_store *s;
    lf_store_taxii_root root;
    lf_store_taxii_coll coll;
    lf_id org;                 /* --org, 0 when not given */
} local;

static int local_open(const lf_cli_env *env, const opts *o, const char *coll, lf_arena *a, local *l)
{
    memset(l, 0, sizeof *l);
    char url[4300];
    const char *eu = getenv("LIANFANG_STORE_URL");
    if (eu && *eu)
        snprintf(url, sizeof url, "%s", eu);
    else
        snprintf(url, sizeof url, "sqlite:%s/lianfang.db", env->data_dir);
    lf_err err;
    lf_err_clear(&err);
    lf_store_taxii_coll *v = NULL;
    size_t n = 0;
    const char *root = o->root ? o->root : "isac";
    if (lf_store_open(url, &l->s, &err) || lf_store_taxii_root_get(l->s, root, a, &l->root, &err) ||
        lf_store_taxii_coll_list(l->s, l->root.id, a, &v, &n, &err))
        goto fail;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        if (!strcmp(v[i].uuid, coll) || (v[i].alias && !strcmp(v[i].alias, coll)) || !strcmp(v[i].title, coll)) {
            l->coll = v[i];
            found = true;
        }
    if (!found) {
        lf_err_set(&err, LF_ENOTFOUND, "no collection '%s' in the local API root '%s'", coll, root);
        goto fail;
    }
    if (o->org) {
        lf_store_org org;
        if (lf_store_org_get_by_code(l->s, o->org, a, &org, &err)) {
            lf_err_set(&err, LF_ENOTFOUND, "--org: no organisation with code '%s'", o->org);
            goto fail;
        }
        l->org = org.id;
    }
    return 0;
fail:
    lf_cli_error(&err);
    lf_store_close(l->s);
    l->s = NULL;
    return -1;
}

static int this_year(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

typedef struct into_ctx {
    const lf_cli_env *env;
    local *l;
    size_t stored, dup, invalid;
} into_ctx;

/* TLP:RED recipients (x_lianfang_recipients, organisation codes) as ",id,id," of the
 * organisations this instance knows; codes it does not know cannot read here anyway. */
static const char *local_recipients(lf_store *s, lf_arena *a, const lf_json *obj)
{
    const lf_json *r = lf_json_get(obj, "x_lianfang_recipients");
    if (!lf_json_is(r, LF_JSON_ARRAY))
        return NULL;
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_buf_putc(&b, ',');
    for (size_t i = 0; i < lf_json_len(r); i++) {
        const char *code = lf_json_str(lf_json_at(r, i));
        lf_store_org o;
        lf_err err;
        lf_err_clear(&err);
        if (code && !lf_store_org_get_by_code(s, code, a, &o, &err))
            lf_buf_printf(&b, "%lld,", (long long)o.id);
    }
    const char *out = b.len > 1 && b.data ? lf_arena_strndup(a, b.data, b.len) : NULL;
    lf_buf_clear(&b);
    return out;
}

static int on_page_store(void *ud, const lf_json *envelope, const lf_json *objects, size_t page, lf_err *err)
{
    (void)envelope;
    into_ctx *x = ud;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_stix_set set;
    lf_store_stix_row *rows = NULL;
    bool *dup = NULL;
    int rc = lf_stix_read(&a, objects, &set, err);
    if (rc)
        goto done;
    for (size_t i = 0; i < set.nproblems && i < 50; i++)
        fprintf(stderr, "lianfang: page %zu: %s%s%s: %s (object left out)\n", page, set.problems[i].path,
                set.problems[i].id ? " " : "", set.problems[i].id ? set.problems[i].id : "", set.problems[i].msg);
    x->invalid += set.ninvalid;
    rows = calloc(set.nobjs + 1, sizeof *rows);
    dup = calloc(set.nobjs + 1, sizeof *dup);
    if (!rows || !dup) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto done;
    }
    char ts[LF_TAXII_TIME_SIZE];
    lf_taxii_time_format((int64_t)time(NULL) * 1000000, ts);
    size_t n = 0;
    for (size_t i = 0; i < set.nobjs; i++) {
        lf_store_stix_row *r = &rows[n];
        lf_err rerr;
        lf_err_clear(&rerr);
        int rr = lf_taxii_row(&a, &set.objs[i], "2.1", ts, r, &rerr);
        if (rr == LF_EINVAL) {
            fprintf(stderr, "lianfang: page %zu: %s: %s (object left out)\n", page, set.objs[i].id, rerr.msg);
            x->invalid++;
            continue;
        }
        if (rr) {
            rc = lf_err_set(err, rr, "%s", rerr.msg);
            goto done;
        }
        lf_buf_reset(&b);
        if ((rc = lf_taxii_client_json_write(&b, set.objs[i].json)) ||
            !(r->json = lf_arena_strndup(&a, b.data ? b.data : "", b.len))) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto done;
        }
        r->json_len = b.len;
        r->recipients = local_recipients(x->l->s, &a, set.objs[i].json);
        n++;
    }
    if (n && (rc = lf_store_stix_add(x->l->s, x->l->coll.id, rows, n, dup, NULL, NULL, err)))
        goto done;
    size_t added = 0;
    for (size_t i = 0; i < n; i++)
        added += !dup[i];
    x->stored += added;
    x->dup += n - added;
    if (x->l->org && added)
        rc = lf_store_isac_count_add(x->l->s, x->l->org, this_year(), LF_ISAC_RECEIVED, added, err);
done:
    free(rows);
    free(dup);
    lf_buf_clear(&b);
    lf_arena_clear(&a);
    return rc;
}

/* The latest version of each object of the local collection added after added_after, as
 * a reader of no organisation sees them (authenticated, a group member): TLP:RED and
 * AMBER+STRICT stay home. The parsed objects live in a. */
static int local_objects(local *l, const char *added_after, lf_arena *a, const lf_json ***out, size_t *nout)
{
    lf_err err;
    lf_err_clear(&err);
    lf_store_stix_q q;
    memset(&q, 0, sizeof q);
    q.coll = l->coll.id;
    q.v_last = true;
    q.limit = LF_STORE_PAGE_MAX;
    q.with_json = true;
    q.default_tlp = l->coll.default_tlp;
    q.authenticated = true;
    q.member = true;
    if (added_after && *added_after && !lf_taxii_time_parse(added_after, &q.added_after)) {
        fprintf(stderr, "lianfang: --added-after: '%s' is not an RFC 3339 UTC timestamp\n", added_after);
        return -1;
    }
    const lf_json **v = NULL;
    size_t n = 0, cap = 0;
    bool more = true;
    while (more) {
        lf_store_stix_hit *h;
        size_t nh;
        if (lf_store_stix_query(l->s, &q, a, &h, &nh, &more, &err))
            goto fail;
        for (size_t i = 0; i < nh; i++) {
            lf_json *j = NULL;
            if (lf_json_parse(a, h[i].json, h[i].json_len, NULL, &j, &err))
                goto fail;
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                const lf_json **nv = realloc(v, ncap * sizeof *nv);
                if (!nv) {
                    lf_err_set(&err, LF_ENOMEM, "out of memory");
                    goto fail;
                }
                v = nv;
                cap = ncap;
            }
            v[n++] = j;
        }
        if (nh) {
            q.page_added = h[nh - 1].date_added;
            q.page_row = h[nh - 1].row;
        }
        more = more && nh;
    }
    *out = lf_arena_alloc(a, (n + 1) * sizeof **out);
    if (!*out) {
        lf_err_set(&err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    if (n)
        memcpy(*out, v, n * sizeof *v);
    *nout = n;
    free(v);
    return 0;
fail:
    free(v);
    lf_cli_error(&err);
    return -1;
}

/* ---- pull ---- */

typedef struct inbox {
    const lf_cli_env *env;
    char prefix[600];     /* <host>-<collection> */
    size_t written;
    char stamp[32];
} inbox;

static void random_uuid(char out[37])
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof b) {
        /* no urandom: time and address still make a bundle id unique enough here */
        uint64_t x = (uint64_t)time(NULL) ^ (uintptr_t)out;
        for (int i = 0; i < 16; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
            b[i] = (unsigned char)(x >> 56);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    int k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[b[i] >> 4];
        out[k++] = hex[b[i] & 15];
    }
    out[k] = '\0';
}

static int on_page(void *ud, const lf_json *envelope, const lf_json *objects, size_t page, lf_err *err)
{
    (void)envelope;
    inbox *ib = ud;
    lf_buf b;
    lf_buf_init(&b, 0);
    char uuid[37];
    random_uuid(uuid);
    lf_buf_printf(&b, "{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":", uuid);
    int rc = lf_taxii_client_json_write(&b, objects);
    if (!rc)
        rc = lf_buf_puts(&b, "}\n");
    if (rc) {
        lf_buf_clear(&b);
        return lf_err_set(err, rc, "out of memory");
    }
    char path[4800];
    snprintf(path, sizeof path, "%s/isac/inbox/%s-%s-%06zu.json", ib->env->data_dir, ib->prefix, ib->stamp, page);
    rc = lf_fetch_save_file(path, b.data, b.len, err);
    lf_buf_clear(&b);
    if (!rc)
        ib->written++;
    return rc;
}

static int cmd_pull(const lf_cli_env *env, const lf_config *cfg, const opts *o)
{
    if (o->npos != 2) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    const char *url = o->pos[0], *coll = o->pos[1];
    lf_taxii_client *c = NULL;
    lf_arena la;
    lf_arena_init(&la, 0);
    local l = {0};
    into_ctx ix = {env, &l, 0, 0, 0};
    int ret = LF_EXIT_ERROR;
    if (o->into && local_open(env, o, o->into, &la, &l))
        goto done;
    if (client_new(env, cfg, o, &c))
        goto done;
    lf_err err;
    lf_err_clear(&err);
    lf_taxii_client_target t;
    if (lf_taxii_client_resolve(c, url, coll, &t, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    if (!t.can_read) {
        fprintf(stderr, "lianfang: collection %s at %s is not readable with these credentials\n", t.collection_id,
                t.api_root);
        goto done;
    }
    char state[4800];
    lf_taxii_client_state_path(env->data_dir, t.api_root, t.collection_id, state, sizeof state);
    inbox ib = {env, "", 0, ""};
    const char *slash = strrchr(state, '/');
    snprintf(ib.prefix, sizeof ib.prefix, "%.*s", (int)(strlen(slash + 7) - 5), slash + 7);   /* state-X.json */
    snprintf(ib.stamp, sizeof ib.stamp, "%lld", (long long)(lf_fetch_time_now()));
    lf_taxii_client_pull_opts po = {0};
    po.target = &t;
    po.state_path = state;
    po.added_after = o->added_after ? o->added_after : o->full ? "" : NULL;
    po.limit = o->limit ? (unsigned)o->limit : (unsigned)lf_config_int(cfg, "isac.page_limit");
    po.on_page = o->into ? on_page_store : on_page;
    po.ud = o->into ? (void *)&ix : (void *)&ib;
    lf_taxii_client_pull_report r;
    int rc = lf_taxii_client_pull(c, &po, &r, &err);
    if (rc)
        lf_cli_error(&err);
    char shown[sizeof t.collection_url];
    lf_taxii_url_redact(t.collection_url, shown, sizeof shown);
    if (!env->quiet)
        printf("isac pull %s: %zu objects in %zu pages%s%s, mark %s%s\n", shown, r.objects, r.pages,
               r.added_after[0] ? " added after " : "", r.added_after, r.mark[0] ? r.mark : "(none)",
               r.no_header ? " (the server sent no X-TAXII-Date-Added-Last: not incremental)" : "");
    if (o->into && !env->quiet)
        printf("isac pull: %zu object versions stored in %s (%s), %zu already there, %zu invalid left out\n",
               ix.stored, l.coll.uuid, l.coll.title, ix.dup, ix.invalid);
    ret = rc ? LF_EXIT_ERROR : LF_EXIT_OK;
done:
    lf_taxii_client_free(c);
    lf_store_close(l.s);
    lf_arena_clear(&la);
    return ret;
}

/* ---- push ---- */

static int read_stix(const char *path, lf_arena *a, lf_stix_set *set, char **text)
{
    size_t len = 0;
    lf_err err;
    lf_err_clear(&err);
    if (lf_file_read(path, (size_t)1 << 30, text, &len, &err)) {
        lf_cli_error(&err);
        return -1;
    }
    if (lf_stix_read_buffer(a, *text, len, set, &err)) {
        lf_err_at(&err, path, err.line, err.col, NULL);
        lf_cli_error(&err);
        return -1;
    }
    for (size_t i = 0; i < set->nproblems && i < 50; i++)
        fprintf(stderr, "lianfang: %s: %s%s%s: %s (object left out)\n", path, set->problems[i].path,
                set->problems[i].id ? " " : "", set->problems[i].id ? set->problems[i].id : "", set->problems[i].msg);
    return 0;
}

static int tlp_opt(const lf_config *cfg, const char *key, lf_stix_tlp *out)
{
    const char *v = lf_config_str(cfg, key);
    if (!lf_deident_tlp_parse(v, out)) {
        fprintf(stderr, "lianfang: %s: '%s' is not a TLP level (clear, green, amber, amber+strict, red)\n", key, v);
        return -1;
    }
    return 0;
}

static int cmd_push(const lf_cli_env *env, const lf_config *cfg, const opts *o)
{
    if (o->npos != (o->from_coll ? 2 : 3)) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    const char *url = o->pos[0], *coll = o->pos[1], *file = o->from_coll ? o->from_coll : o->pos[2];
    int ret = LF_EXIT_ERROR;
    lf_arena a;
    lf_arena_init(&a, 0);
    char *text = NULL;
    lf_taxii_client *c = NULL;
    lf_deident *d = NULL;
    lf_stix_set set;
    memset(&set, 0, sizeof set);
    local l = {0};
    const lf_json **objs = NULL;
    if (o->from_coll) {
        if (local_open(env, o, o->from_coll, &a, &l) || local_objects(&l, o->added_after, &a, &objs, &set.nobjs))
            goto done;
        set.ninput = set.nobjs;
    } else {
        if (read_stix(file, &a, &set, &text))
            goto done;
        if (!(objs = lf_arena_alloc(&a, (set.nobjs + 1) * sizeof *objs)))
            goto done;
        for (size_t i = 0; i < set.nobjs; i++)
            objs[i] = set.objs[i].json;
    }
    lf_deident_opts dopt = {0};
    if (tlp_opt(cfg, "isac.max_tlp", &dopt.max_tlp) || tlp_opt(cfg, "isac.unmarked_tlp", &dopt.unmarked_tlp))
        goto done;
    bool deident = lf_config_bool(cfg, "isac.deident") && !o->no_deident;
    dopt.region_identity = lf_config_str(cfg, "isac.region_identity");
    dopt.region_name = lf_config_str(cfg, "isac.region_name");
    dopt.keep_identities = lf_config_str(cfg, "isac.keep_identities");
    dopt.internal_ranges = lf_config_str(cfg, "isac.internal_ranges");
    dopt.staff_domains = lf_config_str(cfg, "isac.staff_domains");
    lf_err err;
    lf_err_clear(&err);
    const lf_json **fwd = objs;
    size_t nfwd = set.nobjs;
    lf_deident_stats st = {0};
    if (deident) {
        if (lf_deident_new(&dopt, &d, &err)) {
            lf_cli_error(&err);
            goto done;
        }
        if (lf_deident_objects(d, &a, objs, set.nobjs, &fwd, &nfwd, &st, &err)) {
            lf_cli_error(&err);
            goto done;
        }
    } else {
        /* TLP limits hold whatever: RED and objects over isac.max_tlp stay home */
        size_t k = 0;
        for (size_t i = 0; i < set.nobjs; i++) {
            lf_stix_tlp tl = lf_deident_object_tlp(objs[i]);
            const char *ty = lf_json_get_str(objs[i], "type");
            if (tl == LF_STIX_TLP_UNKNOWN)
                tl = dopt.unmarked_tlp;
            if (ty && strcmp(ty, "marking-definition") &&
                (tl == LF_STIX_TLP_RED || lf_deident_tlp_rank(tl) > lf_deident_tlp_rank(dopt.max_tlp))) {
                st.dropped_tlp++;
                continue;
            }
            objs[k++] = objs[i];
        }
        nfwd = k;
    }
    if (client_new(env, cfg, o, &c))
        goto done;
    lf_taxii_client_target t;
    if (lf_taxii_client_resolve(c, url, coll, &t, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    if (!t.can_write) {
        fprintf(stderr, "lianfang: collection %s at %s is not writable with these credentials\n", t.collection_id,
                t.api_root);
        goto done;
    }
    lf_taxii_client_push_report r = {0};
    int rc = nfwd ? lf_taxii_client_push(c, &t, fwd, nfwd, (size_t)o->max_bytes,
                                         (double)lf_config_int(cfg, "isac.status_wait"), &r, &err)
                  : LF_OK;
    if (rc)
        lf_cli_error(&err);
    if (!env->quiet) {
        char shown[sizeof t.collection_url];
        lf_taxii_url_redact(t.collection_url, shown, sizeof shown);
        printf("isac push %s: %zu objects read (%zu invalid), %zu kept back by TLP, %zu forwarded in %zu "
               "envelopes: %zu accepted, %zu failed, %zu pending\n",
               shown, set.ninput, set.ninvalid, st.dropped_tlp, nfwd, r.envelopes, r.success, r.failure,
               r.pending);
        if (deident)
            printf("isac push: de-identified: %zu identities, %zu internal addresses, %zu staff mailboxes, %zu "
                   "pattern comparisons removed, %zu indicators emptied, %zu dependent objects dropped, %zu "
                   "references to the region\n",
                   st.dropped_identity, st.dropped_internal, st.dropped_staff, st.cmps_removed, st.dropped_pattern,
                   st.dropped_refs, st.refs_replaced);
        if (r.too_large)
            printf("isac push: %zu objects larger than the server's max_content_length were not sent\n", r.too_large);
        if (r.first_failure[0])
            printf("isac push: first failure: %s\n", r.first_failure);
    }
    if (!rc && l.s && l.org && r.success) {
        lf_err_clear(&err);
        if (lf_store_isac_count_add(l.s, l.org, this_year(), LF_ISAC_SHARED, r.success, &err))
            lf_cli_error(&err);
    }
    ret = rc || r.failure || r.too_large || set.ninvalid ? LF_EXIT_ERROR : LF_EXIT_OK;
done:
    lf_store_close(l.s);
    lf_taxii_client_free(c);
    lf_deident_free(d);
    free(text);
    lf_arena_clear(&a);
    return ret;
}

/* ---- blocklist ---- */

static int cmd_blocklist(const lf_cli_env *env, const lf_config *cfg, const opts *o)
{
    (void)cfg;
    if (o->npos != 1 || !o->out) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    int ret = LF_EXIT_ERROR;
    lf_arena a;
    lf_arena_init(&a, 0);
    char *text = NULL;
    lf_blocklist *bl = NULL;
    lf_buf out;
    lf_buf_init(&out, 0);
    lf_stix_set set;
    if (read_stix(o->pos[0], &a, &set, &text))
        goto done;
    lf_bl_opts bo = {0};
    bo.now = o->now ? o->now : (int64_t)time(NULL);
    if (o->max_tlp && !lf_deident_tlp_parse(o->max_tlp, &bo.max_tlp)) {
        fprintf(stderr, "lianfang: --max-tlp: '%s' is not a TLP level\n", o->max_tlp);
        goto done;
    }
    lf_err err;
    lf_err_clear(&err);
    if (lf_blocklist_new(&bo, &bl, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    size_t shown = 0, partial = 0;
    for (size_t i = 0; i < set.nobjs; i++) {
        const lf_stix_obj *ob = &set.objs[i];
        if (strcmp(ob->type, "indicator") || !ob->pat || ob->revoked)
            continue;
        lf_stixpat_iocs iocs;
        if (lf_stixpat_iocs_get(&a, ob->pat, &iocs, &err))
            goto done;
        int64_t expires = 0;
        if (ob->valid_until && lf_fetch_time_parse(ob->valid_until, &expires) == LF_OK)
            expires = expires / 1000 + (expires % 1000 != 0);
        for (size_t k = 0; k < iocs.n; k++) {
            lf_bl_type ty;
            /* only conditions that alone match the whole pattern may block on their own */
            if (!iocs.items[k].sufficient) {
                partial++;
                continue;
            }
            if (!lf_dispatch_bl_type(iocs.items[k].kind, iocs.items[k].cidr, &ty))
                continue;
            lf_bl_indicator ind = {ob->id, iocs.items[k].value, ty, expires,
                                   ob->created_by_ref ? ob->created_by_ref : "unknown", ob->tlp};
            int rc = lf_blocklist_add(bl, &ind, &err);
            if (rc == LF_EPARSE) {
                if (shown++ < 50)
                    lf_cli_error(&err);
            } else if (rc) {
                lf_cli_error(&err);
                goto done;
            }
        }
    }
    if (lf_mkdirs(o->out, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    for (int f = 0; f < LF_BL_NFORMATS; f++) {
        lf_buf_reset(&out);
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", o->out, lf_bl_format_file((lf_bl_format)f));
        if (lf_blocklist_write(bl, (lf_bl_format)f, &out, &err) ||
            lf_fetch_save_file(path, out.data ? out.data : "", out.len, &err)) {
            lf_cli_error(&err);
            goto done;
        }
    }
    const lf_bl_stats *st = lf_blocklist_stats_borrow(bl);
    if (!env->quiet)
        printf("isac blocklist: %zu values (%zu invalid, %zu expired, %zu over TLP, %zu only part of a pattern): "
               "%zu IPv4 + %zu IPv6 entries, %zu domains, %zu URLs, %zu hashes -> %s/\n",
               st->added + st->invalid + st->expired + st->over_tlp, st->invalid, st->expired, st->over_tlp, partial,
               st->v4_out, st->v6_out, st->domains, st->urls, st->hashes, o->out);
    ret = LF_EXIT_OK;
done:
    lf_buf_clear(&out);
    lf_blocklist_free(bl);
    free(text);
    lf_arena_clear(&a);
    return ret;
}

int lf_cli_isac(int argc, char **argv, const lf_cli_env *env)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? LF_EXIT_ERROR : LF_EXIT_OK;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "load"))
        return lf_cli_isac_load(argc - 1, argv + 1, env);   /* the STIX store's loader (cli_isac_load.c) */
    if (strcmp(sub, "pull") && strcmp(sub, "push") && strcmp(sub, "blocklist")) {
        fprintf(stderr, "lianfang: isac: unknown subcommand '%s'\n", sub);
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    opts o;
    if (parse_opts(argc - 1, argv + 1, &o))
        return LF_EXIT_ERROR;
    lf_config *cfg = NULL;
    if (lf_cli_config_load(env, o.config, NULL, &cfg))
        return LF_EXIT_ERROR;
    int ret;
    if (!strcmp(sub, "blocklist")) {
        ret = cmd_blocklist(env, cfg, &o);
    } else {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        ret = !strcmp(sub, "pull") ? cmd_pull(env, cfg, &o) : cmd_push(env, cfg, &o);
        curl_global_cleanup();
    }
    lf_config_free(cfg);
    return ret;
}
