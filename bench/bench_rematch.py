#!/usr/bin/env python3
"""bench_rematch: re-matching every agency's stored snapshot after a feed update. Seeds a
store (created by the server's own migrations) with AGENCIES agencies whose current
uploads hold ITEMS matcher items in all (`scan_items`, written straight into the schema:
uploading 1,000,000 rows through the API would time the upload path, not this), from
`gen_inventory.py`'s hosts; then POST /api/v1/admin/feeds/reload?force=1 twice and prints
`match_seconds` of each: the first creates the findings, the second is the steady state of
a feed update (findings refreshed, new ones few). Target: 1,000,000 rows in <= 10 s.

usage: bench_rematch.py LIANFANG_BIN INDEX_DIR VOCAB_JSON [--items 1000000] [--agencies 100]
       [--hosts-per-agency 100]"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("bin")
ap.add_argument("index_dir")
ap.add_argument("vocab")
ap.add_argument("--items", type=int, default=1000000)
ap.add_argument("--agencies", type=int, default=100)
ap.add_argument("--hosts-per-agency", type=int, default=100)
a = ap.parse_args()
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 10.0

data = tempfile.mkdtemp(prefix="lf-bench-rematch-")
try:
    shutil.copy(os.path.join(a.index_dir, "vulndb.lfx"), os.path.join(data, "vulndb.lfx"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
    env["LIANFANG_FEEDS_POLL"] = "0"
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
    p = subprocess.Popen([a.bin, "--data", data, "serve", "--port", "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
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

    for i, what in enumerate(("first re-match (creates the findings)", "second re-match (steady state)")):
        c0 = cpu()
        t0 = time.monotonic()
        st, js, _ = req("POST", "/api/v1/admin/feeds/reload?force=1", cookie=ck, csrf=csrf)
        dt = time.monotonic() - t0
        dc = cpu() - c0
        if st != 200:
            print("reload failed:", st, js)
            break
        f = js["findings"]
        print(f"{what}: {js['match_seconds']:.2f} s ({dt:.2f} s with the index open, server CPU {dc:.2f} s) for {js['items']} items = "
              f"{js['items'] / max(js['match_seconds'], 1e-9):,.0f} items/s; hits {f['hits']}, new {f['new']}, "
              f"seen {f['seen']}; ratio to the 10 s target for 1,000,000 rows "
              f"{js['match_seconds'] * 1e6 / max(js['items'], 1) / TARGET:.2f}")
    p.terminate()
    p.wait(timeout=60)
finally:
    shutil.rmtree(data, True)
