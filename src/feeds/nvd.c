/*
 * nvd: NVD CVE API 2.0 JSON reader (see nvd.h). Field names follow the API 2.0 schema
 * (cve_api_json_2.0.schema): id, published, lastModified, vulnStatus, descriptions[],
 * metrics.cvssMetricV2/V30/V31/V40[], weaknesses[], references[], configurations[].
 */
#include "feeds/nvd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "vans/cpe.h"
#include "vans/cvss.h"

static const char *str_or_null(const lf_json *o, const char *k)
{
    const char *s = lf_json_get_str(o, k);
    return s;
}

static lf_cvss_severity sev_from_name(const char *s, lf_cvss_version v, int score10)
{
    if (s) {
        if (!strcmp(s, "NONE")) return LF_SEV_NONE;
        if (!strcmp(s, "LOW")) return LF_SEV_LOW;
        if (!strcmp(s, "MEDIUM")) return LF_SEV_MEDIUM;
        if (!strcmp(s, "HIGH")) return LF_SEV_HIGH;
        if (!strcmp(s, "CRITICAL")) return LF_SEV_CRITICAL;
    }
    return lf_cvss_severity_of(v, score10);
}

static void report(lf_feed_ctx *c, const char *src, long line, const char *id, const char *field,
                   int code, const char *msg)
{
    if (!c)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, code, "%s", msg);
    lf_err_at(&e, src, line, 0, field);
    lf_err_id(&e, id);
    lf_feed_error(c, &e);
}

/* Metrics with a vector and a base score in 0..10; any other metric is reported (with
 * the record) and left out, so a bad score never reaches a report as a bad number. */
static int metrics_from_json(lf_feed_ctx *c, const char *src, long line, const char *id,
                             const lf_json *metrics, lf_arena *a, lf_vdoc *out)
{
    static const struct {
        const char *key;
        lf_cvss_version v;
    } kinds[] = {{"cvssMetricV40", LF_CVSS_V40}, {"cvssMetricV31", LF_CVSS_V31},
                 {"cvssMetricV30", LF_CVSS_V30}, {"cvssMetricV2", LF_CVSS_V2}};
    size_t total = 0;
    for (size_t k = 0; k < 4; k++)
        total += lf_json_len(lf_json_get(metrics, kinds[k].key));
    out->nmetric = 0;
    out->metric = total ? lf_arena_alloc(a, total * sizeof(lf_vmetric)) : NULL;
    if (total && !out->metric)
        return LF_ENOMEM;
    for (size_t k = 0; k < 4; k++) {
        const lf_json *arr = lf_json_get(metrics, kinds[k].key);
        for (size_t i = 0; i < lf_json_len(arr); i++) {
            const lf_json *m = lf_json_at(arr, i);
            const lf_json *data = lf_json_get(m, "cvssData");
            const char *vec = lf_json_get_str(data, "vectorString");
            const lf_json *bs = lf_json_get(data, "baseScore");
            double score = lf_json_num(bs, -1);
            if (!vec || !lf_json_is(bs, LF_JSON_NUMBER) || !(score >= 0.0 && score <= 10.0)) {
                report(c, src, line, id, kinds[k].key, LF_EPARSE,
                       !vec ? "metric without cvssData.vectorString; metric left out"
                            : "baseScore is not a number from 0 to 10; metric left out");
                continue;
            }
            lf_vmetric *vm = &out->metric[out->nmetric++];
            vm->source = str_or_null(m, "source");
            const char *type = lf_json_get_str(m, "type");
            vm->primary = type && strcmp(type, "Primary") == 0;
            vm->version = kinds[k].v;
            vm->score10 = (int)lround(score * 10.0);
            const char *sev = lf_json_get_str(data, "baseSeverity");
            if (!sev)
                sev = lf_json_get_str(m, "baseSeverity"); /* v2 keeps it outside cvssData */
            vm->severity = sev_from_name(sev, vm->version, vm->score10);
            vm->vector = vec;
        }
    }
    return LF_OK;
}

