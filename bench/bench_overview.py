#!/usr/bin/env python3
"""bench_overview: the dashboard's overview at national scale. Builds a SQLite store with
5,000 agencies over the 22 counties and 200,000 hosts (40 per agency) with findings
(default 2 per host: severities, KEV, states, notice/due and fix dates spread over a year)
and this month's uploads for 80 % of the agencies, written straight into the schema the
server created (the API would take hours for this volume; the schema's triggers still keep
the dashboard summaries as the rows go in, so the build takes a minute or two, and a --keep
directory from an older schema is migrated, summaries filled, by the server's first open).
Then starts `lianfang serve` on
it and times GET /api/v1/overview at national, region and county level and GET
/api/v1/trends, best and median of N runs; with chromium and playwright-core installed (the
test set-up of test_web.py leaves them in <build>/test-artifacts/node) also the page until
the overview table is drawn. Target: under 1 s. Standard library only.

usage: bench_overview.py BUILD_DIR [--agencies 5000] [--hosts 200000] [--findings-per-host 2]
                         [--runs 5] [--keep DIR]"""
import argparse
import datetime
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--agencies", type=int, default=5000)
ap.add_argument("--hosts", type=int, default=200000)
ap.add_argument("--findings-per-host", type=float, default=2.0)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--keep", help="data directory to reuse or keep (default: a temporary one)")
args = ap.parse_args()
BIN = os.path.abspath(os.path.join(args.build, "lianfang"))
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
DATA = args.keep or tempfile.mkdtemp(prefix="lf-bench-ov-")
os.makedirs(DATA, exist_ok=True)
DB = os.path.join(DATA, "lianfang.db")
rnd = random.Random(1)
TW = datetime.timezone(datetime.timedelta(hours=8))
now = int(time.time())
today = datetime.datetime.now(TW).date()
month = today.strftime("%Y-%m")


def run(*a, stdin=None):
    r = subprocess.run([BIN, "--data", DATA, "--quiet", *a], input=stdin, capture_output=True, text=True, env=ENV)
    if r.returncode:
        sys.exit(f"bench: {' '.join(a)}: {r.stderr}")


