/*
 * cli_notify: `lianfang notify test`, an operator's check that the mail and webhook
 * settings work. It renders a sample notice of the chosen kind (sample agency, sample
 * findings dated from today) with the real renderer, and sends it through the configured
 * SMTP relay (smtp.url, smtp.from, smtp.user, smtp.password, smtp.timeout) and, with
 * --webhook, POSTs its JSON to notify.webhook_url. The configuration is read as `serve`
 * reads it: --config FILE, $LIANFANG_CONFIG or <data>/lianfang.conf, then LIANFANG_* .
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/file.h"
#include "server/deadline.h"
#include "server/mail.h"
#include "server/notice.h"

#define MAX_TO 20

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lianfang notify test --to ADDR [--to ADDR...] [--cc ADDR...]\n"
            "                            [--kind digest|upload|deadline|escalation] [--webhook]\n"
            "                            [--key KEY] [--note TEXT] [--qp] [--dry-run] [--config FILE]\n"
            "\n"
            "Renders a sample notice and sends it through the configured SMTP relay (smtp.url,\n"
            "smtp.from; smtp.user/smtp.password) and, with --webhook, to notify.webhook_url.\n"
            "  --to, --cc ADDR  recipients (\"a@b\" or \"Name <a@b>\"); --to may be left out with --webhook\n"
            "  --kind K         which notice (default digest)\n"
            "  --key KEY        the notice key the Message-ID is made from (default <kind>/<agency>/<today>)\n"
            "  --note TEXT      a paragraph put first in the message\n"
            "  --qp             quoted-printable parts instead of base64\n"
            "  --dry-run        print the message instead of sending it\n"
            "  --config FILE    configuration file (as for serve)\n"
            "Exit status 0 when everything was delivered, 2 otherwise.\n");
}

/* The sample: a Taipei City agency with three real, well-known CVEs. */
typedef struct sample {
    char today[11], due[3][11], kev_due[11], month[8], upload_due[11];
    lf_notice_finding f[3];
    lf_notice n;
} sample;

static void make_sample(sample *s, lf_notice_kind kind, const lf_deadline_policy *dl, const char *note)
{
    memset(s, 0, sizeof *s);
    /* Taiwan time (UTC+8, no daylight saving): the notice date an agency sees. */
    long today = (long)((time(NULL) + 8 * 3600) / 86400);
    lf_date_format(today, s->today);
    memcpy(s->month, s->today, 7);
    s->month[7] = '\0';
    lf_deadline_upload_due(dl, s->month, s->upload_due);
    lf_date_format(today + 10, s->kev_due);
    static const struct {
        const char *host, *cve, *product, *sev, *url;
        double cvss;
        bool kev;
        long offset;   /* deadline/escalation: due date relative to today */
    } rows[] = {
        {"web01", "CVE-2021-41773", "Apache HTTP Server 2.4.49", "HIGH",
         "https://httpd.apache.org/security/vulnerabilities_24.html", 7.5, true, -5},
        {"pc-023", "CVE-2023-4863", "Google Chrome 116.0.5845.96 (libwebp)", "HIGH",
         "https://chromereleases.googleblog.com/2023/09/stable-channel-update-for-desktop_11.html", 8.8, true, 3},
        {"file01", "CVE-2023-38545", "curl 8.3.0 <SOCKS5> & \"libcurl\"", "CRITICAL",
         "https://curl.se/docs/CVE-2023-38545.html", 9.8, false, -12},
    };
    for (size_t i = 0; i < 3; i++) {
        lf_notice_finding *f = &s->f[i];
        f->host = rows[i].host;
        f->cve = rows[i].cve;
        f->product = rows[i].product;
        f->severity = rows[i].sev;
        f->cvss = rows[i].cvss;
        f->kev = rows[i].kev;
        f->kev_due = rows[i].kev ? s->kev_due : NULL;
        f->fix_url = rows[i].url;
        if (kind == LF_NOTICE_DIGEST)
            lf_deadline_due(dl, s->today, f->cvss, f->kev, f->kev_due, s->due[i]);
        else
            lf_date_format(today + rows[i].offset, s->due[i]);
        f->due_date = s->due[i];
    }
    lf_notice *n = &s->n;
    n->kind = kind;
    n->today = s->today;
    n->agency = (lf_notice_org){"379030000A", "臺北市政府人事處", "Department of Personnel, Taipei City Government"};
    n->to_org = (lf_notice_org){"TW-TPE", "臺北市", "Taipei City"};
    n->month = s->month;
    n->upload_due = s->upload_due;
    n->findings = s->f;
    n->nfindings = 3;
    if (kind == LF_NOTICE_ESCALATION) {
        s->f[1] = s->f[2];   /* escalations carry overdue findings only: rows 0 and 2 */
        n->nfindings = 2;
    }
    n->note = note;
}