static int cwes_from_json(const lf_json *weak, lf_arena *a, lf_vdoc *out)
{
    size_t total = 0;
    for (size_t i = 0; i < lf_json_len(weak); i++)
        total += lf_json_len(lf_json_get(lf_json_at(weak, i), "description"));
    out->ncwe = 0;
    out->cwe = total ? lf_arena_alloc(a, total * sizeof(char *)) : NULL;
    if (total && !out->cwe)
        return LF_ENOMEM;
    for (size_t i = 0; i < lf_json_len(weak); i++) {
        const lf_json *d = lf_json_get(lf_json_at(weak, i), "description");
        for (size_t j = 0; j < lf_json_len(d); j++) {
            const char *v = lf_json_get_str(lf_json_at(d, j), "value");
            if (!v)
                continue;
            bool dup = false;
            for (size_t q = 0; q < out->ncwe && !dup; q++)
                dup = strcmp(out->cwe[q], v) == 0;
            if (!dup)
                out->cwe[out->ncwe++] = v;
        }
    }
    return LF_OK;
}

static int refs_from_json(const lf_json *refs, lf_arena *a, lf_vdoc *out)
{
    size_t n = lf_json_len(refs);
    out->nref = 0;
    out->ref = n ? lf_arena_alloc(a, n * sizeof(lf_vref)) : NULL;
    if (n && !out->ref)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_json *r = lf_json_at(refs, i);
        const char *url = lf_json_get_str(r, "url");
        if (!url)
            continue;
        lf_vref *vr = &out->ref[out->nref++];
        vr->url = url;
        vr->source = lf_json_get_str(r, "source");
        vr->tags = 0;
        const lf_json *tags = lf_json_get(r, "tags");
        for (size_t t = 0; t < lf_json_len(tags); t++) {
            const char *tag = lf_json_str(lf_json_at(tags, t));
            if (tag)
                vr->tags |= lf_ref_tag_bit(tag);
        }
    }
    return LF_OK;
}

static bool op_is_and(const lf_json *o)
{
    const char *op = lf_json_get_str(o, "operator");
    return op && strcmp(op, "AND") == 0;
}

/* One configuration; returns LF_EPARSE (reported) when a criterion is malformed. */
static int config_from_json(lf_feed_ctx *c, const char *src, long line, const char *id, size_t ci,
                            const lf_json *cfg, lf_arena *a, lf_vconfig *out)
{
    const lf_json *nodes = lf_json_get(cfg, "nodes");
    out->op_and = op_is_and(cfg);
    out->not_affected = false;   /* NVD states only what is affected */
    out->nnode = lf_json_len(nodes);
    out->node = out->nnode ? lf_arena_alloc(a, out->nnode * sizeof(lf_vnode)) : NULL;
    if (out->nnode && !out->node)
        return LF_ENOMEM;
    if (lf_json_bool(lf_json_get(cfg, "negate"), false)) {
        report(c, src, line, id, "configurations", LF_EPARSE,
               "configuration-level negate is not defined by NVD; configuration left out");
        return LF_EPARSE;
    }
    for (size_t ni = 0; ni < out->nnode; ni++) {
        const lf_json *n = lf_json_at(nodes, ni);
        lf_vnode *vn = &out->node[ni];
        vn->op_and = op_is_and(n);
        vn->negate = lf_json_bool(lf_json_get(n, "negate"), false);
        const lf_json *cm = lf_json_get(n, "cpeMatch");
        vn->ncrit = lf_json_len(cm);
        vn->crit = vn->ncrit ? lf_arena_alloc(a, vn->ncrit * sizeof(lf_vcrit)) : NULL;
        if (vn->ncrit && !vn->crit)
            return LF_ENOMEM;
        for (size_t k = 0; k < vn->ncrit; k++) {
            const lf_json *m = lf_json_at(cm, k);
            lf_vcrit *vc = &vn->crit[k];
            memset(vc, 0, sizeof(*vc));
            vc->cpe = lf_json_get_str(m, "criteria");
            char where[96];
            snprintf(where, sizeof where, "configurations[%zu].nodes[%zu].cpeMatch[%zu]", ci, ni, k);
            if (!vc->cpe) {
                report(c, src, line, id, where, LF_EPARSE, "criteria missing; configuration left out");
                return LF_EPARSE;
            }
            lf_cpe tmp;
            lf_err ce;
            lf_err_clear(&ce);
            if (lf_cpe_parse(&tmp, vc->cpe, strlen(vc->cpe), &ce) != LF_OK) {
                char msg[1200];
                snprintf(msg, sizeof msg, "criteria \"%.200s\": %.60s%s%.500s (column %ld); configuration left out",
                         vc->cpe, ce.field, ce.field[0] ? ": " : "", ce.msg, ce.col);
                report(c, src, line, id, where, LF_EPARSE, msg);
                return LF_EPARSE;
            }
            static const char *const bounds[] = {"versionStartIncluding", "versionStartExcluding",
                                                 "versionEndIncluding", "versionEndExcluding"};
            for (int b = 0; b < 4; b++) {
                const lf_json *bv = lf_json_get(m, bounds[b]);
                if (bv && !lf_json_is(bv, LF_JSON_STRING)) {
                    char msg[200];
                    snprintf(msg, sizeof msg, "%s is not a string; configuration left out (a dropped bound "
                                              "would widen the range to every version)", bounds[b]);
                    report(c, src, line, id, where, LF_EPARSE, msg);
                    return LF_EPARSE;
                }
            }
            vc->vulnerable = lf_json_bool(lf_json_get(m, "vulnerable"), false);
            vc->match_id = lf_json_get_str(m, "matchCriteriaId");
            const char *s;
            if ((s = lf_json_get_str(m, "versionStartIncluding"))) {
                vc->start = s;
                vc->start_incl = true;
            } else if ((s = lf_json_get_str(m, "versionStartExcluding"))) {
                vc->start = s;
            }
            if ((s = lf_json_get_str(m, "versionEndIncluding"))) {
                vc->end = s;
                vc->end_incl = true;
            } else if ((s = lf_json_get_str(m, "versionEndExcluding"))) {
                vc->end = s;
            }
            vc->scheme = LF_VS_GENERIC;
        }
    }
    return LF_OK;
}

