/*
 * kev: CISA KEV catalog reader (see kev.h).
 */
#include "feeds/kev.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/json.h"

typedef struct kwalk {
    lf_feed_ctx *c;
    const char *src;
    lf_arena *keep;
    lf_vkev *v;
    size_t n, cap;
    int fatal;
} kwalk;

static bool cve_id_ok(const char *s)
{
    /* CVE-YYYY-NNNN+ (CVE numbering: at least four digits in the sequence) */
    if (strncmp(s, "CVE-", 4) != 0)
        return false;
    s += 4;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)*s++))
            return false;
    if (*s++ != '-')
        return false;
    size_t d = 0;
    while (isdigit((unsigned char)s[d]))
        d++;
    return d >= 4 && s[d] == '\0';
}

static const char *keep(kwalk *w, const lf_json *o, const char *k)
{
    const char *s = lf_json_get_str(o, k);
    if (!s)
        return NULL;
    const char *r = lf_arena_strdup(w->keep, s);
    if (!r)
        w->fatal = LF_ENOMEM;
    return r;
}

static int on_kev(void *ud, const lf_json *e, size_t index, long line)
{
    kwalk *w = ud;
    (void)index;
    w->c->report.records++;
    const char *id = lf_json_get_str(e, "cveID");
    if (!id || !cve_id_ok(id)) {
        lf_err er;
        lf_err_clear(&er);
        lf_err_set(&er, LF_EPARSE, id ? "cveID is not a CVE identifier" : "entry has no cveID");
        lf_err_at(&er, w->src, line, 0, "cveID");
        if (id)
            lf_err_id(&er, id);
        lf_feed_error(w->c, &er);
        return 0;
    }
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 2048;
        lf_vkev *nv = realloc(w->v, nc * sizeof(*nv));
        if (!nv)
            return w->fatal = LF_ENOMEM;
        w->v = nv;
        w->cap = nc;
    }
    lf_vkev *k = &w->v[w->n++];
    k->cve = keep(w, e, "cveID");
    k->date_added = keep(w, e, "dateAdded");
    k->due_date = keep(w, e, "dueDate");
    k->required_action = keep(w, e, "requiredAction");
    k->ransomware = keep(w, e, "knownRansomwareCampaignUse");
    k->name = keep(w, e, "vulnerabilityName");
    k->vendor = keep(w, e, "vendorProject");
    k->product = keep(w, e, "product");
    w->c->report.added++;
    return w->fatal;
}

int lf_kev_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_arena a, keepa;
    lf_arena_init(&a, 1 << 16);
    lf_arena_init(&keepa, 1 << 20);
    kwalk w = {c, name, &keepa, NULL, 0, 0, 0};
    c->report.files++;
    c->report.bytes += len;
    int rc = lf_json_foreach(&a, data, len, "vulnerabilities", NULL, on_kev, &w, err);
    if (rc == LF_ENOTFOUND) {
        lf_err_at(err, name, 0, 0, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "not a KEV catalog: no \"vulnerabilities\" array");
        goto done;
    }
    if (w.fatal) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory reading the KEV catalog");
        goto done;
    }
    if (rc) {
        if (!err->src[0])
            lf_err_at(err, name, err->line, err->col, NULL);
        goto done;
    }
    if (c->report.records > 0 && w.n == 0) {
        /* not one usable entry: this is not a catalog; keep the stored one */
        lf_err_at(err, name, 0, 0, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "no usable KEV entry (cveID) in %zu records: not a KEV catalog; "
                                         "the stored catalog is kept", c->report.records);
        goto done;
    }
    /* catalogVersion is a top-level member that the streaming walk skips; the catalog
     * is 1-2 MB, so one more parse (milliseconds) is simpler than a second walker */
    const char *ver = NULL;
    lf_json *root = NULL;
    lf_arena_reset(&a);
    if (lf_json_parse(&a, data, len, NULL, &root, NULL) == LF_OK)
        ver = lf_json_get_str(root, "catalogVersion");
    rc = lf_vdb_builder_set_kev(c->builder, w.v, w.n, ver, err);
done:
    free(w.v);
    lf_arena_clear(&a);
    lf_arena_clear(&keepa);
    return rc;
}

int lf_kev_import_file(lf_feed_ctx *c, const char *path, lf_err *err)
{
    return lf_feed_import_file(c, path, lf_kev_import_buffer, err);
}
