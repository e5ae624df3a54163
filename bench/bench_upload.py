#!/usr/bin/env python3
"""bench_upload: one agency's monthly upload through the real server, end to end: POST of a
100,000-row inventory (normalised by intake, grouped per host, matched, explained, stored
with its items, matcher items, findings and their sources in one transaction), timed from
the first byte sent to the answer. Target: <= 3 s. The inventory is `gen_inventory.py`'s
JSON Lines (CPEs per host) for the index's vocabulary; the index is the one in DATA_DIR
(build it with `gen_nvd.py` + `lianfang feed import nvd`, see bench/README.md). The first
upload of a month creates every finding; the second replaces the snapshot and refreshes
them (the steady state of monthly uploads); both are printed with their ratio to target.

usage: bench_upload.py LIANFANG_BIN INDEX_DIR VOCAB_JSON [--items 100000] [--hosts 1000]
       [--runs 2] [--perf [--perf-run K] [--perf-freq HZ]] [--real DIR] [--reads SECONDS]
       [--reads-during N] [--patched REGEX] [--server-env NAME=VALUE ...]
       (INDEX_DIR holds vulndb.lfx; a copy of it is used)

--reads S: after the uploads, the read endpoints the web UI and agencies use (findings of the
agency, one finding, its sources, the agency's hosts, a host's findings, the national overview)
are each loaded for S seconds by `wrk` (Debian package wrk) with 200 keep-alive connections on a
logged-in session, on the data the uploads left; prints requests/s and p50/p99 (target: read
endpoints at p99 <= 50 ms with 200 concurrent clients).

--reads-during N: N more uploads, each while `wrk` loads the agency's findings page through a
15 s window that outlasts the upload (a read stalled behind it is then counted, not dropped at
the window's end); prints the reads' requests/s, p50/p90/p99 and max.

--server-env NAME=VALUE: an environment override for the server (LIANFANG_HTTP_THREADS=2).

Each upload also prints the server's own phases (the answer's "seconds": intake, items,
matching and findings, which overlap, closing, commit).

--real DIR: instead of the synthetic inventory, the real exports of DIR (shared/data/inventories:
the Windows Uninstall-key CSVs and the Linux package lists) replicated, each copy under new host
names, to ITEMS rows of one agency CSV (host, os, name, version, publisher; VOCAB_JSON is then
ignored). Its findings per item are what agencies really see, against an index of real records."""
import argparse
import csv
import datetime
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("bin")
ap.add_argument("index_dir")
ap.add_argument("vocab")
ap.add_argument("--items", type=int, default=100000)
ap.add_argument("--hosts", type=int, default=1000)
ap.add_argument("--runs", type=int, default=2)
ap.add_argument("--perf", action="store_true", help="perf record the server during one upload (--perf-run)")
ap.add_argument("--perf-run", type=int, default=1, help="which upload --perf records (1 = the first)")
ap.add_argument("--perf-freq", type=int, default=200, help="samples per second of --perf")
ap.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                help="an environment override for the server (LIANFANG_HTTP_THREADS=2); repeatable")
ap.add_argument("--reads-during", type=int, default=0, metavar="N",
                help="then N more uploads, each with wrk (200 clients) reading the agency's findings page "
                     "while it runs (a 15 s window that outlasts it, so a stalled read is counted): the reads' p50/p99 during an upload")
ap.add_argument("--real", help="replicate the real inventories of this directory instead")
ap.add_argument("--patched", metavar="REGEX",
                help="then one more upload of the month without the rows whose software name (CPE for the "
                     "synthetic inventory) matches REGEX, case-insensitive: the month an agency updated or removed "
                     "that software everywhere, whose findings the run fixes (e.g. 'chrome|edge|firefox')")
ap.add_argument("--keep", help="copy the data directory (database, index) here at the end, for study")
ap.add_argument("--reads", type=float, default=0,
                help="then SECONDS of wrk (200 keep-alive clients, a logged-in session) per read endpoint")
a = ap.parse_args()
if a.reads > 0 and not shutil.which("wrk"):
    sys.exit("bench_upload: --reads needs wrk: apt-get install wrk")
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 3.0