int lf_nvd_doc_from_json(lf_feed_ctx *c, const char *src, long line, const lf_json *cve,
                         lf_arena *a, lf_vdoc *out, bool *rejected, lf_err *err)
{
    memset(out, 0, sizeof(*out));
    *rejected = false;
    if (!lf_json_is(cve, LF_JSON_OBJECT)) {
        lf_err_at(err, src, line, 0, "cve");
        return lf_err_set(err, LF_EPARSE, "record is not a JSON object");
    }
    const char *id = lf_json_get_str(cve, "id");
    if (!id || !id[0]) {
        lf_err_at(err, src, line, 0, "id");
        return lf_err_set(err, LF_EPARSE, "record has no \"id\"");
    }
    out->source = LF_SRC_NVD;
    out->doc_id = id;
    out->vuln_id = id;
    out->published = lf_json_get_str(cve, "published");
    out->modified = lf_json_get_str(cve, "lastModified");
    out->status = lf_json_get_str(cve, "vulnStatus");
    if (out->status && strcmp(out->status, "Rejected") == 0)
        *rejected = true;
    out->kev_added = lf_json_get_str(cve, "cisaExploitAdd");
    out->kev_due = lf_json_get_str(cve, "cisaActionDue");
    out->kev_action = lf_json_get_str(cve, "cisaRequiredAction");
    out->kev_name = lf_json_get_str(cve, "cisaVulnerabilityName");
    if (!out->modified)
        report(c, src, line, id, "lastModified", LF_EPARSE,
               "record has no lastModified, so a later import cannot tell whether it is newer");
    const lf_json *descs = lf_json_get(cve, "descriptions");
    for (size_t i = 0; i < lf_json_len(descs); i++) {
        const lf_json *d = lf_json_at(descs, i);
        const char *lang = lf_json_get_str(d, "lang");
        if (lang && strncmp(lang, "en", 2) == 0) {
            out->description = lf_json_get_str(d, "value");
            break;
        }
    }
    if (metrics_from_json(c, src, line, id, lf_json_get(cve, "metrics"), a, out) ||
        cwes_from_json(lf_json_get(cve, "weaknesses"), a, out) ||
        refs_from_json(lf_json_get(cve, "references"), a, out))
        goto oom;
    const lf_json *cfgs = lf_json_get(cve, "configurations");
    size_t ncfg = lf_json_len(cfgs);
    out->config = ncfg ? lf_arena_alloc(a, ncfg * sizeof(lf_vconfig)) : NULL;
    if (ncfg && !out->config)
        goto oom;
    out->nconfig = 0;
    for (size_t i = 0; i < ncfg; i++) {
        int rc = config_from_json(c, src, line, id, i, lf_json_at(cfgs, i), a, &out->config[out->nconfig]);
        if (rc == LF_ENOMEM)
            goto oom;
        if (rc == LF_OK)
            out->nconfig++;
        else if (c)
            c->report.configs_dropped++;
    }
    return LF_OK;
oom:
    lf_err_at(err, src, line, 0, NULL);
    lf_err_id(err, id);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

typedef struct walk {
    lf_feed_ctx *c;
    const char *src;
    lf_arena *tmp;
    size_t total_lines;
    lf_err *fatal;
} walk;

static int put_record(walk *w, const lf_json *elem, long line)
{
    lf_feed_ctx *c = w->c;
    c->report.records++;
    const lf_json *cve = lf_json_get(elem, "cve");
    if (!cve)
        cve = elem;
    lf_vdoc doc;
    bool rejected;
    lf_err e;
    lf_err_clear(&e);
    lf_arena_reset(w->tmp);
    int rc = lf_nvd_doc_from_json(c, w->src, line, cve, w->tmp, &doc, &rejected, &e);
    if (rc == LF_ENOMEM) {
        *w->fatal = e;
        return rc;
    }
    if (rc) {
        lf_feed_error(c, &e);
        return 0;
    }
    lf_put_result res;
    rc = lf_vdb_builder_put(c->builder, &doc, rejected, &res, &e);
    if (rc) {
        *w->fatal = e;
        return rc;
    }
    lf_feed_count(c, res);
    if (c->on_progress && (c->report.records & 4095) == 0)
        c->on_progress(c->ud, w->src, w->total_lines ? (double)line / (double)w->total_lines : 0,
                       c->report.records);
    return 0;
}

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    walk *w = ud;
    /* A file whose first element is not a CVE record is some other JSON (a vocabulary,
     * an SBOM): refuse the file once instead of reporting every element. */
    if (index == 0 && !(lf_json_is(elem, LF_JSON_OBJECT) && (lf_json_get(elem, "cve") || lf_json_get(elem, "id")))) {
        lf_err_clear(w->fatal);
        lf_err_at(w->fatal, w->src, line, 0, NULL);
        return lf_err_set(w->fatal, LF_EFORMAT,
                          "not NVD CVE API 2.0 JSON: the first array element is not a CVE record");
    }
    return put_record(w, elem, line);
}

