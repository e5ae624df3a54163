/*
 * cli_feed: `lianfang feed import nvd|kev|cve5|csaf|osv|epss|cpedict|purlidx FILE...` and
 * `lianfang feed status`.
 *
 * An import opens the current index (if any), seeds a builder from it, reads the new
 * files and writes the index back atomically, so an interrupted import leaves the old
 * index intact. Malformed records are reported on stderr as file:line: id: reason and
 * the rest is imported. The names sources (cpedict, purlidx) are not part of the index:
 * each is kept as its own file in the data directory for name resolution.
 */
#include "feeds/cpedict.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/file.h"
#include "core/strmap.h"
#include "feeds/csaf.h"
#include "feeds/cve5.h"
#include "feeds/osv.h"
#include "feeds/epss.h"
#include "feeds/feed.h"
#include "feeds/kev.h"
#include "feeds/nvd.h"
#include "intake/intake.h"
#include "intake/purlidx.h"
#include "vans/vulndb.h"

typedef struct imp {
    const lf_cli_env *env;
    lf_cli_progress prog;
    size_t file_bytes;        /* current file */
    size_t done_bytes;        /* files finished before it */
    size_t total_bytes;       /* all files (stat before the import) */
    size_t errors_shown;
} imp;

#define MAX_ERRORS_SHOWN 200

static void on_error(void *ud, const lf_err *e)
{
    imp *im = ud;
    if (im->errors_shown++ < MAX_ERRORS_SHOWN) {
        lf_cli_progress_done(im->env, &im->prog);
        lf_cli_error(e);
    } else if (im->errors_shown == MAX_ERRORS_SHOWN + 1) {
        fprintf(stderr, "lianfang: further record errors are counted but not shown\n");
    }
}

static void on_progress(void *ud, const char *file, double fraction, size_t records)
{
    imp *im = ud;
    double done = (double)im->done_bytes + fraction * (double)im->file_bytes;
    double overall = im->total_bytes ? done / (double)im->total_bytes : fraction;
    if (overall >= 1.0 && fraction >= 1.0 && im->done_bytes + im->file_bytes < im->total_bytes)
        overall = 0.999;   /* only the last file completes the bar */
    lf_cli_progress_update(im->env, &im->prog, file, overall, records, (size_t)done);
}

/* The files to import: arguments as given, folders expanded (recursively, sorted) to
 * their *.json and *.gz files, so a mirror of one-file-per-CVE folders imports as is. */
typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static int paths_add(paths *p, const char *s)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        char **nv = realloc(p->v, nc * sizeof(*nv));
        if (!nv)
            return LF_ENOMEM;
        p->v = nv;
        p->cap = nc;
    }
    p->v[p->n] = strdup(s);
    return p->v[p->n++] ? LF_OK : LF_ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".json")) || (n > 3 && !strcmp(name + n - 3, ".gz"));
}

static int collect(paths *p, const char *path, int depth)
{
    if (!lf_is_dir(path))
        return paths_add(p, path);
    if (depth > 16)
        return LF_OK;
    DIR *d = opendir(path);
    if (!d)
        return paths_add(p, path);   /* the read reports why */
    size_t first = p->n;
    struct dirent *de;
    int rc = LF_OK;
    while (!rc && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >= (int)sizeof sub)
            continue;
        if (lf_is_dir(sub))
            rc = collect(p, sub, depth + 1);
        else if (wanted(de->d_name))
            rc = paths_add(p, sub);
    }
    closedir(d);
    if (p->n > first)
        qsort(p->v + first, p->n - first, sizeof(char *), cmp_str);
    return rc;
}

/* The names sources' and EPSS's warnings, capped like the record errors (a dictionary of
 * a million broken entries would otherwise print a million lines); ud is a size_t count. */
static void on_cpedict_warn(void *ud, const lf_err *e)
{
    size_t *shown = ud;
    if ((*shown)++ < MAX_ERRORS_SHOWN)
        lf_cli_error(e);
    else if (*shown == MAX_ERRORS_SHOWN + 1)
        fprintf(stderr, "lianfang: further warnings are counted but not shown\n");
}

