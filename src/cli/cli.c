/*
 * cli: global options, the subcommand table, dispatch, and shared output helpers.
 */
#include "cli/cli.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv, const lf_cli_env *env);
    const char *summary;
} cli_cmd;

static const cli_cmd commands[] = {
    {"feed", lf_cli_feed, "import vulnerability feeds (nvd, kev) and show their status"},
    {"vans", lf_cli_vans, "vulnerability analysis and notice: scan inventories"},
    {"cvss", lf_cli_cvss, "score a CVSS v2.0/v3.0/v3.1/v4.0 vector"},
    {"inventory", lf_cli_inventory, "read raw inventories (CSV, PowerShell, wmic, dpkg, rpm, SBOM) and resolve CPEs"},
    {"user", lf_cli_user, "manage platform users (user add: the first national admin)"},
    {"serve", lf_cli_serve, "run the platform server (HTTP API, /healthz, /metrics)"},
    {"notify", lf_cli_notify, "notify test: send a sample notice through the configured mail relay and webhook"},
    {"isac", lf_cli_isac, "ISAC federation: TAXII 2.1 pull/push with de-identification, blocklist files"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lianfang [--data DIR] [--quiet] <command> [args]\n"
            "\n"
            "lianfang (聯防): regional cyber joint-defense platform.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "  lianfang feed import nvd FILE...   NVD CVE API 2.0 JSON (records, pages, feeds; .gz ok)\n"
            "  lianfang feed import kev FILE      CISA Known Exploited Vulnerabilities catalog\n"
            "  lianfang feed status               what the index holds\n"
            "  lianfang vans scan [--json|--csv] INVENTORY...\n"
            "  lianfang cvss VECTOR\n"
            "  lianfang inventory normalize [--json] [--format F] FILE...   raw inventory → CPEs + report\n"
            "  lianfang user add --login L --role R --org CODE --email E   password on stdin\n"
            "  lianfang serve [--config FILE] [--listen ADDR] [--port N]    the platform server\n"
            "  lianfang notify test --to ADDR [--kind K] [--webhook]        check the mail/webhook settings\n"
            "\n"
            "options:\n"
            "  --data DIR   data directory (default $LIANFANG_DATA, else ~/.local/share/lianfang)\n"
            "  --quiet      no progress display\n"
            "\n"
            "exit status: 0 ok / no findings, 1 findings, 2 error\n");
}

void lf_cli_error(const lf_err *e)
{
    char buf[1400];
    fprintf(stderr, "lianfang: %s\n", lf_err_format(e, buf, sizeof buf));
}

static void on_config_report(void *ud, const lf_err *e, bool fatal)
{
    (void)ud;
    char buf[1400];
    fprintf(stderr, "lianfang: %s%s\n", fatal ? "" : "warning: ", lf_err_format(e, buf, sizeof buf));
}

int lf_cli_config_load(const lf_cli_env *env, const char *path, const char *const *overrides,
                       struct lf_config **out)
{
    char def[4200];
    if (!path) {
        const char *e = getenv("LIANFANG_CONFIG");
        snprintf(def, sizeof def, "%s/lianfang.conf", env->data_dir);
        if (e && *e)
            path = e;
        else if (lf_file_exists(def))
            path = def;
    }
    lf_config_opts co = {0};
    co.path = path;
    co.data_dir = env->data_dir;
    co.overrides = overrides;
    co.report = on_config_report;
    lf_err err;
    lf_err_clear(&err);
    if (lf_config_load(&co, out, &err) != LF_OK) {
        if (err.code == LF_EIO || err.code == LF_ELIMIT || err.code == LF_ENOMEM)
            lf_cli_error(&err);   /* parse errors were each reported already */
        return -1;
    }
    return 0;
}

void lf_cli_progress_update(const lf_cli_env *env, lf_cli_progress *p, const char *label,
                            double fraction, size_t records, size_t bytes)
{
    if (!env->progress)
        return;
    if (fraction > 1.0)
        fraction = 1.0;   /* gzip: progress is in decompressed bytes of compressed totals */
    double now = lf_clock_mono();
    if (p->shown && now - p->last < 0.2 && fraction < 1.0)
        return;
    p->last = now;
    p->shown = true;
    double dt = now - p->start;
    double rps = dt > 0 ? (double)records / dt : 0;
    double mbs = dt > 0 ? (double)bytes / dt / 1e6 : 0;
    const char *b = strrchr(label, '/');
    fprintf(stderr, "\r\033[K%s %3.0f%%  %zu records  %.0f rec/s  %.1f MB/s", b ? b + 1 : label,
            fraction * 100.0, records, rps, mbs);
    fflush(stderr);
}

void lf_cli_progress_done(const lf_cli_env *env, lf_cli_progress *p)
{
    if (env->progress && p->shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->shown = false;
}

static void default_data_dir(char *out, size_t n)
{
    const char *e = getenv("LIANFANG_DATA");
    if (e && *e) {
        snprintf(out, n, "%s", e);
        return;
    }
    const char *x = getenv("XDG_DATA_HOME");
    if (x && *x) {
        snprintf(out, n, "%s/lianfang", x);
        return;
    }
    const char *h = getenv("HOME");
    snprintf(out, n, "%s/.local/share/lianfang", h && *h ? h : ".");
}

int lf_cli_main(int argc, char **argv)
{
    lf_cli_env env;
    memset(&env, 0, sizeof env);
    default_data_dir(env.data_dir, sizeof env.data_dir);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LF_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("lianfang %s\n", LF_VERSION_STRING);
            return LF_EXIT_OK;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            env.quiet = true;
        } else if (!strcmp(a, "--data") || !strncmp(a, "--data=", 7)) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !*v) {
                fprintf(stderr, "lianfang: --data needs a directory\n");
                return LF_EXIT_ERROR;
            }
            snprintf(env.data_dir, sizeof env.data_dir, "%s", v);
        } else {
            fprintf(stderr, "lianfang: unknown option '%s' (see lianfang --help)\n", a);
            return LF_EXIT_ERROR;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    snprintf(env.index_path, sizeof env.index_path, "%s/vulndb.lfx", env.data_dir);
    env.progress = !env.quiet && isatty(2);
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].run(argc - i, argv + i, &env);
    fprintf(stderr, "lianfang: unknown command '%s' (see lianfang --help)\n", argv[i]);
    return LF_EXIT_ERROR;
}
