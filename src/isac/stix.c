/*
 * stix: STIX 2.1 object validation and indexed views (see stix.h). Section numbers
 * refer to STIX Version 2.1 (OASIS Standard, 2021).
 *
 * One table lists every known type with its kind, its required properties and an
 * optional function for rules a list of names cannot say ("region, country, or latitude
 * with longitude"). Common rules run on every object first; each failed rule adds one
 * problem and the checks go on, so a producer sees all of an object's faults at once.
 */
#include "isac/stix.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_PATH 320

typedef struct vctx {
    lf_arena *a;
    lf_stix_set *set;
    size_t pcap;
    size_t index;
    const char *prefix;     /* "objects[3]", "[3]" or "" */
    const char *id;         /* current object's id when a string */
    size_t nprob;           /* problems of the current object */
    bool oom;
    const lf_stixpat *pat;  /* an indicator's parsed pattern */
} vctx;

static void prob(vctx *c, const char *prop, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void prob(vctx *c, const char *prop, const char *fmt, ...)
{
    c->nprob++;
    if (c->oom)
        return;
    lf_stix_set *s = c->set;
    if (s->nproblems == c->pcap) {
        size_t nc = c->pcap ? c->pcap * 2 : 16;
        lf_stix_problem *np = lf_arena_alloc(c->a, nc * sizeof *np);
        if (!np) {
            c->oom = true;
            return;
        }
        if (s->nproblems)
            memcpy(np, s->problems, s->nproblems * sizeof *np);
        s->problems = np;
        c->pcap = nc;
    }
    char path[MAX_PATH], msg[512];
    snprintf(path, sizeof path, "%s%s%s", c->prefix, c->prefix[0] && prop && prop[0] && prop[0] != '[' ? "." : "",
             prop ? prop : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lf_stix_problem *p = &s->problems[s->nproblems];
    p->index = c->index;
    p->id = c->id;
    p->path = lf_arena_strdup(c->a, path);
    p->msg = lf_arena_strdup(c->a, msg);
    if (!p->path || !p->msg) {
        c->oom = true;
        return;
    }
    s->nproblems++;
}

/* ---- syntax of identifiers, timestamps ------------------------------------------------ */

/* Type names (section 3.1): a-z, 0-9, '-', 3 to 250 characters; like the OASIS schemas,
 * starting with a letter, not ending with '-' and without "--" (it separates type and
 * UUID in identifiers). */
static bool type_ok(const char *t, size_t n)
{
    if (n < 3 || n > 250 || !(t[0] >= 'a' && t[0] <= 'z') || t[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return false;
        if (ch == '-' && t[i + 1] == '-')
            return false;
    }
    return true;
}

static bool is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* RFC 4122 UUID: 8-4-4-4-12 hex, version 1-5, variant 10xx (section 2.9). */
static bool uuid_ok(const char *u)
{
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (u[i] != '-')
                return false;
        } else if (!is_hex(u[i])) {
            return false;
        }
    }
    if (u[36])
        return false;
    if (u[14] < '1' || u[14] > '5')
        return false;
    char v = u[19];
    return v == '8' || v == '9' || v == 'a' || v == 'b' || v == 'A' || v == 'B';
}

/* Identifier "<type>--<uuid>" (section 2.9). Writes why into msg when it is not. */
static bool id_ok(const char *id, const char *want_type, char *why, size_t wn)
{
    size_t n = strlen(id);
    if (n < 3 + 2 + 36 || id[n - 38] != '-' || id[n - 37] != '-') {
        snprintf(why, wn, "\"%.80s\" is not an identifier <type>--<UUID>", id);
        return false;
    }
    size_t tn = n - 38;
    if (!type_ok(id, tn)) {
        snprintf(why, wn, "\"%.80s\" does not start with a valid type name", id);
        return false;
    }
    if (!uuid_ok(id + n - 36)) {
        snprintf(why, wn, "\"%.80s\" does not end in an RFC 4122 UUID (version 1-5, variant 8/9/a/b)", id);
        return false;
    }
    if (want_type && (strlen(want_type) != tn || memcmp(id, want_type, tn))) {
        snprintf(why, wn, "\"%.80s\" should be a %s identifier", id, want_type);
        return false;
    }
    return true;
}

static bool prop_name_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 250)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
            return false;
    return true;
}

/* ---- property checks -------------------------------------------------------------------- */

static const lf_json *req(vctx *c, const lf_json *o, const char *k)
{
    const lf_json *v = lf_json_get(o, k);
    if (!v)
        prob(c, k, "required property is missing");
    return v;
}

static const char *str_prop(vctx *c, const lf_json *o, const char *k, bool required)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (!v)
        return NULL;
    if (v->type != LF_JSON_STRING) {
        prob(c, k, "must be a string, not %s", lf_json_type_name(v));
        return NULL;
    }
    if (v->n == 0)
        prob(c, k, "must not be empty");
    return v->u.str;
}

static bool ts_prop(vctx *c, const lf_json *o, const char *k, bool required, lf_stix_time *t)
{
    const char *s = str_prop(c, o, k, required);
    if (!s)
        return false;
    if (!lf_stix_time_parse(s, strlen(s), t)) {
        prob(c, k, "\"%.60s\" is not an RFC 3339 UTC timestamp YYYY-MM-DDTHH:MM:SS[.s]Z", s);
        return false;
    }
    return true;
}

/* later must not be before earlier (strict: must be after). */
static void ts_order(vctx *c, const lf_json *o, const char *earlier, const char *later, bool strict)
{
    lf_stix_time t0, t1;
    const char *s0 = lf_json_get_str(o, earlier), *s1 = lf_json_get_str(o, later);
    if (!s0 || !s1 || !lf_stix_time_parse(s0, strlen(s0), &t0) || !lf_stix_time_parse(s1, strlen(s1), &t1))
        return;
    int d = lf_stix_time_cmp(&t1, &t0);
    if (d < 0 || (strict && d == 0))
        prob(c, later, "%s %s must be %s %s %s", later, s1, strict ? "later than" : "at or after", earlier, s0);
}

