/*
 * cli_vans: `lianfang vans scan [--json|--csv] INVENTORY...`: match inventories against
 * the index and print one row per host x CVE x installed CPE.
 *
 * Output is streamed host by host (sorted within a host in the order of work: KEV,
 * EPSS, CVSS by default, --order), so
 * scanning a bulk inventory of 100,000 hosts keeps memory flat.
 * Exit status: 0 no findings, 1 findings, 2 error.
 */
/* qsort_r (glibc) sorts with the scan's order of work as context, no global state */
#define _GNU_SOURCE
#include "cli/cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "intake/cpelist.h"
#include "feeds/epss.h"
#include "feeds/osv.h"
#include "intake/intake.h"
#include "server/scan.h"
#include "vans/cvss.h"
#include "vans/finding.h"
#include "vans/hostitems.h"
#include "vans/match.h"
#include "vans/vulndb.h"

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

typedef struct scan {
    const lf_cli_env *env;
    const lf_vdb *db;
    lf_matcher *m;
    int format;
    lf_arena a;
    lf_buf out;
    size_t hosts, items, findings, reviews, unanalysed, kev, rejected, suppressed;
    size_t unresolved, flagged;
    lf_buf flags;             /* JSON items of the policy flags (per host, with or without CVEs) */
    lf_epss *epss;            /* <data>/epss.lfe when imported, else NULL */
    lf_finding_order order;
    bool first_json;
    int fatal;
    lf_osv_srcmap *srcmap;    /* Debian binary -> source package names (deb-source.tsv) */
    size_t superseded, distro_items;
} scan;

static void jstr(lf_buf *b, const char *s)
{
    if (!s) {
        lf_buf_puts(b, "null");
        return;
    }
    lf_json_write_str(b, s, strlen(s));
}

static void csv_field(lf_buf *b, const char *s)
{
    if (!s)
        s = "";
    bool q = strpbrk(s, ",\"\r\n") != NULL;
    if (!q) {
        lf_buf_puts(b, s);
        return;
    }
    lf_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            lf_buf_putc(b, '"');
        lf_buf_putc(b, *s);
    }
    lf_buf_putc(b, '"');
}

static const char *kind_name(lf_hit_kind k)
{
    return k == LF_HIT_MATCH ? "affected" : k == LF_HIT_REVIEW ? "needs_review" : "not_yet_analysed";
}

static void range_text(const lf_finding *f, char *out, size_t n)
{
    out[0] = '\0';
    if (!f->has_crit)
        return;
    size_t o = 0;
    if (f->crit.start)
        o += (size_t)snprintf(out + o, n - o, "%s %s", f->crit.start_incl ? ">=" : ">", f->crit.start);
    if (f->crit.end && o < n)
        o += (size_t)snprintf(out + o, n - o, "%s%s %s", o ? ", " : "", f->crit.end_incl ? "<=" : "<",
                              f->crit.end);
    if (!o)
        snprintf(out, n, "version as named in the criterion");
}

