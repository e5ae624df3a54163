/*
 * finding: hit -> reportable finding (see finding.h).
 */
#include "vans/finding.h"

#include "core/hash.h"

#include <stdio.h>
#include <string.h>

static int version_rank(lf_cvss_version v)
{
    switch (v) {
    case LF_CVSS_V31: return 0;
    case LF_CVSS_V30: return 1;
    case LF_CVSS_V40: return 2;
    case LF_CVSS_V2: return 3;
    default: return 4;
    }
}

int lf_finding_pick_metric(const lf_vmetric *m, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (best < 0) {
            best = (int)i;
            continue;
        }
        int rb = version_rank(m[best].version), ri = version_rank(m[i].version);
        if (ri < rb || (ri == rb && m[i].primary && !m[best].primary))
            best = (int)i;
    }
    return best;
}

/* Fix links first, in order Vendor Advisory, Patch, Mitigation, Release Notes, then the
 * rest in source order. A stable partition keeps the source's order inside each class. */
static int ref_class(uint32_t tags)
{
    if (tags & LF_REF_VENDOR_ADVISORY) return 0;
    if (tags & LF_REF_PATCH) return 1;
    if (tags & LF_REF_MITIGATION) return 2;
    if (tags & LF_REF_RELEASE_NOTES) return 3;
    return 4;
}

int lf_finding_build(const lf_vdb *db, const lf_hit *hit, const char *host, const char *item, bool links,
                     lf_arena *a, lf_finding *out)
{
    /* the configurations are never read from a finding; references and CWEs only for links */
    unsigned parts = LF_VDOC_METRICS | (links ? LF_VDOC_REFS | LF_VDOC_CWES : 0);
    memset(out, 0, sizeof(*out));
    uint32_t doc = lf_hit_doc(db, hit), crit = lf_hit_crit(db, hit);
    out->host = host;
    out->item = item;
    out->vuln_id = lf_vdb_vuln_id(db, hit->vuln);
    out->vuln = hit->vuln;
    out->kind = (lf_hit_kind)hit->kind;
    out->reason = lf_hit_reason(hit);
    out->confidence = hit->kind == LF_HIT_MATCH ? "high" : hit->kind == LF_HIT_REVIEW ? "review" : "low";
    int rc = lf_vdb_doc_parts(db, doc, parts, a, &out->doc);
    if (rc)
        return rc;
    out->nmetric = out->doc.nmetric;
    out->metrics = out->doc.metric;
    int m = lf_finding_pick_metric(out->doc.metric, out->doc.nmetric);
    if (m >= 0) {
        out->has_cvss = true;
        out->cvss = &out->doc.metric[m];
    }
    if (lf_vdb_vuln_kev(db, hit->vuln, &out->kev_entry)) {
        out->kev = true;
        out->kev_from = "catalog";
    } else if (out->doc.kev_added) {
        /* no catalog entry (catalog not imported, or older than the record): the
         * record's own copy of CISA's fields */
        out->kev = true;
        out->kev_from = lf_source_name(out->doc.source);
        out->kev_entry = (lf_vkev){out->vuln_id, out->doc.kev_added, out->doc.kev_due, out->doc.kev_action,
                                   NULL, out->doc.kev_name, NULL, NULL};
    }
    /* the metrics and refs may come from another source's document for the same vuln
     * when this one has none (e.g. a CNA container without CVSS): look there too */
    if (!out->has_cvss || (links && !out->doc.nref)) {
        uint32_t idx[16];
        size_t n = lf_vdb_vuln_docs(db, hit->vuln, idx, 16);
        for (size_t i = 0; i < n && i < 16; i++) {
            if (idx[i] == doc)
                continue;
            lf_vdoc other;
            if (lf_vdb_doc_parts(db, idx[i], parts, a, &other))
                continue;
            if (!out->has_cvss && other.nmetric) {
                int k = lf_finding_pick_metric(other.metric, other.nmetric);
                out->has_cvss = true;
                out->cvss = &other.metric[k];
                out->nmetric = other.nmetric;
                out->metrics = other.metric;
            }
            if (!out->doc.nref && other.nref) {
                out->doc.nref = other.nref;
                out->doc.ref = other.ref;
            }
        }
    }
    size_t nr = out->doc.nref;
    lf_vref *sorted = nr ? lf_arena_alloc(a, nr * sizeof(*sorted)) : NULL;
    if (nr && !sorted)
        return LF_ENOMEM;
    /* NVD often lists one URL once per source; a link appears once, with the union of
     * its tags, so its class is decided by everything said about it */
    size_t nu = 0;
    lf_vref *uniq = nr ? lf_arena_alloc(a, nr * sizeof(*uniq)) : NULL;
    /* each kept URL's hash: the pairwise test compares 64-bit words, not URLs that share
     * long prefixes (strcmp here was 6 % of a repeat upload) */
    uint64_t hbuf[256];
    uint64_t *uh = nr <= 256 ? hbuf : lf_arena_alloc(a, nr * sizeof(*uh));
    if (nr && (!uniq || !uh))
        return LF_ENOMEM;
    for (size_t i = 0; i < nr; i++) {
        const char *url = out->doc.ref[i].url;
        uint64_t h = lf_hash64(url, strlen(url));
        size_t k = 0;
        while (k < nu && (uh[k] != h || strcmp(uniq[k].url, url) != 0))
            k++;
        if (k == nu)
            uh[nu] = h;
        if (k < nu)
            uniq[k].tags |= out->doc.ref[i].tags;
        else
            uniq[nu++] = out->doc.ref[i];
    }
    nr = nu;
    size_t o = 0;
    for (int cls = 0; cls <= 4; cls++)
        for (size_t i = 0; i < nr; i++)
            if (ref_class(uniq[i].tags) == cls)
                sorted[o++] = uniq[i];
    out->refs = sorted;
    out->nref = nr;
    for (size_t i = 0; i < nr; i++)
        if (ref_class(sorted[i].tags) < 4)
            out->nfix++;
    if (crit != UINT32_MAX && lf_matcher_crit_info(db, crit, &out->crit) == LF_OK)
        out->has_crit = true;
    out->config = lf_hit_config(db, hit);
    for (size_t i = 0; i < out->doc.ncwe; i++) {
        if (strncmp(out->doc.cwe[i], "CWE-", 4) == 0) {
            out->cwe = out->doc.cwe[i];
            break;
        }
    }
    return LF_OK;
}

