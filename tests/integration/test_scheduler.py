#!/usr/bin/env python3
"""Integration test of the notice scheduler inside `lianfang serve`: the real server on a
loopback port with a fresh SQLite file, a real SMTP server (aiosmtpd) and a webhook
(http.server). Three Taipei agencies with contacts (two upload the sample Big5 inventory,
so findings exist; one never uploads), the county and region with contacts. The test calls
POST /api/v1/admin/scheduler/run at chosen times (no sleeping) and checks every mail
against its own model of what is due when (digest of new findings, upload reminder /
overdue, deadline near / past, escalation to county and region; Taiwan day boundaries):
recipients, the bilingual subject, the findings listed; the same run twice sends nothing
new; a webhook that fails is retried after the backoff, and mail is not sent twice; the
server SIGKILLed while the SMTP server holds a message resends that one notice with the
same Message-ID and nothing else twice; the webhook receives the JSON; /metrics counts
mail; only a national admin may use the endpoints. Needs Debian's python3-aiosmtpd (run
by /usr/bin/python3); exits 77 when it is absent. The binary is argv[1]."""
import os
import sys

try:
    from aiosmtpd.controller import Controller
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("LF_SCHED_REEXEC"):
        os.environ["LF_SCHED_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: aiosmtpd is not importable (apt-get install python3-aiosmtpd)")
    sys.exit(77)

import asyncio
import atexit
import datetime as dt
import email
import email.policy
import http.client
import http.server
import json
import re
import socket
import threading
import time

from lfharness import Checks, Client, Instance, clean_env

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
CSV = os.path.join(SRC, "data", "sample", "inventories", "taipei-hr-2026-11.csv")
TW = dt.timezone(dt.timedelta(hours=8))
FROM = "聯防平臺 Lianfang <noreply@lianfang.example.gov.tw>"
check = Checks()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Smtp:
    """Keeps every message; when `hold` is set, the next DATA is kept and then held until
    `release` (the server is killed meanwhile)."""

    def __init__(self):
        self.msgs = []
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.msgs.append((list(envelope.rcpt_tos), envelope.content))
        if self.hold:
            self.hold = False
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


class Hook(http.server.BaseHTTPRequestHandler):
    got = []
    fail = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        code = 500 if Hook.fail else 204
        Hook.got.append((code, body))
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


smtp = Smtp()
SMTP_PORT = free_port()
ctl = Controller(smtp, hostname="127.0.0.1", port=SMTP_PORT)
ctl.start()
atexit.register(ctl.stop)
hook_srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook_srv.serve_forever, daemon=True).start()
LF = Instance(BIN, "lf-sched-", clean_env(**{
    "LIANFANG_SMTP_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "LIANFANG_SMTP_FROM": FROM,
    "LIANFANG_SMTP_TIMEOUT": "120s",
    "LIANFANG_NOTIFY_INTERVAL": "0",          # runs only when asked: nothing happens behind the test
    "LIANFANG_NOTIFY_WEBHOOK_URL": f"http://127.0.0.1:{hook_srv.server_address[1]}/hook",
    "LIANFANG_NOTIFY_PORTAL_URL": "https://lianfang.example.gov.tw/ui/",
}))
r = LF.run("feed", "import", "nvd", NVD)
assert r.returncode == 0, r.stderr
for login, role, org in (("admin", "national_admin", "TW"), ("tpe", "county_officer", "TW-TPE")):
    LF.add_user(login, role, org, login + "@example.gov.tw", "pass-word-1")

def client():
    return Client(LF.port, timeout=300)   # the port of the server running now


def login(name):
    c = client()
    c.login(name, "pass-word-1")
    return c


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sched_run(admin, t):
    st, js, _, raw = admin.send("POST", "/api/v1/admin/scheduler/run?now=" + iso(t))
    check(st == 200, f"scheduler run at {iso(t)} -> 200", raw)
    return js or {}


def key_of(msg):
    m = re.match(r"<lf\.(.*)@lianfang\.example\.gov\.tw>$", msg["Message-ID"] or "")
    if not m:
        return None
    return re.sub(r"=([0-9A-F]{2})", lambda g: chr(int(g.group(1), 16)), m.group(1))


def parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg, msg.get_body(("plain",)).get_content()


LF.serve()
admin = login("admin")
st, me = admin.req("GET", "/api/v1/me")
national = me["org"]["id"]
_, regs = admin.req("GET", f"/api/v1/orgs/{national}/children?limit=10")
region = {o["code"]: o["id"] for o in regs["items"]}["R-TPE"]
_, cts = admin.req("GET", f"/api/v1/orgs/{region}/children")
county = {o["code"]: o["id"] for o in cts["items"]}["TW-TPE"]

AG = {}
for code, zh in (("TPE-HR", "臺北市政府人事處"), ("TPE-TAX", "臺北市稅捐稽徵處"), ("TPE-LAND", "臺北市地政局")):
    st, js = admin.req("POST", f"/api/v1/orgs/{county}/agencies",
                       {"code": code, "name_zh": zh, "name_en": code + " office", "level": "B"})
    assert st == 201, js
    AG[code] = {"id": js["id"], "zh": zh, "emails": [f"it@{code.lower()}.example.gov.tw", f"sec@{code.lower()}.example.gov.tw"]}
    st, js = admin.req("PUT", f"/api/v1/orgs/{js['id']}/contacts", {"emails": AG[code]["emails"]})
    check(st == 200 and js["emails"] == AG[code]["emails"], f"PUT contacts {code}", js)
COUNTY_MAIL = ["jd@tpe.example.gov.tw"]
REGION_MAIL = ["soc@r-tpe.example.gov.tw", "lead@r-tpe.example.gov.tw"]
check(admin.req("PUT", f"/api/v1/orgs/{county}/contacts", {"emails": COUNTY_MAIL})[0] == 200, "county contacts")
check(admin.req("PUT", f"/api/v1/orgs/{region}/contacts", {"emails": REGION_MAIL})[0] == 200, "region contacts")
st, js = admin.req("GET", f"/api/v1/orgs/{region}/contacts")
check(st == 200 and js["emails"] == REGION_MAIL, "GET contacts", js)
st, js = admin.req("PUT", f"/api/v1/orgs/{county}/contacts", {"emails": ["x@y\r\nBcc: z@w"]})
check(st == 422, "a header-injecting address is refused", js)

# ---- scope: only a national admin
officer = login("tpe")
check(officer.req("POST", "/api/v1/admin/scheduler/run")[0] == 403, "county officer: run -> 403")
check(officer.req("GET", "/api/v1/admin/notices")[0] == 403, "county officer: notices -> 403")
check(client().req("GET", "/api/v1/admin/notices")[0] == 401, "anonymous: notices -> 401")
check(admin.req("POST", "/api/v1/admin/scheduler/run?now=yesterday")[0] == 400, "bad now -> 400")

# ---- findings: two agencies upload this month's inventory
T0 = dt.datetime.now(TW)
MONTH0 = T0.strftime("%Y-%m")
body = open(CSV, "rb").read()
FIND = {}
for code in ("TPE-HR", "TPE-TAX"):
    st, js = admin.req("POST", f"/api/v1/agencies/{AG[code]['id']}/uploads?month={MONTH0}&file_name=inv.csv",
                       raw=body, ctype="text/csv")
    assert st == 201 and js["findings"]["new"] > 0, js
    st, js = admin.req("GET", f"/api/v1/agencies/{AG[code]['id']}/findings?limit=500")
    FIND[code] = [f for f in js["items"] if f["state"] in ("open", "measure_filed")]
check(all(FIND.values()), "both agencies have open findings", {k: len(v) for k, v in FIND.items()})