/* A CSAF product nothing names (no CPE, no purl, names the dictionaries do not know): it
 * cannot be matched, so the operator is told which, with file and advisory, not only how
 * many. */
static void on_csaf_unnamed(void *ud, const lf_err *e)
{
    (void)ud;
    lf_cli_error(e);
}

/* The CPE dictionary is not part of the CVE index: its digest feeds name resolution. */
static int import_cpedict(int argc, char **argv, const lf_cli_env *env)
{
    lf_err err;
    lf_err_clear(&err);
    if (lf_mkdirs(env->data_dir, &err) != LF_OK) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    char out[4200];
    snprintf(out, sizeof out, "%s/cpedict.tsv", env->data_dir);
    lf_cpedict_stats st;
    size_t shown = 0;
    double t0 = lf_clock_mono();
    if (lf_cpedict_import((const char *const *)argv + 2, (size_t)(argc - 2), out, on_cpedict_warn, &shown, &st, &err)) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    printf("cpe dictionary: %zu items (%zu deprecated skipped, %zu malformed reported), %zu product titles "
           "written to %s in %.2f s\n",
           st.items, st.deprecated, st.bad, st.written, out, lf_clock_mono() - t0);
    return LF_EXIT_OK;
}

/* syft's ecosystem → CPE index is third-party data the operator supplies (it is not
 * shipped): every entry is checked (intake/purlidx.h), malformed ones are reported and left
 * out, and the good ones replace <data>/purlidx.json, which inventory intake loads. Several
 * files are merged. A file that is not the format changes nothing. */
static int import_purlidx(int argc, char **argv, const lf_cli_env *env)
{
    lf_err err;
    lf_err_clear(&err);
    lf_purlidx *x = NULL;
    int status = LF_EXIT_ERROR;
    if (lf_mkdirs(env->data_dir, &err) != LF_OK || lf_purlidx_new(&x, &err) != LF_OK) {
        lf_cli_error(&err);
        goto out;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/purlidx.json", env->data_dir);
    size_t shown = 0;
    double t0 = lf_clock_mono();
    for (int i = 2; i < argc; i++)
        if (lf_purlidx_load_file(x, argv[i], on_cpedict_warn, &shown, &err) != LF_OK) {
            lf_cli_error(&err);
            fprintf(stderr, "lianfang: the purl index is left as it was\n");
            goto out;
        }
    lf_purlidx_stats st;
    lf_purlidx_get_stats(x, &st);
    if (!st.packages) {
        fprintf(stderr, "lianfang: no usable entry in the file(s): the purl index is left as it was\n");
        goto out;
    }
    if (lf_purlidx_write(x, path, &err) != LF_OK) {
        lf_cli_error(&err);
        goto out;
    }
    if (!env->quiet) {
        printf("purl index: %zu packages, %zu CPE names (%zu packages name several products), %zu malformed "
               "entries reported and left out; written to %s in %.2f s\n",
               st.packages, st.cpes, st.ambiguous, st.bad, path, lf_clock_mono() - t0);
        lf_purlidx_eco ec[LF_PURLIDX_MAX_ECOSYSTEMS];
        size_t ne = lf_purlidx_ecosystems(x, ec, LF_PURLIDX_MAX_ECOSYSTEMS);
        for (size_t i = 0; i < ne && i < LF_PURLIDX_MAX_ECOSYSTEMS; i++)
            printf("  %-18s %6zu packages, as ecosystem %s%s\n", ec[i].syft, ec[i].packages, ec[i].ecosystem,
                   lf_purlidx_ecosystem_name(ec[i].syft) ? "" : " (no lianfang name: only rows naming it match)");
    }
    status = LF_EXIT_OK;
out:
    lf_purlidx_free(x);
    return status;
}

/* EPSS scores live beside the index (<data>/epss.lfe) and are replaced whole: FIRST's
 * daily file is complete, so only the last file given counts. */
static int import_epss(int argc, char **argv, const lf_cli_env *env)
{
    lf_err err;
    lf_err_clear(&err);
    if (lf_mkdirs(env->data_dir, &err) != LF_OK) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: lianfang feed import epss epss_scores-YYYY-MM-DD.csv[.gz]  (one daily file)\n");
        return LF_EXIT_ERROR;
    }
    char out[4200];
    snprintf(out, sizeof out, "%s/epss.lfe", env->data_dir);
    lf_epss_stats st;
    size_t shown = 0;
    double t0 = lf_clock_mono();
    if (lf_epss_import_file(argv[2], out, on_cpedict_warn, &shown, &st, &err) != LF_OK) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    printf("epss: model %s, scores of %s: %zu CVEs (%zu rows, %zu malformed reported, %zu duplicates) in %.2f s\n",
           st.model[0] ? st.model : "?", st.date[0] ? st.date : "?", st.kept, st.rows, st.bad, st.duplicates,
           lf_clock_mono() - t0);
    return st.bad ? LF_EXIT_FINDINGS : LF_EXIT_OK;
}