int lf_source_rank(lf_source s)
{
    switch (s) {
    case LF_SRC_CSAF:
    case LF_SRC_OSV: return 3;
    case LF_SRC_CVE5_CNA:
    case LF_SRC_CVE5_ADP: return 2;
    case LF_SRC_NVD: return 1;
    default: return 0;
    }
}

/* Lower-case letters and digits of s, at most n - 1 of them. */
static void alnum_lower(const char *s, size_t sn, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < sn && s[i] && o + 1 < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
}

int lf_finding_rank(const lf_vdoc *d, const char *crit_cpe)
{
    if (d->source != LF_SRC_CSAF)
        return lf_source_rank(d->source);
    if (!d->authority || !crit_cpe)
        return 1;
    /* the criterion's vendor: the fourth ':'-field of cpe:2.3:part:vendor:... */
    const char *v = crit_cpe;
    for (int k = 0; k < 3 && v; k++) {
        v = strchr(v, ':');
        if (v)
            v++;
    }
    if (!v)
        return 1;
    char vend[128], auth[256];
    alnum_lower(v, strcspn(v, ":"), vend, sizeof vend);
    alnum_lower(d->authority, strlen(d->authority), auth, sizeof auth);
    return strlen(vend) >= 3 && strstr(auth, vend) ? 3 : 1;
}

/* Prepend the fix links of doc d to f's links (a link already there moves up). */
static int prepend_fixes(lf_arena *a, const lf_vdoc *d, lf_finding *f)
{
    size_t nf = 0;
    for (size_t i = 0; i < d->nref; i++)
        if (ref_class(d->ref[i].tags) < 4)
            nf++;
    if (!nf)
        return LF_OK;
    lf_vref *v = lf_arena_alloc(a, (nf + f->nref) * sizeof(*v));
    if (!v)
        return LF_ENOMEM;
    size_t o = 0;
    for (size_t i = 0; i < d->nref; i++)
        if (ref_class(d->ref[i].tags) < 4)
            v[o++] = d->ref[i];
    size_t fixes = o;
    for (size_t i = 0; i < f->nref; i++) {
        bool dup = false;
        for (size_t k = 0; k < fixes && !dup; k++)
            dup = strcmp(v[k].url, f->refs[i].url) == 0;
        if (!dup) {
            v[o++] = f->refs[i];
            if (ref_class(f->refs[i].tags) < 4)
                fixes++;
        }
    }
    /* keep fix links first: the prepended ones, then the finding's own */
    size_t nfix = 0;
    for (size_t i = 0; i < o; i++)
        if (ref_class(v[i].tags) < 4)
            nfix++;
    f->refs = v;
    f->nref = o;
    f->nfix = nfix;
    return LF_OK;
}

