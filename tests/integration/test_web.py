#!/usr/bin/env python3
"""Integration test of the web dashboard: the real `lianfang serve` on a loopback port with a
fresh SQLite file, the sample NVD + KEV feeds, agencies under Taipei City and New Taipei City
and a Big5 agency CSV uploaded through the API. Part 1 checks the aggregate endpoints
(GET /api/v1/overview, /trends, /agencies/{id}/hosts, /hosts/{id}[/findings],
/findings/{id}/advisory): figures against the findings API, the B-level 30 % limit, the
median fix time, and scope (401 without a session, 403 outside the caller's scope, for a
county officer of another county). Part 2 drives Debian's chromium through the pages with
playwright-core (tests/browser/web.mjs) and saves a screenshot of each page to
<build>/test-artifacts/web/. Skips (77) when /usr/bin/chromium or node/npm is missing."""
import datetime
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

from lfharness import Checks, Client, Instance

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
KEV = os.path.join(SRC, "data", "sample", "kev.json.gz")
CSV = os.path.join(SRC, "data", "sample", "inventories", "taipei-hr-2026-11.csv")
BUILD = os.path.dirname(BIN)
ART = os.path.join(BUILD, "test-artifacts", "web")
NODE_DIR = os.path.join(BUILD, "test-artifacts", "node")
check = Checks()

CHROMIUM = "/usr/bin/chromium"
NODE = shutil.which("node")
NPM = shutil.which("npm")
if not os.access(CHROMIUM, os.X_OK) or not NODE or not NPM:
    print(f"skip: needs {CHROMIUM} and node + npm (scripts/deps.sh test installs them)")
    sys.exit(77)

LF = Instance(BIN, "lf-web-")
DATA, ENV = LF.data, LF.env
for feed, path in (("nvd", NVD), ("kev", KEV)):
    r = LF.run("feed", "import", feed, path)
    assert r.returncode == 0, r.stderr
for login, role, org in (("admin", "national_admin", "TW"), ("ntpc", "county_officer", "TW-NWT")):
    LF.add_user(login, role, org, login + "@example.gov.tw", login + "-pass-1")
PORT = LF.serve()
URL = f"http://127.0.0.1:{PORT}/"


def child(cl, org, code):
    st, js = cl.req("GET", f"/api/v1/orgs/{org}/children?limit=500")
    return next(o for o in js["items"] if o["code"] == code)


# ---- seed: agencies under Taipei City (two B, one A) and one under New Taipei City
admin = Client(PORT)
me = admin.login("admin", "admin-pass-1")
nat = me["org"]["id"]
region = child(admin, nat, "R-TPE")
county = child(admin, region["id"], "TW-TPE")
ntpc_region = child(admin, nat, "R-NWT")
ntpc = child(admin, ntpc_region["id"], "TW-NWT")
agencies = {}
for parent, code, zh, en, level in ((county, "TPE-HR", "臺北市政府人事處", "Department of Personnel", "B"),
                                    (county, "TPE-EDU", "臺北市政府教育局", "Department of Education", "B"),
                                    (county, "TPE-FIN", "臺北市政府財政局", "Department of Finance", "A"),
                                    (ntpc, "NTPC-IT", "新北市政府資訊中心", "New Taipei IT Centre", "B")):
    st, js = admin.req("POST", f"/api/v1/orgs/{parent['id']}/agencies",
                       {"code": code, "name_zh": zh, "name_en": en, "level": level})
    check(st == 201, f"create agency {code}", js)
    agencies[code] = js["id"]
hr = agencies["TPE-HR"]

# a reloaded page asks /me for the session's CSRF token; it works for an unsafe request
st, js = admin.req("GET", "/api/v1/me")
check(st == 200 and js["csrf_token"] == admin.csrf and js["expires"], "GET /me returns the session's CSRF token", js)
again = Client(PORT)
again.cookie = admin.cookie
bad_body = {"code": "TPE-TMP", "level": "Z"}   # refused after the CSRF check: 422, not 403
st, js = again.req("POST", f"/api/v1/orgs/{county['id']}/agencies", bad_body)
check(st == 403, "no CSRF token: 403", (st, js))
st, js = again.req("GET", "/api/v1/me")
again.csrf = js["csrf_token"]
st, js = again.req("POST", f"/api/v1/orgs/{county['id']}/agencies", bad_body)
check(st == 422, "the token from /me is accepted", (st, js))
st, js = Client(PORT).req("GET", "/api/v1/me")
check(st == 401, "GET /me without a session 401", st)
month = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m")
with open(CSV, "rb") as fh:
    st, js = admin.req("POST", f"/api/v1/agencies/{hr}/uploads?month={month}&file_name=taipei-hr.csv", raw=fh.read(),
                       ctype="application/octet-stream")
