#!/usr/bin/env python3
"""Integration test of `lianfang notify test`: the real binary sends sample notices to a
real SMTP server (aiosmtpd on 127.0.0.1) and a webhook (http.server on 127.0.0.1).
Checks the envelope recipients, the decoded bilingual subject, both MIME parts decoding
to the expected Chinese and English text (base64 and quoted-printable), the Message-ID
made from the notice key (the same key twice gives the same ID), lines starting with
'.' arriving intact (libcurl's dot-stuffing), a refused recipient, a login without
STARTTLS and an unreachable server failing with a clear message, exit status 2 and no
password; the webhook gets the JSON and the Bearer secret, and a 500 is an error.
Needs Debian's python3-aiosmtpd (run by /usr/bin/python3); exits 77 when it is absent.
The binary is argv[1]."""
import os
import sys

try:
    from aiosmtpd.controller import Controller
except ImportError:
    # ctest may start a python3 that does not see Debian's packages: try the system one.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("LF_NOTIFY_REEXEC"):
        os.environ["LF_NOTIFY_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: aiosmtpd is not importable (apt-get install python3-aiosmtpd)")
    sys.exit(77)

import datetime
import email
import email.policy
import http.server
import json
import socket
import subprocess
import threading

from lfharness import Checks, Instance, clean_env

BIN = os.path.abspath(sys.argv[1])
check = Checks()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Handler:
    """Stores every envelope; refuses RCPT TO for addresses in `refuse`."""

    def __init__(self, refuse=()):
        self.envelopes = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


TMP = Instance(BIN, "lf-notify-").data   # the data directory, and HOME of the runs
SUBJECT_DIGEST = "【聯防】新發現弱點通知 New vulnerability findings — 臺北市政府人事處 (3)"
FROM = "聯防平臺 Lianfang <noreply@lianfang.example.gov.tw>"
NOTE = "這是測試通知 This is a test notice.\n.a line starting with a dot\n.\n..two dots\n"


def run(*args, **env):
    return subprocess.run([BIN, "--data", TMP, "notify", "test", *args], env=clean_env(HOME=TMP, **env),
                          capture_output=True, timeout=120)


def today_tw():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")


