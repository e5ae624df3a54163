#!/usr/bin/env python3
"""Integration test of `lianfang feed sync nvd|kev|csaf` against a local HTTP server
(http.server on 127.0.0.1, ephemeral port) that serves NVD CVE API 2.0 pages built at test
time from real records (tests/fixtures/sync, plus ../shared/data/nvd when present), a KEV
catalog with an ETag, and a CSAF provider (provider-metadata.json, changes.csv, .sha256 /
.sha512 files, a ROLIE feed). Checks: 120-day windows, startIndex paging, the apiKey header
(sent, never printed), the rate limit (server-side timestamps), 503/403 retried, a SIGKILLed
sync resuming without refetching and ending with the same index, the second sync asking only
for the new window, KEV 304, CSAF checksum failure and a second sync fetching nothing."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lfharness import Checks, Cli

BIN = sys.argv[1]
FX = os.environ.get("LF_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
SHARED = os.environ.get("LF_SHARED_DATA", "")
if SHARED and not os.path.isdir(SHARED):
    SHARED = ""   # the variable names a folder this machine does not have: fixtures only
KEY = "test-key-6f1c9a2b"
check = Checks()


def ts(s):
    """NVD / ISO timestamp -> aware UTC datetime."""
    s = s.replace("Z", "+00:00")
    d = datetime.fromisoformat(s)
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


# ---- the records the fake NVD serves ----
RECORDS = json.load(open(os.path.join(FX, "sync", "nvd-records.json")))
if SHARED and os.path.isdir(os.path.join(SHARED, "nvd")):
    for name in sorted(os.listdir(os.path.join(SHARED, "nvd"))):
        if name.endswith(".json"):
            RECORDS.append(json.load(open(os.path.join(SHARED, "nvd", name), encoding="utf-8")))


class World:
    def __init__(self):
        self.lock = threading.Lock()
        self.log = []            # (monotonic time, path, query dict, headers dict)
        self.fail = []           # statuses to answer the next NVD requests with
        self.block_at = None     # NVD request number (1-based) that hangs
        self.released = threading.Event()
        self.blocked = threading.Event()
        self.records = list(RECORDS)
        self.kev = b""
        self.kev_etag = '"kev-v1"'
        self.files = {}          # path -> bytes (CSAF tree)

    def nvd_requests(self):
        with self.lock:
            return [e for e in self.log if e[1].startswith("/nvd")]


W = World()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the client was killed on purpose

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        with W.lock:
            W.log.append((time.monotonic(), u.path, q, {k.lower(): v for k, v in self.headers.items()}))
            n_nvd = sum(1 for e in W.log if e[1].startswith("/nvd"))
        if u.path.startswith("/nvd"):
            return self.nvd(q, n_nvd)
        if u.path == "/kev.json":
            if self.headers.get("If-None-Match") == W.kev_etag:
                return self.send(304, b"", {"ETag": W.kev_etag})
            return self.send(200, W.kev, {"ETag": W.kev_etag, "Content-Type": "application/json"})
        body = W.files.get(u.path)
        if body is None:
            return self.send(404, b"not found")
        return self.send(200, body)

    def nvd(self, q, n):
        if W.block_at is not None and n == W.block_at:
            W.blocked.set()
            W.released.wait(60)
        with W.lock:
            st = W.fail.pop(0) if W.fail else None
        if st:
            return self.send(st, b'{"message":"rate limited"}', {"Retry-After": "1"} if st == 503 else {})
        start, end = ts(q["lastModStartDate"]), ts(q["lastModEndDate"])
        if end - start > timedelta(days=120):
            return self.send(404, b"range too long")
        hits = sorted((r for r in W.records if start <= ts(r["lastModified"]) <= end), key=lambda r: r["id"])
        si, rpp = int(q.get("startIndex", 0)), int(q.get("resultsPerPage", 2000))
        page = {"resultsPerPage": len(hits[si:si + rpp]), "startIndex": si, "totalResults": len(hits),
                "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-01-01T00:00:00.000",
                "vulnerabilities": [{"cve": r} for r in hits[si:si + rpp]]}
        return self.send(200, json.dumps(page).encode(), {"Content-Type": "application/json"})


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{srv.server_address[1]}"

ENV = dict(os.environ)
for k in list(ENV):
    if k.lower() in ("http_proxy", "https_proxy", "all_proxy") or k.startswith("LIANFANG_"):
        del ENV[k]
ENV["no_proxy"] = "127.0.0.1"
ENV["LIANFANG_NVD_URL"] = BASE + "/nvd/rest/json/cves/2.0"
ENV["LIANFANG_NVD_API_KEY"] = KEY
ENV["LIANFANG_NVD_RESULTS_PER_PAGE"] = "20"
ENV["LIANFANG_NVD_RATE_REQUESTS"] = "50"
ENV["LIANFANG_NVD_RATE_WINDOW"] = "1"


run = Cli(BIN, env=ENV, timeout=120)


def status(data):
    rc, out, err = run("feed", "status", "--json", data=data)
    return json.loads(out) if rc == 0 else {"error": err}


def in_range(a, b):
    return sorted(r["id"] for r in W.records if ts(a) <= ts(r["lastModified"]) <= ts(b))


SINCE, UNTIL = "2023-01-01T00:00:00Z", "2026-01-01T00:00:00Z"
t_all = time.monotonic()
with tempfile.TemporaryDirectory() as d:
    # ---- 1. full sync: windows, paging, key, rate limit, 503 and 403 retried ----
    d1 = os.path.join(d, "d1")
    env = dict(ENV, LIANFANG_NVD_RATE_REQUESTS="3", LIANFANG_NVD_RATE_WINDOW="1")
    W.fail = [503, 403]
    rc, out, err = run("feed", "sync", "nvd", "--since", SINCE, "--until", UNTIL, env=env, data=d1)
    check(rc == 0, "nvd sync exit 0", out + err)
    reqs = W.nvd_requests()
    check(KEY not in out and KEY not in err, "the API key is never printed", out + err)
    check(all(e[3].get("apikey") == KEY for e in reqs), "every request carries the apiKey header",
          [e[3] for e in reqs[:2]])
    check(all(e[3].get("user-agent", "").startswith("lianfang/") for e in reqs), "User-Agent lianfang/<version>")
    ok = [e for e in reqs[2:]]   # the first two were answered 503 and 403
    check(len(reqs) >= 3 and reqs[0][2] == reqs[1][2] == reqs[2][2], "the 503 and the 403 were retried (same query)",
          [e[2] for e in reqs[:3]])
    check("2 retries" in out, "summary counts the retries", out)
    windows = []
    for e in ok:
        w = (e[2]["lastModStartDate"], e[2]["lastModEndDate"])
        if not windows or windows[-1] != w:
            windows.append(w)
    check(all(ts(b) - ts(a) <= timedelta(days=120) for a, b in windows), "no window longer than 120 days", windows)
    check(ts(windows[0][0]) == ts(SINCE) and ts(windows[-1][1]) == ts(UNTIL) and
          all(ts(windows[i][1]) == ts(windows[i + 1][0]) for i in range(len(windows) - 1)),
          "windows are contiguous from --since to --until", windows)
    check(len(windows) == 10, "three years is ten 120-day windows", len(windows))
    # paging: within each window startIndex goes 0, 20, 40 ... until totalResults
    paged_ok = True
    for w in windows:
        idx = [int(e[2]["startIndex"]) for e in ok if (e[2]["lastModStartDate"], e[2]["lastModEndDate"]) == w]
        want = in_range(*w)
        exp = list(range(0, max(len(want), 1), 20))
        if idx != exp:
            paged_ok = False
            print("window", w, "startIndex", idx, "expected", exp, file=sys.stderr)
    check(paged_ok, "startIndex paging covers totalResults in every window")
    check(any(len(in_range(*w)) > 20 for w in windows) or not SHARED, "some window needed several pages")
    times = [e[0] for e in reqs]
    gaps = [times[i + 3] - times[i] for i in range(len(times) - 3)]
    check(all(g >= 0.99 for g in gaps), "rate limit: no 4 requests within 1 s at the server", gaps)
    expect_ids = in_range(SINCE, UNTIL)
    st1 = status(d1)
    check(st1.get("documents") == len(expect_ids), "index holds every record of the range",
          (st1.get("documents"), len(expect_ids)))
    changed = open(os.path.join(d1, "sync", "nvd-changed.txt")).read().split("\n")
    check(changed[:-1] == sorted(set(expect_ids)) and changed[-1] == "", "nvd-changed.txt: sorted ids, one a line",
          changed[:5])
    check(not os.listdir(os.path.join(d1, "sync", "nvd")), "imported pages are deleted")
    state = json.load(open(os.path.join(d1, "sync", "nvd.json")))
    check(ts(state["high_water"]) == ts(UNTIL) and state["run_end"] == "", "high-water mark = --until", state)

    # ---- 2. second sync from the high-water mark asks only for the new window ----
    n_before = len(W.nvd_requests())
    os.unlink(os.path.join(d1, "sync", "nvd-changed.txt"))   # the consumer took the list
    rc, out, err = run("feed", "sync", "nvd", "--until", "2026-04-01T00:00:00Z", data=d1)
    new = W.nvd_requests()[n_before:]
    check(rc == 0 and new and ts(new[0][2]["lastModStartDate"]) == ts(UNTIL) and
          all(ts(e[2]["lastModStartDate"]) >= ts(UNTIL) for e in new), "second sync starts at the high-water mark",
          [e[2] for e in new] + [out, err])
    check(len(new) == 1, "one window, one page for 90 days", len(new))
    changed = open(os.path.join(d1, "sync", "nvd-changed.txt")).read().split()
    check(changed == in_range(UNTIL, "2026-04-01T00:00:00Z"), "only the new window's ids listed", changed)
    check("CVE-2026-9005" in changed, "the 2026 fixture record arrived", changed)
    # a sync without state and without --since is refused with the hint
    rc, out, err = run("feed", "sync", "nvd", data=os.path.join(d, "empty"))
    check(rc == 2 and "--since" in err, "first sync needs --since", err)

    # ---- 3. a sync killed after some pages resumes without refetching them ----
    d2 = os.path.join(d, "d2")
    n_before = len(W.nvd_requests())
    W.block_at = n_before + 5
    W.blocked.clear()
    W.released.clear()
    p = subprocess.Popen([BIN, "--data", d2, "feed", "sync", "nvd", "--since", SINCE, "--until", UNTIL], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    check(W.blocked.wait(30), "the sync reached the 5th request")
    p.send_signal(signal.SIGKILL)
    p.wait()
    W.block_at = None
    W.released.set()
    first = [(e[2]["lastModStartDate"], e[2]["startIndex"]) for e in W.nvd_requests()[n_before:]]
    saved = sorted(os.listdir(os.path.join(d2, "sync", "nvd")))
    mid = json.load(open(os.path.join(d2, "sync", "nvd.json")))
    check(mid["pages_fetched"] == 4 and saved and not os.path.exists(os.path.join(d2, "vulndb.lfx")),
          "four pages fetched (non-empty ones saved), none imported, before the kill", (mid, saved))
    n_mid = len(W.nvd_requests())
    rc, out, err = run("feed", "sync", "nvd", data=d2)
    check(rc == 0 and "(resumed)" in out, "the killed sync resumes", out + err)
    second = [(e[2]["lastModStartDate"], e[2]["startIndex"]) for e in W.nvd_requests()[n_mid:]]
    check(not set(first[:4]) & set(second), "pages saved before the kill are not fetched again",
          (first, second))
    check(set(first) | set(second) == set((e[2]["lastModStartDate"], e[2]["startIndex"]) for e in ok),
          "together the two runs asked for exactly the pages of the uninterrupted run")
    st2 = status(d2)
    check(st2.get("documents") == st1.get("documents") and st2.get("digest") == st1.get("digest"),
          "the resumed sync ends with the same index as the uninterrupted one",
          (st1.get("documents"), st1.get("digest"), st2.get("documents"), st2.get("digest")))
    changed2 = open(os.path.join(d2, "sync", "nvd-changed.txt")).read().split()
    check(changed2 == sorted(set(expect_ids)), "resumed sync lists every changed id once", len(changed2))

    # ---- 4. KEV: conditional GET, 304 -> no re-import ----
    kev_path = os.path.join(SHARED, "kev", "known_exploited_vulnerabilities.json") if SHARED else ""
    W.kev = open(kev_path if kev_path and os.path.exists(kev_path) else os.path.join(FX, "kev", "kev-small.json"),
                 "rb").read()
    rc, out, err = run("feed", "sync", "kev", "--url", BASE + "/kev.json", data=d1)
    check(rc == 0 and "catalog imported" in out, "kev sync imports", out + err)
    st = status(d1)
    check(st.get("kev", 0) >= 1, "index has the KEV catalog", st)
    mtime = os.stat(os.path.join(d1, "vulndb.lfx")).st_mtime_ns
    n_before = len(W.log)
    rc, out, err = run("feed", "sync", "kev", "--url", BASE + "/kev.json", data=d1)
    check(W.log[n_before][3].get("if-none-match") == W.kev_etag, "second KEV sync sends If-None-Match",
          W.log[n_before][3])
    check(rc == 0 and "not modified" in out, "304 reported", out + err)
    check(os.stat(os.path.join(d1, "vulndb.lfx")).st_mtime_ns == mtime, "304: the index is not rewritten")

    # ---- 5. CSAF provider: changes.csv, digests, ROLIE, bad checksum, second sync ----
    docs = []
    if SHARED and os.path.isdir(os.path.join(SHARED, "csaf")):
        for name in sorted(os.listdir(os.path.join(SHARED, "csaf")))[:4]:
            if name.endswith(".json"):
                docs.append((name, open(os.path.join(SHARED, "csaf", name), "rb").read()))
    # a statement with a vulnerability, so the import into the index is seen without shared data
    docs.append(("lf-test-2023-0286.json", open(os.path.join(FX, "csaf", "vendor-statement.json"), "rb").read()))
    docs.append(("ex-2024-0001.json", open(os.path.join(FX, "sync", "csaf-min.json"), "rb").read()))
    rows = []
    for i, (name, body) in enumerate(docs):
        path = f"/.well-known/csaf/white/2024/{name}"
        W.files[path] = body
        if i % 2 == 0:
            W.files[path + ".sha256"] = (hashlib.sha256(body).hexdigest() + "  " + name + "\n").encode()
        else:
            W.files[path + ".sha512"] = (hashlib.sha512(body).hexdigest() + "  " + name + "\n").encode()
        rows.append((f"2024/{name}", f"2024-05-{10 + i:02d}T08:00:00Z"))
    bad = "/.well-known/csaf/white/2024/tampered.json"
    W.files[bad] = docs[-1][1].replace(b"Minimal", b"Tampered")
    W.files[bad + ".sha256"] = (hashlib.sha256(docs[-1][1]).hexdigest() + "  tampered.json\n").encode()
    rows.append(("2024/tampered.json", "2024-05-30T08:00:00Z"))
    W.files["/.well-known/csaf/white/changes.csv"] = "".join(
        f'"{p}","{t}"\n' for p, t in reversed(rows)).encode()
    rolie_doc = "/.well-known/csaf/rolie/ex-rolie-1.json"
    W.files[rolie_doc] = docs[-1][1].replace(b"EX-2024-0001", b"EX-2024-0002")
    W.files["/.well-known/csaf/rolie/feed.json"] = json.dumps({"feed": {"id": "x", "title": "t", "entry": [
        {"id": "EX-2024-0002", "updated": "2024-06-01T00:00:00Z",
         "link": [{"rel": "self", "href": BASE + rolie_doc}]}]}}).encode()
    W.files["/.well-known/csaf/provider-metadata.json"] = json.dumps({
        "canonical_url": BASE + "/.well-known/csaf/provider-metadata.json", "metadata_version": "2.0",
        "role": "csaf_trusted_provider", "last_updated": "2024-06-01T00:00:00Z",
        "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
        "distributions": [{"directory_url": BASE + "/.well-known/csaf/white/"},
                          {"rolie": {"feeds": [{"tlp_label": "WHITE", "url": BASE + "/.well-known/csaf/rolie/feed.json"}]}}],
    }).encode()
    d3 = os.path.join(d, "d3")
    rc, out, err = run("feed", "sync", "csaf", BASE + "/.well-known/csaf/provider-metadata.json", data=d3)
    saved = out.split()
    check(rc == 1, "csaf sync with a bad checksum exits 1", out + err)
    check(len(saved) == len(docs) + 1 and all(os.path.exists(s) for s in saved), "every good document saved",
          out + err)
    rc2, st_out, st_err = run("feed", "status", "--json", data=d3)
    try:
        n_csaf = json.loads(st_out)["sources"]["csaf"]
    except (ValueError, KeyError):
        n_csaf = -1
    check(rc2 == 0 and n_csaf > 0, "the synced CSAF documents are imported into the index", st_out + st_err + err)
    host_dir = os.path.join(d3, "csaf", "127.0.0.1")
    check(all(s.startswith(host_dir + "/") for s in saved), "saved under <data>/csaf/<host>/", saved)
    for name, body in docs:
        f = os.path.join(host_dir, ".well-known", "csaf", "white", "2024", name)
        check(os.path.exists(f) and open(f, "rb").read() == body, f"{name} saved byte for byte")
    check(not os.path.exists(os.path.join(host_dir, ".well-known/csaf/white/2024/tampered.json")),
          "the tampered document is not kept")
    check("tampered.json" in err and "mismatch" in err, "the bad checksum is reported", err)
    check(os.path.exists(os.path.join(host_dir, ".well-known/csaf/rolie/ex-rolie-1.json")), "ROLIE entry saved")
    n_before = len(W.log)
    rc, out, err = run("feed", "sync", "csaf", BASE + "/.well-known/csaf/provider-metadata.json", data=d3)
    again = [e[1] for e in W.log[n_before:]]
    check(out.split() == [] and not any(p.endswith(".json") and "tampered" not in p and "provider-metadata" not in p
                                        and "feed.json" not in p for p in again),
          "a second csaf sync fetches no document it already has", again)
    check(any("tampered.json" in p for p in again), "the failed document is retried", again)
    # a good copy published later is taken
    W.files[bad + ".sha256"] = (hashlib.sha256(W.files[bad]).hexdigest() + "\n").encode()
    rc, out, err = run("feed", "sync", "csaf", BASE + "/.well-known/csaf/provider-metadata.json", data=d3)
    check(rc == 0 and out.strip().endswith("tampered.json"), "fixed document is fetched on the next sync", out + err)

elapsed = time.monotonic() - t_all
check(elapsed < 60, "whole test under 60 s", elapsed)
srv.shutdown()
print(f"test_sync: {elapsed:.1f} s")
check.finish()
