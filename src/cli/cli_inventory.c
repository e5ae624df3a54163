/*
 * cli_inventory: `lianfang inventory normalize FILE...` prints every record of raw
 * inventories (any intake format) with its bucket, CPE or reason, and the conversion
 * report (records in = resolved + unresolved + rejected).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "intake/intake.h"
#include "intake/textenc.h"

typedef struct norm_out {
    bool json;
    lf_buf out;
    bool first_rec;
    lf_buf rejects;          /* JSON array items of the current file */
    bool first_rej;
} norm_out;

static void jstr(lf_buf *b, const char *s)
{
    if (!s)
        lf_buf_puts(b, "null");
    else
        lf_json_write_str(b, s, strlen(s));
}

static const char *bucket_name(lf_bucket b)
{
    return b == LF_BUCKET_RESOLVED ? "resolved" : b == LF_BUCKET_UNRESOLVED ? "unresolved" : "rejected";
}

static int on_item(void *ud, const lf_intake_item *it)
{
    norm_out *o = ud;
    const lf_resolution *r = it->res;
    const lf_inv_rec *rec = it->rec;
    if (o->json) {
        lf_buf *b = &o->out;
        lf_buf_puts(b, o->first_rec ? "\n    {" : ",\n    {");
        o->first_rec = false;
        lf_buf_puts(b, "\"host\":");
        jstr(b, it->host);
        lf_buf_printf(b, ",\"line\":%ld,\"name\":", rec->line);
        jstr(b, rec->name);
        lf_buf_puts(b, ",\"version\":");
        jstr(b, rec->version);
        lf_buf_puts(b, ",\"vendor\":");
        jstr(b, rec->vendor);
        if (rec->os) {
            lf_buf_puts(b, ",\"os\":");
            jstr(b, rec->os);
        }
        lf_buf_printf(b, ",\"bucket\":\"%s\"", bucket_name(r->bucket));
        if (r->bucket == LF_BUCKET_RESOLVED) {
            lf_buf_puts(b, ",\"cpe\":");
            jstr(b, r->cpe);
            lf_buf_printf(b, ",\"confidence\":%.2f,\"method\":\"%s\"", r->confidence, r->method);
        } else {
            lf_buf_puts(b, ",\"reason\":");
            jstr(b, r->reason);
            lf_buf_puts(b, ",\"candidates\":[");
            for (int i = 0; i < r->ncand; i++) {
                lf_buf_puts(b, i ? ",{\"cpe\":" : "{\"cpe\":");
                jstr(b, r->cand[i].cpe);
                lf_buf_printf(b, ",\"score\":%.2f,\"method\":\"%s\"}", r->cand[i].score, r->cand[i].method);
            }
            lf_buf_puts(b, "]");
        }
        if (r->category) {
            lf_buf_puts(b, ",\"category\":");
            jstr(b, r->category);
        }
        lf_buf_puts(b, ",\"flags\":[");
        for (size_t i = 0; i < it->nflags; i++) {
            lf_buf_printf(b, "%s{\"kind\":\"%s\",\"category\":", i ? "," : "",
                          it->flags[i].kind == LF_POLICY_BANNED ? "banned" : "unofficial");
            jstr(b, it->flags[i].category);
            lf_buf_puts(b, ",\"reason\":");
            jstr(b, it->flags[i].reason);
            lf_buf_puts(b, "}");
        }
        lf_buf_puts(b, "]}");
    } else {
        lf_buf *b = &o->out;
        char what[LF_CPE_MAX + 64];
        if (r->bucket == LF_BUCKET_RESOLVED)
            snprintf(what, sizeof what, "%s (%.2f %s)", r->cpe, r->confidence, r->method);
        else if (r->ncand)
            snprintf(what, sizeof what, "%s; best: %s (%.2f)", r->reason, r->cand[0].cpe, r->cand[0].score);
        else
            snprintf(what, sizeof what, "%s", r->reason);
        lf_buf_printf(b, "%-14s %5ld %-10s %s | %s%s%s\n", it->host, rec->line, bucket_name(r->bucket),
                      rec->name ? rec->name : (rec->cpe ? rec->cpe : ""), what, rec->version ? " | version " : "",
                      rec->version ? rec->version : "");
        for (size_t i = 0; i < it->nflags; i++)
            lf_buf_printf(b, "%-14s %5s FLAG %s: %s %s\n", "", "", it->flags[i].kind == LF_POLICY_BANNED ? "banned" : "unofficial",
                          it->flags[i].category, it->flags[i].reason);
    }
    if (o->out.len > (1 << 16)) {
        fwrite(o->out.data, 1, o->out.len, stdout);   /* len > 0 here */
        lf_buf_reset(&o->out);
    }
    return 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    norm_out *o = ud;
    if (o->json) {
        lf_buf *b = &o->rejects;
        lf_buf_printf(b, "%s{\"line\":%ld,\"reason\":", o->first_rej ? "\n    " : ",\n    ", e->line);
        o->first_rej = false;
        jstr(b, e->msg);
        lf_buf_puts(b, "}");
    } else {
        char msg[1024];
        lf_buf_printf(&o->out, "%-14s %5ld %-10s %s\n", "", e->line, "rejected", lf_err_format(e, msg, sizeof msg));
    }
}

