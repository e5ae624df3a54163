#!/usr/bin/env python3
"""Crash test of the upload path: the real `lianfang serve` is killed with SIGKILL in the
middle of a large upload (50,000 inventory items over 1,000 hosts, matched against the
sample NVD index), at several points: while the body is still arriving, and at fractions of
the time a complete upload takes once the body is in (intake and matching, then the store
transaction, then publishing). After each kill the server is restarted on the same data
directory and the test asserts: `PRAGMA integrity_check` is ok; the killed upload is either
absent or complete (published, its report, all its items, its matcher items and a match
run with its findings); no upload is left pending; the earlier snapshot is intact when the
killed one is absent; and a new upload still works. Standard library only."""
import atexit
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from lfharness import Checks, cpe_hosts, sample_app_products

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
check = Checks()


ENV = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
ENV["LIANFANG_FEEDS_POLL"] = "0"
DATA = tempfile.mkdtemp(prefix="lf-crash-")
atexit.register(shutil.rmtree, DATA, True)
DB = os.path.join(DATA, "lianfang.db")


def run(*args, stdin=None):
    return subprocess.run([BIN, "--data", DATA, "--quiet", *args], input=stdin, capture_output=True, text=True,
                          env=ENV)


r = run("feed", "import", "nvd", NVD)
assert r.returncode == 0, r.stderr
r = run("user", "add", "--login", "admin", "--role", "national_admin", "--org", "TW", "--email", "a@example.gov.tw",
        stdin="admin-pass-1\n")
assert r.returncode == 0, r.stderr

# the inventory: products the sample index names, at versions inside and outside its ranges
lines = [json.dumps(h) for h in cpe_hosts(sample_app_products(NVD), 1000, 50, 7)]
BIG = ("\n".join(lines) + "\n").encode()
NITEMS = 50000


class Server:
    def __init__(self):
        self.errlog = []
        self.p = subprocess.Popen([BIN, "--data", DATA, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=ENV)
        threading.Thread(target=lambda: self.errlog.extend(self.p.stderr), daemon=True).start()
        m = re.match(r"lianfang: listening on http://127\.0\.0\.1:(\d+)/$", self.p.stdout.readline().strip())
        assert m, "server did not start: " + "".join(self.errlog)
        self.port = int(m.group(1))
        atexit.register(lambda: self.p.poll() is None and self.p.kill())

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait(timeout=20)


srv = None
cookie = csrf = None


def req(method, path, body=None, raw=None, timeout=300):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    h = {}
    if cookie:
        h["Cookie"] = "lf_session=" + cookie
        if method != "GET":
            h["X-CSRF-Token"] = csrf
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        h["Content-Type"] = "application/json" if raw is None else "application/octet-stream"
    c.request(method, path, body=data, headers=h)
    resp = c.getresponse()
    text = resp.read()
    c.close()
    return resp.status, json.loads(text) if text else None, resp


def login():
    global cookie, csrf
    st, js, resp = req("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
    cookie = re.match(r"lf_session=([0-9a-f]+)", resp.getheader("Set-Cookie") or "").group(1)
    csrf = js["csrf_token"]


srv = Server()
login()
st, me, _ = req("GET", "/api/v1/me")
st, kids, _ = req("GET", f"/api/v1/orgs/{me['org']['id']}/children")
county = None
for rg in kids["items"]:
    st, cj, _ = req("GET", f"/api/v1/orgs/{rg['id']}/children")
    county = county or next((c["id"] for c in cj["items"] if c["code"] == "TW-TPE"), None)
st, ag, _ = req("POST", f"/api/v1/orgs/{county}/agencies",
                {"code": "TPE-CRASH", "name_zh": "當機測試", "name_en": "Crash test", "level": "A"})
assert st == 201, ag
AG = ag["id"]
MONTH = datetime.date.today().strftime("%Y-%m")
PATH = f"/api/v1/agencies/{AG}/uploads?month={MONTH}&file_name=big.jsonl"

# a reference upload: the snapshot every crash must leave intact, and the time one takes
t0 = time.monotonic()
st, ref, _ = req("POST", PATH, raw=BIG)
T = time.monotonic() - t0
check(st == 201 and ref["upload"]["items"] == NITEMS and ref["findings"]["computed"] and ref["findings"]["new"] > 0,
      "reference upload", ref)
print(f"reference upload: {T:.2f} s, {ref['findings']['hits']} hits, {ref['findings']['new']} findings")


def state():
    db = sqlite3.connect(DB)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchall()
        ups = db.execute("SELECT id, status, items, report_json IS NOT NULL FROM uploads WHERE agency_id = ? "
                         "ORDER BY id", (AG,)).fetchall()
        per = {}
        for uid, status, items, rep in ups:
            n_items = db.execute("SELECT count(*) FROM items WHERE upload_id = ?", (uid,)).fetchone()[0]
            n_scan = db.execute("SELECT count(*) FROM scan_items WHERE upload_id = ?", (uid,)).fetchone()[0]
            runs = db.execute("SELECT count(*), sum(finished > 0), sum(hits) FROM match_runs WHERE upload_id = ?",
                              (uid,)).fetchone()
            per[uid] = (status, items, rep, n_items, n_scan, runs)
        open_f = db.execute("SELECT count(*) FROM findings WHERE agency_id = ? AND state = 'open'", (AG,)).fetchone()[0]
        return ok, per, open_f
    finally:
        db.close()


ok, per, open_ref = state()
check(ok == [("ok",)], "integrity after the reference upload", ok)
ref_id = int(ref["upload"]["id"])


def send_partial(fraction):
    """Send the headers and part of the body, then leave the connection hanging."""
    s = socket.create_connection(("127.0.0.1", srv.port))
    head = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nCookie: lf_session={cookie}\r\nX-CSRF-Token: {csrf}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(BIG)}\r\n\r\n").encode()
    s.sendall(head + BIG[:int(len(BIG) * fraction)])
    return s


def send_whole():
    """Send the whole request; the answer is never read (the server dies first, or not)."""
    s = socket.create_connection(("127.0.0.1", srv.port))
    head = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nCookie: lf_session={cookie}\r\nX-CSRF-Token: {csrf}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(BIG)}\r\n\r\n").encode()
    s.sendall(head + BIG)
    return s


