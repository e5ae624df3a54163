/*
 * cli_sync: `lianfang feed sync nvd|kev|csaf`: download feeds over HTTP into the data
 * folder (see feeds/nvd_sync.h, feeds/csaf_sync.h, feeds/fetch.h). Settings come from
 * the configuration (nvd.*, kev.url; file from --config, $LIANFANG_CONFIG or
 * <data>/lianfang.conf, then LIANFANG_* variables), options override them.
 *
 *   feed sync nvd [--since ISO] [--until ISO] [--url BASE] [--import-every N]
 *   feed sync kev [--url URL]        conditional GET; imported only when it changed
 *   feed sync csaf URL|DOMAIN        provider-metadata.json or a domain's well-known one
 */
#include "cli/cli.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/file.h"
#include "core/json.h"
#include "feeds/csaf_sync.h"
#include "feeds/feed.h"
#include "feeds/fetch.h"
#include "feeds/kev.h"
#include "feeds/nvd_sync.h"
#include "vans/vulndb.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: lianfang feed sync nvd [--since ISO] [--until ISO] [--url BASE] [--import-every N]\n"
               "       lianfang feed sync kev [--url URL]\n"
               "       lianfang feed sync csaf PROVIDER-METADATA-URL|DOMAIN\n"
               "  common: [--config FILE]\n"
               "  nvd without --since continues from the last sync (the first sync needs one:\n"
               "  --since 1999-01-01 pulls everything); changed CVE ids go to <data>/sync/nvd-changed.txt\n");
}

typedef struct sync_ui {
    const lf_cli_env *env;
    size_t errors_shown;
} sync_ui;

static void on_retry(void *ud, const char *url, long status, const char *why, double delay)
{
    sync_ui *ui = ud;
    (void)status;
    if (!ui->env->quiet)
        fprintf(stderr, "lianfang: GET %s: %s; retrying in %.1f s\n", url, why, delay);
}

static void on_error(void *ud, const lf_err *e)
{
    sync_ui *ui = ud;
    if (ui->errors_shown++ < 200)
        lf_cli_error(e);
}

static void on_page(void *ud, const char *ws, const char *we, size_t start, size_t got, size_t total)
{
    sync_ui *ui = ud;
    if (!ui->env->quiet)
        fprintf(stderr, "nvd: %.10s..%.10s: records %zu-%zu of %zu\n", ws, we, got ? start + 1 : start, start + got,
                total);
}

