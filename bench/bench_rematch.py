#!/usr/bin/env python3
"""bench_rematch: re-matching every agency's stored snapshot after a feed update. Seeds a
store (created by the server's own migrations) with AGENCIES agencies whose current
uploads hold ITEMS matcher items in all (`scan_items`, written straight into the schema:
uploading 1,000,000 rows through the API would time the upload path, not this), from
`gen_inventory.py`'s hosts; then POST /api/v1/admin/feeds/reload?force=1 twice and prints
`match_seconds` of each: the first creates the findings, the second re-decides every
finding again (a full re-match). With --feed DIR (gen_nvd.py's output), then a feed update
as it happens: --changed N records of the feed (seeded choice) re-issued with a newer
lastModified, a third of them with a corrected range, are imported by `lianfang feed
import nvd` (another process, as feed sync does), and the server's own reload compares the
indexes and re-decides only those CVEs' findings: the figure the target is about. The same
records are updated --updates times: with --first 0 (no full run: 38 hits per synthetic
item make it minutes at 1M rows) the first update creates their findings and the second
is the steady state.
Target: 1,000,000 rows in <= 10 s.

usage: bench_rematch.py LIANFANG_BIN INDEX_DIR VOCAB_JSON [--items 1000000] [--agencies 100]
       [--hosts-per-agency 100] [--feed DIR] [--changed 1000] [--seed 1] [--full-again 0|1] [--first 0|1] [--updates 2]"""
import argparse
import datetime
import http.client
import json
import glob
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("bin")
ap.add_argument("index_dir")
ap.add_argument("vocab")
ap.add_argument("--items", type=int, default=1000000)
ap.add_argument("--agencies", type=int, default=100)
ap.add_argument("--hosts-per-agency", type=int, default=100)
ap.add_argument("--feed", help="gen_nvd.py output directory: also time a feed update of --changed records")
ap.add_argument("--changed", type=int, default=1000)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--scheduler", action="store_true",
                help="then time one notice-scheduler run (POST /api/v1/admin/scheduler/run): the digests of "
                     "the new findings, each agency with a contact")
ap.add_argument("--verify", action="store_true",
                help="after the updates, a forced full re-match must find nothing the scoped ones missed "
                     "(no new, fixed or reopened finding); exit 1 otherwise")
ap.add_argument("--updates", type=int, default=2,
                help="feed updates of the same records in a row (the second finds their findings made)")
ap.add_argument("--full-again", type=int, default=1, help="0: skip the second full re-match")
ap.add_argument("--first", type=int, default=1,
                help="0: no full re-match before the feed update (the findings table starts empty: the "
                     "changed CVEs' findings are all new)")
a = ap.parse_args()
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 10.0