check(st == 201 and js["findings"]["computed"], "seed upload", js)
st, js = admin.req("GET", f"/api/v1/agencies/{hr}/findings?limit=500")
findings = js["items"]
check(len(findings) > 4, "seed upload made findings", len(findings))

# Age the data where the API cannot: two findings fixed 10 and 20 days after they were
# first seen (median 15.0), and TPE-HR's high findings noticed two months ago, so one of
# Taipei City's two B-level agencies (50 %) is over the 30 % limit.
high = [f for f in findings if f["cvss"] is not None and f["cvss"] >= 7]
fixed_ids = [high[-1]["id"], high[-2]["id"]]
for fid in fixed_ids:
    st, js = admin.req("POST", f"/api/v1/findings/{fid}/transition", {"to": "fixed"})
    check(st == 200 and js["state"] == "fixed", "mark fixed", js)
db = sqlite3.connect(os.path.join(DATA, "lianfang.db"), timeout=30)
for fid, d in zip(fixed_ids, (10, 20)):
    db.execute("UPDATE findings SET first_seen = fixed_at - ? * 86400 WHERE id = ?", (d, int(fid)))
two_months_ago = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8) - datetime.timedelta(days=62)).date()
db.execute("UPDATE findings SET notice_date = ? WHERE agency_id = ? AND cvss >= 7", (two_months_ago.isoformat(), int(hr)))
db.commit()
db.close()
open_f = [f for f in findings if f["id"] not in fixed_ids]

# ---- part 1: the aggregate API
st, ov = admin.req("GET", "/api/v1/overview")
check(st == 200 and ov["total"]["org"]["id"] == nat and len(ov["rows"]) == 6, "national overview: 6 regions", ov)
check(ov["month"] == month and ov["b_late_limit"] == 0.3, "overview month and limit", ov)
st, ov = admin.req("GET", f"/api/v1/overview?org={county['id']}")
check(st == 200 and [r["org"]["code"] for r in ov["rows"]] == ["TPE-HR", "TPE-EDU", "TPE-FIN"], "county rows", ov)
tot = ov["total"]
sev = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low"}
want = {"critical": 0, "high": 0, "medium": 0, "low": 0, "none": 0}
for f in open_f:
    want[sev.get(f["severity"], "none")] += 1
check(tot["open"] == want and tot["open_total"] == len(open_f), "open by severity = the findings API's", (tot, want))
check(tot["open_kev"] == sum(1 for f in open_f if f["kev"]), "KEV open", tot)
check(tot["agencies"] == 3 and tot["uploaded"] == 1 and tot["connected"] == 1 and tot["hosts"] == 3,
      "agencies / uploaded / connected / hosts", tot)
check(tot["b_agencies"] == 2 and tot["b_late"] == 1 and tot["b_late_share"] == 0.5 and tot["b_limit_exceeded"],
      "B-level late share 50 % > 30 %", tot)
check(tot["median_fix_days"] == 15.0 and tot["fixed"] == 2, "median days to fix", tot)
check(tot["flagged"] >= 1, "banned/non-official software counted from the upload's report", tot)
row_hr = ov["rows"][0]
check(row_hr["b_limit_exceeded"] and not ov["rows"][1]["b_limit_exceeded"], "per-row limit flag", ov["rows"])
st, ovr = admin.req("GET", f"/api/v1/overview?org={region['id']}")
check(st == 200 and ovr["total"]["open_total"] == tot["open_total"], "region total = county total", ovr)
st, ova = admin.req("GET", f"/api/v1/overview?org={hr}")
check(st == 200 and ova["rows"] == [] and ova["total"]["hosts"] == 3, "agency overview: itself, no rows", ova)
st, js = admin.req("GET", "/api/v1/overview?org=abc")
check(st == 400, "overview org=abc 400", js)
st, js = admin.req("GET", "/api/v1/overview?org=999999")
check(st == 404, "overview unknown org 404", js)
st, js = admin.req("GET", f"/api/v1/overview?org={county['id']}&month=2026-13")
check(st == 400, "overview bad month 400", js)

st, tr = admin.req("GET", f"/api/v1/trends?org={county['id']}&months=12")
check(st == 200 and len(tr["months"]) == 12 and tr["months"][-1]["month"] == month, "trends: 12 months to this one", tr)
last = tr["months"][-1]
check(last["open_total"] == len(open_f) and last["fixed"] == 2 and last["median_fix_days"] == 15.0,
      "trends: this month's open and fix time", last)
