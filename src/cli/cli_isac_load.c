/*
 * cli_isac_load: `lianfang isac load FILE` puts TAXII 2.1 server data into the store, in
 * the format of the OASIS reference server's (medallion) test data: a JSON object whose
 * members are API roots, each {"information": {...}, "status": [...], "collections":
 * [{id, title, description, can_read, can_write, media_types, objects, manifest}]}.
 * The "/discovery" member is skipped: this server's discovery is its own.
 *
 * Objects keep their date_added from the collection's manifest (matched by id and
 * version), so the reference server's answers can be reproduced; the manifest's
 * media_type gives the spec_version of objects that carry none (STIX 2.0). Objects are
 * checked with the STIX 2.1 validator; a STIX 2.0 object (no spec_version) only needs
 * type, id and created/modified. Invalid objects are reported on stderr and skipped.
 *
 * lianfang extensions for one's own fixtures, per collection: "x_lianfang_can_read" and
 * "x_lianfang_can_write" (none|group|community|public) instead of the booleans (true is
 * community, false none), "x_lianfang_group" (a sharing group code, created by
 * "x_lianfang_groups": [{code, name, orgs: [org codes]}] at the top level), and
 * "x_lianfang_default_tlp" (CLEAR .. RED, GREEN by default).
 *
 * Loading again updates roots and collections and leaves object versions already there.
 * The command function is lf_cli_isac_load (argv[0] = "load"), wired by cli_isac.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "isac/stix.h"
#include "isac/taxii.h"
#include "store/store.h"

#define LOAD_MAX_FILE ((size_t)512 << 20)

/* A parsed value back to JSON text (numbers as written). The reference file holds the
 * objects inside a larger document, so their exact bytes are not at hand. */
static int write_json(lf_buf *b, const lf_json *v)
{
    int rc = LF_OK;
    switch (v->type) {
    case LF_JSON_NULL:
        return lf_buf_puts(b, "null");
    case LF_JSON_FALSE:
        return lf_buf_puts(b, "false");
    case LF_JSON_TRUE:
        return lf_buf_puts(b, "true");
    case LF_JSON_NUMBER:
        return lf_buf_append(b, v->u.str, v->n);
    case LF_JSON_STRING:
        return lf_json_write_str(b, v->u.str, v->n);
    case LF_JSON_ARRAY:
        rc = lf_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n && !rc; i++) {
            if (i)
                rc = lf_buf_putc(b, ',');
            if (!rc)
                rc = write_json(b, &v->u.items[i]);
        }
        return rc ? rc : lf_buf_putc(b, ']');
    case LF_JSON_OBJECT:
        rc = lf_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n && !rc; i++) {
            if (i)
                rc = lf_buf_putc(b, ',');
            if (!rc)
                rc = lf_json_write_str(b, v->u.members[i].key, v->u.members[i].klen);
            if (!rc)
                rc = lf_buf_putc(b, ':');
            if (!rc)
                rc = write_json(b, &v->u.members[i].val);
        }
        return rc ? rc : lf_buf_putc(b, '}');
    }
    return rc;
}

static const char *json_text(lf_arena *a, const lf_json *v)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    const char *r = NULL;
    if (!write_json(&b, v) && b.data)
        r = lf_arena_strndup(a, b.data, b.len);
    lf_buf_clear(&b);
    return r;
}

typedef struct load_ctx {
    lf_store *s;
    lf_arena *a;
    lf_err *err;
    size_t roots, colls, objects, skipped, statuses;
} load_ctx;

static int tlp_parse(const char *s)
{
    for (int t = LF_STIX_TLP_CLEAR; s && t <= LF_STIX_TLP_RED; t++)
        if (!strcasecmp(s, lf_stix_tlp_name((lf_stix_tlp)t)))
            return t;
    return -1;
}

static int access_of(const lf_json *c, const char *ext, const char *flag, lf_taxii_access *out, lf_err *err)
{
    const char *x = lf_json_get_str(c, ext);
    if (x) {
        int v = lf_taxii_access_parse(x);
        if (v < 0)
            return lf_err_set(err, LF_EINVAL, "%s: unknown access '%s'", ext, x);
        *out = (lf_taxii_access)v;
    } else {
        *out = lf_json_bool(lf_json_get(c, flag), false) ? LF_TAXII_ACCESS_COMMUNITY : LF_TAXII_ACCESS_NONE;
    }
    return LF_OK;
}