static bool int_prop(vctx *c, const lf_json *o, const char *k, bool required, double lo, double hi)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (!v)
        return false;
    if (v->type != LF_JSON_NUMBER || v->num != (double)(int64_t)v->num || strchr(v->u.str, '.') ||
        strchr(v->u.str, 'e') || strchr(v->u.str, 'E')) {
        prob(c, k, "must be an integer, not %s", v->type == LF_JSON_NUMBER ? v->u.str : lf_json_type_name(v));
        return false;
    }
    if (v->num < lo || v->num > hi) {
        prob(c, k, "%s is outside %.0f..%.0f", v->u.str, lo, hi);
        return false;
    }
    return true;
}

static void bool_prop(vctx *c, const lf_json *o, const char *k, bool required)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (v && v->type != LF_JSON_TRUE && v->type != LF_JSON_FALSE)
        prob(c, k, "must be true or false, not %s", lf_json_type_name(v));
}

/* An identifier string, of one of the types in want ("identity|location") or any. */
static void ref_value(vctx *c, const char *path, const lf_json *v, const char *want)
{
    char why[200];
    if (v->type != LF_JSON_STRING) {
        prob(c, path, "must be an identifier string, not %s", lf_json_type_name(v));
        return;
    }
    if (!id_ok(v->u.str, NULL, why, sizeof why)) {
        prob(c, path, "%s", why);
        return;
    }
    if (!want)
        return;
    for (const char *w = want; *w;) {
        const char *bar = strchr(w, '|');
        size_t wl = bar ? (size_t)(bar - w) : strlen(w);
        if (!strncmp(v->u.str, w, wl) && v->u.str[wl] == '-' && v->u.str[wl + 1] == '-')
            return;
        w += wl + (bar ? 1 : 0);
    }
    prob(c, path, "\"%.80s\" must refer to %s", v->u.str, want);
}

static void ref_prop(vctx *c, const lf_json *o, const char *k, bool required, const char *want)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (v)
        ref_value(c, k, v, want);
}

static void refs_prop(vctx *c, const lf_json *o, const char *k, bool required, const char *want)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (!v)
        return;
    if (v->type != LF_JSON_ARRAY || v->n == 0) {
        prob(c, k, "must be a non-empty list of identifiers, not %s", v->type == LF_JSON_ARRAY ? "an empty list" : lf_json_type_name(v));
        return;
    }
    char path[MAX_PATH];
    for (size_t i = 0; i < v->n; i++) {
        snprintf(path, sizeof path, "%s[%zu]", k, i);
        ref_value(c, path, &v->u.items[i], want);
    }
}

static void strings_prop(vctx *c, const lf_json *o, const char *k, bool required)
{
    const lf_json *v = required ? req(c, o, k) : lf_json_get(o, k);
    if (!v)
        return;
    if (v->type != LF_JSON_ARRAY || v->n == 0) {
        prob(c, k, "must be a non-empty list of strings, not %s", v->type == LF_JSON_ARRAY ? "an empty list" : lf_json_type_name(v));
        return;
    }
    for (size_t i = 0; i < v->n; i++)
        if (v->u.items[i].type != LF_JSON_STRING) {
            char path[MAX_PATH];
            snprintf(path, sizeof path, "%s[%zu]", k, i);
            prob(c, path, "must be a string, not %s", lf_json_type_name(&v->u.items[i]));
        }
}

static bool one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(s, *set))
            return true;
    return false;
}

static void enum_prop(vctx *c, const lf_json *o, const char *k, bool required, const char *const *set)
{
    const char *s = str_prop(c, o, k, required);
    if (s && !one_of(s, set))
        prob(c, k, "\"%.60s\" is not one of the allowed values", s);
}

static bool digits_from(const char *s, size_t min)
{
    size_t n = 0;
    for (; *s; s++, n++)
        if (*s < '0' || *s > '9')
            return false;
    return n >= min;
}

/* External references (section 2.5). */
static void external_refs(vctx *c, const lf_json *o)
{
    const lf_json *v = lf_json_get(o, "external_references");
    if (!v)
        return;
    if (v->type != LF_JSON_ARRAY) {
        prob(c, "external_references", "must be a list, not %s", lf_json_type_name(v));
        return;
    }
    char path[MAX_PATH];
    for (size_t i = 0; i < v->n; i++) {
        const lf_json *e = &v->u.items[i];
        snprintf(path, sizeof path, "external_references[%zu]", i);
        if (e->type != LF_JSON_OBJECT) {
            prob(c, path, "must be an object, not %s", lf_json_type_name(e));
            continue;
        }
        char sub[MAX_PATH + 20];
        const char *src = lf_json_get_str(e, "source_name");
        snprintf(sub, sizeof sub, "%s.source_name", path);
        if (!src || !src[0])
            prob(c, sub, "required, a non-empty string");
        const char *keys[] = {"description", "url", "external_id"};
        bool any = false;
        for (int k = 0; k < 3; k++) {
            const lf_json *p = lf_json_get(e, keys[k]);
            if (!p)
                continue;
            any = true;
            if (p->type != LF_JSON_STRING) {
                snprintf(sub, sizeof sub, "%s.%s", path, keys[k]);
                prob(c, sub, "must be a string, not %s", lf_json_type_name(p));
            }
        }
        if (!any)
            prob(c, path, "needs description, url or external_id besides source_name");
        const char *eid = lf_json_get_str(e, "external_id");
        snprintf(sub, sizeof sub, "%s.external_id", path);
        if (src && eid && !strcmp(src, "capec") && !(!strncmp(eid, "CAPEC-", 6) && digits_from(eid + 6, 1)))
            prob(c, sub, "\"%.60s\": a capec reference's external_id is CAPEC-<number>", eid);
        if (src && eid && !strcmp(src, "cve") &&
            !(!strncmp(eid, "CVE-", 4) && strlen(eid) >= 13 && eid[8] == '-' && digits_from(eid + 9, 4) &&
              eid[4] >= '0' && eid[4] <= '9' && eid[5] >= '0' && eid[5] <= '9' && eid[6] >= '0' && eid[6] <= '9' &&
              eid[7] >= '0' && eid[7] <= '9'))
            prob(c, sub, "\"%.60s\": a cve reference's external_id is CVE-YYYY-NNNN", eid);
        const lf_json *h = lf_json_get(e, "hashes");
        snprintf(sub, sizeof sub, "%s.hashes", path);
        if (h && h->type != LF_JSON_OBJECT)
            prob(c, sub, "must be a dictionary, not %s", lf_json_type_name(h));
    }
}