/* cve5 options: --dict DIR (name-resolution dictionaries), --no-names (no resolution:
 * entries without cpes use the CNA's own vendor and product). They are taken out of
 * argv so the rest are files. */
static int cve5_opts(int *argc, char **argv, const char **dict, bool *no_names)
{
    int w = 2;
    for (int i = 2; i < *argc; i++) {
        if (!strcmp(argv[i], "--dict")) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "lianfang: --dict needs a folder\n");
                return -1;
            }
            *dict = argv[++i];
        } else if (!strcmp(argv[i], "--no-names")) {
            *no_names = true;
        } else {
            argv[w++] = argv[i];
        }
    }
    *argc = w;
    return 0;
}

static int feed_import(int argc, char **argv, const lf_cli_env *env)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lianfang feed import nvd|kev|cve5|csaf|osv|epss|cpedict|purlidx FILE...\n");
        return LF_EXIT_ERROR;
    }
    const char *kind = argv[1];
    bool is_nvd = !strcmp(kind, "nvd"), is_kev = !strcmp(kind, "kev"), is_cve5 = !strcmp(kind, "cve5");
    bool is_csaf = !strcmp(kind, "csaf"), is_osv = !strcmp(kind, "osv");
    if (!strcmp(kind, "cpedict"))
        return import_cpedict(argc, argv, env);
    if (!strcmp(kind, "epss"))
        return import_epss(argc, argv, env);
    if (!strcmp(kind, "purlidx"))
        return import_purlidx(argc, argv, env);
    if (!is_nvd && !is_kev && !is_cve5 && !is_csaf && !is_osv) {
        fprintf(stderr,
                "lianfang: unknown feed '%s' (this version reads: nvd, kev, cve5, csaf, osv, epss, cpedict, purlidx)\n",
                kind);
        return LF_EXIT_ERROR;
    }
    const char *dict = NULL;
    bool no_names = false;
    if ((is_cve5 || is_csaf) && (cve5_opts(&argc, argv, &dict, &no_names) < 0 || argc < 3)) {
        fprintf(stderr, "usage: lianfang feed import %s [--dict DIR] [--no-names] FILE|DIR...\n", kind);
        return LF_EXIT_ERROR;
    }
    lf_err err;
    lf_err_clear(&err);
    if (lf_mkdirs(env->data_dir, &err) != LF_OK) {
        lf_cli_error(&err);
        return LF_EXIT_ERROR;
    }
    lf_vdb *old = NULL;
    lf_intake *ik = NULL;
    lf_cve5_reader *c5 = NULL;
    lf_csaf_reader *cs = NULL;
    lf_osv_reader *ov = NULL;
    paths files = {0};
    lf_vdb_builder *b = lf_vdb_builder_new();
    if (!b) {
        fprintf(stderr, "lianfang: out of memory\n");
        return LF_EXIT_ERROR;
    }
    int status = LF_EXIT_OK;
    double t0 = lf_clock_mono();
    if (lf_file_exists(env->index_path)) {
        if (lf_vdb_open(env->index_path, &old, &err) != LF_OK ||
            lf_vdb_builder_load(b, old, &err) != LF_OK) {
            lf_cli_error(&err);
            fprintf(stderr, "lianfang: the existing index cannot be read; remove %s to rebuild it\n",
                    env->index_path);
            status = LF_EXIT_ERROR;
            goto out;
        }
    }
    double t_load = lf_clock_mono() - t0;
    imp im = {env, {0, 0, false}, 0, 0, 0, 0};
    for (int i = 2; i < argc; i++)
        if (collect(&files, argv[i], 0) != LF_OK) {
            fprintf(stderr, "lianfang: out of memory listing files\n");
            status = LF_EXIT_ERROR;
            goto out;
        }
    for (size_t i = 0; i < files.n; i++) {
        struct stat stt;
        if (stat(files.v[i], &stt) == 0)
            im.total_bytes += (size_t)stt.st_size;
    }
    lf_feed_ctx ctx;
    lf_feed_ctx_init(&ctx, b);
    ctx.on_error = on_error;
    ctx.on_progress = on_progress;
    ctx.ud = &im;
    if (is_cve5 || is_csaf) {
        /* CNA entries without cpes and CSAF products with only names are named by
         * vendor and product: resolve them with the same dictionaries inventories use
         * (and the index's own vocabulary) */
        if (!no_names && lf_cli_intake_open(env, dict, old, &ik) != LF_EXIT_OK)
            fprintf(stderr, "lianfang: name dictionaries not loaded: entries without cpes use the %s's own "
                            "vendor and product names\n", is_cve5 ? "CNA" : "vendor");
        const lf_namedb *nd = ik ? lf_intake_namedb(ik) : NULL;
        int rc;
        if (is_cve5) {
            lf_cve5_opts o = {nd, NULL, NULL};
            rc = lf_cve5_reader_new(&ctx, &o, &c5, &err);
        } else {
            lf_csaf_opts o = {nd, NULL, on_csaf_unnamed, NULL};
            rc = lf_csaf_reader_new(&ctx, &o, &cs, &err);
        }
        if (rc != LF_OK) {
            lf_cli_error(&err);
            status = LF_EXIT_ERROR;
            goto out;
        }
    } else if (is_osv && lf_osv_reader_new(&ctx, NULL, &ov, &err) != LF_OK) {
        lf_cli_error(&err);
        status = LF_EXIT_ERROR;
        goto out;
    }
    double t1 = lf_clock_mono();
    im.prog.start = t1;
    size_t failed_files = 0;
    for (size_t i = 0; i < files.n; i++) {
        lf_err_clear(&err);
        char *data = NULL;
        size_t len = 0;
        int rc = lf_file_read(files.v[i], 0, &data, &len, &err);
        if (rc == LF_OK) {
            im.file_bytes = len;
            rc = is_nvd    ? lf_nvd_import_buffer(&ctx, files.v[i], data, len, &err)
                 : is_cve5 ? lf_cve5_reader_buffer(c5, files.v[i], data, len, &err)
                 : is_csaf ? lf_csaf_reader_buffer(cs, files.v[i], data, len, &err)
                 : is_osv  ? lf_osv_reader_buffer(ov, files.v[i], data, len, &err)
                           : lf_kev_import_buffer(&ctx, files.v[i], data, len, &err);
            free(data);
        }
        im.done_bytes += im.file_bytes;
        im.file_bytes = 0;
        if (rc != LF_OK) {
            lf_cli_progress_done(env, &im.prog);
            lf_cli_error(&err);
            failed_files++;
        }
    }
    lf_cli_progress_done(env, &im.prog);
    double t_parse = lf_clock_mono() - t1;
    double t2 = lf_clock_mono();
    lf_err_clear(&err);
    const lf_feed_report *r = &ctx.report;
    /* nothing new (every record unchanged, stale or already absent): the index on disk
     * is already the answer, so it is not rewritten */
    bool changed = !old || r->added || r->replaced || r->removed || is_kev;
    if (changed && lf_vdb_builder_write(b, env->index_path, &err) != LF_OK) {
        lf_cli_error(&err);
        status = LF_EXIT_ERROR;
        goto out;
    }
    double t_write = lf_clock_mono() - t2;
    if (!env->quiet) {
        printf("%s: %zu records from %zu file(s), %.1f MB in %.2f s (%.0f MB/s)\n", kind, r->records, r->files,
               (double)r->bytes / 1e6, t_parse, t_parse > 0 ? (double)r->bytes / 1e6 / t_parse : 0.0);
        if (is_nvd)
            printf("  %zu added, %zu replaced (newer lastModified), %zu unchanged, %zu older than stored, "
                   "%zu removed (Rejected), %zu Rejected not stored\n",
                   r->added, r->replaced, r->unchanged, r->stale, r->removed, r->rejected_new);
        else if (is_cve5)
            printf("  documents (one per CNA / ADP container): %zu added, %zu replaced (newer dateUpdated), "
                   "%zu unchanged, %zu older than stored, %zu removed (REJECTED), %zu REJECTED not stored\n",
                   r->added, r->replaced, r->unchanged, r->stale, r->removed, r->rejected_new);
        else if (is_csaf) {
            lf_csaf_stats cst;
            lf_csaf_reader_get_stats(cs, &cst);
            printf("  %zu advisories, %zu vulnerabilities: documents %zu added, %zu replaced (newer "
                   "current_release_date), %zu unchanged, %zu older than stored; %zu products left out "
                   "(nothing names them)\n",
                   cst.advisories, cst.vulns, r->added, r->replaced, r->unchanged, r->stale, cst.unnamed);
        } else if (is_osv) {
            lf_osv_stats ost;
            lf_osv_reader_stats(ov, &ost);
            printf("  %zu records: documents (one per record and CVE) %zu added, %zu replaced (newer modified), "
                   "%zu unchanged, %zu older than stored, %zu removed (withdrawn); %zu records name no CVE, "
                   "%zu affected entries without a package\n",
                   ost.records, r->added, r->replaced, r->unchanged, r->stale, r->removed, ost.no_cve,
                   ost.no_package);
        } else
            printf("  %zu catalog entries (the catalog replaces the stored one)\n", r->added);
        printf("  %zu record errors reported, %zu configurations left out, %zu file(s) unreadable\n", r->errors,
               r->configs_dropped, failed_files);
        if (changed)
            printf("  index %s: %zu documents (load %.2f s, write %.2f s)\n", env->index_path,
                   lf_vdb_builder_ndocs(b), t_load, t_write);
        else
            printf("  index %s: %zu documents, unchanged (not rewritten)\n", env->index_path,
                   lf_vdb_builder_ndocs(b));
    }
    if (failed_files)
        status = LF_EXIT_ERROR;