static void emit_json(scan *s, const lf_finding *f)
{
    lf_buf *b = &s->out;
    lf_buf_puts(b, s->first_json ? "\n  {" : ",\n  {");
    s->first_json = false;
    lf_buf_puts(b, "\"host\":");
    jstr(b, f->host);
    lf_buf_puts(b, ",\"cpe\":");
    jstr(b, f->item);
    lf_buf_puts(b, ",\"cve\":");
    jstr(b, f->vuln_id);
    lf_buf_printf(b, ",\"status\":\"%s\",\"confidence\":\"%s\"", kind_name(f->kind), f->confidence);
    if (f->reason) {
        lf_buf_puts(b, ",\"reason\":");
        jstr(b, f->reason);
    }
    if (f->has_cvss) {
        lf_buf_printf(b, ",\"cvss\":{\"version\":\"%s\",\"score\":%d.%d,\"severity\":\"%s\",\"vector\":",
                      lf_cvss_version_name(f->cvss->version), f->cvss->score10 / 10, f->cvss->score10 % 10,
                      lf_cvss_severity_name(f->cvss->severity));
        jstr(b, f->cvss->vector);
        lf_buf_puts(b, ",\"source\":");
        jstr(b, f->cvss->source);
        lf_buf_printf(b, ",\"type\":\"%s\"}", f->cvss->primary ? "Primary" : "Secondary");
    } else {
        lf_buf_puts(b, ",\"cvss\":null");
    }
    lf_buf_puts(b, ",\"metrics\":[");
    for (size_t i = 0; i < f->nmetric; i++) {
        const lf_vmetric *m = &f->metrics[i];
        lf_buf_printf(b, "%s{\"version\":\"%s\",\"score\":%d.%d,\"severity\":\"%s\",\"type\":\"%s\",\"source\":",
                      i ? "," : "", lf_cvss_version_name(m->version), m->score10 / 10, m->score10 % 10,
                      lf_cvss_severity_name(m->severity), m->primary ? "Primary" : "Secondary");
        jstr(b, m->source);
        lf_buf_puts(b, ",\"vector\":");
        jstr(b, m->vector);
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, "]");
    if (f->kev) {
        lf_buf_puts(b, ",\"kev\":{\"date_added\":");
        jstr(b, f->kev_entry.date_added);
        lf_buf_puts(b, ",\"due_date\":");
        jstr(b, f->kev_entry.due_date);
        lf_buf_puts(b, ",\"required_action\":");
        jstr(b, f->kev_entry.required_action);
        lf_buf_puts(b, ",\"known_ransomware_campaign_use\":");
        jstr(b, f->kev_entry.ransomware);
        lf_buf_puts(b, ",\"from\":");
        jstr(b, f->kev_from);
        lf_buf_puts(b, "}");
    } else {
        lf_buf_puts(b, ",\"kev\":null");
    }
    if (f->has_epss)
        lf_buf_printf(b, ",\"epss\":{\"score\":%.5f,\"percentile\":%.5f}", f->epss, f->epss_percentile);
    else
        lf_buf_puts(b, ",\"epss\":null");
    lf_buf_puts(b, ",\"cwe\":");
    jstr(b, f->cwe);
    lf_buf_puts(b, ",\"fix_links\":[");
    for (size_t i = 0; i < f->nfix; i++) {
        char tags[256];
        lf_ref_tags_format(f->refs[i].tags, tags, sizeof tags);
        lf_buf_puts(b, i ? ",{\"url\":" : "{\"url\":");
        jstr(b, f->refs[i].url);
        lf_buf_puts(b, ",\"tags\":");
        jstr(b, tags);
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, "],\"references\":[");
    for (size_t i = f->nfix; i < f->nref; i++) {
        if (i > f->nfix)
            lf_buf_putc(b, ',');
        jstr(b, f->refs[i].url);
    }
    lf_buf_puts(b, "]");
    if (f->suppressed) {
        lf_buf_puts(b, ",\"suppressed_by\":{\"source\":");
        jstr(b, lf_source_name(f->suppressed_by->source));
        lf_buf_puts(b, ",\"record\":");
        jstr(b, f->suppressed_by->doc_id);
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, ",\"sources\":[");
    for (size_t i = 0; i < f->nsource; i++) {
        const lf_finding_source *src = &f->sources[i];
        lf_buf_printf(b, "%s{\"source\":\"%s\",\"rank\":%d,\"verdict\":\"%s\",\"record\":", i ? "," : "",
                      lf_source_name(src->source), src->rank, lf_verdict_name(src->verdict));
        jstr(b, src->doc_id);
        lf_buf_puts(b, ",\"record_modified\":");
        jstr(b, src->modified);
        if (src->has_crit) {
            lf_buf_printf(b, ",\"configuration\":%u,\"criterion\":", src->config);
            jstr(b, src->crit.cpe);
        }
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, "],\"why\":{\"source\":");
    jstr(b, lf_source_name(f->doc.source));
    lf_buf_puts(b, ",\"record\":");
    jstr(b, f->doc.doc_id);
    lf_buf_puts(b, ",\"record_modified\":");
    jstr(b, f->doc.modified);
    lf_buf_puts(b, ",\"record_status\":");
    jstr(b, f->doc.status);
    if (f->has_crit) {
        char rt[256];
        range_text(f, rt, sizeof rt);
        lf_buf_printf(b, ",\"configuration\":%u,\"node\":%u,\"criterion\":", f->config, f->crit.node_ordinal);
        jstr(b, f->crit.cpe);
        lf_buf_puts(b, ",\"match_criteria_id\":");
        jstr(b, f->crit.match_id);
        lf_buf_puts(b, ",\"version_rule\":");
        jstr(b, rt);
    }
    lf_buf_puts(b, "}}");
}