/* Granular markings (section 7.2.3). */
static void granular(vctx *c, const lf_json *o)
{
    const lf_json *v = lf_json_get(o, "granular_markings");
    if (!v)
        return;
    if (v->type != LF_JSON_ARRAY || v->n == 0) {
        prob(c, "granular_markings", "must be a non-empty list");
        return;
    }
    char path[MAX_PATH], sub[MAX_PATH + 20];
    for (size_t i = 0; i < v->n; i++) {
        const lf_json *g = &v->u.items[i];
        snprintf(path, sizeof path, "granular_markings[%zu]", i);
        if (g->type != LF_JSON_OBJECT) {
            prob(c, path, "must be an object, not %s", lf_json_type_name(g));
            continue;
        }
        const lf_json *sel = lf_json_get(g, "selectors");
        snprintf(sub, sizeof sub, "%s.selectors", path);
        if (!sel || sel->type != LF_JSON_ARRAY || sel->n == 0)
            prob(c, sub, "required, a non-empty list of selector strings");
        else
            for (size_t k = 0; k < sel->n; k++)
                if (sel->u.items[k].type != LF_JSON_STRING || sel->u.items[k].n == 0)
                    prob(c, sub, "selector %zu is not a non-empty string", k);
        const lf_json *mr = lf_json_get(g, "marking_ref"), *lang = lf_json_get(g, "lang");
        if ((mr != NULL) == (lang != NULL)) {
            prob(c, path, "needs exactly one of marking_ref and lang");
        } else if (mr) {
            snprintf(sub, sizeof sub, "%s.marking_ref", path);
            ref_value(c, sub, mr, "marking-definition");
        } else if (lang->type != LF_JSON_STRING) {
            snprintf(sub, sizeof sub, "%s.lang", path);
            prob(c, sub, "must be a string");
        }
    }
}

static const char *const ext_types[] = {"new-sdo", "new-sco", "new-sro", "property-extension",
                                        "toplevel-property-extension", NULL};

/* Extensions (section 7.3): keys are extension-definition ids or predefined names. */
static void extensions(vctx *c, const lf_json *o, bool *defines_type)
{
    const lf_json *v = lf_json_get(o, "extensions");
    *defines_type = false;
    if (!v)
        return;
    if (v->type != LF_JSON_OBJECT || v->n == 0) {
        prob(c, "extensions", "must be a non-empty dictionary, not %s", lf_json_type_name(v));
        return;
    }
    char path[MAX_PATH], why[200];
    for (size_t i = 0; i < v->n; i++) {
        const lf_json_member *m = &v->u.members[i];
        snprintf(path, sizeof path, "extensions.%.200s", m->key);
        bool is_def = !strncmp(m->key, "extension-definition--", 22);
        if (is_def && !id_ok(m->key, "extension-definition", why, sizeof why))
            prob(c, path, "%s", why);
        else if (!is_def && !type_ok(m->key, m->klen))
            prob(c, path, "extension name must be an extension-definition id or a name in a-z, 0-9, '-'");
        if (m->val.type != LF_JSON_OBJECT) {
            prob(c, path, "must be an object, not %s", lf_json_type_name(&m->val));
            continue;
        }
        const char *et = lf_json_get_str(&m->val, "extension_type");
        if (et && !one_of(et, ext_types)) {
            char sub[MAX_PATH + 20];
            snprintf(sub, sizeof sub, "%s.extension_type", path);
            prob(c, sub, "\"%.60s\" is not an extension type", et);
        }
        if (et && (!strcmp(et, "new-sdo") || !strcmp(et, "new-sco") || !strcmp(et, "new-sro")))
            *defines_type = true;
    }
}

static void kill_chain(vctx *c, const lf_json *o)
{
    const lf_json *v = lf_json_get(o, "kill_chain_phases");
    if (!v)
        return;
    if (v->type != LF_JSON_ARRAY) {
        prob(c, "kill_chain_phases", "must be a list");
        return;
    }
    for (size_t i = 0; i < v->n; i++) {
        const lf_json *k = &v->u.items[i];
        char path[MAX_PATH];
        snprintf(path, sizeof path, "kill_chain_phases[%zu]", i);
        if (!lf_json_get_str(k, "kill_chain_name") || !lf_json_get_str(k, "phase_name"))
            prob(c, path, "needs kill_chain_name and phase_name strings");
    }
}

/* Generic *_ref / *_refs properties not checked more precisely elsewhere. */
static void generic_props(vctx *c, const lf_json *o)
{
    for (size_t i = 0; i < o->n; i++) {
        const lf_json_member *m = &o->u.members[i];
        const char *k = m->key;
        if (!prop_name_ok(k) || strlen(k) != m->klen) {
            prob(c, k, "property names are ASCII letters, digits and '_' (at most 250)");
            continue;
        }
        size_t n = m->klen;
        /* these are checked with the type they must refer to */
        if (!strcmp(k, "created_by_ref") || !strcmp(k, "object_marking_refs") || !strcmp(k, "where_sighted_refs") ||
            !strcmp(k, "observed_data_refs"))
            continue;
        if (n > 4 && !strcmp(k + n - 4, "_ref"))
            ref_value(c, k, &m->val, NULL);
        else if (n > 5 && !strcmp(k + n - 5, "_refs"))
            refs_prop(c, o, k, false, NULL);
    }
}

/* ---- type-specific rules ----------------------------------------------------------------- */

