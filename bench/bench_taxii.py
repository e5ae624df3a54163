#!/usr/bin/env python3
"""bench_taxii: the TAXII 2.1 server's two rates on the real `lianfang serve`. A fresh store
with one agency, an API token and a group collection; then
  ingest: POST envelopes of --batch indicators (each a distinct object with a STIX pattern,
          a TLP marking, labels) from --clients concurrent connections, objects stored per
          second over the whole run (validation, byte spans, SQLite inserts, status); target
          >= 10,000 objects/s;
  read:   page through every object with limit=--page (default version selection and the
          TLP view), objects returned per second; target >= 50,000 objects/s.
Each figure is printed with its ratio to the target, then the server's side of both (the
request durations of /metrics: time per request, objects per second of handler time).
Standard library only.

usage: bench_taxii.py BUILD_DIR [--objects 100000] [--batch 1000] [--clients 4] [--page 1000]"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--objects", type=int, default=100000)
ap.add_argument("--batch", type=int, default=1000)
ap.add_argument("--clients", type=int, default=4)
ap.add_argument("--page", type=int, default=1000)
args = ap.parse_args()
BIN = os.path.join(args.build, "lianfang")
TAXII = "application/taxii+json;version=2.1"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
DATA = tempfile.mkdtemp(prefix="lf-bench-taxii-")
proc = None
ENV = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
try:
    def run(*a, stdin=None):
        r = subprocess.run([BIN, "--data", DATA, "--quiet", *a], input=stdin, capture_output=True, text=True, env=ENV)
        assert r.returncode == 0, r.stderr
    run("user", "add", "--login", "admin", "--role", "national_admin", "--org", "TW", "--email", "a@x.tw",
        stdin="bench-pass-1\n")
    proc = subprocess.Popen([BIN, "--data", DATA, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=ENV)
    PORT = int(re.search(r":(\d+)/$", proc.stdout.readline().strip()).group(1))

    def req(method, path, body=None, h=None, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        c.request(method, path, body=body, headers=h or {})
        r = c.getresponse()
        data = r.read()
        if not conn:
            c.close()
        return r.status, data, r

    st, t, r = req("POST", "/api/v1/session", json.dumps({"login": "admin", "password": "bench-pass-1"}),
                   {"Content-Type": "application/json"})
    H = {"Cookie": re.match(r"(lf_session=[0-9a-f]+)", r.getheader("Set-Cookie")).group(1),
         "X-CSRF-Token": json.loads(t)["csrf_token"], "Content-Type": "application/json"}
    me = json.loads(req("GET", "/api/v1/me", h=H)[1])
    kids = json.loads(req("GET", f"/api/v1/orgs/{me['org']['id']}/children", h=H)[1])["items"]
    county = json.loads(req("GET", f"/api/v1/orgs/{kids[0]['id']}/children", h=H)[1])["items"][0]
    st, t, _ = req("POST", f"/api/v1/orgs/{county['id']}/agencies",
                   json.dumps({"code": "BENCH", "name_zh": "b", "name_en": "b", "level": "B"}), H)
    ag = json.loads(t)
    ag_id = ag["id"] if "id" in ag else ag["org"]["id"]
    tok = json.loads(req("POST", f"/api/v1/orgs/{ag_id}/tokens", json.dumps({"name": "bench"}), H)[1])["secret"]
    req("POST", "/api/v1/isac/groups", json.dumps({"code": "bench", "name": "b", "orgs": [county["code"]]}), H)
    coll = json.loads(req("POST", "/api/v1/isac/collections",
                          json.dumps({"title": "bench", "group": "bench", "can_read": "group", "can_write": "group",
                                      "default_tlp": "GREEN"}), H)[1])["id"]
    TH = {"Authorization": "Bearer " + tok, "Accept": TAXII, "Content-Type": TAXII}
    path = f"/taxii2/isac/collections/{coll}/objects/"

    def envelope(start, n):
        objs = []
        for i in range(start, start + n):
            objs.append({"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.UUID(int=i + 1, version=4)}",
                         "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                         "name": f"C2 {i}", "pattern": f"[ipv4-addr:value = '10.{i >> 16 & 255}.{i >> 8 & 255}."
                                                       f"{i & 255}'] OR [domain-name:value = 'c2-{i}.example.test']",
                         "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
                         "labels": ["c2", "bench"], "object_marking_refs": [GREEN]})
        return json.dumps({"objects": objs}).encode()

    nb = max(1, args.objects // args.batch)
    bodies = [envelope(k * args.batch, args.batch) for k in range(nb)]
    total = nb * args.batch
    lock = threading.Lock()
    todo = list(range(nb))
    bad = []

    def poster():
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        while True:
            with lock:
                if not todo:
                    break
                k = todo.pop()
            st, t, _ = req("POST", path, bodies[k], TH, conn=c)
            if st != 202 or json.loads(t)["success_count"] != args.batch:
                bad.append((st, t[:300]))
        c.close()

    def server_times():
        """(method, route) -> (seconds, requests) of the TAXII routes, from /metrics: the server's
        own time per request (headers in to response sent), without the client."""
        st, t, _ = req("GET", "/metrics", h=H)
        out = {}
        for m in re.finditer(r'^lianfang_http_request_duration_seconds_(sum|count)\{method="(\w+)",'
                             r'route="(/taxii2/[^"]*)"\} (\S+)$', t.decode(), re.M):
            k = (m.group(2), m.group(3))
            v = out.setdefault(k, [0.0, 0.0])
            v[0 if m.group(1) == "sum" else 1] = float(m.group(4))
        return out

    def server_delta(before, after, method):
        sec = sum(v[0] for k, v in after.items() if k[0] == method) - \
            sum(v[0] for k, v in before.items() if k[0] == method)
        n = sum(v[1] for k, v in after.items() if k[0] == method) - \
            sum(v[1] for k, v in before.items() if k[0] == method)
        return sec, n

    def settled(before, method, n):
        """/metrics once it counts all n requests: a request is counted just after its
        response goes out, so the last one may lag the client by a moment."""
        for _ in range(100):
            now = server_times()
            if server_delta(before, now, method)[1] >= n:
                break
            time.sleep(0.02)
        return now

    m0 = server_times()
    t0 = time.perf_counter()
    ths = [threading.Thread(target=poster) for _ in range(args.clients)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    ingest = time.perf_counter() - t0
    assert not bad, bad[:2]
    m1 = settled(m0, "POST", nb)

    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    got, nxt, pages = 0, None, 0
    while True:
        pages += 1
        q = f"?limit={args.page}" + (f"&next={nxt}" if nxt else "")
        st, t, _ = req("GET", path + q, h=TH, conn=c)
        js = json.loads(t)
        got += len(js["objects"])
        if not js["more"]:
            break
        nxt = js["next"]
    read = time.perf_counter() - t0
    assert got == total, (got, total)
    m2 = settled(m1, "GET", pages)
    ing_s, ing_n = server_delta(m0, m1, "POST")
    rd_s, rd_n = server_delta(m1, m2, "GET")
    proc.terminate()
    proc.wait(timeout=30)
    ir, rr = total / ingest, total / read
    print(f"taxii ingest: {total} objects in {nb} envelopes of {args.batch}, {args.clients} clients: {ingest:.2f} s, "
          f"{ir:,.0f} objects/s (target 10,000: x{ir / 10000:.2f})")
    print(f"taxii read:   {total} objects in pages of {args.page}: {read:.2f} s, {rr:,.0f} objects/s "
          f"(target 50,000: x{rr / 50000:.2f})")
    # server side: the handlers' own time (summed over concurrent requests), so the rate one
    # server thread sustains, and the mean time per request
    if ing_n and rd_n and ing_s > 0 and rd_s > 0:
        print(f"taxii server: ingest {ing_n:.0f} requests, {ing_s:.2f} s summed, {ing_s / ing_n * 1000:.1f} ms each, "
              f"{total / ing_s:,.0f} objects per server-second; read {rd_n:.0f} requests, {rd_s:.2f} s summed, "
              f"{rd_s / rd_n * 1000:.1f} ms each, {total / rd_s:,.0f} objects per server-second")
    else:
        print("taxii server: no request durations in /metrics", file=sys.stderr)
finally:
    if proc and proc.poll() is None:
        proc.kill()
    shutil.rmtree(DATA, True)