# ---- the test's own model of what is due when
class Model:
    def __init__(self):
        self.marks = set()       # (finding id, stage)
        self.uploads = set()     # (agency, month, stage)

    def expect(self, t):
        """{key prefix: (kind, recipients, set of CVE@host)} of what a run at t must send."""
        today = t.astimezone(TW).date()
        month = today.strftime("%Y-%m")
        out = []
        esc = {"county": {}, "region": {}}
        for code, ag in AG.items():
            fs = FIND.get(code, [])
            new = [f for f in fs if (f["id"], "digest") not in self.marks]
            stages = {"near": [], "past": []}
            for f in fs:
                if not f["due_date"]:
                    continue
                late = (today - dt.date.fromisoformat(f["due_date"])).days
                if late > 0 and (f["id"], "past") not in self.marks:
                    stages["past"].append(f)
                elif -3 <= late <= 0 and (f["id"], "near") not in self.marks:
                    stages["near"].append(f)
                for lvl, days in (("county", 3), ("region", 10)):
                    if late >= days and (f["id"], lvl) not in self.marks:
                        esc[lvl].setdefault(code, []).append(f)
            if new:
                out.append(("digest", code, ag["emails"], new))
            for stg in ("near", "past"):
                if stages[stg]:
                    out.append((stg, code, ag["emails"], stages[stg]))
            has = code in FIND and month == MONTH0
            stage = None if has else "overdue" if today.day > 10 else "reminder" if today.day >= 7 else None
            if stage and (code, month, stage) not in self.uploads:
                out.append(("upload-" + stage, code, ag["emails"], []))
        for lvl, rcpt in (("county", COUNTY_MAIL), ("region", REGION_MAIL)):
            if esc[lvl]:
                out.append(("esc-" + lvl, None, rcpt, [f for fs in esc[lvl].values() for f in fs]))
        return out, today, month

    def commit(self, exp, month):
        for stage, code, _, fs in exp:
            if stage.startswith("upload-"):
                self.uploads.add((code, month, stage[7:]))
            for f in fs:
                self.marks.add((f["id"], {"esc-county": "county", "esc-region": "region"}.get(stage, stage)))


SUBJ = {"digest": "【聯防】新發現弱點通知 New vulnerability findings — ",
        "near": "【聯防】弱點修補期限提醒 Remediation deadline approaching — ",
        "past": "【聯防】弱點修補逾期通知 Remediation overdue — ",
        "upload-reminder": "【聯防】每月資產清冊未上傳 Monthly inventory upload missing — ",
        "upload-overdue": "【聯防】每月資產清冊未上傳 Monthly inventory upload missing — ",
        "esc-county": "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — ",
        "esc-region": "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — "}


def classify(key):
    parts = key.split("/")
    if parts[0] == "digest":
        return "digest", parts[1]
    if parts[0] == "upload":
        return "upload-" + parts[3], parts[1]
    if parts[0] == "deadline":
        return parts[3], parts[1]
    if parts[0] == "escalation":
        return "esc-" + parts[3], None
    return None, None


model = Model()
ALL_IDS = []


def verify_run(t, what, mails):
    """Compare the mails a run sent with the model; returns the keys."""
    exp, today, month = model.expect(t)
    got = {}
    for rcpts, raw in mails:
        msg, text = parse(raw)
        key = key_of(msg)
        ALL_IDS.append(msg["Message-ID"])
        stage, code = classify(key or "")
        got.setdefault((stage, code), []).append((rcpts, msg, text, key))
    want = {(s, c) for s, c, _, _ in exp}
    check(set(got) == want, f"{what}: the notices due at {today}", f"got {sorted(map(str, got))}\nwant {sorted(map(str, want))}")
    for stage, code, rcpt, fs in exp:
        for rcpts, msg, text, key in got.get((stage, code), []):
            check(sorted(rcpts) == sorted(rcpt), f"{what}: {stage} {code}: recipients", rcpts)
            subj = str(msg["Subject"])
            check(subj.startswith(SUBJ[stage]), f"{what}: {stage} {code}: bilingual subject", subj)
            if code:
                check(AG[code]["zh"] in subj, f"{what}: {stage}: subject names the agency", subj)
            check(today.isoformat() in key or month in key, f"{what}: {stage}: key dated {today}", key)
            cves = set(re.findall(r"CVE-\d{4}-\d+", text))
            check(cves == {f["cve"] for f in fs}, f"{what}: {stage} {code}: the right findings",
                  f"{sorted(cves)} != {sorted({f['cve'] for f in fs})}")
            if stage.startswith("esc"):
                for c in {c for c in AG if any(f in FIND.get(c, []) for f in fs)}:
                    check(AG[c]["zh"] in text, f"{what}: {stage}: lists agency {c}", text[:500])
                check("聯防窗口您好" in text and "Dear joint-defense contact" in text, f"{what}: {stage}: greeting")
            if stage.startswith("upload"):
                check(month in subj and "has not been uploaded" in text, f"{what}: {stage}: month", subj)
    for k, v in got.items():
        check(len(v) == 1, f"{what}: one message per notice {k}", len(v))
    model.commit(exp, month)
    return len(exp)