static void check_indicator(vctx *c, const lf_json *o)
{
    ts_order(c, o, "valid_from", "valid_until", true);
    ts_prop(c, o, "valid_until", false, NULL);
    strings_prop(c, o, "indicator_types", false);
    const char *pt = lf_json_get_str(o, "pattern_type"), *pat = lf_json_get_str(o, "pattern");
    if (pt && pat && !strcmp(pt, "stix")) {
        lf_err e;
        lf_err_clear(&e);
        const lf_stixpat *sp;
        const lf_json *pv = lf_json_get(o, "pattern");
        int rc = lf_stixpat_parse(c->a, pat, pv->n, &sp, &e);
        if (rc == LF_ENOMEM)
            c->oom = true;
        else if (rc)
            prob(c, "pattern", "STIX pattern does not parse: %s", e.msg);
        else
            c->pat = sp;
    }
}

static void check_location(vctx *c, const lf_json *o)
{
    const lf_json *lat = lf_json_get(o, "latitude"), *lon = lf_json_get(o, "longitude");
    if (!lf_json_get(o, "region") && !lf_json_get(o, "country") && !(lat && lon))
        prob(c, "", "a location needs region, country, or latitude with longitude");
    if ((lat != NULL) != (lon != NULL))
        prob(c, lat ? "longitude" : "latitude", "latitude and longitude go together");
    if (lat && (lat->type != LF_JSON_NUMBER || lat->num < -90 || lat->num > 90))
        prob(c, "latitude", "must be a number from -90 to 90");
    if (lon && (lon->type != LF_JSON_NUMBER || lon->num < -180 || lon->num > 180))
        prob(c, "longitude", "must be a number from -180 to 180");
    if (lf_json_get(o, "precision") && !(lat && lon))
        prob(c, "precision", "precision needs latitude and longitude");
}

static void check_malware(vctx *c, const lf_json *o)
{
    if (lf_json_is(lf_json_get(o, "is_family"), LF_JSON_TRUE) && !lf_json_get(o, "name"))
        prob(c, "name", "required when is_family is true");
    ts_order(c, o, "first_seen", "last_seen", false);
}

static void check_malware_analysis(vctx *c, const lf_json *o)
{
    if (!lf_json_get(o, "result") && !lf_json_get(o, "analysis_sco_refs"))
        prob(c, "", "malware-analysis needs result or analysis_sco_refs");
}

static void check_observed(vctx *c, const lf_json *o)
{
    ts_order(c, o, "first_observed", "last_observed", false);
    int_prop(c, o, "number_observed", false, 1, 999999999);
    const lf_json *objs = lf_json_get(o, "objects"), *refs = lf_json_get(o, "object_refs");
    if (!objs && !refs)
        prob(c, "", "observed-data needs object_refs (or the deprecated objects)");
    if (objs && refs)
        prob(c, "objects", "objects and object_refs must not both be present");
    if (objs && (objs->type != LF_JSON_OBJECT || objs->n == 0))
        prob(c, "objects", "must be a non-empty dictionary of observables");
}

static const char *const opinions[] = {"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree", NULL};

static void check_opinion(vctx *c, const lf_json *o)
{
    enum_prop(c, o, "opinion", false, opinions);
}

static void check_seen(vctx *c, const lf_json *o) { ts_order(c, o, "first_seen", "last_seen", false); }

static void check_relationship(vctx *c, const lf_json *o)
{
    const char *rt = lf_json_get_str(o, "relationship_type");
    if (rt && !type_ok(rt, strlen(rt)))
        prob(c, "relationship_type", "\"%.60s\" is not a relationship type name", rt);
    ts_order(c, o, "start_time", "stop_time", true);
}

static void check_sighting(vctx *c, const lf_json *o)
{
    int_prop(c, o, "count", false, 0, 999999999);
    refs_prop(c, o, "observed_data_refs", false, "observed-data");
    refs_prop(c, o, "where_sighted_refs", false, "identity|location");
    ts_order(c, o, "first_seen", "last_seen", false);
}

static void check_artifact(vctx *c, const lf_json *o)
{
    const lf_json *pb = lf_json_get(o, "payload_bin"), *url = lf_json_get(o, "url");
    if ((pb != NULL) == (url != NULL))
        prob(c, "", "artifact needs exactly one of payload_bin and url");
    if (url && !lf_json_get(o, "hashes"))
        prob(c, "hashes", "required when url is present");
}

static void check_file(vctx *c, const lf_json *o)
{
    if (!lf_json_get(o, "hashes") && !lf_json_get(o, "name"))
        prob(c, "", "file needs hashes or name");
}

static void check_network_traffic(vctx *c, const lf_json *o)
{
    strings_prop(c, o, "protocols", false);
    if (!lf_json_get(o, "src_ref") && !lf_json_get(o, "dst_ref"))
        prob(c, "", "network-traffic needs src_ref or dst_ref");
}

/* ---- SCO values (section 6): the syntax each observable's value must have ---- */

static const char *v_ipv4(const char *s, size_t n) { return lf_stixpat_check_ipv4(s, n, NULL); }
static const char *v_ipv6(const char *s, size_t n) { return lf_stixpat_check_ipv6(s, n, NULL); }

/* mac-addr (6.8): "a single colon-delimited, lowercase MAC-48 address, which MUST include
 * leading zeros for each octet". */
