/*
 * cli_serve: `lianfang serve` runs the platform server. It loads the configuration (file,
 * then LIANFANG_<SECTION>_<KEY> environment variables, then --listen/--port), starts the
 * HTTP layer with /healthz, /metrics and the /api/v1 routes (src/server: the store at
 * store.url, the index <data>/vulndb.lfx when imported, the intake dictionaries), prints the URL it listens on
 * and runs until SIGINT or SIGTERM, then lets in-flight requests finish and exits 0.
 */
#include "cli/cli.h"
#include "core/buf.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/file.h"
#include "http/http.h"
#include "server/scheduler.h"
#include "server/server.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lianfang [--data DIR] serve [--config FILE] [--listen ADDR] [--port N]\n"
            "       lianfang serve --check          print the effective configuration and exit\n"
            "       lianfang serve --sample-config  print a commented configuration file\n"
            "\n"
            "  --config FILE  configuration file (default $LIANFANG_CONFIG, else <data>/lianfang.conf\n"
            "                 when it exists); every key can be overridden by LIANFANG_<SECTION>_<KEY>\n"
            "  --listen ADDR  address to listen on (http.listen; default 127.0.0.1)\n"
            "  --port N       port (http.port; default 8080; 0 = any free port)\n"
            "\n"
            "Runs until SIGINT or SIGTERM; see docs/api.md for the endpoints.\n");
}

static void on_access(void *app, const lf_http_log_entry *e)
{
    (void)app;
    char ts[21] = "-";
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (lf_utc_format((int64_t)now.tv_sec, ts))   /* once a request: no gmtime lock */
        ts[20] = '\0';
    /* The path is the client's: no control bytes or spaces into the log, and a bound. */
    char path[512];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)e->path; *p && n + 1 < sizeof path; p++)
        path[n++] = *p <= 0x20 || *p == 0x7f ? '?' : (char)*p;
    path[n] = '\0';
    /* One line per request, fields in a fixed order so it can be cut/awk'ed. */
    fprintf(stderr, "%s %s %s %s %d %.1fms %zu %zu %s\n", ts, e->client[0] ? e->client : "-", e->method, path,
            e->status, e->seconds * 1000.0, e->body_in, e->body_out, e->request_id);
}

static void on_error(void *app, const char *msg)
{
    (void)app;
    fprintf(stderr, "lianfang: %s\n", msg);
}

/* GET /api/v1/version: what is running, for clients and monitoring. */
static int api_version(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    (void)req;
    lf_buf *b = lf_http_resp_json(resp, 200);
    return lf_buf_printf(b, "{\"name\":\"lianfang\",\"version\":\"%s\",\"api\":\"v1\"}\n", LF_VERSION_STRING);
}

/* Uploads interrupted by a crash leave their temporary files behind; nothing refers to
 * them after a restart. */
static void clean_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "lf-upload-", 10))
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
}