static void emit_csv(scan *s, const lf_finding *f)
{
    lf_buf *b = &s->out;
    char score[16] = "";
    if (f->has_cvss)
        snprintf(score, sizeof score, "%d.%d", f->cvss->score10 / 10, f->cvss->score10 % 10);
    csv_field(b, f->host);
    lf_buf_putc(b, ',');
    csv_field(b, f->item);
    lf_buf_putc(b, ',');
    csv_field(b, f->vuln_id);
    lf_buf_putc(b, ',');
    csv_field(b, kind_name(f->kind));
    lf_buf_putc(b, ',');
    csv_field(b, f->has_cvss ? lf_cvss_version_name(f->cvss->version) : "");
    lf_buf_putc(b, ',');
    csv_field(b, score);
    lf_buf_putc(b, ',');
    csv_field(b, f->has_cvss ? lf_cvss_severity_name(f->cvss->severity) : "");
    lf_buf_putc(b, ',');
    csv_field(b, f->kev ? "yes" : "no");
    lf_buf_putc(b, ',');
    csv_field(b, f->kev ? f->kev_entry.due_date : "");
    lf_buf_putc(b, ',');
    char ep[32] = "", pc[32] = "";
    if (f->has_epss) {
        snprintf(ep, sizeof ep, "%.5f", f->epss);
        snprintf(pc, sizeof pc, "%.5f", f->epss_percentile);
    }
    csv_field(b, ep);
    lf_buf_putc(b, ',');
    csv_field(b, pc);
    lf_buf_putc(b, ',');
    lf_buf b2;
    lf_buf_init(&b2, 0);
    for (size_t i = 0; i < f->nfix; i++) {
        if (i)
            lf_buf_puts(&b2, " ");
        lf_buf_puts(&b2, f->refs[i].url);
    }
    csv_field(b, b2.data ? b2.data : "");
    lf_buf_clear(&b2);
    lf_buf_puts(b, "\r\n");
}

static void emit_table(scan *s, const lf_finding *f)
{
    lf_buf *b = &s->out;
    char score[32] = "-";
    if (f->has_cvss)
        snprintf(score, sizeof score, "%s %d.%d %s", lf_cvss_version_name(f->cvss->version), f->cvss->score10 / 10,
                 f->cvss->score10 % 10, lf_cvss_severity_name(f->cvss->severity));
    char kev[40] = "-";
    if (f->kev)
        snprintf(kev, sizeof kev, "KEV due %s", f->kev_entry.due_date ? f->kev_entry.due_date : "?");
    const char *tag = f->suppressed               ? " [not affected per the vendor: suppressed]"
                      : f->kind == LF_HIT_MATCH  ? ""
                      : f->kind == LF_HIT_REVIEW ? " [needs review]"
                                                 : " [not yet analysed, low confidence]";
    char ep[16] = "-";
    if (f->has_epss)
        snprintf(ep, sizeof ep, "%.0f%%", f->epss_percentile * 100);
    lf_buf_printf(b, "%-16s %-16s %-21s %-18s %-5s %s%s\n", f->host, f->vuln_id, score, kev, ep, f->item, tag);
    if (f->nsource > 1 || f->suppressed) {
        lf_buf_puts(b, "    sources:");
        for (size_t i = 0; i < f->nsource; i++)
            lf_buf_printf(b, "%s %s=%s", i ? "," : "", lf_source_name(f->sources[i].source),
                          lf_verdict_name(f->sources[i].verdict));
        lf_buf_puts(b, f->suppressed ? " -> suppressed: the vendor/distribution says not affected\n" : "\n");
    }
    if (f->reason)
        lf_buf_printf(b, "    why: %s\n", f->reason);
    else if (f->has_crit) {
        char rt[256];
        range_text(f, rt, sizeof rt);
        lf_buf_printf(b, "    why: %s %s, %s\n", lf_source_name(f->doc.source), f->crit.cpe, rt);
    }
    size_t shown = 0;
    for (size_t i = 0; i < f->nfix && shown < 3; i++, shown++)
        lf_buf_printf(b, "    fix: %s\n", f->refs[i].url);
    if (!f->nfix && f->nref)
        lf_buf_printf(b, "    ref: %s\n", f->refs[0].url);
}