static int parse_count(const char *s, unsigned *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (!*s || *e || errno || v < 1 || v > 1000000)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int sync_nvd(const lf_cli_env *env, const lf_config *cfg, const char *since, const char *until,
                    const char *url, unsigned import_every)
{
    sync_ui ui = {env, 0};
    lf_nvd_sync_opts o = {0};
    o.data_dir = env->data_dir;
    o.index_path = env->index_path;
    o.url = url ? url : lf_config_str(cfg, "nvd.url");
    o.api_key = lf_config_str(cfg, "nvd.api_key");
    o.since = since;
    o.until = until;
    o.results_per_page = (unsigned)lf_config_int(cfg, "nvd.results_per_page");
    o.rate_requests = (unsigned)lf_config_int(cfg, "nvd.rate_requests");
    o.rate_window = (double)lf_config_int(cfg, "nvd.rate_window");
    o.max_attempts = (unsigned)lf_config_int(cfg, "nvd.max_attempts");
    o.import_every = import_every;
    o.on_retry = on_retry;
    o.on_error = on_error;
    o.on_page = on_page;
    o.ud = &ui;
    lf_nvd_sync_report r;
    lf_err err;
    lf_err_clear(&err);
    double t0 = lf_clock_mono();
    int rc = lf_nvd_sync(&o, &r, &err);
    if (rc)
        lf_cli_error(&err);
    if (!env->quiet && r.run_start[0]) {
        printf("nvd sync %s%s .. %s: %zu windows, %zu pages (%zu imported in %zu index writes), %zu requests, "
               "%zu retries, %.1f s waiting, %.1f s in all\n",
               r.resumed ? "(resumed) " : "", r.run_start, r.run_end, r.windows, r.pages, r.pages_imported,
               r.imports, r.requests, r.retries, r.slept, lf_clock_mono() - t0);
        printf("  records: %zu seen, %zu added, %zu replaced, %zu unchanged, %zu older than stored, %zu removed "
               "(Rejected), %zu record errors\n",
               r.feed.records, r.feed.added, r.feed.replaced, r.feed.unchanged, r.feed.stale, r.feed.removed,
               r.feed.errors);
        printf("  %zu changed CVE ids added to %s/sync/nvd-changed.txt\n", r.changed, env->data_dir);
        if (!rc)
            printf("  high-water mark %s\n", r.high_water);
        else
            printf("  stopped: run the same command again to resume\n");
    }
    if (rc == LF_EUSAGE)
        usage(stderr);
    return rc ? LF_EXIT_ERROR : LF_EXIT_OK;
}

/* KEV: the catalog is published whole, so a conditional GET tells whether to import. */
static int sync_kev(const lf_cli_env *env, const lf_config *cfg, const char *url)
{
    sync_ui ui = {env, 0};
    if (!url)
        url = lf_config_str(cfg, "kev.url");
    char state_path[4200];
    snprintf(state_path, sizeof state_path, "%s/sync/kev.json", env->data_dir);
    lf_err err;
    lf_err_clear(&err);
    int status = LF_EXIT_ERROR;
    lf_fetch *f = NULL;
    lf_vdb *old = NULL;
    lf_vdb_builder *b = NULL;
    lf_buf body, st;
    lf_buf_init(&body, (size_t)64 << 20);
    lf_buf_init(&st, 0);
    lf_arena a;
    lf_arena_init(&a, 0);
    /* validators of the last import, when it came from the same URL */
    char etag[256] = "", lastmod[64] = "";
    if (lf_file_exists(state_path)) {
        char *data = NULL;
        size_t len = 0;
        lf_json *root = NULL;
        if (lf_file_read(state_path, 1 << 16, &data, &len, &err) == LF_OK &&
            lf_json_parse(&a, data, len, NULL, &root, &err) == LF_OK) {
            const char *u = lf_json_get_str(root, "url");
            if (u && !strcmp(u, url)) {
                snprintf(etag, sizeof etag, "%s", lf_json_get_str(root, "etag") ? lf_json_get_str(root, "etag") : "");
                snprintf(lastmod, sizeof lastmod, "%s",
                         lf_json_get_str(root, "last_modified") ? lf_json_get_str(root, "last_modified") : "");
            }
        }
        free(data);
        lf_err_clear(&err);
    }
    lf_fetch_opts fo = {0};
    fo.max_attempts = (unsigned)lf_config_int(cfg, "nvd.max_attempts");
    fo.max_bytes = (size_t)64 << 20;
    fo.on_retry = on_retry;
    fo.ud = &ui;
    if (lf_fetch_new(&fo, &f, &err) != LF_OK)
        goto fail;
    lf_fetch_cond cond = {etag, lastmod};
    lf_fetch_resp resp;
    if (lf_fetch_get(f, url, &cond, &body, &resp, &err) != LF_OK)
        goto fail;
    if (resp.not_modified) {
        if (!env->quiet)
            printf("kev: not modified since the last sync (HTTP 304); index unchanged\n");
        status = LF_EXIT_OK;
        goto out;
    }
    if (!(b = lf_vdb_builder_new())) {
        lf_err_set(&err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    if (lf_file_exists(env->index_path) &&
        (lf_vdb_open(env->index_path, &old, &err) != LF_OK || lf_vdb_builder_load(b, old, &err) != LF_OK))
        goto fail;
    lf_feed_ctx ctx;
    lf_feed_ctx_init(&ctx, b);
    ctx.on_error = on_error;
    ctx.ud = &ui;
    char shown[1024];
    lf_fetch_url_for_log(url, shown, sizeof shown);
    if (lf_kev_import_buffer(&ctx, shown, body.data ? body.data : "", body.len, &err) != LF_OK ||
        lf_mkdirs(env->data_dir, &err) != LF_OK || lf_vdb_builder_write(b, env->index_path, &err) != LF_OK)
        goto fail;
    /* the validators are saved only after the index holds the catalog they describe */
    if (lf_buf_puts(&st, "{\"url\":") || lf_json_write_str(&st, url, strlen(url)) ||
        lf_buf_puts(&st, ",\"etag\":") || lf_json_write_str(&st, resp.etag, strlen(resp.etag)) ||
        lf_buf_puts(&st, ",\"last_modified\":") ||
        lf_json_write_str(&st, resp.last_modified, strlen(resp.last_modified)) || lf_buf_puts(&st, "}\n")) {
        lf_err_set(&err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    if (lf_fetch_save_file(state_path, st.data, st.len, &err) != LF_OK)
        goto fail;
    if (!env->quiet)
        printf("kev: catalog imported: %zu entries, %zu record errors, %.1f MB (%zu requests, %zu retries)\n",
               ctx.report.added, ctx.report.errors, (double)body.len / 1e6, lf_fetch_stats_borrow(f)->requests,
               lf_fetch_stats_borrow(f)->retries);
    status = LF_EXIT_OK;
    goto out;
fail:
    lf_cli_error(&err);
out:
    lf_vdb_builder_free(b);
    lf_vdb_close(old);
    lf_fetch_free(f);
    lf_buf_clear(&body);
    lf_buf_clear(&st);
    lf_arena_clear(&a);
    return status;
}

static int sync_csaf(const lf_cli_env *env, const lf_config *cfg, const char *source)
{
    sync_ui ui = {env, 0};
    lf_csaf_sync_opts o = {0};
    o.data_dir = env->data_dir;
    o.source = source;
    o.max_attempts = (unsigned)lf_config_int(cfg, "nvd.max_attempts");
    o.on_retry = on_retry;
    o.on_error = on_error;
    o.ud = &ui;
    lf_csaf_sync_report r;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_csaf_sync(&o, &r, &err);
    if (rc)
        lf_cli_error(&err);
    for (size_t i = 0; i < r.npaths; i++)
        printf("%s\n", r.paths[i]);
    if (!env->quiet)
        fprintf(stderr,
                "csaf %s: %zu indexes, %zu documents listed, %zu new or changed saved (%zu verified, %zu without a "
                "published digest), %zu already had, %zu failed (%zu checksum mismatches), %zu bad index rows; "
                "%zu requests, %zu retries\n",
                r.host, r.sources, r.listed, r.fetched, r.verified, r.unverified, r.skipped, r.failed, r.bad_checksum,
                r.bad_rows, r.requests, r.retries);
    int status = rc ? LF_EXIT_ERROR : r.failed ? LF_EXIT_FINDINGS : LF_EXIT_OK;
    if (r.npaths) {
        /* the new documents go into the index at once, through the same import as
         * `feed import csaf` (stdout keeps listing only the saved paths) */
        char **av = malloc((r.npaths + 3) * sizeof(*av));
        if (!av) {
            fprintf(stderr, "lianfang: out of memory\n");
            status = LF_EXIT_ERROR;
        } else {
            av[0] = "feed";
            av[1] = "import";
            av[2] = "csaf";
            for (size_t i = 0; i < r.npaths; i++)
                av[i + 3] = r.paths[i];
            lf_cli_env quiet = *env;
            quiet.quiet = true;
            quiet.progress = false;
            int irc = lf_cli_feed((int)r.npaths + 3, av, &quiet);
            free(av);
            if (!env->quiet)
                fprintf(stderr, "csaf %s: %zu document(s) imported into the index%s\n", r.host, r.npaths,
                        irc == LF_EXIT_ERROR ? " with errors (see above)" : "");
            if (irc == LF_EXIT_ERROR)
                status = LF_EXIT_ERROR;
        }
    }
    lf_csaf_sync_report_clear(&r);
    return status;
}

int lf_cli_feed_sync(int argc, char **argv, const lf_cli_env *env)
{
    /* argv[0] = "sync", argv[1] = the feed */
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? LF_EXIT_ERROR : LF_EXIT_OK;
    }
    const char *kind = argv[1];
    const char *since = NULL, *until = NULL, *url = NULL, *config = NULL, *source = NULL;
    unsigned every = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--since")    ? &since
                            : !strcmp(a, "--until")  ? &until
                            : !strcmp(a, "--url")    ? &url
                            : !strcmp(a, "--config") ? &config
                                                     : NULL;
        if (slot || !strcmp(a, "--import-every")) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                fprintf(stderr, "lianfang: %s needs a value\n", a);
                return LF_EXIT_ERROR;
            }
            if (slot)
                *slot = argv[++i];
            else if (parse_count(argv[++i], &every)) {
                fprintf(stderr, "lianfang: --import-every: '%s' is not a page count (1 or more)\n", argv[i]);
                return LF_EXIT_ERROR;
            }
        } else if (a[0] != '-' && !source) {
            source = a;
        } else {
            fprintf(stderr, "lianfang: feed sync %s: unexpected argument '%s'\n", kind, a);
            usage(stderr);
            return LF_EXIT_ERROR;
        }
    }
    bool nvd = !strcmp(kind, "nvd"), kev = !strcmp(kind, "kev"), csaf = !strcmp(kind, "csaf");
    if ((!nvd && !kev && !csaf) || (csaf && !source) || (!csaf && source) || (!nvd && (since || until || every)) ||
        (csaf && url)) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    lf_config *cfg = NULL;
    if (lf_cli_config_load(env, config, NULL, &cfg))
        return LF_EXIT_ERROR;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "lianfang: cannot initialise libcurl\n");
        lf_config_free(cfg);
        return LF_EXIT_ERROR;
    }
    lf_err err;
    lf_err_clear(&err);
    int status = LF_EXIT_ERROR;
    if (lf_mkdirs(env->data_dir, &err) != LF_OK)
        lf_cli_error(&err);
    else if (nvd)
        status = sync_nvd(env, cfg, since, until, url, every);
    else if (kev)
        status = sync_kev(env, cfg, url);
    else
        status = sync_csaf(env, cfg, source);
    curl_global_cleanup();
    lf_config_free(cfg);
    return status;
}