def build():
    run("user", "add", "--login", "admin", "--role", "national_admin", "--org", "TW", "--email", "a@example.gov.tw",
        stdin="bench-pass-1\n")
    db = sqlite3.connect(DB)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    counties = [r[0] for r in db.execute("SELECT id FROM orgs WHERE kind = 'county' ORDER BY id")]
    t0 = time.time()
    with db:
        for i in range(args.agencies):
            db.execute("INSERT INTO orgs(parent_id, kind, code, name_zh, name_en, level, created) "
                       "VALUES (?, 'agency', ?, ?, ?, ?, ?)",
                       (counties[i % len(counties)], f"AG-{i:05d}", f"機關{i:05d}", f"Agency {i:05d}",
                        "ABC"[rnd.randrange(3)], now - 400 * 86400))
    agencies = [r[0] for r in db.execute("SELECT id FROM orgs WHERE kind = 'agency' ORDER BY id")]
    per = args.hosts // len(agencies)
    sevs = [("CRITICAL", 9.8), ("HIGH", 7.5), ("HIGH", 8.8), ("MEDIUM", 5.3), ("LOW", 3.1), (None, None)]
    states = ["open"] * 6 + ["measure_filed", "fixed", "fixed", "risk_accepted", "false_positive"]
    fid = 0
    with db:
        for a in agencies:
            up = rnd.random() < 0.8
            db.execute("INSERT INTO uploads(agency_id, month, status, uploaded_at, published_at, file_name, "
                       "report_json, records, resolved, items) VALUES (?, ?, ?, ?, ?, 'inv.csv', ?, ?, ?, 0)",
                       (a, month if up else "2000-01", "current", now, now,
                        json.dumps({"flagged": rnd.randrange(3)}), per * 30, per * 25))
            db.executemany("INSERT INTO hosts(agency_id, name, ip, os, first_seen, last_seen) "
                           "VALUES (?, ?, ?, 'Windows 11', ?, ?)",
                           [(a, f"H{a}-{h:03d}", f"10.{a % 250}.{h // 250}.{h % 250}", now - 300 * 86400, now)
                            for h in range(per)])
        rows = []
        for host_id, agency_id in db.execute("SELECT id, agency_id FROM hosts"):
            n = int(args.findings_per_host) + (rnd.random() < args.findings_per_host % 1)
            for k in range(n):
                sev, cvss = sevs[rnd.randrange(len(sevs))]
                st = states[rnd.randrange(len(states))]
                first = now - rnd.randrange(365) * 86400
                fixed = first + rnd.randrange(1, 60) * 86400 if st == "fixed" else 0
                notice = datetime.datetime.fromtimestamp(first, TW).date()
                due = (notice + datetime.timedelta(days=30)).isoformat() if cvss and cvss >= 7 else None
                fid += 1
                rows.append((host_id, agency_id, f"CVE-2024-{fid:06d}", "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*", sev, cvss,
                             int(rnd.random() < 0.05), st, notice.isoformat(), due, first, now, fixed, now))
        db.executemany("INSERT INTO findings(host_id, agency_id, cve, cpe, kind, severity, cvss, kev, state, "
                       "notice_date, due_date, first_seen, last_seen, fixed_at, updated) "
                       "VALUES (?, ?, ?, ?, 'match', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("ANALYZE")
    db.close()
    print(f"built: {len(agencies)} agencies, {len(agencies) * per} hosts, {fid} findings in {time.time() - t0:.1f} s "
          f"({os.path.getsize(DB) / 1e6:.0f} MB)")


if not os.path.exists(DB):
    build()
else:
    print(f"reusing {DB}")

proc = subprocess.Popen([BIN, "--data", DATA, "serve", "--port", "0"], stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True, env=dict(ENV, LIANFANG_HTTP_ACCESS_LOG="false"))
try:
    m = re.match(r"lianfang: listening on (http://127\.0\.0\.1:(\d+)/)", proc.stdout.readline())
    URL, PORT = m.group(1), int(m.group(2))
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)

    def call(method, path, body=None, cookie=None):
        h = {"Content-Type": "application/json"}
        if cookie:
            h["Cookie"] = cookie
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return r, r.read()

    r, b = call("POST", "/api/v1/session", json.dumps({"login": "admin", "password": "bench-pass-1"}))
    cookie = r.getheader("Set-Cookie").split(";")[0]
    root = json.loads(b)["org"]["id"]
    db = sqlite3.connect(DB)
    region = db.execute("SELECT id FROM orgs WHERE code = 'R-TPE'").fetchone()[0]
    county = db.execute("SELECT id FROM orgs WHERE code = 'TW-TPE'").fetchone()[0]
    db.close()
    worst = 0.0
    for label, path in (("overview national", f"/api/v1/overview?org={root}"),
                        ("overview region", f"/api/v1/overview?org={region}"),
                        ("overview county", f"/api/v1/overview?org={county}"),
                        ("trends national 12 months", f"/api/v1/trends?org={root}&months=12")):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r, b = call("GET", path, cookie=cookie)
            times.append(time.perf_counter() - t0)
            assert r.status == 200, (r.status, b[:300])
        js = json.loads(b)
        extra = f"{len(js['rows'])} rows, {js['total']['hosts']} hosts, {js['total']['open_total']} open" \
            if "rows" in js else f"{len(js['months'])} months"
        print(f"GET {label:28s} best {min(times) * 1000:7.1f} ms  median {statistics.median(times) * 1000:7.1f} ms"
              f"  ({extra}, {len(b)} bytes)")
        worst = max(worst, statistics.median(times))
    node_dir = os.path.join(os.path.abspath(args.build), "test-artifacts", "node")
    if os.access("/usr/bin/chromium", os.X_OK) and os.path.isdir(os.path.join(node_dir, "node_modules", "playwright-core")):
        shutil.copy(os.path.join(SRC, "tests", "browser", "render.mjs"), node_dir)
        r = subprocess.run(["node", os.path.join(node_dir, "render.mjs"), URL, "admin", "bench-pass-1", str(root),
                            str(args.runs)], capture_output=True, text=True, timeout=600, cwd=node_dir)
        print((r.stdout + r.stderr).strip())
    else:
        print("page render: skipped (needs /usr/bin/chromium and the test set-up's playwright-core)")
    print(f"target < 1 s: {'met' if worst < 1 else 'MISSED'} (slowest median {worst * 1000:.0f} ms)")
finally:
    proc.terminate()
    proc.wait(timeout=30)
    if not args.keep:
        shutil.rmtree(DATA, True)