def real_inventory(d, items):
    """(CSV bytes, rows, hosts): the real exports as (os, name, version, vendor) rows per
    source host, copied under new host names until ITEMS rows."""
    srcs = []
    win = os.path.join(d, "windows")
    for f in sorted(os.listdir(win)) if os.path.isdir(win) else []:
        with open(os.path.join(win, f), encoding="utf-8-sig", errors="replace", newline="") as fh:
            rd = csv.DictReader(fh)
            rs = [("Windows 10", r.get("DisplayName") or "", r.get("DisplayVersion") or "", r.get("Publisher") or "")
                  for r in rd]
        srcs.append([r for r in rs if r[1].strip()])
    lin = os.path.join(d, "linux")
    for f in sorted(os.listdir(lin)) if os.path.isdir(lin) else []:
        rs = []
        osname = "Ubuntu" if "ubuntu" in f else "Red Hat Enterprise Linux 8" if "rhel" in f else "Debian"
        for line in open(os.path.join(lin, f), encoding="utf-8", errors="replace"):
            if f.endswith(".manifest"):
                p = line.rstrip("\n").split("\t")
                if len(p) == 2:
                    rs.append((osname, p[0].split(":")[0], p[1], ""))
            elif "dpkg" in f:
                p = line.split()
                if len(p) >= 3 and p[0] == "ii":
                    rs.append((osname, p[1].split(":")[0], p[2], ""))
            elif "rpm-qa" in f:
                m = re.match(r"(\S+)-([^-\s]+)-([^-\s]+)\.(\w+)\s", line)
                if m:
                    rs.append((osname, m.group(1), m.group(2) + "-" + m.group(3), ""))
        if rs:
            srcs.append(rs)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["hostname", "os", "name", "version", "publisher"])
    rows = hosts = 0
    while rows < items:
        for rs in srcs:
            if rows >= items:
                break
            hosts += 1
            for r in rs[:items - rows]:
                w.writerow([f"real-{hosts:05d}", *r])
            rows += min(len(rs), items - rows)
    return out.getvalue().encode(), rows, hosts