static void flush_out(scan *s)
{
    if (s->out.len) {
        fwrite(s->out.data, 1, s->out.len, stdout);
        lf_buf_reset(&s->out);
    }
}

static int cmp_findings(const void *a, const void *b, void *order)
{
    return lf_finding_cmp_order(a, b, order);
}

/* Match one host and print its findings (lf_scan_host: the server stores the same ones).
 * one_per_line: the host comes from a raw inventory, where one line may stand for several
 * CPEs (a product's equivalent NVD names), so a CVE is reported once per line. */
static int report_host(scan *s, const lf_inv_host *h, bool one_per_line, const bool *superseded)
{
    s->hosts++;
    s->items += h->nitems;
    lf_err err;
    lf_err_clear(&err);
    lf_arena_reset(&s->a);
    lf_finding *fs;
    size_t n;
    lf_scan_counts sc = {0};
    if (lf_scan_host(s->db, s->m, s->epss, h, one_per_line, superseded, NULL, true, &s->a, &fs, &n, &sc, &err) != LF_OK) {
        lf_cli_error(&err);
        s->fatal = 1;
        return 1;
    }
    s->superseded += sc.superseded;
    if (n)
        qsort_r(fs, n, sizeof(*fs), cmp_findings, &s->order);
    for (size_t i = 0; i < n; i++) {
        const lf_finding *f = &fs[i];
        if (f->suppressed)
            s->suppressed++;
        else if (f->kind == LF_HIT_MATCH)
            s->findings++;
        else if (f->kind == LF_HIT_REVIEW)
            s->reviews++;
        else
            s->unanalysed++;
        if (f->kev && f->kind == LF_HIT_MATCH && !f->suppressed)
            s->kev++;
        if (s->format == OUT_JSON)
            emit_json(s, f);
        else if (s->format == OUT_CSV)
            emit_csv(s, f);
        else
            emit_table(s, f);
    }
    if (s->out.len > (1 << 16))
        flush_out(s);
    return 0;
}

static int on_host(void *ud, const lf_inv_host *h)
{
    return report_host(ud, h, false, NULL);
}

static void on_inv_error(void *ud, const lf_err *e)
{
    scan *s = ud;
    s->rejected++;
    lf_cli_error(e);
}

/*
 * Raw inventories (CSV, PowerShell, wmic, dpkg, rpm, SBOM) go through intake: resolved
 * records are grouped by host, then each host is matched like a CPE list. Unresolved
 * records and policy flags are counted and listed on stderr, never silently dropped.
 */
typedef struct groups {
    lf_scan_groups g;
    scan *s;
    int oom;
} groups;