out:
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    lf_cve5_reader_free(c5);
    lf_csaf_reader_free(cs);
    lf_osv_reader_free(ov);
    lf_intake_free(ik);
    lf_vdb_builder_free(b);
    lf_vdb_close(old);
    return status;
}

/* s as a JSON string, quotes included (paths may hold any byte but NUL) */
static void put_jstr(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* What the CPE dictionary digest holds: its lines (titles), the distinct products (first
 * column) and when it was written. False when there is none or it cannot be read. */
typedef struct cpedict_info {
    size_t titles, products;
    char when[32];
} cpedict_info;

static bool cpedict_stat(const char *path, cpedict_info *ci)
{
    memset(ci, 0, sizeof *ci);
    struct stat sb;
    char *data = NULL;
    size_t len = 0;
    lf_err err;
    lf_err_clear(&err);
    if (stat(path, &sb) != 0)
        return false;
    if (lf_file_read(path, (size_t)1 << 32, &data, &len, &err) != LF_OK) {
        lf_cli_error(&err);   /* there, but unreadable: say why, then "not imported" */
        return false;
    }
    lf_strmap prods = {0};
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    for (char *p = data, *end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        char *tab = memchr(p, '\t', (size_t)(eol - p));
        if (tab && *p != '#') {
            lf_strmap_slot *sl;
            bool ex;
            ci->titles++;
            if (lf_strmap_put(&prods, &a, p, (size_t)(tab - p), 0, &sl, &ex) == LF_OK && !ex)
                ci->products++;
        }
        p = eol + 1;
    }
    lf_strmap_clear(&prods);
    lf_arena_clear(&a);
    free(data);
    struct tm tm;
    time_t t = sb.st_mtime;
    if (gmtime_r(&t, &tm))
        strftime(ci->when, sizeof ci->when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return true;
}

static int feed_status(int argc, char **argv, const lf_cli_env *env)
{
    bool json = argc > 1 && !strcmp(argv[1], "--json");
    lf_err err;
    lf_err_clear(&err);
    lf_vdb *db = NULL;
    double t0 = lf_clock_mono();
    if (lf_vdb_open(env->index_path, &db, &err) != LF_OK) {
        lf_cli_error(&err);
        if (err.code == LF_ENOTFOUND)
            fprintf(stderr, "lianfang: no index yet: run `lianfang feed import nvd FILE...`\n");
        return LF_EXIT_ERROR;
    }
    double t_open = lf_clock_mono() - t0;
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    /* NVD status breakdown */
    static const char *const statuses[] = {"Analyzed", "Modified", "Awaiting Analysis", "Undergoing Analysis",
                                           "Received", "Deferred"};
    size_t counts[7] = {0};
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    for (size_t i = 0; i < st.docs; i++) {
        lf_vdoc d;
        lf_arena_reset(&a);
        if (lf_vdb_doc(db, i, &a, &d) != LF_OK)
            continue;
        size_t k = 0;
        for (; k < 6; k++)
            if (d.status && !strcmp(d.status, statuses[k]))
                break;
        counts[k]++;
    }
    lf_arena_clear(&a);
    char epath[4200];
    snprintf(epath, sizeof epath, "%s/epss.lfe", env->data_dir);
    lf_epss *ep = NULL;
    if (lf_file_exists(epath) && lf_epss_open(epath, &ep, &err) != LF_OK)
        lf_cli_error(&err);
    lf_epss_stats es;
    lf_epss_info(ep, &es);
    /* the purl index (feed import purlidx): a names source beside the index */
    char ppath[4200];
    snprintf(ppath, sizeof ppath, "%s/purlidx.json", env->data_dir);
    lf_purlidx *px = NULL;
    if (lf_file_exists(ppath) &&
        (lf_purlidx_new(&px, &err) != LF_OK || lf_purlidx_load_file(px, ppath, NULL, NULL, &err) != LF_OK)) {
        lf_cli_error(&err);
        lf_purlidx_free(px);
        px = NULL;
    }
    lf_purlidx_stats ps;
    lf_purlidx_get_stats(px, &ps);
    /* the CPE dictionary digest (feed import cpedict): one line per product title */
    char cpath[4200];
    snprintf(cpath, sizeof cpath, "%s/cpedict.tsv", env->data_dir);
    cpedict_info ci;
    bool have_cd = cpedict_stat(cpath, &ci);
    lf_purlidx_eco pe[LF_PURLIDX_MAX_ECOSYSTEMS];
    size_t npe = lf_purlidx_ecosystems(px, pe, LF_PURLIDX_MAX_ECOSYSTEMS);
    if (npe > LF_PURLIDX_MAX_ECOSYSTEMS)
        npe = LF_PURLIDX_MAX_ECOSYSTEMS;
    if (json) {
        printf("{\"index\":");
        put_jstr(env->index_path);
        printf(",\"bytes\":%zu,\"built\":\"%s\",\"digest\":\"%016llx\",\"documents\":%zu,"
               "\"vulnerabilities\":%zu,\"criteria\":%zu,\"products\":%zu,\"without_applicability\":%zu,"
               "\"kev\":%zu,\"kev_version\":\"%s\",\"sources\":{",
               st.file_bytes, st.built, (unsigned long long)st.digest, st.docs, st.vulns, st.crits,
               st.products, st.docs_without_config, st.kev, st.kev_version);
        bool first = true;
        for (int s = 1; s < LF_SRC_COUNT; s++) {
            printf("%s\"%s\":%zu", first ? "" : ",", lf_source_name((lf_source)s), st.docs_by_source[s]);
            first = false;
        }
        printf("},\"vulnerabilities_by_source\":{");
        for (int s = 1; s < LF_SRC_COUNT; s++)
            printf("%s\"%s\":%zu", s > 1 ? "," : "", lf_source_name((lf_source)s), st.vulns_by_source[s]);
        printf("},\"vulnerabilities_without_criteria\":%zu,\"nvd_status\":{", st.vulns_without_criteria);
        for (int k = 0; k < 6; k++)
            printf("%s\"%s\":%zu", k ? "," : "", statuses[k], counts[k]);
        printf(",\"other\":%zu},\"epss\":{\"scores\":%zu,\"model\":\"%s\",\"date\":\"%s\"}", counts[6], es.kept,
               es.model, es.date);
        if (px) {
            printf(",\"purl_index\":{\"path\":");
            put_jstr(ppath);
            printf(",\"packages\":%zu,\"cpes\":%zu,\"ambiguous\":%zu,\"ecosystems\":{", ps.packages, ps.cpes,
                   ps.ambiguous);
            for (size_t i = 0; i < npe; i++)
                printf("%s\"%s\":%zu", i ? "," : "", pe[i].ecosystem, pe[i].packages);
            printf("}}");
        } else {
            printf(",\"purl_index\":null");
        }
        if (have_cd)
        {
            printf(",\"cpe_dictionary\":{\"path\":");
            put_jstr(cpath);
            printf(",\"titles\":%zu,\"products\":%zu,\"imported\":\"%s\"}", ci.titles, ci.products, ci.when);
        }
        else
            printf(",\"cpe_dictionary\":null");
        printf("}\n");
    } else {
        printf("index        %s (%.1f MB, built %s, opened in %.3f s)\n", env->index_path, (double)st.file_bytes / 1e6,
               st.built, t_open);
        printf("snapshot     %016llx\n", (unsigned long long)st.digest);
        printf("documents    %zu for %zu vulnerabilities\n", st.docs, st.vulns);
        for (int s = 1; s < LF_SRC_COUNT; s++)
            printf("  %-10s %zu documents, %zu vulnerabilities\n", lf_source_name((lf_source)s),
                   st.docs_by_source[s], st.vulns_by_source[s]);
        printf("unmatchable  %zu vulnerabilities have no machine-readable applicability in any source\n",
               st.vulns_without_criteria);
        printf("criteria     %zu in %zu configurations, %zu products\n", st.crits, st.configs, st.products);
        printf("no criteria  %zu documents without applicability data (matched by description, low confidence)\n",
               st.docs_without_config);
        printf("NVD status  ");
        for (int k = 0; k < 6; k++)
            printf(" %s %zu,", statuses[k], counts[k]);
        printf(" other %zu\n", counts[6]);
        printf("KEV          %zu entries (catalog %s)\n", st.kev, st.kev_version[0] ? st.kev_version : "not imported");
        if (ep)
            printf("EPSS         %zu CVEs scored (model %s, scores of %s)\n", es.kept, es.model, es.date);
        else
            printf("EPSS         not imported\n");
        if (px) {
            printf("purl index   %zu packages, %zu CPE names (%s):", ps.packages, ps.cpes, ppath);
            for (size_t i = 0; i < npe; i++)
                printf("%s %s %zu", i ? "," : "", pe[i].ecosystem, pe[i].packages);
            printf("\n");
        } else {
            printf("purl index   not imported (feed import purlidx FILE: syft's cpe-index.json)\n");
        }
        if (have_cd)
            printf("CPE dict     %zu titles of %zu products (%s, imported %s)\n", ci.titles, ci.products, cpath,
                   ci.when);
        else
            printf("CPE dict     not imported (feed import cpedict FILE: NVD's official CPE dictionary)\n");
    }
    lf_purlidx_free(px);
    lf_epss_close(ep);
    lf_vdb_close(db);
    return LF_EXIT_OK;
}

int lf_cli_feed(int argc, char **argv, const lf_cli_env *env)
{
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return feed_import(argc - 1, argv + 1, env);
    if (argc >= 2 && !strcmp(argv[1], "status"))
        return feed_status(argc - 1, argv + 1, env);
    if (argc >= 2 && !strcmp(argv[1], "sync"))
        return lf_cli_feed_sync(argc - 1, argv + 1, env);
    fprintf(stderr, "usage: lianfang feed import nvd|kev|cve5|csaf|osv|epss|cpedict|purlidx FILE...\n"
                    "       lianfang feed status [--json]\n"
                    "       lianfang feed sync nvd|kev|csaf ... (lianfang feed sync --help)\n");
    return LF_EXIT_ERROR;
}