data = tempfile.mkdtemp(prefix="lf-bench-rematch-")
try:
    shutil.copy(os.path.join(a.index_dir, "vulndb.lfx"), os.path.join(data, "vulndb.lfx"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
    env["LIANFANG_FEEDS_POLL"] = "0"
    env["LIANFANG_NOTIFY_INTERVAL"] = "0"      # the scheduler runs only when --scheduler asks
    if a.scheduler:   # a relay that refuses at once: the digests are planned and rendered, sending fails fast
        env["LIANFANG_SMTP_URL"] = "smtp://127.0.0.1:9"
        env["LIANFANG_SMTP_FROM"] = "lianfang@example.gov.tw"
    subprocess.run([a.bin, "--data", data, "--quiet", "user", "add", "--login", "admin", "--role", "national_admin",
                    "--org", "TW", "--email", "a@example.gov.tw"], input="admin-pass-1\n", text=True, env=env,
                   check=True, capture_output=True)
    inv = os.path.join(data, "inv.jsonl")
    nhosts = a.agencies * a.hosts_per_agency
    subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), "--vocab", a.vocab, "--out", inv,
                    "--items", str(a.items), "--hosts", str(nhosts)], check=True, capture_output=True)
    db = sqlite3.connect(os.path.join(data, "lianfang.db"))
    county = db.execute("SELECT id FROM orgs WHERE kind = 'county' ORDER BY id LIMIT 1").fetchone()[0]
    now = int(time.time())
    month = datetime.date.today().strftime("%Y-%m")
    hosts = [json.loads(l) for l in open(inv)]
    rows = 0
    for g in range(a.agencies):
        cur = db.execute("INSERT INTO orgs(parent_id, kind, code, name_zh, name_en, level, created) "
                         "VALUES (?, 'agency', ?, ?, ?, 'B', ?)", (county, f"BR-{g:04d}", f"機關{g}", f"A{g}", now))
        ag = cur.lastrowid
        db.execute("INSERT INTO org_contacts(org_id, pos, email) VALUES (?, 0, ?)", (ag, f"it-{g}@example.gov.tw"))
        up = db.execute("INSERT INTO uploads(agency_id, month, status, uploaded_at, published_at, file_name) "
                        "VALUES (?, ?, 'current', ?, ?, 'seed')", (ag, month, now, now)).lastrowid
        batch = []
        rec = 0
        for h in hosts[g * a.hosts_per_agency:(g + 1) * a.hosts_per_agency]:
            db.execute("INSERT INTO hosts(agency_id, name, first_seen, last_seen) VALUES (?, ?, ?, ?)",
                       (ag, h["host"], now, now))
            for i, cpe in enumerate(h["cpes"]):
                rec += 1
                batch.append((up, h["host"], rec, i + 1, 0, cpe))
        db.executemany("INSERT INTO scan_items(upload_id, host, rec, line, pkg, cpe) VALUES (?, ?, ?, ?, ?, ?)", batch)
        rows += len(batch)
    db.commit()
    db.close()
    print(f"seeded {a.agencies} agencies, {nhosts} hosts, {rows} stored items")
    # the access log goes to a file, as a deployment would keep it: a pipe read line by line
    # here took a tenth of a core from the server while wrk ran
    log = open(os.path.join(data, "server.log"), "w")
    p = subprocess.Popen([a.bin, "--data", data, "serve", "--port", "0"], stdout=subprocess.PIPE,
                         stderr=log, text=True, env=env)
    port = int(re.search(r":(\d+)/$", p.stdout.readline().strip()).group(1))

    def req(method, path, body=None, cookie=None, csrf=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=7200)
        h = {"Cookie": "lf_session=" + cookie, "X-CSRF-Token": csrf} if cookie else {}
        c.request(method, path, body=json.dumps(body).encode() if body else None, headers=h)
        r = c.getresponse()
        t = r.read()
        c.close()
        return r.status, json.loads(t) if t else None, r

    st, js, r = req("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
    ck = re.match(r"lf_session=([0-9a-f]+)", r.getheader("Set-Cookie")).group(1)
    csrf = js["csrf_token"]
    def cpu():
        """the server's user + system CPU seconds (the steadier figure on a shared machine)"""
        try:
            f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return float("nan")

    last = {}

    def reload(what, query):
        c0 = cpu()
        t0 = time.monotonic()
        st, js, _ = req("POST", "/api/v1/admin/feeds/reload" + query, cookie=ck, csrf=csrf)
        dt = time.monotonic() - t0
        dc = cpu() - c0
        if st != 200 or not js.get("rematched"):
            print("reload failed:", st, js)
            return False
        f = js["findings"]
        last.clear()
        last.update(f)
        scope = (f"scope {js['scope']}: {js['changed_vulnerabilities']} vulnerabilities changed"
                 if js["scope"] == "changed" else f"scope full ({js['full_because']})")
        print(f"{what}: {js['match_seconds']:.2f} s ({dt:.2f} s with the index open and compared in "
              f"{js['compare_seconds']:.2f} s, server CPU {dc:.2f} s) for {js['items']} items = "
              f"{js['items'] / max(js['match_seconds'], 1e-9):,.0f} items/s; {scope}; hits {f['hits']}, new {f['new']}, "
              f"seen {f['seen']}, fixed {f['fixed']}; ratio to the 10 s target for 1,000,000 rows "
              f"{(js['match_seconds'] + js['compare_seconds']) * 1e6 / max(js['items'], 1) / TARGET:.2f}")
        return True

    ok = not a.first or reload("first re-match (creates the findings)", "?force=1")
    ok = ok and (not a.first or not a.full_again or reload("second re-match (full, every finding re-decided)", "?force=1"))
    if ok and a.feed:
        files = sorted(glob.glob(os.path.join(a.feed, "nvd-*.json")))
        rng = random.Random(a.seed)
        # records from two files of the feed, spread over years and products
        pool = []
        for fn in rng.sample(files, min(2, len(files))):
            pool.extend(json.load(open(fn))["vulnerabilities"])
        picked = rng.sample(pool, min(a.changed, len(pool)))
        for u in range(a.updates):
            for i, v in enumerate(picked):
                c = v["cve"]
                c["lastModified"] = f"{2099 + u}-01-01T00:00:00.000"
                if i % 3 == u % 3:   # a corrected range: the end bound moves up one minor version
                    for cfg in c.get("configurations", []):
                        for node in cfg["nodes"]:
                            for m in node["cpeMatch"]:
                                e = m.get("versionEndExcluding")
                                if e and e.split(".")[0].isdigit():
                                    parts = e.split(".")
                                    minor = str(int(parts[1]) + 1) if len(parts) > 1 and parts[1].isdigit() else "9"
                                    m["versionEndExcluding"] = ".".join([parts[0], minor] + parts[2:])
            upd = os.path.join(data, f"update-{u}.json")
            with open(upd, "w") as f:
                json.dump({"resultsPerPage": len(picked), "startIndex": 0, "totalResults": len(picked),
                           "format": "NVD_CVE", "version": "2.0", "timestamp": f"{2099 + u}-01-01T00:00:00.000",
                           "vulnerabilities": picked}, f)
            t0 = time.monotonic()
            r = subprocess.run([a.bin, "--data", data, "--quiet", "feed", "import", "nvd", upd], env=env,
                               capture_output=True, text=True)
            if r.returncode:
                print("import failed: " + r.stderr)
                break
            print(f"feed update {u + 1}: {len(picked)} changed records imported in {time.monotonic() - t0:.2f} s "
                  f"(another process, as feed sync does)")
            what = "their findings exist" if u or a.first else "the findings table starts empty"
            if not reload(f"re-match after feed update {u + 1} ({len(picked)} CVEs changed, {what})", ""):
                break
    verify_failed = False
    if ok and a.verify and a.feed:
        if reload("verification: a forced full re-match after the scoped ones", "?force=1"):
            verify_failed = bool(last.get("new") or last.get("fixed") or last.get("reopened"))
            print("verification: " + ("FAILED: the full re-match changed findings the scoped ones left"
                                      if verify_failed else "the full re-match agrees with the scoped ones"))
    if ok and a.scheduler:
        c0 = cpu()
        t0 = time.monotonic()
        st, js, _ = req("POST", "/api/v1/admin/scheduler/run", cookie=ck, csrf=csrf)
        print(f"scheduler run after the re-matches: {time.monotonic() - t0:.2f} s (server CPU {cpu() - c0:.2f} s): "
              f"HTTP {st} {json.dumps(js)[:300]}")
    t0 = time.monotonic()
    p.terminate()
    p.wait(timeout=600)
    print(f"server stopped {time.monotonic() - t0:.2f} s after SIGTERM")
    if verify_failed:
        sys.exit(1)
finally:
    shutil.rmtree(data, True)