static int on_intake_item(void *ud, const lf_intake_item *it)
{
    groups *g = ud;
    for (size_t i = 0; i < it->nflags; i++) {
        scan *sc = g->s;
        lf_buf *fb = &sc->flags;
        lf_buf_puts(fb, sc->flagged ? ",\n  {\"host\":" : "\n  {\"host\":");
        jstr(fb, it->host);
        lf_buf_printf(fb, ",\"line\":%ld,\"name\":", it->rec->line);
        jstr(fb, it->rec->name ? it->rec->name : it->res->cpe);
        lf_buf_printf(fb, ",\"kind\":\"%s\",\"category\":",
                      it->flags[i].kind == LF_POLICY_BANNED ? "banned" : "unofficial");
        jstr(fb, it->flags[i].category);
        lf_buf_puts(fb, ",\"reason\":");
        jstr(fb, it->flags[i].reason);
        lf_buf_puts(fb, "}");
        g->s->flagged++;
        fprintf(stderr, "lianfang: %s: line %ld: %s flagged %s (%s): %s\n", it->host, it->rec->line,
                it->rec->name ? it->rec->name : it->res->cpe,
                it->flags[i].kind == LF_POLICY_BANNED ? "banned" : "unofficial", it->flags[i].category,
                it->flags[i].reason);
    }
    if (it->res->bucket != LF_BUCKET_RESOLVED)
        g->s->unresolved++;
    if (lf_scan_groups_add_item(&g->g, g->s->db, g->s->srcmap, it, NULL, NULL)) {
        g->oom = 1;
        return LF_ENOMEM;
    }
    return 0;
}

static void on_intake_reject(void *ud, const lf_err *e)
{
    groups *g = ud;
    g->s->rejected++;
    lf_cli_error(e);
}

static int scan_raw(scan *s, lf_intake *ik, const char *path, const lf_intake_opts *io, lf_err *err)
{
    groups g;
    memset(&g, 0, sizeof g);
    lf_scan_groups_init(&g.g);
    g.s = s;
    lf_intake_report rep;
    int rc = lf_intake_file(ik, path, io, on_intake_item, on_intake_reject, &g, &rep, err);
    if (rc == LF_OK) {
        if (!s->env->quiet)
            fprintf(stderr, "lianfang: %s (%s, %s): %zu records = %zu resolved + %zu unresolved + %zu rejected\n", path,
                    rep.encoding, rep.format, rep.records_in, rep.resolved, rep.unresolved, rep.rejected);
        for (size_t i = 0; i < g.g.n && !s->fatal; i++) {
            lf_inv_host h;
            lf_scan_group_host(&g.g, i, &h);
            if (report_host(s, &h, true, g.g.h[i].it.superseded))
                break;
        }
        s->distro_items += g.g.distro_items;
    } else if (g.oom) {
        lf_err_set(err, LF_ENOMEM, "out of memory grouping the inventory by host");
    }
    lf_scan_groups_clear(&g.g);
    return rc;
}

static bool is_cpelist(const char *path)
{
    if (strcmp(path, "-") == 0)
        return true;
    /* a CPE list or JSON Lines bulk file keeps the streaming reader (no resolution
     * needed); the first 8 KB decide, a gzip file is looked into whole */
    char head[8192];
    FILE *f = fopen(path, "rb");
    if (!f)
        return true;   /* let the reader report the error */
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n >= 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b) {
        char *data = NULL;
        size_t len = 0;
        if (lf_file_read(path, (size_t)1 << 30, &data, &len, NULL) != LF_OK)
            return true;
        bool r = lf_intake_detect(data, len < sizeof head ? len : sizeof head) == LF_INV_CPELIST;
        free(data);
        return r;
    }
    return lf_intake_detect(head, n) == LF_INV_CPELIST;
}

