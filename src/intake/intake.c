/*
 * intake: file → encoding → format → records → buckets (see intake.h).
 */
#include "intake/intake.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/cpelist.h"
#include "intake/csv.h"
#include "intake/pkglist.h"
#include "intake/psjson.h"
#include "intake/sbom.h"
#include "intake/textenc.h"
#include "intake/wmic.h"

struct lf_intake {
    lf_namedb *db;
    lf_policy *pol;
    lf_norm *norm;
    lf_resolver *res;
};

/* every method resolve.h names; "other" last, so a method added there and not here is
 * still counted and the counts always add up to the resolved records */
static const char *const methods[] = {"cpe",           "purl",          "package",         "purl-index",
                                      "alias",         "alias-prefix",  "alias-squashed",  "alias-latin",
                                      "alias-fuzzy",   "alias-rewrite", "alias-typo",      "alias-publisher",
                                      "title",         "vocabulary",    "words",           "other"};
_Static_assert(sizeof methods / sizeof methods[0] == LF_INTAKE_NMETHODS, "one name per by_method slot");

const char *lf_intake_method_name(size_t i)
{
    return i < sizeof methods / sizeof methods[0] ? methods[i] : NULL;
}

static const char *const format_names[LF_INV_NFORMATS] = {"auto", "csv", "psjson", "wmic", "dpkg",
                                                          "rpm", "cyclonedx", "spdx", "cpelist"};

const char *lf_inv_format_name(lf_inv_format f)
{
    return (unsigned)f < LF_INV_NFORMATS ? format_names[f] : NULL;
}

int lf_inv_format_parse(const char *name)
{
    for (int i = 0; i < LF_INV_NFORMATS; i++)
        if (name && strcmp(name, format_names[i]) == 0)
            return i;
    if (name && (!strcmp(name, "tsv") || !strcmp(name, "powershell-csv")))
        return LF_INV_CSV;
    if (name && (!strcmp(name, "powershell-json") || !strcmp(name, "json-ps")))
        return LF_INV_PSJSON;
    if (name && (!strcmp(name, "cdx") || !strcmp(name, "sbom")))
        return LF_INV_CYCLONEDX;
    if (name && (!strcmp(name, "cpe") || !strcmp(name, "jsonl")))
        return LF_INV_CPELIST;
    return -1;
}

int lf_intake_new(const lf_intake_config *cfg, lf_intake **out, lf_err *err)
{
    lf_intake *ik = calloc(1, sizeof(*ik));
    if (!ik)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc;
    if ((rc = lf_namedb_new(&ik->db, err)) || (rc = lf_policy_new(&ik->pol, err)) || (rc = lf_norm_new(&ik->norm, err)))
        goto fail;
    if (cfg->dict_dir) {
        rc = lf_namedb_load_dir(ik->db, ik->norm, cfg->dict_dir, cfg->warn, cfg->warn_ud, err);
        if (rc && rc != LF_ENOTFOUND)
            goto fail;
        char pdir[4096];
        snprintf(pdir, sizeof pdir, "%s/policy", cfg->dict_dir);
        if (lf_is_dir(pdir) && (rc = lf_policy_load_dir(ik->pol, ik->norm, pdir, cfg->warn, cfg->warn_ud, err)))
            goto fail;
    }
    if (cfg->cpedict_path && lf_file_exists(cfg->cpedict_path) &&
        (rc = lf_namedb_load_titles(ik->db, ik->norm, cfg->cpedict_path, cfg->warn, cfg->warn_ud, err)))
        goto fail;
    if (cfg->purlidx_path && lf_file_exists(cfg->purlidx_path) &&
        (rc = lf_namedb_load_purlidx(ik->db, cfg->purlidx_path, cfg->warn, cfg->warn_ud, err)))
        goto fail;
    if (cfg->vdb && (rc = lf_namedb_add_vdb(ik->db, cfg->vdb, err)))
        goto fail;
    if ((rc = lf_resolver_new(ik->db, &ik->res, err)))
        goto fail;
    *out = ik;
    return LF_OK;
fail:
    lf_intake_free(ik);
    return rc;
}

void lf_intake_free(lf_intake *ik)
{
    if (!ik)
        return;
    lf_resolver_free(ik->res);
    lf_norm_free(ik->norm);
    lf_policy_free(ik->pol);
    lf_namedb_free(ik->db);
    free(ik);
}

lf_namedb *lf_intake_namedb(lf_intake *ik)
{
    return ik->db;
}

/* ---- detection ---- */