# ---- run 1: just after the uploads; the webhook fails this time
Hook.fail = True
T1 = dt.datetime.now(TW) + dt.timedelta(minutes=2)
n0, h0 = len(smtp.msgs), len(Hook.got)
rep = sched_run(admin, T1)
n1 = verify_run(T1, "run 1", smtp.msgs[n0:])
check(n1 >= 1 and rep.get("deliveries", {}).get("retry") == n1, "run 1: every webhook delivery to retry", rep)
check(len(Hook.got) - h0 == n1 and all(c == 500 for c, _ in Hook.got[h0:]), "run 1: one webhook POST each")
st, js = admin.req("GET", "/api/v1/admin/notices?state=pending&limit=500")
check(st == 200 and len(js["items"]) == n1, "run 1: notices pending (webhook not yet delivered)", js)
if js and js["items"]:
    it = js["items"][0]
    hooks = [d for d in it["deliveries"] if d["channel"] == "webhook"]
    mails = [d for d in it["deliveries"] if d["channel"] == "mail"]
    check(hooks and hooks[0]["attempts"] == 1 and "500" in (hooks[0]["last_error"] or ""), "webhook attempt recorded",
          it)
    check(mails and mails[0]["state"] == "sent" and mails[0]["sent_at"], "mail delivery recorded as sent", it)

# the same run again: nothing new, and no retry before the backoff
n0, h0 = len(smtp.msgs), len(Hook.got)
rep = sched_run(admin, T1)
check(len(smtp.msgs) == n0 and len(Hook.got) == h0, "run 1 again: nothing sent", rep)
check(sum(rep.get("recorded", {}).values()) == 0, "run 1 again: nothing recorded", rep)

# ten minutes later the webhook works: retried, mail not sent again
Hook.fail = False
n0, h0 = len(smtp.msgs), len(Hook.got)
rep = sched_run(admin, T1 + dt.timedelta(minutes=10))
check(len(smtp.msgs) == n0, "retry: no mail sent twice", len(smtp.msgs) - n0)
got = [json.loads(b) for c, b in Hook.got[h0:]]
check(len(got) == n1 and all(c == 204 for c, _ in Hook.got[h0:]), "retry: each webhook delivered once", len(got))
st, js = admin.req("GET", "/api/v1/admin/notices?state=sent&limit=500")
check(st == 200 and len(js["items"]) == n1, "retry: all notices sent", js)
kinds = {j["kind"] for j in got}
check("digest" in kinds, "webhook: digest JSON", kinds)
dg = [j for j in got if j["kind"] == "digest"]
if dg:
    check(dg[0]["agency"]["code"] in AG and dg[0]["total"] == len(FIND[dg[0]["agency"]["code"]]),
          "webhook: the digest's findings", dg[0])
st, js = admin.req("GET", "/api/v1/admin/notices?kind=digest")
check(st == 200 and len(js["items"]) == 2, "notices filter by kind: two digests", js)
if js and js["items"]:
    st, one = admin.req("GET", f"/api/v1/admin/notices/{js['items'][0]['id']}")
    check(st == 200 and one["payload"]["kind"] == "digest" and "CVE-" in one["body_text"], "GET one notice", one)