static int vans_scan(int argc, char **argv, const lf_cli_env *env)
{
    scan s;
    memset(&s, 0, sizeof s);
    s.env = env;
    s.format = OUT_TABLE;
    s.first_json = true;
    lf_finding_order_parse("kev,epss,cvss", &s.order, NULL);
    int nfiles = 0;
    lf_intake_opts io = {LF_INV_AUTO, -1, NULL, NULL};
    const char *dict = NULL;
    for (int i = 1; i < argc; i++) {
        int r = lf_cli_intake_opt(argc, argv, &i, &io, &dict);
        if (r < 0)
            return LF_EXIT_ERROR;
        if (r)
            continue;
        if (!strcmp(argv[i], "--order")) {
            lf_err oerr;
            if (i + 1 >= argc || lf_finding_order_parse(argv[++i], &s.order, &oerr) != LF_OK) {
                fprintf(stderr, "lianfang: vans scan: %s\n", i < argc ? oerr.msg : "--order needs a value");
                return LF_EXIT_ERROR;
            }
        } else if (!strcmp(argv[i], "--json"))
            s.format = OUT_JSON;
        else if (!strcmp(argv[i], "--csv"))
            s.format = OUT_CSV;
        else if (!strcmp(argv[i], "--table"))
            s.format = OUT_TABLE;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "lianfang: vans scan: unknown option '%s'\n", argv[i]);
            return LF_EXIT_ERROR;
        } else
            nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "usage: lianfang vans scan [--json|--csv] [--order kev,epss,cvss] INVENTORY...\n"
                        "  INVENTORY: a list of CPE names (one per line, '# host: NAME' optional),\n"
                        "  {\"host\":...,\"cpes\":[...]} JSON, or JSON Lines of such objects; '-' = stdin;\n"
                        "  or a raw inventory (agency CSV/TSV, PowerShell CSV/JSON, wmic, dpkg, rpm, CycloneDX,\n"
                        "  SPDX), whose names are resolved to CPEs first (see `lianfang inventory normalize`)\n"
                        "  options: --format F --encoding E --host H --os OS --dict DIR\n");
        return LF_EXIT_ERROR;
    }
    lf_err err;
    lf_err_clear(&err);
    lf_vdb *db = NULL;
    if (lf_vdb_open(env->index_path, &db, &err) != LF_OK) {
        lf_cli_error(&err);
        if (err.code == LF_ENOTFOUND)
            fprintf(stderr, "lianfang: no index yet: run `lianfang feed import nvd FILE...` first\n");
        return LF_EXIT_ERROR;
    }
    s.db = db;
    if (lf_matcher_new(db, &s.m, &err) != LF_OK) {
        lf_cli_error(&err);
        lf_vdb_close(db);
        return LF_EXIT_ERROR;
    }
    lf_arena_init(&s.a, 1 << 16);
    lf_buf_init(&s.out, 0);
    lf_buf_init(&s.flags, 0);
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    char epath[4200];
    snprintf(epath, sizeof epath, "%s/epss.lfe", env->data_dir);
    if (lf_file_exists(epath) && lf_epss_open(epath, &s.epss, &err) != LF_OK) {
        lf_cli_error(&err);   /* scores are an aid to ordering: scan without them */
        s.epss = NULL;
    }
    lf_epss_stats es;
    lf_epss_info(s.epss, &es);
    char order[64];
    lf_finding_order_format(&s.order, order, sizeof order);
    if (s.format == OUT_JSON)
        lf_buf_printf(&s.out, "{\"snapshot\":{\"digest\":\"%016llx\",\"built\":\"%s\",\"documents\":%zu,"
                              "\"kev_catalog\":\"%s\",\"epss_model\":\"%s\",\"epss_date\":\"%s\",\"epss_scores\":%zu},\n"
                              " \"order\":\"%s\",\n \"findings\":[",
                      (unsigned long long)st.digest, st.built, st.docs, st.kev_version, es.model, es.date, es.kept,
                      order);
    else if (s.format == OUT_CSV)
        lf_buf_puts(&s.out, "host,cpe,cve,status,cvss_version,cvss_score,severity,kev,kev_due_date,epss,epss_percentile,"
                            "fix_links\r\n");
    else
        lf_buf_printf(&s.out, "%-16s %-16s %-21s %-18s %-5s %s\n", "HOST", "CVE", "CVSS", "KEV", "EPSS", "CPE");
    int status = LF_EXIT_OK;
    size_t failed = 0;
    lf_intake *ik = NULL;
    for (int i = 1; i < argc && !s.fatal; i++) {
        const char *a = argv[i];
        if (lf_cli_intake_opt_takes_value(a) || !strcmp(a, "--order")) {
            i++;
            continue;
        }
        if (a[0] == '-' && a[1])
            continue;
        lf_err_clear(&err);
        if ((io.format == LF_INV_AUTO && is_cpelist(a)) || io.format == LF_INV_CPELIST) {
            lf_inv_report rep;
            if (lf_cpelist_read_file(a, on_host, on_inv_error, &s, &rep, &err) != LF_OK && !s.fatal) {
                lf_cli_error(&err);
                failed++;
            }
            continue;
        }
        if (!ik && lf_cli_intake_open(env, dict, db, &ik)) {
            failed++;
            break;
        }
        if (!s.srcmap) {
            char dd[4096], sp[4200];
            lf_cli_dict_dir(env, dict, dd, sizeof dd);
            snprintf(sp, sizeof sp, "%s/deb-source.tsv", dd);
            if (lf_file_exists(sp) && lf_osv_srcmap_load(sp, &s.srcmap, &err) != LF_OK) {
                lf_cli_error(&err);   /* binary names are then looked up as they are */
                s.srcmap = NULL;
            }
        }
        if (scan_raw(&s, ik, a, &io, &err) != LF_OK && !s.fatal) {
            lf_cli_error(&err);
            failed++;
        }
    }
    lf_intake_free(ik);
    lf_osv_srcmap_free(s.srcmap);
    if (s.format == OUT_JSON) {
        lf_buf_puts(&s.out, "\n ],\n \"policy_flags\":[");
        if (s.flags.len)
            lf_buf_append(&s.out, s.flags.data, s.flags.len);
        lf_buf_puts(&s.out, "],");
    }
    if (s.format == OUT_JSON)
        lf_buf_printf(&s.out, "\n \"summary\":{\"hosts\":%zu,\"items\":%zu,\"affected\":%zu,"
                              "\"needs_review\":%zu,\"not_yet_analysed\":%zu,\"kev\":%zu,\"rejected_lines\":%zu,"
                              "\"unresolved_records\":%zu,\"policy_flags\":%zu,\"suppressed_not_affected\":%zu,"
                              "\"distribution_packages\":%zu,\"upstream_matches_superseded\":%zu}}\n",
                      s.hosts, s.items, s.findings, s.reviews, s.unanalysed, s.kev, s.rejected, s.unresolved,
                      s.flagged, s.suppressed, s.distro_items, s.superseded);
    flush_out(&s);
    if (s.format == OUT_TABLE && s.distro_items)
        fprintf(stderr, "%zu distribution package(s) matched against their distribution's advisories in its own "
                        "version order; %zu upstream (NVD) match(es) on them not reported as findings\n",
                s.distro_items, s.superseded);
    if (s.format == OUT_TABLE)
        fprintf(stderr, "findings of each host in order of work: %s%s\n",
                !strcmp(order, "kev,epss,cvss") ? "KEV-listed first, then EPSS percentile, then CVSS score" : order,
                s.epss ? "" : " (no EPSS scores imported: `lianfang feed import epss FILE`)");
    if (s.format == OUT_TABLE)
        fprintf(stderr, "%zu host(s), %zu item(s): %zu finding(s) (%zu KEV-listed), %zu need review, "
                        "%zu not yet analysed (low confidence), %zu input line(s) rejected, %zu record(s) "
                        "unresolved, %zu policy flag(s), %zu suppressed by a vendor's not-affected statement\n",
                s.hosts, s.items, s.findings, s.kev, s.reviews, s.unanalysed, s.rejected, s.unresolved, s.flagged,
                s.suppressed);
    if (s.fatal || failed)
        status = LF_EXIT_ERROR;
    else if (s.findings || s.reviews || s.unanalysed)
        status = LF_EXIT_FINDINGS;
    lf_buf_clear(&s.out);
    lf_buf_clear(&s.flags);
    lf_epss_close(s.epss);
    lf_arena_clear(&s.a);
    lf_matcher_free(s.m);
    lf_vdb_close(db);
    return status;
}

int lf_cli_vans(int argc, char **argv, const lf_cli_env *env)
{
    if (argc >= 2 && !strcmp(argv[1], "scan"))
        return vans_scan(argc - 1, argv + 1, env);
    fprintf(stderr, "usage: lianfang vans scan [--json|--csv] INVENTORY...\n");
    return LF_EXIT_ERROR;
}