def main():
    handler = Handler(refuse={"nobody@agency.example.gov.tw"})
    port = free_port()
    ctl = Controller(handler, hostname="127.0.0.1", port=port)
    ctl.start()
    smtp = {"LIANFANG_SMTP_URL": f"smtp://127.0.0.1:{port}", "LIANFANG_SMTP_FROM": FROM}
    try:
        # ---- a digest, base64 then quoted-printable ----
        ids = []
        for enc in ([], ["--qp"]):
            n0 = len(handler.envelopes)
            r = run("--to", "資安窗口 <it@agency.example.gov.tw>", "--to", "second@agency.example.gov.tw",
                    "--cc", "County JD <jd@county.example.gov.tw>", "--note", NOTE, "--key", "test/digest/1", *enc,
                    **smtp)
            what = "digest " + ("qp" if enc else "base64")
            check(r.returncode == 0, f"{what}: exit 0", r.stderr.decode(errors="replace"))
            check(b"Message-ID <lf.test=2Fdigest=2F1@lianfang.example.gov.tw>" in r.stdout, f"{what}: stdout", r.stdout)
            check(len(handler.envelopes) == n0 + 1, f"{what}: one message received")
            if len(handler.envelopes) != n0 + 1:
                continue
            mail_from, rcpts, raw = handler.envelopes[-1]
            check(mail_from == "noreply@lianfang.example.gov.tw", f"{what}: MAIL FROM", mail_from)
            check(sorted(rcpts) == sorted(["it@agency.example.gov.tw", "second@agency.example.gov.tw",
                                           "jd@county.example.gov.tw"]), f"{what}: RCPT TO", repr(rcpts))
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            check(str(msg["Subject"]) == SUBJECT_DIGEST, f"{what}: decoded subject", str(msg["Subject"]))
            check([a.addr_spec for a in msg["To"].addresses] == ["it@agency.example.gov.tw",
                                                                 "second@agency.example.gov.tw"], f"{what}: To")
            check(msg["To"].addresses[0].display_name == "資安窗口", f"{what}: To display name",
                  msg["To"].addresses[0].display_name)
            check(msg["From"].addresses[0].display_name == "聯防平臺 Lianfang", f"{what}: From display name")
            check([a.addr_spec for a in msg["Cc"].addresses] == ["jd@county.example.gov.tw"], f"{what}: Cc")
            ids.append(msg["Message-ID"])
            check(msg["Message-ID"] == "<lf.test=2Fdigest=2F1@lianfang.example.gov.tw>", f"{what}: Message-ID",
                  msg["Message-ID"])
            check(msg["Date"] is not None and msg["Date"].datetime.utcoffset() == datetime.timedelta(hours=8),
                  f"{what}: Date in +0800", str(msg["Date"]))
            check(msg.get_content_type() == "multipart/alternative", f"{what}: multipart/alternative")
            plain = msg.get_body(("plain",))
            html = msg.get_body(("html",))
            check(plain is not None and html is not None, f"{what}: both parts")
            if plain is None or html is None:
                continue
            cte = "quoted-printable" if enc else "base64"
            check(plain["Content-Transfer-Encoding"] == cte and html["Content-Transfer-Encoding"] == cte,
                  f"{what}: {cte} parts")
            check(plain.get_content_charset() == "utf-8", f"{what}: UTF-8 text")
            text = plain.get_content().replace("\r\n", "\n")
            zh = text.find("臺北市政府人事處 資安窗口您好：")
            en = text.find("Dear security contact of Department of Personnel, Taipei City Government,")
            check(0 <= zh < en, f"{what}: Chinese then English in text/plain", text[:400])
            check("發現 3 項新弱點" in text and "found 3 new vulnerabilities" in text, f"{what}: counts")
            check("CVE-2023-38545" in text and "CVSS 9.8（嚴重）" in text and "(Critical)" in text,
                  f"{what}: severity words")
            # The note's dot lines survive SMTP's end-of-data convention.
            check(text.startswith(NOTE), f"{what}: lines starting with '.' intact", repr(text[:200]))
            if enc:
                check(b"\r\n.a line starting with a dot\r\n.\r\n..two dots\r\n" in raw,
                      f"{what}: dot lines literal on the wire (un-stuffed by the server)")
            page = html.get_content()
            check('<div lang="zh-Hant">' in page and '<div lang="en">' in page, f"{what}: bilingual HTML")
            check("&lt;SOCKS5&gt; &amp; &quot;libcurl&quot;" in page and "<SOCKS5>" not in page,
                  f"{what}: HTML escaped", page[:300])
            check('<a href="https://curl.se/docs/CVE-2023-38545.html">' in page, f"{what}: fix link")
        check(len(ids) == 2 and ids[0] == ids[1], "same key, same Message-ID", repr(ids))

        # ---- the default key: kind/agency/today; other kinds ----
        kinds = {
            "digest": SUBJECT_DIGEST,
            "upload": "【聯防】每月資產清冊未上傳 Monthly inventory upload missing — 臺北市政府人事處 (" + today_tw()[:7] + ")",
            "deadline": "【聯防】弱點修補逾期通知 Remediation overdue — 臺北市政府人事處 (3)",
            "escalation": "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — 臺北市政府人事處 (2)",
        }
        for kind, subject in kinds.items():
            n0 = len(handler.envelopes)
            r = run("--to", "it@agency.example.gov.tw", "--kind", kind, **smtp)
            check(r.returncode == 0, f"{kind}: exit 0", r.stderr.decode(errors="replace"))
            if len(handler.envelopes) != n0 + 1:
                check(False, f"{kind}: one message received")
                continue
            msg = email.message_from_bytes(handler.envelopes[-1][2], policy=email.policy.default)
            check(str(msg["Subject"]) == subject, f"{kind}: subject", str(msg["Subject"]))
            when = today_tw()[:7] if kind == "upload" else today_tw()
            extra = "=2FTW-TPE" if kind == "escalation" else ""
            want = f"<lf.{kind}=2F379030000A=2F{when}{extra}@lianfang.example.gov.tw>"
            check(msg["Message-ID"] == want, f"{kind}: default Message-ID", f"{msg['Message-ID']} != {want}")
            text = msg.get_body(("plain",)).get_content()
            if kind == "deadline":
                check("已逾期 5 天" in text and "5 days overdue" in text and "剩 3 天" in text, f"{kind}: days")
            if kind == "escalation":
                check("臺北市 聯防窗口您好" in text and "Dear joint-defense contact of Taipei City" in text,
                      f"{kind}: to the county")
            if kind == "upload":
                check("尚未上傳" in text and "has not been uploaded" in text and "CVE-" not in text, f"{kind}: body")

        # ---- failures: exit 2, a clear message, nothing delivered, no password ----
        n0 = len(handler.envelopes)
        r = run("--to", "it@agency.example.gov.tw", "--to", "nobody@agency.example.gov.tw", **smtp)
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2, "refused RCPT: exit 2", err)
        check("550" in err and "Recipient address rejected" in err and "nobody@agency.example.gov.tw" in err,
              "refused RCPT: the server's reply quoted", err)
        check(len(handler.envelopes) == n0, "refused RCPT: nothing delivered to the others")

        r = run("--to", "it@agency.example.gov.tw", LIANFANG_SMTP_URL=f"smtp://mailer:Pa55wordXYZ@127.0.0.1:{port}",
                LIANFANG_SMTP_FROM=FROM)
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2, "login without STARTTLS: refused (exit 2)", err)
        check("Pa55wordXYZ" not in err and "Pa55wordXYZ" not in r.stdout.decode(errors="replace"),
              "login: password never shown", err)
        r = run("--to", "it@agency.example.gov.tw", LIANFANG_SMTP_USER="mailer", LIANFANG_SMTP_PASSWORD="An0therSecret",
                **smtp)
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2 and "An0therSecret" not in err, "smtp.password: refused without TLS, not shown", err)
        check(len(handler.envelopes) == n0, "no login over plain text delivered anything")

        dead = free_port()
        r = run("--to", "it@agency.example.gov.tw", LIANFANG_SMTP_URL=f"smtp://127.0.0.1:{dead}",
                LIANFANG_SMTP_FROM=FROM, LIANFANG_SMTP_TIMEOUT="10s")
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2 and f"127.0.0.1:{dead}" in err, "unreachable server: exit 2, names it", err)
        r = run("--to", "it@agency.example.gov.tw", LIANFANG_SMTP_FROM=FROM)
        check(r.returncode == 2 and b"smtp.url is not set" in r.stderr, "no smtp.url: exit 2", r.stderr)
        r = run("--to", "it@agency.example.gov.tw\r\nBcc: all@example.com", **smtp)
        check(r.returncode == 2 and b"control character" in r.stderr, "header injection refused", r.stderr)
        r = run("--to", "it@agency.example.gov.tw", "--kind", "weekly", **smtp)
        check(r.returncode == 2 and b"--kind" in r.stderr, "unknown kind: exit 2", r.stderr)
    finally:
        ctl.stop()

    # ---- webhook ----
    got = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            got.append((self.path, dict(self.headers), body))
            code = 500 if self.path.startswith("/fail") else 204
            self.send_response(code)
            if code == 500:
                msg = b"internal error\n"
                self.send_header("Content-Length", str(len(msg)))
                self.end_headers()
                self.wfile.write(msg)
            else:
                self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        r = run("--webhook", "--kind", "deadline", LIANFANG_NOTIFY_WEBHOOK_URL=hook + "/hook/tok3n",
                LIANFANG_NOTIFY_WEBHOOK_SECRET="s3cr3t-value")
        check(r.returncode == 0, "webhook: exit 0", r.stderr.decode(errors="replace"))
        check(b"HTTP 204" in r.stdout, "webhook: status reported", r.stdout)
        check(len(got) == 1, "webhook: one POST")
        if got:
            path, headers, body = got[0]
            check(path == "/hook/tok3n", "webhook: path", path)
            check(headers.get("Authorization") == "Bearer s3cr3t-value", "webhook: Bearer secret", repr(headers))
            check(headers.get("Content-Type") == "application/json", "webhook: content type", repr(headers))
            try:
                j = json.loads(body)
            except ValueError:
                j = {}
            check(j.get("kind") == "deadline" and j.get("agency", {}).get("name_zh") == "臺北市政府人事處",
                  "webhook: JSON notice", body[:300])
            check(len(j.get("findings", [])) == 3 and j.get("total") == 3, "webhook: findings", body[:300])
            check(j.get("subject") == "【聯防】弱點修補逾期通知 Remediation overdue — 臺北市政府人事處 (3)",
                  "webhook: subject", j.get("subject"))
            days = sorted(f.get("days_left") for f in j.get("findings", []))
            check(days == [-12, -5, 3], "webhook: days_left", repr(days))
        # No secret header when none is configured; mail and webhook in one run.
        handler2 = Handler()
        port2 = free_port()
        ctl2 = Controller(handler2, hostname="127.0.0.1", port=port2)
        ctl2.start()
        try:
            r = run("--to", "it@agency.example.gov.tw", "--webhook", LIANFANG_NOTIFY_WEBHOOK_URL=hook + "/both",
                    LIANFANG_SMTP_URL=f"smtp://127.0.0.1:{port2}", LIANFANG_SMTP_FROM=FROM)
        finally:
            ctl2.stop()
        check(r.returncode == 0 and len(handler2.envelopes) == 1 and len(got) == 2, "mail and webhook together",
              r.stderr.decode(errors="replace"))
        if len(got) == 2:
            check("Authorization" not in got[1][1], "webhook: no Authorization without a secret")
        r = run("--webhook", LIANFANG_NOTIFY_WEBHOOK_URL=hook + "/fail/tok3n", LIANFANG_NOTIFY_WEBHOOK_SECRET="s3cr3t-value")
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2 and "HTTP 500" in err and "internal error" in err, "webhook 500: exit 2", err)
        check("tok3n" not in err and "s3cr3t-value" not in err, "webhook 500: no token or secret shown", err)
        r = run("--webhook")
        check(r.returncode == 2 and b"notify.webhook_url is not set" in r.stderr, "no webhook url: exit 2", r.stderr)
    finally:
        srv.shutdown()

    check.finish()


if __name__ == "__main__":
    sys.exit(main())