data = tempfile.mkdtemp(prefix="lf-bench-upload-")
try:
    shutil.copy(os.path.join(a.index_dir, "vulndb.lfx"), os.path.join(data, "vulndb.lfx"))
    if a.real:
        body, rows, a.hosts = real_inventory(a.real, a.items)
        fname = "inv.csv"
    else:
        inv = os.path.join(data, "inv.jsonl")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_inventory.py"), "--vocab", a.vocab, "--out", inv,
                        "--items", str(a.items), "--hosts", str(a.hosts)], check=True, capture_output=True)
        body = open(inv, "rb").read()
        rows = sum(len(json.loads(l)["cpes"]) for l in body.splitlines() if l.strip())
        fname = "inv.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
    env["LIANFANG_FEEDS_POLL"] = "0"
    env.update(kv.split("=", 1) for kv in a.server_env)
    subprocess.run([a.bin, "--data", data, "--quiet", "user", "add", "--login", "admin", "--role", "national_admin",
                    "--org", "TW", "--email", "a@example.gov.tw"], input="admin-pass-1\n", text=True, env=env,
                   check=True, capture_output=True)
    # the access log goes to a file, as a deployment would keep it: a pipe read line by line
    # here took a tenth of a core from the server while wrk ran
    log = open(os.path.join(data, "server.log"), "w")
    p = subprocess.Popen([a.bin, "--data", data, "serve", "--port", "0"], stdout=subprocess.PIPE,
                         stderr=log, text=True, env=env)
    port = int(re.search(r":(\d+)/$", p.stdout.readline().strip()).group(1))
    cookie = csrf = None

    def req(method, path, body=None, raw=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        h = {}
        if cookie:
            h["Cookie"] = "lf_session=" + cookie
            h["X-CSRF-Token"] = csrf
        d = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        c.request(method, path, body=d, headers=h)
        r = c.getresponse()
        t = r.read()
        c.close()
        return r.status, json.loads(t) if t else None, r

    st, js, r = req("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
    cookie = re.match(r"lf_session=([0-9a-f]+)", r.getheader("Set-Cookie")).group(1)
    csrf = js["csrf_token"]
    st, me, _ = req("GET", "/api/v1/me")
    st, kids, _ = req("GET", f"/api/v1/orgs/{me['org']['id']}/children")
    st, cj, _ = req("GET", f"/api/v1/orgs/{kids['items'][0]['id']}/children")
    st, ag, _ = req("POST", f"/api/v1/orgs/{cj['items'][0]['id']}/agencies",
                    {"code": "BENCH-1", "name_zh": "基準", "name_en": "Bench", "level": "A"})
    month = datetime.date.today().strftime("%Y-%m")
    print(f"inventory: {rows} items over {a.hosts} hosts, {len(body) / 1e6:.1f} MB; index "
          f"{os.path.getsize(os.path.join(data, 'vulndb.lfx')) / 1e6:.0f} MB")
    def cpu():
        """the server's user + system CPU seconds (the steadier figure on a shared machine)"""
        try:
            f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return float("nan")

    def upload(data, perf=None):
        """POST data as this month's inventory: (seconds, server CPU seconds, answer); perf,
        if running, is stopped as soon as the answer is in. Exits on a refused upload."""
        c0 = cpu()
        t0 = time.monotonic()
        st, js, _ = req("POST", f"/api/v1/agencies/{ag['id']}/uploads?month={month}&file_name={fname}", raw=data)
        dt = time.monotonic() - t0
        dc = cpu() - c0
        if perf:
            perf.send_signal(2)
            perf.wait()
        if st != 201:
            print("upload failed:", st, js)
            sys.exit(1)
        return dt, dc, js

    def phases(js):
        sec = js.get("seconds")
        if sec:
            print("  server's phases (s): " + ", ".join(f"{k} {v:.2f}" for k, v in sec.items()))

    for i in range(a.runs):
        perf = None
        if a.perf and i == a.perf_run - 1:
            perf = subprocess.Popen(["perf", "record", "--call-graph", "dwarf,16384", "-F", str(a.perf_freq), "-o", "/tmp/perf-upload.data",
                                     "-p", str(p.pid)], stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        dt, dc, js = upload(body, perf)
        fd = js["findings"]
        print(f"upload {i + 1} ({'first of the month' if i == 0 else 'replacing the snapshot'}): {dt:.2f} s "
              f"= {rows / dt:,.0f} rows/s (server CPU {dc:.2f} s); hits {fd['hits']}, new {fd['new']}, seen {fd['seen']}, "
              f"not affected {fd['suppressed_not_affected']}; ratio to the 3 s target {dt / TARGET:.2f}")
        phases(js)
    if a.patched:
        pat = re.compile(a.patched, re.I)
        if fname.endswith(".csv"):
            # the CSV real_inventory wrote: header, then host, os, name, version, publisher
            recs = list(csv.reader(io.StringIO(body.decode(), newline="")))
            keep = [recs[0]] + [r for r in recs[1:] if not pat.search(r[2])]
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(keep)
            body2, rows2 = out.getvalue().encode(), len(keep) - 1
        else:
            docs = [json.loads(l) for l in body.splitlines() if l.strip()]
            for d in docs:
                d["cpes"] = [c for c in d["cpes"] if not pat.search(c)]
            body2 = "".join(json.dumps(d) + "\n" for d in docs).encode()
            rows2 = sum(len(d["cpes"]) for d in docs)
        dt, dc, js = upload(body2)
        fd = js["findings"]
        print(f"upload patched (without /{a.patched}/: {rows - rows2:,} rows fewer): {dt:.2f} s = {rows2 / dt:,.0f} "
              f"rows/s (server CPU {dc:.2f} s); hits {fd['hits']}, new {fd['new']}, seen {fd['seen']}, "
              f"fixed {fd['fixed']}")
        phases(js)
    for i in range(a.reads_during):
        path = f"/api/v1/agencies/{ag['id']}/findings?limit=50"
        out = {}

        def load():
            out["w"] = subprocess.run(["wrk", "-t2", "-c200", "-d15s", "--latency", "--timeout", "20s",
                                       "-H", f"Cookie: lf_session={cookie}", f"http://127.0.0.1:{port}{path}"],
                                      capture_output=True, text=True).stdout
        th = threading.Thread(target=load)
        th.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        st, js, _ = req("POST", f"/api/v1/agencies/{ag['id']}/uploads?month={month}&file_name={fname}", raw=body)
        dt = time.monotonic() - t0
        th.join()
        lat = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out["w"], re.M))
        mx = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out["w"])
        rps = re.search(r"Requests/sec:\s+(\S+)", out["w"])
        print(f"reads during upload {i + 1} ({st}, {dt:.2f} s of a 15 s window): {rps.group(1) if rps else '?'} "
              f"requests/s, p50 {lat.get('50', '?')}, p90 {lat.get('90', '?')}, p99 {lat.get('99', '?')}, "
              f"max {mx.group(1) if mx else '?'}")
    if a.reads > 0:
        st, fl, _ = req("GET", f"/api/v1/agencies/{ag['id']}/findings?limit=1")
        fid = fl["items"][0]["id"]
        st, hl, _ = req("GET", f"/api/v1/agencies/{ag['id']}/hosts?limit=1")
        hid = hl["items"][0]["id"]
        paths = [f"/api/v1/agencies/{ag['id']}/findings?limit=50", f"/api/v1/findings/{fid}",
                 f"/api/v1/findings/{fid}/sources", f"/api/v1/agencies/{ag['id']}/hosts?limit=50",
                 f"/api/v1/hosts/{hid}/findings?limit=50", "/api/v1/overview"]
        for path in paths:
            st, _, _ = req("GET", path)
            w = subprocess.run(["wrk", "-t2", "-c200", f"-d{a.reads:g}s", "--latency", "--timeout", "10s",
                                "-H", f"Cookie: lf_session={cookie}", f"http://127.0.0.1:{port}{path}"],
                               capture_output=True, text=True)
            lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", w.stdout, re.M))
            rps = re.search(r"Requests/sec:\s+(\S+)", w.stdout)
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", w.stdout)
            errs = re.search(r"Socket errors: (.*)", w.stdout)
            print(f"read {path}: status {st}, {rps.group(1) if rps else '?'} requests/s, p50 {lat.get('50', '?')}, "
                  f"p99 {lat.get('99', '?')}{', non-2xx ' + bad.group(1) if bad else ''}"
                  f"{', socket errors ' + errs.group(1) if errs else ''} (target p99 <= 50 ms)")
    p.terminate()
    p.wait(timeout=60)
    if a.keep:
        shutil.copytree(data, a.keep, dirs_exist_ok=True)
        print(f"data kept in {a.keep} (login admin / admin-pass-1)")
finally:
    shutil.rmtree(data, True)