static int cpelist_sniff(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i < n && t[i] == '#') {     /* comments, "# host: NAME" */
            while (i < n && t[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    if (i + 4 <= n && strncmp(t + i, "cpe:", 4) == 0)
        return 90;
    if (i < n && (t[i] == '{' || t[i] == '[')) {
        size_t lim = n - i < 4096 ? n - i : 4096;
        for (size_t k = i; k + 6 <= i + lim; k++)
            if (memcmp(t + k, "\"cpes\"", 6) == 0)
                return 85;
    }
    return 0;
}

lf_inv_format lf_intake_detect(const char *text, size_t len)
{
    struct {
        lf_inv_format f;
        int score;
    } s[] = {
        {LF_INV_CYCLONEDX, lf_sbom_cdx_sniff(text, len)},
        {LF_INV_SPDX, lf_sbom_spdx_sniff(text, len)},
        {LF_INV_SPDX, lf_sbom_spdx_tv_sniff(text, len)},
        {LF_INV_PSJSON, lf_psjson_sniff(text, len)},
        {LF_INV_CPELIST, cpelist_sniff(text, len)},
        {LF_INV_WMIC, lf_wmic_sniff(text, len)},
        {LF_INV_DPKG, lf_pkglist_dpkg_sniff(text, len)},
        {LF_INV_RPM, lf_pkglist_rpm_sniff(text, len)},
        {LF_INV_CSV, lf_csv_sniff(text, len)},
    };
    int best = 0;
    lf_inv_format f = LF_INV_AUTO;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (s[i].score > best) {
            best = s[i].score;
            f = s[i].f;
        }
    return best >= 30 ? f : LF_INV_AUTO;
}

/* ---- the run ---- */

typedef struct run {
    lf_intake *ik;
    const char *default_host;
    lf_intake_item_fn fn;
    lf_intake_reject_fn rej;
    void *ud;
    lf_intake_report *rep;
    lf_err *err;
    int stop;
} run;

static void count_reason(lf_intake_report *rep, lf_bucket b, const char *text)
{
    char t[160];
    size_t o = 0;
    /* numbers in a message vary per row ("row has 7 fields"); the reason does not */
    for (const char *c = text; *c && o + 1 < sizeof t; c++) {
        if (*c >= '0' && *c <= '9') {
            if (o == 0 || t[o - 1] != 'N')
                t[o++] = 'N';
            continue;
        }
        t[o++] = *c;
    }
    t[o] = '\0';
    for (size_t i = 0; i < rep->nreasons; i++)
        if (rep->reasons[i].bucket == b && strcmp(rep->reasons[i].text, t) == 0) {
            rep->reasons[i].count++;
            return;
        }
    if (rep->nreasons == LF_INTAKE_MAX_REASONS) {
        rep->other_reasons++;
        return;
    }
    lf_intake_reason *r = &rep->reasons[rep->nreasons++];
    r->bucket = b;
    snprintf(r->text, sizeof r->text, "%s", t);
    r->count = 1;
}

static int on_rec(void *ud, const lf_inv_rec *rec)
{
    run *r = ud;
    lf_intake_report *rep = r->rep;
    lf_resolution res;
    int rc = lf_resolve(r->ik->res, rec, &res, r->err);
    if (rc)
        return rc;
    rep->records_in++;
    if (res.bucket == LF_BUCKET_RESOLVED) {
        rep->resolved++;
        size_t i = 0;
        while (i + 1 < LF_INTAKE_NMETHODS && !(res.method && strcmp(res.method, methods[i]) == 0))
            i++;
        rep->by_method[i]++;         /* "other" when none matched */
    } else {
        rep->unresolved++;
        count_reason(rep, LF_BUCKET_UNRESOLVED, res.reason ? res.reason : "unresolved");
    }
    lf_policy_hit flags[8];
    const char *vendor = res.vendor[0] ? res.vendor : NULL;
    size_t nf = lf_policy_check(r->ik->pol, vendor, res.product[0] ? res.product : NULL, res.name_key, flags, 8);
    if (nf > 8)
        nf = 8;
    if (nf)
        rep->flagged++;
    lf_intake_item it = {rec->host && *rec->host ? rec->host : r->default_host, rec, &res, flags, nf};
    if (r->fn && (rc = r->fn(r->ud, &it)) != 0) {
        r->stop = rc;
        return rc;
    }
    return 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    run *r = ud;
    r->rep->records_in++;
    r->rep->rejected++;
    count_reason(r->rep, LF_BUCKET_REJECTED, e->msg);
    if (r->rej)
        r->rej(r->ud, e);
}

/* CPE lists come per host from cpelist.h; each item becomes a record with its CPE. */
static int on_cpelist_host(void *ud, const lf_inv_host *h)
{
    for (size_t i = 0; i < h->nitems; i++) {
        lf_inv_rec rec = {0};
        rec.host = h->name;
        rec.cpe = h->raw[i];
        rec.line = h->lines[i];
        int rc = on_rec(ud, &rec);
        if (rc)
            return rc;
    }
    return 0;
}

static void base_name(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, cap, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
    /* host.dpkg.txt → host */
    dot = strchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

int lf_intake_buffer(lf_intake *ik, const char *name, const unsigned char *data, size_t len,
                     const lf_intake_opts *o, lf_intake_item_fn fn, lf_intake_reject_fn rej, void *ud,
                     lf_intake_report *rep, lf_err *err)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->src, sizeof rep->src, "%s", name);
    lf_intake_opts def = {LF_INV_AUTO, -1, NULL, NULL};
    if (!o)
        o = &def;
    char *text = NULL;
    size_t tlen = 0;
    lf_textenc enc;
    int rc = lf_textenc_to_utf8(name, data, len, o->encoding, &text, &tlen, &enc, err);
    if (rc)
        return rc;
    rep->encoding = lf_textenc_name(enc);
    size_t blank = 0;
    while (blank < tlen && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\r' || text[blank] == '\n'))
        blank++;
    if (blank == tlen) {
        free(text);
        lf_err_set(err, LF_EFORMAT, "the file is empty: no inventory records in it");
        lf_err_at(err, name, 0, 0, NULL);
        return LF_EFORMAT;
    }
    lf_inv_format f = (lf_inv_format)o->format;
    if (f == LF_INV_AUTO) {
        f = lf_intake_detect(text, tlen);
        if (f == LF_INV_AUTO) {
            free(text);
            lf_err_set(err, LF_EFORMAT,
                       "cannot tell the inventory format (%s text): not CSV/TSV with a software-name column, "
                       "PowerShell JSON, wmic, dpkg, rpm, CycloneDX, SPDX or a CPE list; use --format",
                       rep->encoding);
            lf_err_at(err, name, 0, 0, NULL);
            return LF_EFORMAT;
        }
    }
    rep->format = lf_inv_format_name(f);
    char host[256];
    base_name(name, host, sizeof host);
    lf_inv_opts io = {o->host ? o->host : host, o->os};
    run r = {ik, io.host, fn, rej, ud, rep, err, 0};
    lf_inv_sink sink = {on_rec, on_reject, &r};
    lf_inv_counts c = {0};
    switch (f) {
    case LF_INV_CSV: rc = lf_csv_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_PSJSON: rc = lf_psjson_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_WMIC: rc = lf_wmic_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_DPKG: rc = lf_pkglist_dpkg_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_RPM: rc = lf_pkglist_rpm_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_CYCLONEDX: rc = lf_sbom_cdx_read(name, text, tlen, &io, &sink, &c, err); break;
    case LF_INV_SPDX:
        rc = lf_sbom_spdx_tv_sniff(text, tlen) > lf_sbom_spdx_sniff(text, tlen)
                 ? lf_sbom_spdx_tv_read(name, text, tlen, &io, &sink, &c, err)
                 : lf_sbom_spdx_read(name, text, tlen, &io, &sink, &c, err);
        break;
    case LF_INV_CPELIST: {
        lf_inv_report cr;
        /* cpelist names hosts itself ("# host:" or the file name) */
        rc = lf_cpelist_read_buffer(o->host ? o->host : name, text, tlen, on_cpelist_host, on_reject, &r, &cr, err);
        break;
    }
    default:
        rc = lf_err_set(err, LF_EINVAL, "no reader for format %d", (int)f);
        break;
    }
    rep->skipped = c.skipped;
    free(text);
    if (r.stop)
        return r.stop;
    return rc;
}

int lf_intake_file(lf_intake *ik, const char *path, const lf_intake_opts *o, lf_intake_item_fn fn,
                   lf_intake_reject_fn rej, void *ud, lf_intake_report *rep, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    memset(rep, 0, sizeof *rep);
    int rc = lf_file_read(path, LF_TEXTENC_MAX_INPUT, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_intake_buffer(ik, path, (const unsigned char *)data, len, o, fn, rej, ud, rep, err);
    free(data);
    return rc;
}