static void print_report(lf_buf *b, const lf_intake_report *r, bool json)
{
    if (json) {
        lf_buf_printf(b, "\"report\":{\"records_in\":%zu,\"resolved\":%zu,\"unresolved\":%zu,\"rejected\":%zu,"
                         "\"skipped_lines\":%zu,\"flagged\":%zu,\"by_method\":{",
                      r->records_in, r->resolved, r->unresolved, r->rejected, r->skipped, r->flagged);
        bool first = true;
        for (size_t i = 0; lf_intake_method_name(i); i++)
            if (r->by_method[i]) {
                lf_buf_printf(b, "%s\"%s\":%zu", first ? "" : ",", lf_intake_method_name(i), r->by_method[i]);
                first = false;
            }
        lf_buf_puts(b, "},\"reasons\":[");
        for (size_t i = 0; i < r->nreasons; i++) {
            lf_buf_printf(b, "%s{\"bucket\":\"%s\",\"reason\":", i ? "," : "", bucket_name(r->reasons[i].bucket));
            jstr(b, r->reasons[i].text);
            lf_buf_printf(b, ",\"count\":%zu}", r->reasons[i].count);
        }
        lf_buf_puts(b, "]}");
        return;
    }
    lf_buf_printf(b, "== conversion report: %s (%s, %s)\n", r->src, r->encoding ? r->encoding : "?",
                  r->format ? r->format : "?");
    lf_buf_printf(b, "records %zu = resolved %zu + unresolved %zu + rejected %zu   (lines skipped: %zu; policy "
                     "flags on %zu records)\n",
                  r->records_in, r->resolved, r->unresolved, r->rejected, r->skipped, r->flagged);
    if (r->resolved) {
        lf_buf_puts(b, "resolved by:");
        for (size_t i = 0; lf_intake_method_name(i); i++)
            if (r->by_method[i])
                lf_buf_printf(b, " %s %zu", lf_intake_method_name(i), r->by_method[i]);
        lf_buf_puts(b, "\n");
    }
    for (int bk = LF_BUCKET_UNRESOLVED; bk <= LF_BUCKET_REJECTED; bk++)
        for (size_t i = 0; i < r->nreasons; i++)
            if ((int)r->reasons[i].bucket == bk)
                lf_buf_printf(b, "%-10s %6zu  %s\n", bucket_name(r->reasons[i].bucket), r->reasons[i].count,
                              r->reasons[i].text);
}

void lf_cli_dict_dir(const lf_cli_env *env, const char *opt, char *out, size_t cap)
{
    const char *e = getenv("LIANFANG_DICT");
    char p[4200];
    snprintf(p, sizeof p, "%s/intake", env->data_dir);
    if (opt)
        snprintf(out, cap, "%s", opt);
    else if (e && *e)
        snprintf(out, cap, "%s", e);
    else if (lf_is_dir(p))
        snprintf(out, cap, "%s", p);
    else
        snprintf(out, cap, "%s/data/intake", LF_SOURCE_DIR);
}

static void on_dict_warn(void *ud, const lf_err *e)
{
    (void)ud;
    lf_cli_error(e);
}

int lf_cli_intake_open(const lf_cli_env *env, const char *dict_opt, const lf_vdb *vdb, lf_intake **out)
{
    char dict[4200], cpedict[4200], purlidx[4200];
    lf_cli_dict_dir(env, dict_opt, dict, sizeof dict);
    snprintf(cpedict, sizeof cpedict, "%s/cpedict.tsv", env->data_dir);
    snprintf(purlidx, sizeof purlidx, "%s/purlidx.json", env->data_dir);
    lf_intake_config cfg = {dict, cpedict, vdb, on_dict_warn, NULL, purlidx};
    lf_err err;
    lf_err_clear(&err);
    if (lf_intake_new(&cfg, out, &err) != LF_OK) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    return LF_EXIT_OK;
}

static const char *const intake_opts[] = {"--format", "--encoding", "--host", "--os", "--dict"};

bool lf_cli_intake_opt_takes_value(const char *a)
{
    for (size_t k = 0; k < sizeof intake_opts / sizeof intake_opts[0]; k++)
        if (!strcmp(a, intake_opts[k]))
            return true;
    return false;
}

/* Shared options of inventory commands; returns 1 when argv[*i] was one (consumed),
 * 0 when not, -1 on a bad value. */