static const char *v_mac(const char *s, size_t n)
{
    bool ok = n == 17;
    for (size_t i = 0; ok && i < n; i++)
        ok = i % 3 == 2 ? s[i] == ':' : (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
    return ok ? NULL : "not a MAC-48 address as STIX writes it (six lower-case hex octets with leading zeros, "
                       "colon-separated: 00:1a:2b:3c:4d:5e)";
}

/* The value property, when a non-empty string (str_prop reports it otherwise), checked
 * by fn. The checks are the pattern extraction's (stixpat.h), so an object and a pattern
 * agree on what an address or a domain is. */
static void value_syntax(vctx *c, const lf_json *o, const char *(*fn)(const char *s, size_t n))
{
    const lf_json *v = lf_json_get(o, "value");
    if (!lf_json_is(v, LF_JSON_STRING) || v->n == 0)
        return;   /* str_prop has said so */
    const char *why = fn(v->u.str, v->n);
    if (why)
        prob(c, "value", "\"%.100s\" is %s", v->u.str, why);
}

static void check_ipv4_addr(vctx *c, const lf_json *o) { value_syntax(c, o, v_ipv4); }
static void check_ipv6_addr(vctx *c, const lf_json *o) { value_syntax(c, o, v_ipv6); }
static void check_mac_addr(vctx *c, const lf_json *o) { value_syntax(c, o, v_mac); }
static void check_domain_name(vctx *c, const lf_json *o) { value_syntax(c, o, lf_stixpat_check_domain); }
static void check_email_addr(vctx *c, const lf_json *o) { value_syntax(c, o, lf_stixpat_check_email); }
static void check_url(vctx *c, const lf_json *o) { value_syntax(c, o, lf_stixpat_check_url); }

/* hashing-algorithm-ov (section 10.7) and the SHA-3 family: keys compared in upper case
 * without '-' or '_' (producers write "SHA256" and "sha-256" too); hexlen 0 = no fixed
 * length. Other keys are custom algorithms, not checked. */
static const struct {
    const char *key, *name;
    size_t hexlen;
} hash_algs[] = {
    {"MD5", "MD5", 32},           {"SHA1", "SHA-1", 40},         {"SHA256", "SHA-256", 64},
    {"SHA512", "SHA-512", 128},   {"SHA3224", "SHA3-224", 56},   {"SHA3256", "SHA3-256", 64},
    {"SHA3384", "SHA3-384", 96},  {"SHA3512", "SHA3-512", 128},  {"SSDEEP", "SSDEEP", 0},
    {"TLSH", "TLSH", 0},
};

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_hex(s[i]))
            return false;
    return n > 0;
}

/* SSDEEP: "blocksize:hash:hash", the hashes in base64's alphabet (both empty for an
 * empty input: "3::"). */
static bool ssdeep_ok(const char *s, size_t n)
{
    size_t i = 0, colons = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i == n || s[i] != ':')
        return false;
    for (i++; i < n; i++) {
        char ch = s[i];
        if (ch == ':')
            colons++;
        else if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
                   ch == '/'))
            return false;
    }
    return colons == 1;
}

/* TLSH: hex, after an optional version prefix "T1" (its length varies with the options
 * the digest was made with). */
static bool tlsh_ok(const char *s, size_t n)
{
    bool t1 = n >= 2 && s[0] == 'T' && s[1] == '1';
    return all_hex(s + (t1 ? 2 : 0), n - (t1 ? 2 : 0));
}

/* hashes (section 2.7) of file, artifact and x509-certificate: at least one entry, each a
 * string; the fixed-length algorithms hex of their length, SSDEEP its three fields, TLSH
 * hex after an optional "T1" version prefix. */
static void hashes_prop(vctx *c, const lf_json *o)
{
    const lf_json *h = lf_json_get(o, "hashes");
    if (!h)
        return;
    if (!lf_json_is(h, LF_JSON_OBJECT) || h->n == 0) {
        prob(c, "hashes", "must be a dictionary of one or more hashes");
        return;
    }
    for (size_t i = 0; i < h->n; i++) {
        const lf_json_member *m = &h->u.members[i];
        char path[MAX_PATH], norm[16];
        snprintf(path, sizeof path, "hashes.%.250s", m->key);
        if (!lf_json_is(&m->val, LF_JSON_STRING)) {
            prob(c, path, "must be a string");
            continue;
        }
        size_t j = 0;
        const char *k = m->key;
        for (; *k && j + 1 < sizeof norm; k++)
            if (*k != '-' && *k != '_')
                norm[j++] = (char)((*k >= 'a' && *k <= 'z') ? *k - 32 : *k);
        norm[j] = '\0';
        const char *v = m->val.u.str;
        size_t n = m->val.n;
        for (size_t a = 0; !*k && a < sizeof hash_algs / sizeof hash_algs[0]; a++) {
            if (strcmp(norm, hash_algs[a].key))
                continue;
            if (hash_algs[a].hexlen && (n != hash_algs[a].hexlen || !all_hex(v, n)))
                prob(c, path, "\"%.140s\" is not a valid %s hash (%zu hexadecimal digits)", v, hash_algs[a].name,
                     hash_algs[a].hexlen);
            else if (!strcmp(norm, "SSDEEP") && !ssdeep_ok(v, n))
                prob(c, path, "\"%.140s\" is not an SSDEEP hash (blocksize:hash:hash)", v);
            else if (!strcmp(norm, "TLSH") && !tlsh_ok(v, n))
                prob(c, path, "\"%.140s\" is not a TLSH hash (hexadecimal, after an optional T1)", v);
            break;
        }
    }
}

/* SCOs whose every property is optional must still say something (section 6). */
static void check_any_property(vctx *c, const lf_json *o)
{
    static const char *const common[] = {"type", "id", "spec_version", "object_marking_refs",
                                         "granular_markings", "defanged", "extensions", NULL};
    for (size_t i = 0; i < o->n; i++)
        if (!one_of(o->u.members[i].key, common))
            return;
    if (!lf_json_get(o, "extensions"))
        prob(c, "", "%s needs at least one property besides the common ones", lf_json_get_str(o, "type"));
}

static const struct {
    const char *id;
    lf_stix_tlp tlp;
    const char *name;   /* TLP 1.0 definition.tlp or TLP 2.0 tlp_2_0 value */
    bool v2;
} tlp_ids[] = {
    /* TLP 1.0, STIX 2.1 section 7.2.1.4 */
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", LF_STIX_TLP_CLEAR, "white", false},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", LF_STIX_TLP_GREEN, "green", false},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", LF_STIX_TLP_AMBER, "amber", false},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", LF_STIX_TLP_RED, "red", false},
    /* TLP 2.0, OASIS extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d */
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", LF_STIX_TLP_CLEAR, "clear", true},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", LF_STIX_TLP_GREEN, "green", true},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", LF_STIX_TLP_AMBER, "amber", true},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", LF_STIX_TLP_AMBER_STRICT, "amber+strict", true},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", LF_STIX_TLP_RED, "red", true},
};