int lf_finding_explain(const lf_vdb *db, const lf_explain *x, lf_arena *a, lf_finding *f)
{
    if (!x)
        return LF_OK;
    uint32_t idx[32];
    /* by the hit's vuln index: no search by id per finding */
    size_t n = lf_vdb_vuln_docs(db, f->vuln, idx, 32);
    if (n > 32)
        n = 32;
    f->sources = n ? lf_arena_alloc(a, n * sizeof(*f->sources)) : NULL;
    if (n && !f->sources)
        return LF_ENOMEM;
    f->nsource = 0;
    int max_aff = 0, max_na = 0;
    const lf_finding_source *na = NULL;
    for (size_t i = 0; i < n; i++) {
        lf_doc_verdict dv;
        if (lf_explain_doc(x, idx[i], &dv) == LF_VERDICT_SILENT)
            continue;
        /* the identity is enough for the list; the whole document (its links) only for
         * a rank-3 source that says affected, whose fix links go first */
        lf_vdoc d;
        if (lf_vdb_doc_head(db, idx[i], &d))
            return LF_ENOMEM;
        lf_finding_source *s = &f->sources[f->nsource++];
        *s = (lf_finding_source){d.source, d.doc_id, d.modified, dv.verdict, 0, dv.config, false, {0}};
        if (dv.crit != UINT32_MAX && lf_matcher_crit_info(db, dv.crit, &s->crit) == LF_OK)
            s->has_crit = true;
        int r = s->rank = lf_finding_rank(&d, s->has_crit ? s->crit.cpe : NULL);
        if (dv.verdict == LF_VERDICT_AFFECTED) {
            if (r > max_aff)
                max_aff = r;
            if (r == 3 && (lf_vdb_doc(db, idx[i], a, &d) || prepend_fixes(a, &d, f)))
                return LF_ENOMEM;
        } else if (dv.verdict == LF_VERDICT_NOT_AFFECTED && r > max_na) {
            max_na = r;
            na = s;
        }
    }
    if (na && max_na > max_aff) {
        f->suppressed = true;
        f->suppressed_by = na;
    }
    return LF_OK;
}

static const char *const order_names[] = {"kev", "epss", "cvss"};

int lf_finding_order_parse(const char *s, lf_finding_order *o, lf_err *err)
{
    o->n = 0;
    bool seen[LF_ORDER_MAX] = {false, false, false};
    while (s && *s) {
        size_t l = strcspn(s, ",");
        int k = -1;
        for (int i = 0; i < LF_ORDER_MAX; i++)
            if (strlen(order_names[i]) == l && strncmp(s, order_names[i], l) == 0)
                k = i;
        if (k < 0 || seen[k])
            return lf_err_set(err, LF_EINVAL, "order: '%.*s' is %s (use kev, epss and cvss, each once)", (int)l, s,
                              k < 0 ? "not a key" : "given twice");
        seen[k] = true;
        o->key[o->n++] = (lf_order_key)k;
        s += l;
        if (*s == ',')
            s++;
    }
    if (!o->n)
        return lf_err_set(err, LF_EINVAL, "order: empty (use e.g. kev,epss,cvss)");
    return LF_OK;
}

void lf_finding_order_format(const lf_finding_order *o, char *out, size_t n)
{
    size_t off = 0;
    if (n)
        out[0] = '\0';
    for (size_t i = 0; i < o->n && off < n; i++) {
        int r = snprintf(out + off, n - off, "%s%s", i ? "," : "", order_names[o->key[i]]);
        if (r < 0)
            break;
        off += (size_t)r;
    }
}

int lf_finding_cmp_order(const lf_finding *a, const lf_finding *b, const lf_finding_order *o)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    for (size_t i = 0; i < o->n; i++) {
        switch (o->key[i]) {
        case LF_ORDER_KEV:
            if (a->kev != b->kev)
                return a->kev ? -1 : 1;
            break;
        case LF_ORDER_EPSS: {
            /* a score beats none: "no score" is not "zero" */
            double pa = a->has_epss ? a->epss_percentile : -1, pb = b->has_epss ? b->epss_percentile : -1;
            if (pa != pb)
                return pa > pb ? -1 : 1;
            break;
        }
        case LF_ORDER_CVSS: {
            int sa = a->has_cvss ? a->cvss->score10 : -1, sb = b->has_cvss ? b->cvss->score10 : -1;
            if (sa != sb)
                return sa > sb ? -1 : 1;
            break;
        }
        }
    }
    int c = strcmp(a->host, b->host);
    if (c)
        return c;
    c = strcmp(a->vuln_id, b->vuln_id);
    if (c)
        return c;
    return strcmp(a->item ? a->item : "", b->item ? b->item : "");
}

int lf_finding_cmp(const lf_finding *a, const lf_finding *b)
{
    static const lf_finding_order def = {{LF_ORDER_KEV, LF_ORDER_EPSS, LF_ORDER_CVSS}, 3};
    return lf_finding_cmp_order(a, b, &def);
}