int lf_nvd_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_arena json_a, tmp;
    lf_arena_init(&json_a, 1 << 20);
    lf_arena_init(&tmp, 1 << 16);
    int rc = LF_OK;
    walk w = {c, name, &tmp, 0, err};
    c->report.files++;
    c->report.bytes += len;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))) != NULL; p++)
        w.total_lines++;
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i == len) {
        lf_err_at(err, name, 0, 0, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "empty file: expected NVD CVE API 2.0 JSON");
        goto done;
    }
    if (data[i] == '[') {
        rc = lf_json_foreach(&json_a, data, len, NULL, NULL, on_elem, &w, err);
    } else if (data[i] == '{') {
        rc = lf_json_foreach(&json_a, data, len, "vulnerabilities", NULL, on_elem, &w, err);
        if (rc == LF_ENOTFOUND) {
            /* not a page: a single cve object, or a format we do not read */
            lf_err_clear(err);
            lf_json *root;
            lf_arena_reset(&json_a);
            rc = lf_json_parse(&json_a, data, len, NULL, &root, err);
            if (rc == LF_OK) {
                if (lf_json_get(root, "CVE_Items")) {
                    lf_err_at(err, name, 0, 0, NULL);
                    rc = lf_err_set(err, LF_EFORMAT,
                                    "this is a legacy NVD 1.1 feed (CVE_Items); NVD retired it: use the "
                                    "CVE API 2.0 feed files or API pages");
                } else if (lf_json_get(root, "cve") || lf_json_get(root, "id")) {
                    rc = put_record(&w, root, 1);
                } else {
                    lf_err_at(err, name, 1, 0, NULL);
                    rc = lf_err_set(err, LF_EFORMAT,
                                    "not NVD CVE API 2.0 JSON: no \"vulnerabilities\" array and no \"id\"");
                }
            }
        }
    } else {
        char b[8];
        lf_err_at(err, name, 1, (long)i + 1, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "not JSON: starts with %s", lf_err_byte((unsigned char)data[i], b));
    }
    if (rc && !err->src[0])
        lf_err_at(err, name, err->line, err->col, NULL);
done:
    if (c->on_progress)
        c->on_progress(c->ud, name, 1.0, c->report.records);
    lf_arena_clear(&json_a);
    lf_arena_clear(&tmp);
    return rc;
}

int lf_nvd_import_file(lf_feed_ctx *c, const char *path, lf_err *err)
{
    return lf_feed_import_file(c, path, lf_nvd_import_buffer, err);
}