# kill points: mid-body, then after the body at fractions of a whole upload's time
# and, whatever the machine's load, once right after the upload is committed (so one kill
# always finds it complete, as the body kill always finds it absent)
points = ([("body", 0.5)] + [(f"{f:.0%} of processing", f) for f in (0.05, 0.25, 0.5, 0.7, 0.85, 0.95, 1.2)] +
          [("after the commit", None)])


def committed_after(uid):
    db = sqlite3.connect(DB, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM uploads WHERE agency_id = ? AND id > ? AND status = 'current'",
                          (AG, uid)).fetchone()[0] > 0
    finally:
        db.close()


completed = 0
for name, f in points:
    if name == "body":
        sock = send_partial(f)
        time.sleep(0.3)
    elif f is None:
        sock = send_whole()
        until = time.monotonic() + 30 * T + 60
        while not committed_after(ref_id) and time.monotonic() < until:
            time.sleep(0.02)
    else:
        sock = send_whole()
        time.sleep(T * f)
    srv.kill()
    sock.close()
    srv = Server()
    login()
    ok, per, open_now = state()
    check(ok == [("ok",)], f"kill at {name}: integrity_check ok", ok)
    pending = [u for u, v in per.items() if v[0] == "pending"]
    check(not pending, f"kill at {name}: no pending upload", per)
    current = [u for u, v in per.items() if v[0] == "current"]
    check(len(current) == 1, f"kill at {name}: exactly one current snapshot", per)
    new = [u for u in per if u > ref_id]
    for u in new:
        status, items, rep, n_items, n_scan, runs = per[u]
        complete = (status == "current" and items == NITEMS and rep and n_items == NITEMS and n_scan >= NITEMS
                    and runs[0] == 1 and runs[1] == 1 and runs[2] == ref["findings"]["hits"])
        check(complete, f"kill at {name}: upload {u} is complete", per[u])
        completed += 1
    if not new:
        status, items, rep, n_items, n_scan, runs = per[ref_id]
        check(status == "current" and n_items == NITEMS and n_scan >= NITEMS and open_now == open_ref,
              f"kill at {name}: absent, the earlier snapshot intact", (per, open_now, open_ref))
    ref_id = max(per)
    print(f"kill at {name}: upload {'complete' if new else 'absent'}")
check(0 < completed < len(points), "some kills left the upload absent, some complete", completed)

# and a new upload works
st, js, _ = req("POST", PATH, raw=BIG)
check(st == 201 and js["upload"]["items"] == NITEMS and js["findings"]["new"] == 0, "upload after the crashes", js)
ok, per, _ = state()
check(ok == [("ok",)], "integrity at the end", ok)
srv.p.terminate()
srv.p.wait(timeout=30)
check.finish()