int lf_cli_intake_opt(int argc, char **argv, int *i, lf_intake_opts *o, const char **dict)
{
    const char *a = argv[*i];
    const char *const *names = intake_opts;
    for (int k = 0; k < (int)(sizeof intake_opts / sizeof intake_opts[0]); k++) {
        if (strcmp(a, names[k]) != 0)
            continue;
        if (*i + 1 >= argc) {
            fprintf(stderr, "lianfang: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++*i];
        if (k == 0) {
            int f = lf_inv_format_parse(v);
            if (f < 0) {
                fprintf(stderr, "lianfang: unknown format '%s' (auto, csv, psjson, wmic, dpkg, rpm, cyclonedx, spdx, "
                                "cpelist)\n", v);
                return -1;
            }
            o->format = f;
        } else if (k == 1) {
            int e = strcmp(v, "auto") == 0 ? -1 : lf_textenc_parse(v);
            if (e < 0 && strcmp(v, "auto") != 0) {
                fprintf(stderr, "lianfang: unknown encoding '%s' (auto, utf-8, utf-16le, utf-16be, big5, gb18030)\n", v);
                return -1;
            }
            o->encoding = e;
        } else if (k == 2) {
            o->host = v;
        } else if (k == 3) {
            o->os = v;
        } else {
            *dict = v;
        }
        return 1;
    }
    return 0;
}

static int inventory_normalize(int argc, char **argv, const lf_cli_env *env)
{
    lf_intake_opts io = {LF_INV_AUTO, -1, NULL, NULL};
    const char *dict = NULL;
    norm_out o;
    memset(&o, 0, sizeof o);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        int r = lf_cli_intake_opt(argc, argv, &i, &io, &dict);
        if (r < 0)
            return LF_EXIT_ERROR;
        if (r)
            continue;
        if (!strcmp(argv[i], "--json"))
            o.json = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "lianfang: inventory normalize: unknown option '%s'\n", argv[i]);
            return LF_EXIT_ERROR;
        } else
            nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "usage: lianfang inventory normalize [--json] [--format F] [--encoding E] [--host H] "
                        "[--os OS] [--dict DIR] FILE...\n");
        return LF_EXIT_ERROR;
    }
    /* the CVE index, when there is one, adds its products to the vocabulary */
    lf_vdb *vdb = NULL;
    if (lf_file_exists(env->index_path)) {
        lf_err verr;
        if (lf_vdb_open(env->index_path, &vdb, &verr) != LF_OK) {
            lf_cli_error(&verr);
            vdb = NULL;
        }
    }
    lf_intake *ik;
    if (lf_cli_intake_open(env, dict, vdb, &ik)) {
        lf_vdb_close(vdb);
        return LF_EXIT_ERROR;
    }
    lf_buf_init(&o.out, 0);
    lf_buf_init(&o.rejects, 0);
    int status = LF_EXIT_OK;
    if (o.json)
        lf_buf_puts(&o.out, "{\"files\":[");
    bool first_file = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (lf_cli_intake_opt_takes_value(a)) {
            i++;
            continue;
        }
        if (a[0] == '-' && a[1])
            continue;
        lf_err err;
        lf_err_clear(&err);
        lf_intake_report rep;
        o.first_rec = true;
        o.first_rej = true;
        lf_buf_reset(&o.rejects);
        size_t mark = o.out.len;
        if (o.json) {
            lf_buf_puts(&o.out, first_file ? "\n  {\"records\":[" : ",\n  {\"records\":[");
        }
        int rc = lf_intake_file(ik, a, &io, on_item, on_reject, &o, &rep, &err);
        if (rc) {
            if (o.json && o.out.len >= mark)
                o.out.len = mark;   /* drop the half-written object (nothing was delivered) */
            if (o.json) {
                lf_buf_puts(&o.out, first_file ? "\n  {\"src\":" : ",\n  {\"src\":");
                jstr(&o.out, a);
                lf_buf_puts(&o.out, ",\"error\":");
                jstr(&o.out, err.msg);
                lf_buf_puts(&o.out, "}");
                first_file = false;
            }
            lf_cli_error(&err);
            status = LF_EXIT_ERROR;
            continue;
        }
        first_file = false;
        if (o.json) {
            lf_buf_puts(&o.out, "\n   ],\n   \"rejected\":[");
            lf_buf_append(&o.out, o.rejects.data, o.rejects.len);
            lf_buf_puts(&o.out, "],\n   \"src\":");
            jstr(&o.out, a);
            lf_buf_printf(&o.out, ",\"encoding\":\"%s\",\"format\":\"%s\",\n   ", rep.encoding, rep.format);
            print_report(&o.out, &rep, true);
            lf_buf_puts(&o.out, "}");
        } else {
            print_report(&o.out, &rep, false);
        }
        if (o.out.len)
            fwrite(o.out.data, 1, o.out.len, stdout);
        lf_buf_reset(&o.out);
    }
    if (o.json)
        lf_buf_puts(&o.out, "\n]}\n");
    if (o.out.len)
        fwrite(o.out.data, 1, o.out.len, stdout);
    lf_buf_clear(&o.out);
    lf_buf_clear(&o.rejects);
    lf_intake_free(ik);
    lf_vdb_close(vdb);
    return status;
}

int lf_cli_inventory(int argc, char **argv, const lf_cli_env *env)
{
    if (argc >= 2 && !strcmp(argv[1], "normalize"))
        return inventory_normalize(argc - 1, argv + 1, env);
    fprintf(stderr, "usage: lianfang inventory normalize [--json] [--format F] [--encoding E] FILE...\n");
    return LF_EXIT_ERROR;
}