int lf_cli_notify(int argc, char **argv, const lf_cli_env *env)
{
    const char *to[MAX_TO], *cc[MAX_TO];
    size_t nto = 0, ncc = 0;
    const char *kind_s = "digest", *key = NULL, *note = NULL, *config_path = NULL;
    bool webhook = false, qp = false, dry = false;
    if (argc < 2 || strcmp(argv[1], "test")) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return LF_EXIT_OK;
        }
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool list = !strcmp(a, "--to") || !strcmp(a, "--cc");
        const char **slot = !strcmp(a, "--kind")     ? &kind_s
                            : !strcmp(a, "--key")    ? &key
                            : !strcmp(a, "--note")   ? &note
                            : !strcmp(a, "--config") ? &config_path
                                                     : NULL;
        if (list || slot) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                fprintf(stderr, "lianfang: notify: %s needs a value\n", a);
                return LF_EXIT_ERROR;
            }
            const char *v = argv[++i];
            if (slot)
                *slot = v;
            else if ((a[2] == 't' ? nto : ncc) >= MAX_TO) {
                fprintf(stderr, "lianfang: notify: at most %d addresses for %s\n", MAX_TO, a);
                return LF_EXIT_ERROR;
            } else if (a[2] == 't')
                to[nto++] = v;
            else
                cc[ncc++] = v;
        } else if (!strcmp(a, "--webhook")) {
            webhook = true;
        } else if (!strcmp(a, "--qp")) {
            qp = true;
        } else if (!strcmp(a, "--dry-run")) {
            dry = true;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LF_EXIT_OK;
        } else {
            fprintf(stderr, "lianfang: notify: unknown argument '%s'\n", a);
            usage(stderr);
            return LF_EXIT_ERROR;
        }
    }
    int kind = lf_notice_kind_parse(kind_s);
    if (kind < 0) {
        fprintf(stderr, "lianfang: notify: --kind must be digest, upload, deadline or escalation, not '%s'\n", kind_s);
        return LF_EXIT_ERROR;
    }
    if (!nto && !webhook) {
        fprintf(stderr, "lianfang: notify: give --to ADDR (or --webhook)\n");
        usage(stderr);
        return LF_EXIT_ERROR;
    }

    int exit_code = LF_EXIT_ERROR;
    bool curl_up = false;
    lf_config *cfg = NULL;
    lf_notice_msg nm;
    lf_notice_msg_init(&nm);
    lf_buf raw, json;
    lf_buf_init(&raw, 0);
    lf_buf_init(&json, 0);
    lf_err err;
    lf_err_clear(&err);
    if (lf_cli_config_load(env, config_path, NULL, &cfg))
        goto done;
    lf_deadline_policy dl;
    lf_deadline_defaults(&dl);
    dl.high_cvss10 = (int)lf_config_int(cfg, "deadline.high_cvss10");
    dl.high_months = (int)lf_config_int(cfg, "deadline.high_months");
    dl.critical_cvss10 = (int)lf_config_int(cfg, "deadline.critical_cvss10");
    dl.critical_days = (int)lf_config_int(cfg, "deadline.critical_days");
    dl.upload_day = (int)lf_config_int(cfg, "deadline.upload_day");
    sample s;
    make_sample(&s, (lf_notice_kind)kind, &dl, note);
    if (lf_notice_render(&s.n, &nm, &err)) {
        lf_cli_error(&err);
        goto done;
    }
    char keybuf[LF_MAIL_MAX_KEY + 1];
    if (!key) {
        if (lf_notice_key(&s.n, keybuf, sizeof keybuf)) {
            fprintf(stderr, "lianfang: notify: cannot make a notice key\n");
            goto done;
        }
        key = keybuf;
    }
    const char *from = lf_config_str(cfg, "smtp.from");
    lf_mail_msg m = {0};
    m.from = *from || !dry ? from : "Lianfang <noreply@lianfang.invalid>";
    m.to = to;
    m.nto = nto;
    m.cc = cc;
    m.ncc = ncc;
    m.subject = nm.subject.data;
    m.text = nm.text.data;
    m.html = nm.html.data;
    m.key = key;
    m.date = (int64_t)time(NULL);
    m.cte = qp ? LF_MAIL_QP : LF_MAIL_BASE64;
    if (dry) {
        if (nto && lf_mail_build(&m, &raw, &err)) {
            lf_cli_error(&err);
            goto done;
        }
        if (nto)
            fwrite(raw.data, 1, raw.len, stdout);
        if (webhook) {
            if (lf_notice_json(&s.n, key, nm.subject.data, &json)) {
                fprintf(stderr, "lianfang: notify: out of memory\n");
                goto done;
            }
            fwrite(json.data, 1, json.len, stdout);
        }
        exit_code = LF_EXIT_OK;
        goto done;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "lianfang: notify: libcurl failed to initialise\n");
        goto done;
    }
    curl_up = true;
    if (nto) {
        const char *url = lf_config_str(cfg, "smtp.url");
        if (!*url || !*from) {
            fprintf(stderr, "lianfang: notify: %s is not set ([smtp] %s in the config file, or %s)\n",
                    !*url ? "smtp.url" : "smtp.from", !*url ? "url" : "from",
                    !*url ? "LIANFANG_SMTP_URL" : "LIANFANG_SMTP_FROM");
            goto done;
        }
        lf_mail_smtp sm = {url, lf_config_str(cfg, "smtp.user"), lf_config_str(cfg, "smtp.password"),
                           lf_config_int(cfg, "smtp.timeout")};
        if (lf_mail_send(&sm, &m, &err)) {
            lf_cli_error(&err);
            goto done;
        }
        char mid[LF_MAIL_MAX_KEY * 3 + LF_MAIL_MAX_ADDR + 8], spec[LF_MAIL_MAX_ADDR];
        if (lf_mail_addr_spec(from, spec, sizeof spec) ||
            lf_mail_message_id(key, strchr(spec, '@') + 1, mid, sizeof mid))
            snprintf(mid, sizeof mid, "?");
        printf("lianfang: %s notice sent to %zu recipient%s, Message-ID %s\n", kind_s, nto + ncc,
               nto + ncc == 1 ? "" : "s", mid);
    }
    if (webhook) {
        const char *url = lf_config_str(cfg, "notify.webhook_url");
        if (!*url) {
            fprintf(stderr, "lianfang: notify: notify.webhook_url is not set ([notify] webhook_url in the config "
                            "file, or LIANFANG_NOTIFY_WEBHOOK_URL)\n");
            goto done;
        }
        if (lf_notice_json(&s.n, key, nm.subject.data, &json)) {
            fprintf(stderr, "lianfang: notify: out of memory\n");
            goto done;
        }
        lf_mail_webhook wh = {url, lf_config_str(cfg, "notify.webhook_secret"),
                              lf_config_int(cfg, "notify.webhook_timeout")};
        long status = 0;
        if (lf_mail_webhook_post(&wh, json.data, json.len, &status, &err)) {
            lf_cli_error(&err);
            goto done;
        }
        printf("lianfang: %s notice posted to the webhook (HTTP %ld)\n", kind_s, status);
    }
    exit_code = LF_EXIT_OK;
done:
    if (curl_up)
        curl_global_cleanup();
    lf_buf_clear(&json);
    lf_buf_clear(&raw);
    lf_notice_msg_clear(&nm);
    lf_config_free(cfg);
    return exit_code;
}