static int parse_port(const char *s, unsigned *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (!*s || *e || errno || v < 0 || v > 65535)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int lf_cli_serve(int argc, char **argv, const lf_cli_env *env)
{
    const char *config_path = NULL, *listen = NULL, *port = NULL;
    bool check = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--config") ? &config_path
                            : !strcmp(a, "--listen") ? &listen
                            : !strcmp(a, "--port")   ? &port
                                                     : NULL;
        if (slot) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                fprintf(stderr, "lianfang: %s needs a value\n", a);
                return LF_EXIT_ERROR;
            }
            *slot = argv[++i];
        } else if (!strcmp(a, "--check")) {
            check = true;
        } else if (!strcmp(a, "--sample-config")) {
            lf_buf b;
            lf_buf_init(&b, 0);
            int rc = lf_config_sample(&b);
            if (!rc)
                fputs(b.data, stdout);
            lf_buf_clear(&b);
            return rc ? LF_EXIT_ERROR : LF_EXIT_OK;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LF_EXIT_OK;
        } else {
            fprintf(stderr, "lianfang: serve: unknown argument '%s'\n", a);
            usage(stderr);
            return LF_EXIT_ERROR;
        }
    }
    unsigned portnum = 0;
    if (port && parse_port(port, &portnum)) {
        fprintf(stderr, "lianfang: --port: '%s' is not a port number (0 to 65535)\n", port);
        return LF_EXIT_ERROR;
    }
    char ov_listen[300], ov_port[32];
    const char *overrides[3];
    size_t no = 0;
    if (listen) {
        snprintf(ov_listen, sizeof ov_listen, "http.listen=%s", listen);
        overrides[no++] = ov_listen;
    }
    if (port) {
        snprintf(ov_port, sizeof ov_port, "http.port=%u", portnum);
        overrides[no++] = ov_port;
    }
    overrides[no] = NULL;

    int exit_code = LF_EXIT_ERROR;
    lf_config *cfg = NULL;
    lf_http *h = NULL;
    lf_server *srv = NULL;
    bool curl_up = false;
    lf_err err;
    lf_err_clear(&err);
    if (lf_cli_config_load(env, config_path, overrides, &cfg))
        goto done;
    if (check) {
        lf_buf b;
        lf_buf_init(&b, 0);
        int rc = lf_config_dump(cfg, &b);
        if (!rc)
            fputs(b.data, stdout);
        lf_buf_clear(&b);
        exit_code = rc ? LF_EXIT_ERROR : LF_EXIT_OK;
        goto done;
    }

    const char *data = lf_config_str(cfg, "data.dir");
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/tmp", data);
    if (lf_mkdirs(data, &err) || lf_mkdirs(tmp, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    clean_tmp(tmp);

    /* The application: store, index (when imported), intake dictionaries. */
    char dict[4200], cpedict[4200], purlidx[4200], epss[4200], index[4200];
    lf_cli_dict_dir(env, NULL, dict, sizeof dict);
    snprintf(cpedict, sizeof cpedict, "%s/cpedict.tsv", data);
    snprintf(purlidx, sizeof purlidx, "%s/purlidx.json", data);
    snprintf(epss, sizeof epss, "%s/epss.lfe", data);
    snprintf(index, sizeof index, "%s/vulndb.lfx", data);
    lf_server_opts so = {0};
    so.store_url = lf_config_str(cfg, "store.url");
    so.index_path = index;
    so.epss_path = epss;
    so.dict_dir = dict;
    so.cpedict_path = cpedict;
    so.purlidx_path = purlidx;
    so.match_in_turn = !lf_config_bool(cfg, "match.overlap");
    so.log = on_error;
    lf_deadline_policy dl;
    lf_deadline_defaults(&dl);
    dl.high_cvss10 = (int)lf_config_int(cfg, "deadline.high_cvss10");
    dl.high_months = (int)lf_config_int(cfg, "deadline.high_months");
    dl.critical_cvss10 = (int)lf_config_int(cfg, "deadline.critical_cvss10");
    dl.critical_days = (int)lf_config_int(cfg, "deadline.critical_days");
    dl.upload_day = (int)lf_config_int(cfg, "deadline.upload_day");
    so.deadline = &dl;
    /* web.dir: the server looks for the dashboard through $LIANFANG_WEB_DIR first (the same
     * name the config reads this key from), so a directory named in the file is handed on
     * there, before any thread exists. A named directory without index.html is an error
     * rather than a server that quietly has no dashboard. */
    const char *web = lf_config_str(cfg, "web.dir");
    if (web && *web) {
        char idx[4200];
        snprintf(idx, sizeof idx, "%s/index.html", web);
        if (!lf_file_exists(idx)) {
            lf_err_set(&err, LF_ENOTFOUND, "web.dir: %s has no index.html", web);
            lf_cli_error(&err);
            goto done;
        }
        setenv("LIANFANG_WEB_DIR", web, 1);
    }
    if (lf_server_new(&so, &srv, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    /* The notice scheduler (mail over libcurl: initialised before any thread exists). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "lianfang: libcurl failed to initialise\n");
        goto done;
    }
    curl_up = true;
    lf_scheduler_opts nso;
    lf_scheduler_defaults(&nso);
    nso.interval_s = lf_config_int(cfg, "notify.interval");
    nso.remind_day = (int)lf_config_int(cfg, "notify.remind_day");
    nso.near_days = (int)lf_config_int(cfg, "notify.near_days");
    nso.escalate_county_days = (int)lf_config_int(cfg, "notify.escalate_county_days");
    nso.escalate_region_days = (int)lf_config_int(cfg, "notify.escalate_region_days");
    nso.max_attempts = (unsigned)lf_config_int(cfg, "notify.max_attempts");
    nso.retry_base_s = lf_config_int(cfg, "notify.retry_base");
    nso.portal_url = lf_config_str(cfg, "notify.portal_url");
    nso.smtp_url = lf_config_str(cfg, "smtp.url");
    nso.smtp_from = lf_config_str(cfg, "smtp.from");
    nso.smtp_user = lf_config_str(cfg, "smtp.user");
    nso.smtp_password = lf_config_str(cfg, "smtp.password");
    nso.smtp_timeout_s = lf_config_int(cfg, "smtp.timeout");
    nso.webhook_url = lf_config_str(cfg, "notify.webhook_url");
    nso.webhook_secret = lf_config_str(cfg, "notify.webhook_secret");
    nso.webhook_timeout_s = lf_config_int(cfg, "notify.webhook_timeout");
    if (lf_server_scheduler_start(srv, &nso, &err)) {
        lf_cli_error(&err);
        goto done;
    }

    lf_http_opts ho = {0};
    ho.listen = lf_config_str(cfg, "http.listen");
    ho.port = (unsigned)lf_config_int(cfg, "http.port");
    /* one polling thread per CPU: more only queue on the cores (p99 of the hosts page at 200
     * clients on 2 CPUs: 36 ms with 2 threads, 81 ms with 8) */
    long nthreads = lf_config_int(cfg, "http.threads");
    if (nthreads < 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = cpus < 2 ? 2 : cpus > 256 ? 256 : cpus;
    }
    ho.threads = (unsigned)nthreads;
    ho.max_connections = (unsigned)lf_config_int(cfg, "http.max_connections");
    ho.timeout_s = (unsigned)lf_config_int(cfg, "http.timeout");
    ho.max_body = (size_t)lf_config_int(cfg, "http.max_body_mb") << 20;
    ho.max_upload = (size_t)lf_config_int(cfg, "http.max_upload_mb") << 20;
    ho.tmp_dir = tmp;
    ho.tls_cert_file = lf_config_str(cfg, "http.tls_cert");
    ho.tls_key_file = lf_config_str(cfg, "http.tls_key");
    ho.secure_cookies = lf_config_bool(cfg, "http.secure_cookies");
    ho.app = srv;
    ho.health = lf_server_health;
    ho.metrics = lf_server_metrics;
    ho.access_log = lf_config_bool(cfg, "http.access_log") ? on_access : NULL;
    ho.error_log = on_error;
    if (lf_http_new(&ho, &h, &err) ||
        lf_http_route(h, "GET", "/api/v1/version", api_version, NULL, 0, &err) || lf_server_routes(srv, h, &err)) {
        lf_cli_error(&err);
        goto done;
    }

    /* SIGINT/SIGTERM are taken by sigwait below; block them before the server's threads
     * exist so they inherit the mask and no handler runs on a random thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);   /* a client that hangs up must not kill the server */

    if (lf_http_start(h, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    const char *host = lf_config_str(cfg, "http.listen");
    bool v6 = strchr(host, ':') && host[0] != '[';
    printf("lianfang: listening on %s://%s%s%s:%u/\n", lf_http_tls(h) ? "https" : "http", v6 ? "[" : "", host,
           v6 ? "]" : "", lf_http_port(h));
    fflush(stdout);

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    fprintf(stderr, "lianfang: %s received, stopping (in-flight requests: %ld)\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
            lf_http_in_flight(h));
    lf_http_stop(h, 10000);
    exit_code = LF_EXIT_OK;
done:
    lf_http_free(h);
    lf_server_free(srv);   /* after the server: no handler runs any more */
    lf_config_free(cfg);
    if (curl_up)
        curl_global_cleanup();
    return exit_code;
}