check(last["agencies"] == 3 and last["uploaded"] == 1, "trends: upload compliance", last)
st, js = admin.req("GET", f"/api/v1/trends?org={county['id']}&months=0")
check(st == 400, "trends months=0 400", js)

st, hs = admin.req("GET", f"/api/v1/agencies/{hr}/hosts")
check(st == 200 and len(hs["items"]) == 3, "agency hosts", hs)
host = next(x for x in hs["items"] if x["name"] == "TPE-HR-PC01")
mine = [f for f in open_f if f["host"] == "TPE-HR-PC01"]
check(host["open_total"] == len(mine) and host["open_kev"] == sum(f["kev"] for f in mine), "host open counts", host)
st, hf = admin.req("GET", f"/api/v1/hosts/{host['id']}/findings?limit=500")
all_mine = [f for f in findings if f["host"] == "TPE-HR-PC01"]
check(st == 200 and sorted(x["id"] for x in hf["items"]) == sorted(f["id"] for f in all_mine), "host findings", hf)
kevf = next(f for f in mine if f["kev"])
st, adv = admin.req("GET", f"/api/v1/findings/{kevf['id']}/advisory")
check(st == 200 and adv["available"] and adv["kev"] and adv["cvss"] and adv["references"], "advisory", adv)
fixes = [r["fix"] for r in adv["references"]]
check(fixes == sorted(fixes, reverse=True), "fix links first", fixes)

# scope: a county officer of New Taipei City sees their county, and 403 for Taipei's
ntpc_user = Client(PORT)
ntpc_user.login("ntpc", "ntpc-pass-1")
st, js = ntpc_user.req("GET", "/api/v1/overview")
check(st == 200 and js["total"]["org"]["code"] == "TW-NWT" and len(js["rows"]) == 1, "own scope by default", js)
for path in (f"/api/v1/overview?org={county['id']}", f"/api/v1/overview?org={nat}", f"/api/v1/trends?org={county['id']}",
             f"/api/v1/agencies/{hr}/hosts", f"/api/v1/hosts/{host['id']}", f"/api/v1/hosts/{host['id']}/findings",
             f"/api/v1/findings/{kevf['id']}/advisory"):
    st, js = ntpc_user.req("GET", path)
    check(st == 403 and js["error"]["code"] == "forbidden", f"outside scope 403: {path}", (st, js))
    st, js = Client(PORT).req("GET", path)
    check(st == 401, f"no session 401: {path}", (st, js))
st, js = ntpc_user.req("GET", f"/api/v1/agencies/{agencies['NTPC-IT']}/hosts")
check(st == 200 and js["items"] == [], "own agency's hosts (none yet)", js)

# the UI is served: / redirects, /ui/ is the page, dotfiles and traversal are not served
c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
c.request("GET", "/")
r = c.getresponse()
r.read()
check(r.status == 302 and r.getheader("Location") == "/ui/", "/ -> /ui/", r.status)
for path, want_st in (("/ui/", 200), ("/ui/js/app.js", 200), ("/ui/css/app.css", 200), ("/ui/../CMakeLists.txt", 404),
                      ("/ui/.hidden", 404), ("/ui/nope.js", 404)):
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    check(r.status == want_st, f"GET {path} -> {want_st}", r.status)
c.close()

# web.dir: a configured directory is what /ui/ serves; one without index.html stops serve
webcopy = os.path.join(DATA, "web-copy")
shutil.copytree(os.path.join(SRC, "web"), webcopy)
with open(os.path.join(webcopy, "marker.txt"), "w") as fh:
    fh.write("from web.dir\n")
conf = os.path.join(DATA, "web.conf")
with open(conf, "w") as fh:
    fh.write(f"[web]\ndir = {webcopy}\n")
p2 = subprocess.Popen([BIN, "--data", DATA, "serve", "--config", conf, "--port", "0"], stdout=subprocess.PIPE,
                      stderr=subprocess.DEVNULL, text=True, env=ENV)
m2 = re.match(r"lianfang: listening on http://127\.0\.0\.1:(\d+)/$", p2.stdout.readline().strip())
check(m2 is not None, "serve with web.dir starts")
if m2:
    c = http.client.HTTPConnection("127.0.0.1", int(m2.group(1)), timeout=30)
    c.request("GET", "/ui/marker.txt")
    r = c.getresponse()
    check(r.status == 200 and r.read() == b"from web.dir\n", "web.dir is served under /ui/", r.status)
    c.close()