/* The manifest entry of (id, version key): its date_added and media type. */
static const lf_json *manifest_entry(const lf_json *manifest, const char *id, const char *vkey)
{
    for (size_t i = 0; i < lf_json_len(manifest); i++) {
        const lf_json *m = lf_json_at(manifest, i);
        char k[LF_TAXII_VKEY_SIZE];
        const char *mid = lf_json_get_str(m, "id");
        if (mid && !strcmp(mid, id) && lf_taxii_vkey(lf_json_get_str(m, "version"), k) && !strcmp(k, vkey))
            return m;
    }
    return NULL;
}

/* A STIX 2.0 object: the common properties 2.0 requires, nothing more. */
static bool stix20_view(const lf_json *o, lf_stix_obj *v)
{
    memset(v, 0, sizeof *v);
    v->type = lf_json_get_str(o, "type");
    v->id = lf_json_get_str(o, "id");
    v->created = lf_json_get_str(o, "created");
    v->modified = lf_json_get_str(o, "modified");
    v->created_by_ref = lf_json_get_str(o, "created_by_ref");
    v->revoked = lf_json_bool(lf_json_get(o, "revoked"), false);
    v->json = o;
    return v->type && v->id && (v->created || v->modified) && !lf_json_get(o, "spec_version");
}

static int load_objects(load_ctx *x, lf_id coll, const lf_json *c)
{
    const lf_json *objs = lf_json_get(c, "objects"), *manifest = lf_json_get(c, "manifest");
    size_t n = lf_json_len(objs);
    if (!n)
        return LF_OK;
    lf_stix_set set;
    int rc = lf_stix_read(x->a, objs, &set, x->err);
    if (rc)
        return rc;
    lf_stix_obj *views = lf_arena_calloc(x->a, n * sizeof *views);
    bool *valid = lf_arena_calloc(x->a, n * sizeof *valid);
    lf_store_stix_row *rows = lf_arena_calloc(x->a, n * sizeof *rows);
    if (!views || !valid || !rows)
        return lf_err_set(x->err, LF_ENOMEM, "out of memory");
    for (size_t i = 0; i < set.nobjs; i++) {
        views[set.objs[i].index] = set.objs[i];
        valid[set.objs[i].index] = true;
    }
    size_t nrows = 0;
    for (size_t i = 0; i < n; i++) {
        const lf_json *o = lf_json_at(objs, i);
        if (!valid[i] && !stix20_view(o, &views[i])) {
            for (size_t p = 0; p < set.nproblems; p++)
                if (set.problems[p].index == i)
                    fprintf(stderr, "lianfang: isac load: skipped %s: %s: %s\n",
                            set.problems[p].id ? set.problems[p].id : "(no id)", set.problems[p].path,
                            set.problems[p].msg);
            x->skipped++;
            continue;
        }
        lf_store_stix_row *r = &rows[nrows];
        lf_err e;
        lf_err_clear(&e);
        if ((rc = lf_taxii_row(x->a, &views[i], valid[i] ? "2.1" : "2.0", NULL, r, &e))) {
            if (rc != LF_EINVAL)
                return lf_err_set(x->err, rc, "%s", e.msg);
            fprintf(stderr, "lianfang: isac load: skipped %s: %s\n", views[i].id, e.msg);
            x->skipped++;
            continue;
        }
        const lf_json *m = manifest_entry(manifest, r->stix_id, r->vkey);
        const char *mt = lf_json_get_str(m, "media_type");
        const char *ver = mt ? strstr(mt, "version=") : NULL;
        if (!valid[i] && ver)
            r->spec_version = ver + 8;
        int64_t at = 0;
        if (m && lf_taxii_time_parse(lf_json_get_str(m, "date_added"), &at))
            r->date_added = at;
        r->json = json_text(x->a, o);
        if (!r->json)
            return lf_err_set(x->err, LF_ENOMEM, "out of memory");
        r->json_len = strlen(r->json);
        nrows++;
    }
    if ((rc = lf_store_stix_add(x->s, coll, rows, nrows, NULL, NULL, NULL, x->err)))
        return rc;
    x->objects += nrows;
    return LF_OK;
}