#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

lf_stix_tlp lf_stix_tlp_of_marking(const char *id)
{
    if (!id)
        return LF_STIX_TLP_UNKNOWN;
    for (size_t i = 0; i < sizeof tlp_ids / sizeof tlp_ids[0]; i++)
        if (!strcmp(id, tlp_ids[i].id))
            return tlp_ids[i].tlp;
    return LF_STIX_TLP_UNKNOWN;
}

const char *lf_stix_tlp_name(lf_stix_tlp t)
{
    static const char *names[] = {"unknown", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

static void check_marking(vctx *c, const lf_json *o)
{
    const char *id = lf_json_get_str(o, "id");
    const char *dt = lf_json_get_str(o, "definition_type");
    const lf_json *def = lf_json_get(o, "definition");
    const lf_json *ext = lf_json_get(o, "extensions");
    const lf_json *tlp2 = lf_json_get(ext, TLP2_EXT);
    size_t known = SIZE_MAX;
    for (size_t i = 0; id && i < sizeof tlp_ids / sizeof tlp_ids[0]; i++)
        if (!strcmp(id, tlp_ids[i].id))
            known = i;
    if (dt || def) {
        if (!dt)
            prob(c, "definition_type", "required with definition");
        if (!def || def->type != LF_JSON_OBJECT) {
            prob(c, "definition", "required with definition_type, an object");
            return;
        }
        if (dt && !strcmp(dt, "tlp")) {
            static const char *const colours[] = {"white", "green", "amber", "red", NULL};
            const char *col = lf_json_get_str(def, "tlp");
            if (!col || !one_of(col, colours))
                prob(c, "definition.tlp", "must be white, green, amber or red");
            else if (known != SIZE_MAX && (tlp_ids[known].v2 || strcmp(col, tlp_ids[known].name)))
                prob(c, "definition.tlp", "\"%s\" contradicts the standard TLP marking id %s", col, id);
        } else if (dt && !strcmp(dt, "statement")) {
            if (!lf_json_get_str(def, "statement"))
                prob(c, "definition.statement", "required, a string");
        }
    } else if (!ext) {
        prob(c, "", "a marking-definition needs definition_type with definition, or extensions");
    }
    if (tlp2) {
        static const char *const levels[] = {"clear", "green", "amber", "amber+strict", "red", NULL};
        const char *lv = lf_json_get_str(tlp2, "tlp_2_0");
        if (!lv || !one_of(lv, levels))
            prob(c, "extensions." TLP2_EXT ".tlp_2_0", "must be clear, green, amber, amber+strict or red");
        else if (known != SIZE_MAX && (!tlp_ids[known].v2 || strcmp(lv, tlp_ids[known].name)))
            prob(c, "extensions." TLP2_EXT ".tlp_2_0", "\"%s\" contradicts the standard TLP marking id %s", lv, id);
    }
}

static void check_language_content(vctx *c, const lf_json *o)
{
    const lf_json *ct = lf_json_get(o, "contents");
    if (ct && (ct->type != LF_JSON_OBJECT || ct->n == 0))
        prob(c, "contents", "must be a non-empty dictionary of language to translations");
    for (size_t i = 0; ct && ct->type == LF_JSON_OBJECT && i < ct->n; i++)
        if (ct->u.members[i].val.type != LF_JSON_OBJECT) {
            char path[MAX_PATH];
            snprintf(path, sizeof path, "contents.%.200s", ct->u.members[i].key);
            prob(c, path, "must be an object of property translations");
        }
}

static void check_extension_definition(vctx *c, const lf_json *o)
{
    const lf_json *et = lf_json_get(o, "extension_types");
    if (et && (et->type != LF_JSON_ARRAY || et->n == 0)) {
        prob(c, "extension_types", "must be a non-empty list");
        return;
    }
    for (size_t i = 0; et && i < et->n; i++) {
        const char *s = lf_json_str(&et->u.items[i]);
        if (!s || !one_of(s, ext_types)) {
            char path[MAX_PATH];
            snprintf(path, sizeof path, "extension_types[%zu]", i);
            prob(c, path, "not an extension type (new-sdo, new-sco, new-sro, property-extension, toplevel-property-extension)");
        }
    }
}

typedef void (*check_fn)(vctx *c, const lf_json *o);

static const struct tdef {
    const char *type;
    lf_stix_kind kind;
    const char *req[6];      /* required properties beyond the kind's common ones */
    check_fn fn;
} types[] = {
    /* SDOs, section 4 */
    {"attack-pattern", LF_STIX_SDO, {"name"}, NULL},
    {"campaign", LF_STIX_SDO, {"name"}, check_seen},
    {"course-of-action", LF_STIX_SDO, {"name"}, NULL},
    {"grouping", LF_STIX_SDO, {"context", "object_refs"}, NULL},
    {"identity", LF_STIX_SDO, {"name"}, NULL},
    {"incident", LF_STIX_SDO, {"name"}, NULL},
    {"indicator", LF_STIX_SDO, {"pattern", "pattern_type", "valid_from"}, check_indicator},
    {"infrastructure", LF_STIX_SDO, {"name"}, check_seen},
    {"intrusion-set", LF_STIX_SDO, {"name"}, check_seen},
    {"location", LF_STIX_SDO, {NULL}, check_location},
    {"malware", LF_STIX_SDO, {"is_family"}, check_malware},
    {"malware-analysis", LF_STIX_SDO, {"product"}, check_malware_analysis},
    {"note", LF_STIX_SDO, {"content", "object_refs"}, NULL},
    {"observed-data", LF_STIX_SDO, {"first_observed", "last_observed", "number_observed"}, check_observed},
    {"opinion", LF_STIX_SDO, {"opinion", "object_refs"}, check_opinion},
    {"report", LF_STIX_SDO, {"name", "published", "object_refs"}, NULL},
    {"threat-actor", LF_STIX_SDO, {"name"}, check_seen},
    {"tool", LF_STIX_SDO, {"name"}, NULL},
    {"vulnerability", LF_STIX_SDO, {"name"}, NULL},
    /* SROs, section 5 */
    {"relationship", LF_STIX_SRO, {"relationship_type", "source_ref", "target_ref"}, check_relationship},
    {"sighting", LF_STIX_SRO, {"sighting_of_ref"}, check_sighting},
    /* SCOs, section 6 */
    {"artifact", LF_STIX_SCO, {NULL}, check_artifact},
    {"autonomous-system", LF_STIX_SCO, {"number"}, NULL},
    {"directory", LF_STIX_SCO, {"path"}, NULL},
    {"domain-name", LF_STIX_SCO, {"value"}, check_domain_name},
    {"email-addr", LF_STIX_SCO, {"value"}, check_email_addr},
    {"email-message", LF_STIX_SCO, {"is_multipart"}, NULL},
    {"file", LF_STIX_SCO, {NULL}, check_file},
    {"ipv4-addr", LF_STIX_SCO, {"value"}, check_ipv4_addr},
    {"ipv6-addr", LF_STIX_SCO, {"value"}, check_ipv6_addr},
    {"mac-addr", LF_STIX_SCO, {"value"}, check_mac_addr},
    {"mutex", LF_STIX_SCO, {"name"}, NULL},
    {"network-traffic", LF_STIX_SCO, {"protocols"}, check_network_traffic},
    {"process", LF_STIX_SCO, {NULL}, check_any_property},
    {"software", LF_STIX_SCO, {"name"}, NULL},
    {"url", LF_STIX_SCO, {"value"}, check_url},
    {"user-account", LF_STIX_SCO, {NULL}, check_any_property},
    {"windows-registry-key", LF_STIX_SCO, {NULL}, check_any_property},
    {"x509-certificate", LF_STIX_SCO, {NULL}, check_any_property},
    /* meta objects, section 7 */
    {"marking-definition", LF_STIX_META, {"created"}, check_marking},
    {"language-content", LF_STIX_META, {"created", "modified", "object_ref", "contents"}, check_language_content},
    {"extension-definition", LF_STIX_META,
     {"created", "modified", "created_by_ref", "name", "schema", "version"}, check_extension_definition},
};

/* Properties whose values are timestamps wherever they appear (sections 4-5). */
static const char *const ts_props[] = {"first_seen", "last_seen", "first_observed", "last_observed",
                                       "published", "valid_from", "valid_until", "start_time",
                                       "stop_time", "submitted", "analysis_started", "analysis_ended", NULL};

static const char *const string_props[] = {"name", "description", "pattern", "pattern_type", "context",
                                           "content", "product", "relationship_type", "value",
                                           "schema", "version", "result", NULL};

static const char *const bool_props[] = {"revoked", "is_family", "is_multipart", "defanged", "is_self_signed",
                                         "is_service_account", "is_privileged", "can_escalate_privs",
                                         "is_disabled", "is_hidden", "is_active", NULL};

/* ---- one object ------------------------------------------------------------------------- */

static int build_view(vctx *c, const lf_json *o, lf_stix_kind kind, lf_stix_obj *v)
{
    memset(v, 0, sizeof *v);
    v->type = lf_json_get_str(o, "type");
    v->id = lf_json_get_str(o, "id");
    v->spec_version = lf_json_get_str(o, "spec_version");
    v->created = lf_json_get_str(o, "created");
    v->modified = lf_json_get_str(o, "modified");
    v->created_by_ref = lf_json_get_str(o, "created_by_ref");
    v->name = lf_json_get_str(o, "name");
    v->valid_from = lf_json_get_str(o, "valid_from");
    v->valid_until = lf_json_get_str(o, "valid_until");
    v->pattern = lf_json_get_str(o, "pattern");
    v->pattern_type = lf_json_get_str(o, "pattern_type");
    v->pat = c->pat;
    v->revoked = lf_json_bool(lf_json_get(o, "revoked"), false);
    v->kind = kind;
    v->index = c->index;
    v->json = o;
    const lf_json *mr = lf_json_get(o, "object_marking_refs");
    if (mr && mr->n) {
        v->marking_refs = lf_arena_alloc(c->a, mr->n * sizeof *v->marking_refs);
        if (!v->marking_refs)
            return LF_ENOMEM;
        for (size_t i = 0; i < mr->n; i++) {
            v->marking_refs[i] = mr->u.items[i].u.str;
            lf_stix_tlp t = lf_stix_tlp_of_marking(v->marking_refs[i]);
            if (t > v->tlp)
                v->tlp = t;
        }
        v->nmarking = mr->n;
    }
    const lf_json *lb = lf_json_get(o, "labels");
    if (lb && lb->n) {
        v->labels = lf_arena_alloc(c->a, lb->n * sizeof *v->labels);
        if (!v->labels)
            return LF_ENOMEM;
        for (size_t i = 0; i < lb->n; i++)
            v->labels[i] = lb->u.items[i].u.str;
        v->nlabels = lb->n;
    }
    return LF_OK;
}

/* Validate o; on success append its view to the set. */
static int check_object(vctx *c, const lf_json *o, size_t *ocap)
{
    lf_stix_kind kind = LF_STIX_CUSTOM;
    c->nprob = 0;
    c->id = NULL;
    c->pat = NULL;
    if (!o || o->type != LF_JSON_OBJECT) {
        prob(c, "", "a STIX object must be a JSON object, not %s", lf_json_type_name(o));
        goto done;
    }
    c->id = lf_json_get_str(o, "id");
    const char *type = str_prop(c, o, "type", true);
    if (type && !type_ok(type, strlen(type))) {
        prob(c, "type", "\"%.60s\" is not a type name (a-z, 0-9, '-', 3 to 250 characters)", type);
        type = NULL;
    }
    const struct tdef *td = NULL;
    for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(type, types[i].type))
            td = &types[i];
    bool defines_type;
    extensions(c, o, &defines_type);
    kind = td ? td->kind : LF_STIX_CUSTOM;
    if (type && !td && strncmp(type, "x-", 2) && !defines_type)
        prob(c, "type", "\"%.60s\" is not a STIX 2.1 type (custom types start with x- or are defined by a "
             "new-sdo/new-sco/new-sro extension)", type);

    /* common properties, section 3.2 */
    const char *id = str_prop(c, o, "id", true);
    char why[200];
    if (id && type && !id_ok(id, type, why, sizeof why))
        prob(c, "id", "%s", why);
    bool needs_core = kind == LF_STIX_SDO || kind == LF_STIX_SRO;
    const char *sv = str_prop(c, o, "spec_version", kind != LF_STIX_SCO && kind != LF_STIX_CUSTOM);
    if (sv && strcmp(sv, "2.1"))
        prob(c, "spec_version", "\"%.20s\" is not 2.1", sv);
    lf_stix_time tc, tm;
    bool hc = ts_prop(c, o, "created", needs_core, &tc);
    bool hm = ts_prop(c, o, "modified", needs_core, &tm);
    if (hc && hm && lf_stix_time_cmp(&tm, &tc) < 0)
        prob(c, "modified", "modified must be at or after created");
    ref_prop(c, o, "created_by_ref", false, "identity");
    for (size_t i = 0; bool_props[i]; i++)
        bool_prop(c, o, bool_props[i], false);
    strings_prop(c, o, "labels", false);
    int_prop(c, o, "confidence", false, 0, 100);
    str_prop(c, o, "lang", false);
    external_refs(c, o);
    refs_prop(c, o, "object_marking_refs", false, "marking-definition");
    granular(c, o);
    kill_chain(c, o);
    generic_props(c, o);
    for (size_t i = 0; ts_props[i]; i++)
        ts_prop(c, o, ts_props[i], false, NULL);
    for (size_t i = 0; string_props[i]; i++)
        str_prop(c, o, string_props[i], false);

    if (kind == LF_STIX_SCO)
        hashes_prop(c, o);
    if (td) {
        for (size_t i = 0; i < 6 && td->req[i]; i++)
            if (!lf_json_get(o, td->req[i]))
                prob(c, td->req[i], "required property of %s is missing", td->type);
        if (td->fn)
            td->fn(c, o);
    }
done:
    if (c->oom)
        return LF_ENOMEM;
    if (c->nprob) {
        c->set->ninvalid++;
        return LF_OK;
    }
    lf_stix_set *s = c->set;
    if (s->nobjs == *ocap) {
        size_t nc = *ocap ? *ocap * 2 : 16;
        lf_stix_obj *no = lf_arena_alloc(c->a, nc * sizeof *no);
        if (!no)
            return LF_ENOMEM;
        if (s->nobjs)
            memcpy(no, s->objs, s->nobjs * sizeof *no);
        s->objs = no;
        *ocap = nc;
    }
    if (build_view(c, o, kind, &s->objs[s->nobjs]))
        return LF_ENOMEM;
    s->nobjs++;
    return LF_OK;
}

int lf_stix_read(lf_arena *a, const lf_json *doc, lf_stix_set *set, lf_err *err)
{
    if (!a || !set)
        return lf_err_set(err, LF_EINVAL, "lf_stix_read: NULL argument");
    memset(set, 0, sizeof *set);
    vctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.set = set;
    c.prefix = "";
    size_t ocap = 0;
    const lf_json *list = NULL;
    bool in_objects = false;   /* entries are "objects[i]", else "[i]" */
    if (lf_json_is(doc, LF_JSON_ARRAY)) {
        list = doc;
    } else if (lf_json_is(doc, LF_JSON_OBJECT)) {
        const char *type = lf_json_get_str(doc, "type");
        const lf_json *objs = lf_json_get(doc, "objects");
        if (type && !strcmp(type, "bundle")) {
            /* section 8: a bundle's id; its objects may be absent (an empty bundle) */
            const char *bid = lf_json_get_str(doc, "id");
            char why[200];
            c.index = SIZE_MAX;
            if (!bid || !id_ok(bid, "bundle", why, sizeof why))
                prob(&c, "id", "%s", bid ? why : "a bundle needs an id bundle--<UUID>");
            if (objs && objs->type != LF_JSON_ARRAY)
                prob(&c, "objects", "must be a list, not %s", lf_json_type_name(objs));
            if (c.oom)
                return lf_err_set(err, LF_ENOMEM, "out of memory");
            list = lf_json_is(objs, LF_JSON_ARRAY) ? objs : NULL;
            in_objects = true;
        } else if (!type && objs) {
            if (objs->type != LF_JSON_ARRAY)
                return lf_err_set(err, LF_EFORMAT, "\"objects\" is %s, not a list of STIX objects",
                                  lf_json_type_name(objs));
            list = objs;
            in_objects = true;
        } else {
            set->ninput = 1;
            if (check_object(&c, doc, &ocap))
                return lf_err_set(err, LF_ENOMEM, "out of memory");
            return LF_OK;
        }
    } else {
        return lf_err_set(err, LF_EFORMAT, "expected a STIX object, bundle or list of objects, not %s",
                          lf_json_type_name(doc));
    }
    size_t n = lf_json_len(list);
    set->ninput = n;
    char prefix[48];
    for (size_t i = 0; i < n; i++) {
        snprintf(prefix, sizeof prefix, "%s[%zu]", in_objects ? "objects" : "", i);
        c.prefix = prefix;
        c.index = i;
        if (check_object(&c, &list->u.items[i], &ocap))
            return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    return LF_OK;
}

int lf_stix_read_buffer(lf_arena *a, const char *text, size_t len, lf_stix_set *set, lf_err *err)
{
    lf_json *doc;
    int rc = lf_json_parse(a, text, len, NULL, &doc, err);
    if (rc)
        return rc;
    return lf_stix_read(a, doc, set, err);
}

const char *lf_stix_kind_name(lf_stix_kind k)
{
    static const char *names[] = {"sdo", "sro", "sco", "meta", "custom"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