p2.terminate()
p2.wait(timeout=30)
with open(conf, "w") as fh:
    fh.write(f"[web]\ndir = {DATA}/nowhere\n")
r = subprocess.run([BIN, "--data", DATA, "serve", "--config", conf, "--port", "0"], capture_output=True, text=True,
                   env=ENV, timeout=30)
check(r.returncode != 0 and "web.dir" in r.stderr and "index.html" in r.stderr, "web.dir without index.html", r.stderr)

# ---- part 2: the browser
os.makedirs(ART, exist_ok=True)
for f in os.listdir(ART):
    os.unlink(os.path.join(ART, f))
os.makedirs(NODE_DIR, exist_ok=True)
for f in ("package.json", "package-lock.json"):
    shutil.copy(os.path.join(SRC, "tests", "browser", f), NODE_DIR)
if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "playwright-core")):
    r = subprocess.run([NPM, "ci", "--prefix", NODE_DIR, "--ignore-scripts", "--no-audit", "--no-fund"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("skip: npm ci of playwright-core failed (no registry?):\n" + r.stderr[-2000:])
        sys.exit(77 if check.failures == 0 else 1)
shutil.copy(os.path.join(SRC, "tests", "browser", "web.mjs"), NODE_DIR)

# the file the browser uploads: a Big5 agency CSV of 300 hosts (big enough to watch the
# progress bar under a throttled upload), one row without a name (rejected, line 1502)
up_path = os.path.join(DATA, "taipei-edu-big5.csv")
rows = ["主機名稱,IP位址,作業系統,軟體名稱,版本,發行者"]
apps = [("Google Chrome", "100.0.4896.60", "Google LLC"), ("7-Zip 19.00 (x64)", "", "Igor Pavlov"),
        ("Mozilla Firefox (x64 zh-TW)", "121.0", "Mozilla"), ("Zoom", "5.10.0", "Zoom Video Communications, Inc."),
        ("公文製作系統 (機關自建)", "3.2", "本府資訊處")]
for i in range(300):
    for name, ver, pub in apps:
        rows.append(f"EDU-PC{i:03d},10.30.{i // 250}.{i % 250 + 1},Windows 11 專業版,{name},{ver},\"{pub}\"")
rows.insert(1501, "EDU-PC999,10.30.9.9,Windows 11 專業版,,1.0,")
with open(up_path, "wb") as fh:
    fh.write(("\r\n".join(rows) + "\r\n").encode("big5"))

expect = {
    "national_zh": me["org"]["name_zh"], "regions": 6, "region_zh": region["name_zh"], "county_zh": county["name_zh"],
    "county_en": county["name_en"], "county_id": county["id"], "county_agencies": 3,
    "agency_zh": "臺北市政府人事處", "agency_hosts": 3, "host": "TPE-HR-PC01", "host_findings": len(all_mine),
    "cve": kevf["cve"], "finding_id": kevf["id"], "median": "15.0",
    "planned": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
    "upload_bps": 120 * 1024, "upload_records": len(rows) - 1, "upload_rejected": 1, "upload_rejected_line": 1502,
}
benv = dict(os.environ, LF_URL=URL, LF_LOGIN="admin", LF_PASSWORD="admin-pass-1", LF_ARTIFACTS=ART,
            LF_UPLOAD_FILE=up_path, LF_AGENCY_UPLOAD=agencies["TPE-EDU"], LF_EXPECT=json.dumps(expect),
            NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
r = subprocess.run([NODE, os.path.join(NODE_DIR, "web.mjs")], capture_output=True, text=True, env=benv, timeout=420,
                   cwd=NODE_DIR)
print(r.stdout.strip())
check(r.returncode == 0, "browser run", r.stdout[-4000:] + r.stderr[-4000:])
shots = sorted(f for f in os.listdir(ART) if f.endswith(".png"))
check(len(shots) >= 17, "a screenshot of each page", shots)

# the browser's measure went through the API: state and audit
st, js = admin.req("GET", f"/api/v1/findings/{kevf['id']}")
check(st == 200 and js["state"] == "measure_filed" and js["measure_planned"] == expect["planned"],
      "measure filed in the browser is stored", js)
st, js = admin.req("GET", f"/api/v1/agencies/{agencies['TPE-EDU']}/uploads")
check(st == 200 and len(js["items"]) == 1 and js["items"][0]["counts"]["rejected"] == 1, "browser upload stored", js)

LF.stop(timeout=30)
print(f"test_web: screenshots in {ART}")
check.finish()