static int load_groups(load_ctx *x, const lf_json *groups)
{
    for (size_t i = 0; i < lf_json_len(groups); i++) {
        const lf_json *g = lf_json_at(groups, i);
        const lf_json *orgs = lf_json_get(g, "orgs");
        size_t n = lf_json_len(orgs);
        lf_id *ids = lf_arena_calloc(x->a, (n ? n : 1) * sizeof *ids);
        if (!ids)
            return lf_err_set(x->err, LF_ENOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) {
            lf_store_org o;
            const char *code = lf_json_str(lf_json_at(orgs, k));
            int rc = code ? lf_store_org_get_by_code(x->s, code, x->a, &o, x->err)
                          : lf_err_set(x->err, LF_EINVAL, "x_lianfang_groups: orgs are organisation codes");
            if (rc)
                return rc;
            ids[k] = o.id;
        }
        lf_store_isac_group in = {0, lf_json_get_str(g, "code"), lf_json_get_str(g, "name"), ids, n, 0};
        int rc = lf_store_isac_group_create(x->s, &in, NULL, x->err);
        if (rc && rc != LF_EEXIST)
            return rc;
    }
    return LF_OK;
}

static int group_id(load_ctx *x, const char *code, lf_id *out)
{
    lf_store_isac_group *v;
    size_t n;
    int rc = lf_store_isac_group_list(x->s, x->a, &v, &n, x->err);
    for (size_t i = 0; !rc && i < n; i++)
        if (!strcmp(v[i].code, code)) {
            *out = v[i].id;
            return LF_OK;
        }
    return rc ? rc : lf_err_set(x->err, LF_ENOTFOUND, "x_lianfang_group: no sharing group '%s'", code);
}

static int load_root(load_ctx *x, const char *name, const lf_json *root)
{
    const lf_json *info = lf_json_get(root, "information");
    lf_store_taxii_root r = {0};
    r.name = name;
    r.title = lf_json_get_str(info, "title") ? lf_json_get_str(info, "title") : name;
    r.description = lf_json_get_str(info, "description");
    r.max_content_length = (int64_t)lf_json_num(lf_json_get(info, "max_content_length"), 1048576);
    int rc = lf_store_taxii_root_put(x->s, &r, &r.id, x->err);
    if (rc)
        return rc;
    x->roots++;
    const lf_json *colls = lf_json_get(root, "collections");
    for (size_t i = 0; i < lf_json_len(colls); i++) {
        const lf_json *c = lf_json_at(colls, i);
        lf_store_taxii_coll t = {0};
        t.root_id = r.id;
        t.uuid = lf_json_get_str(c, "id");
        t.title = lf_json_get_str(c, "title");
        t.description = lf_json_get_str(c, "description");
        t.alias = lf_json_get_str(c, "alias");
        const char *tlp = lf_json_get_str(c, "x_lianfang_default_tlp");
        t.default_tlp = tlp ? tlp_parse(tlp) : LF_STIX_TLP_GREEN;
        if (t.default_tlp < 0)
            return lf_err_set(x->err, LF_EINVAL, "collection %s: unknown TLP '%s'", t.uuid ? t.uuid : "?", tlp);
        const char *gcode = lf_json_get_str(c, "x_lianfang_group");
        if ((rc = access_of(c, "x_lianfang_can_read", "can_read", &t.read, x->err)) ||
            (rc = access_of(c, "x_lianfang_can_write", "can_write", &t.write, x->err)) ||
            (gcode && (rc = group_id(x, gcode, &t.group_id))))
            return rc;
        const lf_json *mts = lf_json_get(c, "media_types");
        lf_buf mb;
        lf_buf_init(&mb, 1u << 16);
        for (size_t k = 0; k < lf_json_len(mts); k++) {
            const char *mt = lf_json_str(lf_json_at(mts, k));
            if (mt && !strchr(mt, ','))
                lf_buf_printf(&mb, "%s%s", mb.len ? "," : "", mt);
        }
        t.media_types = mb.len ? lf_arena_strdup(x->a, mb.data) : LF_TAXII_STIX_MEDIA;
        lf_buf_clear(&mb);
        if ((rc = lf_store_taxii_coll_put(x->s, &t, &t.id, x->err)) || (rc = load_objects(x, t.id, c))) {
            lf_err_at(x->err, NULL, 0, 0, t.uuid);
            return rc;
        }
        x->colls++;
    }
    const lf_json *sts = lf_json_get(root, "status");
    for (size_t i = 0; i < lf_json_len(sts); i++) {
        const lf_json *j = lf_json_at(sts, i);
        lf_store_taxii_status st = {0};
        st.uuid = lf_json_get_str(j, "id");
        st.root_id = r.id;
        st.status = lf_json_get_str(j, "status");
        st.request_timestamp = lf_json_get_str(j, "request_timestamp");
        /* the reference data says total_count, and once total_objects */
        const lf_json *tot = lf_json_get(j, "total_count");
        st.total = (uint64_t)lf_json_num(tot ? tot : lf_json_get(j, "total_objects"), 0);
        st.success = (uint64_t)lf_json_num(lf_json_get(j, "success_count"), 0);
        st.failure = (uint64_t)lf_json_num(lf_json_get(j, "failure_count"), 0);
        st.pending = (uint64_t)lf_json_num(lf_json_get(j, "pending_count"), 0);
        const lf_json *l;
        st.successes = (l = lf_json_get(j, "successes")) ? json_text(x->a, l) : "[]";
        st.failures = (l = lf_json_get(j, "failures")) ? json_text(x->a, l) : "[]";
        st.pendings = (l = lf_json_get(j, "pendings")) ? json_text(x->a, l) : "[]";
        if ((rc = lf_store_taxii_status_put(x->s, &st, x->err)))
            return rc;
        x->statuses++;
    }
    return LF_OK;
}