# ---- later: deadlines come near, pass, and escalate (17:30 UTC = 01:30 the next day in Taiwan)
for days in (29, 45):
    t = (T0 + dt.timedelta(days=days)).astimezone(dt.timezone.utc).replace(hour=17, minute=30, second=0)
    n0, h0 = len(smtp.msgs), len(Hook.got)
    rep = sched_run(admin, t)
    n = verify_run(t, f"day +{days}", smtp.msgs[n0:])
    check(len(Hook.got) - h0 == n, f"day +{days}: a webhook POST per notice", len(Hook.got) - h0)
    for c, b in Hook.got[h0:]:
        j = json.loads(b)
        if j["kind"] == "escalation":
            check(j["to_org"]["code"] in ("TW-TPE", "R-TPE") and j["agencies"], "webhook: escalation JSON", j)
    n0 = len(smtp.msgs)
    sched_run(admin, t)
    check(len(smtp.msgs) == n0, f"day +{days} again: nothing new")

# ---- crash: SIGKILL while the SMTP server holds a message, then restart
# the 12th of a later month, 09:00 in Taiwan: every agency's upload is overdue
m4 = (T0 + dt.timedelta(days=62)).date()
t4 = dt.datetime(m4.year, m4.month, 12, 9, 0, tzinfo=TW)
exp4, _, _ = model.expect(t4)
check(len(exp4) >= 2, "crash run has several notices due", exp4)
n0 = len(smtp.msgs)
smtp.hold = True


def doomed_run():
    try:
        admin.req("POST", "/api/v1/admin/scheduler/run?now=" + iso(t4), timeout=60)
    except (OSError, http.client.HTTPException):
        pass   # the server is killed under it


th = threading.Thread(target=doomed_run, daemon=True)
th.start()
check(smtp.holding.wait(60), "the first message of the crash run reached the SMTP server")
held = parse(smtp.msgs[-1][1])[0]["Message-ID"]
LF.proc.kill()
LF.proc.wait()
smtp.release.set()
time.sleep(0.3)
before = len(smtp.msgs)
check(before == n0 + 1, "only the held message was sent before the kill", before - n0)
LF.serve()
admin = login("admin")
sched_run(admin, t4)
mails = smtp.msgs[n0:]
ids = [parse(raw)[0]["Message-ID"] for _, raw in mails]
check(ids.count(held) == 2, "the interrupted notice is sent again with the same Message-ID", ids)
check(len(ids) == len(set(ids)) + 1 and len(set(ids)) == len(exp4), "nothing else twice, nothing missing",
      f"{len(ids)} mails, {len(set(ids))} distinct, {len(exp4)} due")
# the model check, with the first copy of the held message left out
verify_run(t4, "crash run", mails[1:])
check(len(ALL_IDS) == len(set(ALL_IDS)), "no Message-ID twice over the whole test (the held copy aside)")
n0 = len(smtp.msgs)
sched_run(admin, t4)
check(len(smtp.msgs) == n0, "after the restart: the same run again sends nothing")
st, js = admin.req("GET", "/api/v1/admin/notices?state=pending")
check(st == 200 and js["items"] == [], "nothing left pending", js)

# ---- /metrics: mail counters (since this process started) and the outbox
c = http.client.HTTPConnection("127.0.0.1", LF.port, timeout=30)
c.request("GET", "/metrics")
text = c.getresponse().read().decode()
m = re.search(r"^lianfang_mail_sent_total (\d+)", text, re.M)
check(m and int(m.group(1)) == len(exp4), "metrics: mail sent since restart", m and m.group(0))
check(re.search(r'^lianfang_notices\{state="sent"\} \d+', text, re.M), "metrics: notices by state")
check(re.search(r'^lianfang_notify_job_seconds_count\{job="digest"\} 2', text, re.M), "metrics: job durations",
      text[-1500:])
LF.proc.terminate()
rc = LF.proc.wait(30)
time.sleep(0.2)
check(rc == 0, "the server stops cleanly on SIGTERM (scheduler thread joined, no sanitizer report)",
      "".join(l for l in LF.errlog if " /api/" not in l)[-3000:])
check.finish()