int lf_cli_isac_load(int argc, char **argv, const lf_cli_env *env)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: lianfang [--data DIR] isac load FILE\n"
                        "  FILE: TAXII server data in the OASIS reference server's format\n"
                        "        (e.g. taxii_default_data.json)\n");
        return LF_EXIT_ERROR;
    }
    char url[4300];
    const char *eu = getenv("LIANFANG_STORE_URL");
    if (eu && *eu)
        snprintf(url, sizeof url, "%s", eu);
    else
        snprintf(url, sizeof url, "sqlite:%s/lianfang.db", env->data_dir);
    int status = LF_EXIT_ERROR;
    lf_store *s = NULL;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    char *text = NULL;
    size_t len = 0;
    lf_json *doc = NULL;
    load_ctx x = {0};
    x.a = &a;
    x.err = &err;
    int rc = lf_file_read(argv[1], LOAD_MAX_FILE, &text, &len, &err);
    if (!rc && (rc = lf_json_parse(&a, text, len, NULL, &doc, &err)))
        lf_err_at(&err, argv[1], err.line, err.col, NULL);
    if (!rc && !lf_json_is(doc, LF_JSON_OBJECT))
        rc = lf_err_set(&err, LF_EFORMAT, "%s: not a JSON object of API roots", argv[1]);
    if (rc || (rc = lf_store_open(url, &s, &err)))
        goto done;
    x.s = s;
    /* all or nothing */
    if ((rc = lf_store_begin(s, &err)))
        goto done;
    rc = load_groups(&x, lf_json_get(doc, "x_lianfang_groups"));
    for (uint32_t i = 0; !rc && i < doc->n; i++) {
        const lf_json_member *m = &doc->u.members[i];
        if (m->key[0] == '/' || !strncmp(m->key, "x_", 2))
            continue;   /* "/discovery" and extensions */
        if (!lf_json_is(&m->val, LF_JSON_OBJECT)) {
            rc = lf_err_set(&err, LF_EFORMAT, "%s: API root '%s' is not an object", argv[1], m->key);
            break;
        }
        rc = load_root(&x, m->key, &m->val);
    }
    if (!rc)
        rc = lf_store_commit(s, &err);
    if (rc) {
        lf_store_rollback(s);
        goto done;
    }
    if (!env->quiet)
        fprintf(stderr, "lianfang: isac load: %zu API roots, %zu collections, %zu object versions, %zu statuses "
                        "(%zu objects skipped)\n",
                x.roots, x.colls, x.objects, x.statuses, x.skipped);
    status = LF_EXIT_OK;
done:
    if (rc)
        lf_cli_error(&err);
    free(text);
    lf_arena_clear(&a);
    lf_store_close(s);
    return status;
}
