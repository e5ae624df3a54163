#!/usr/bin/env python3
"""Integration test of `lianfang serve`: the real binary on a loopback port chosen by the
kernel (--port 0, the port read from the "listening on" line), a fresh data directory.
Covers /healthz, /metrics (parsed as Prometheus text format 0.0.4: HELP/TYPE before the
samples, every sample `name{labels} value`, histogram buckets cumulative and ending in
+Inf equal to _count; uploads counted by outcome, rows and duration after one stored and
three refused; every family listed in docs/api.md), /api/v1/version, 404/405/413 with the JSON error body, security
headers on every response, keep-alive, HEAD and OPTIONS, configuration from a file and
the environment (and errors located by file:line), a TLS run with a self-signed
certificate made here with `openssl req`, a port already in use, and SIGTERM/SIGINT ->
exit 0 within 2 s."""
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from lfharness import Checks, Client, clean_env, metric, parse_metrics

BIN = sys.argv[1]
check = Checks()


STARTED = []


@atexit.register
def _kill_leftovers():
    """A test that dies half-way must not leave servers running."""
    for p in STARTED:
        if p.poll() is None:
            p.kill()


class Server:
    """A running `lianfang serve`; stderr is collected by a thread so it never blocks."""

    def __init__(self, data, *args, env=None):
        self.proc = subprocess.Popen([BIN, "--data", data, "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env or clean_env())
        STARTED.append(self.proc)
        self.err = []
        threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True).start()
        self.line = self.proc.stdout.readline()   # blocks until printed or the process exits
        m = re.match(r"lianfang: listening on (https?)://127\.0\.0\.1:(\d+)/$", self.line.strip())
        self.scheme = m.group(1) if m else None
        self.port = int(m.group(2)) if m else None

    def stderr(self):
        return "".join(self.err)

    def stop(self, sig=signal.SIGTERM):
        """Send sig; return (exit status, seconds until exit)."""
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        return rc, time.monotonic() - t0


def conn(srv, tls_ctx=None):
    if tls_ctx:
        return http.client.HTTPSConnection("127.0.0.1", srv.port, context=tls_ctx, timeout=10)
    return http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)


def get(srv, method, path, body=None, headers=None, tls_ctx=None):
    c = conn(srv, tls_ctx)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def wait_healthy(srv, tls_ctx=None):
    for _ in range(100):
        try:
            st, _, body = get(srv, "GET", "/healthz", tls_ctx=tls_ctx)
            if st == 200:
                return json.loads(body)
        except OSError:
            pass
        time.sleep(0.05)
    return None


SECURITY = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}


def check_security_headers(h, what):
    for k, v in SECURITY.items():
        check(h.get(k) == v, f"{what}: {k}: {v}", repr(h))
    check("frame-ancestors 'none'" in h.get("content-security-policy", ""), f"{what}: CSP", repr(h))
    check(re.fullmatch(r"[A-Za-z0-9._:-]{1,63}", h.get("x-request-id", "")) is not None, f"{what}: X-Request-Id",
          repr(h))


def check_error(st, h, body, status, code, what):
    check(st == status, f"{what}: status {status}", f"{st} {body!r}")
    check(h.get("content-type") == "application/json; charset=utf-8", f"{what}: JSON content type", repr(h))
    try:
        e = json.loads(body)["error"]
        check(e["code"] == code and isinstance(e["message"], str) and e["message"], f"{what}: error body", body)
        check(e.get("request_id") == h.get("x-request-id"), f"{what}: request id in the body", body)
    except (ValueError, KeyError, TypeError):
        check(False, f"{what}: error body is JSON", repr(body))
    check_security_headers(h, what)


# every histogram the server writes, with its bucket bounds (seconds)
BOUNDS = {"lianfang_http_request_duration_seconds": [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0],
          "lianfang_upload_seconds": [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0]}


def check_histograms(types, samples, what):
    for fam, t in types.items():
        if t != "histogram":
            continue
        check(fam in BOUNDS, f"{what}: {fam} is a histogram this test knows", repr(sorted(BOUNDS)))
        series = {}
        for name, labels, v in samples:
            if name == fam + "_bucket":
                key = tuple(sorted((k, x) for k, x in labels.items() if k != "le"))
                series.setdefault(key, []).append((labels.get("le"), v))
        check(series, f"{what}: {fam} has buckets")
        for key, buckets in series.items():
            les = [le for le, _ in buckets]
            check(les[-1] == "+Inf", f"{what}: {fam}{key} ends in +Inf", repr(les))
            bounds = [float(le) for le in les[:-1]]
            check(bounds == sorted(bounds) and bounds == BOUNDS.get(fam), f"{what}: {fam}{key} bucket bounds",
                  repr(les))
            vals = [v for _, v in buckets]
            check(all(a <= b for a, b in zip(vals, vals[1:])), f"{what}: {fam}{key} cumulative", repr(vals))
            count = [v for name, labels, v in samples if name == fam + "_count"
                     and tuple(sorted(labels.items())) == key]
            sums = [v for name, labels, v in samples if name == fam + "_sum" and tuple(sorted(labels.items())) == key]
            check(count == [vals[-1]], f"{what}: {fam}{key} _count equals +Inf", f"{count} {vals}")
            check(len(sums) == 1 and sums[0] >= 0, f"{what}: {fam}{key} _sum", repr(sums))


def raw_request(port, data, tls_ctx=None):
    """Send raw bytes, return the whole answer (the server closes after a 413)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if tls_ctx:
        s = tls_ctx.wrap_socket(s, server_hostname="localhost")
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            if b"\r\n\r\n" in out:
                head, _, rest = out.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
    except OSError:
        pass
    s.close()
    return out


with tempfile.TemporaryDirectory() as d:
    data = os.path.join(d, "data")

    # ---- a plain run with the defaults ----
    srv = Server(data)
    check(srv.port is not None and srv.port > 0, "listening line with the chosen port", srv.line + srv.stderr())
    if srv.port is None:
        srv.proc.kill()
        check.finish()
    check(srv.scheme == "http", "plain http by default", srv.line)
    check(os.path.isdir(os.path.join(data, "tmp")), "data dir and its tmp/ created")
    health = wait_healthy(srv)
    checks = health.get("checks", {})
    checks = list(checks.values()) if isinstance(checks, dict) else checks
    check(health.get("status") == "ok" and all(isinstance(c, dict) and c.get("status") == "ok" for c in checks),
          "/healthz says ok, and every check it lists is ok", repr(health))

    st, h, body = get(srv, "GET", "/healthz")
    check_security_headers(h, "/healthz")
    check(h.get("cache-control") == "no-store", "/healthz no-store", repr(h))

    st, h, body = get(srv, "GET", "/api/v1/version")
    check(st == 200, "version 200", body)
    v = json.loads(body)
    check(v["name"] == "lianfang" and re.fullmatch(r"\d+\.\d+\.\d+", v["version"]) and v["api"] == "v1",
          "version body", body)
    check(h.get("cache-control") == "no-store", "/api no-store", repr(h))
    check_security_headers(h, "/api/v1/version")
    check("strict-transport-security" not in h, "no HSTS without TLS", repr(h))

    # HEAD: headers of the GET, no body; OPTIONS: 204 with Allow
    st, h2, body2 = get(srv, "HEAD", "/api/v1/version")
    check(st == 200 and body2 == b"" and h2.get("content-length") == str(len(body)), "HEAD", f"{st} {h2} {body2!r}")
    st, h2, body2 = get(srv, "OPTIONS", "/api/v1/version")
    check(st == 204 and h2.get("allow") == "GET, HEAD, OPTIONS", "OPTIONS", f"{st} {h2}")

    # keep-alive: several requests on one connection, request ids all different
    c = conn(srv)
    ids = []
    for path in ("/api/v1/version", "/nope", "/healthz", "/api/v1/version"):
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        ids.append(r.getheader("X-Request-Id"))
        check(r.getheader("Connection", "").lower() != "close", f"keep-alive after GET {path}", repr(r.getheaders()))
    c.close()
    check(len(set(ids)) == 4, "request ids unique", repr(ids))

    # 404 / 405 / 413
    st, h, body = get(srv, "GET", "/api/v1/nothing")
    check_error(st, h, body, 404, "not_found", "404")
    st, h, body = get(srv, "GET", "/api/v1/version/")
    check_error(st, h, body, 404, "not_found", "404 for a trailing slash")
    st, h, body = get(srv, "DELETE", "/api/v1/version")
    check_error(st, h, body, 405, "method_not_allowed", "405")
    check(h.get("allow") == "GET, HEAD, OPTIONS", "405 Allow", repr(h))
    st, h, body = get(srv, "POST", "/metrics", body=b"{}", headers={"Content-Type": "application/json"})
    check_error(st, h, body, 405, "method_not_allowed", "405 with a small body")
    # default limit 1 MiB: announced as larger -> 413 before any body byte is sent
    ans = raw_request(srv.port, b"POST /api/v1/version HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                b"Content-Length: 1048577\r\n\r\n")
    head, _, body = ans.partition(b"\r\n\r\n")
    hd = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in head.decode("latin-1").split("\r\n")[1:])}
    check(head.startswith(b"HTTP/1.1 413 "), "413 from Content-Length", repr(ans[:300]))
    check_error(413, hd, body, 413, "payload_too_large", "413")
    # exactly at the limit is read (and then refused for its method, not its size)
    st, h, body = get(srv, "POST", "/api/v1/version", body=b"x" * (1 << 20))
    check(st == 405, "a body of exactly max_body is not 413", f"{st} {body!r}")
    # a bad percent-encoding
    st, h, body = get(srv, "GET", "/api/v1/%FF")
    check_error(st, h, body, 400, "bad_request", "400 for invalid UTF-8 in the path")

    # uploads for /metrics to count by outcome: one stored (no index here: stored, not
    # matched), three refused for their input, and one by a caller refused before it started;
    # by a national admin added beside the running server (the data directory is its own)
    p = subprocess.run([BIN, "--data", data, "--quiet", "user", "add", "--login", "admin", "--role", "national_admin",
                        "--org", "TW", "--email", "a@example.gov.tw"], input="admin-pass-1\n", capture_output=True,
                       text=True, env=clean_env(), timeout=60)
    check(p.returncode == 0, "user add", p.stderr)
    admin = Client(srv.port)
    admin.login("admin", "admin-pass-1")
    st, ag = admin.req("POST", f"/api/v1/orgs/{admin.county('TW-TPE')}/agencies",
                       {"code": "TPE-M", "name_zh": "測試機關", "name_en": "Metrics agency", "level": "B"})
    check(st == 201, "an agency for the uploads", ag)
    agency = ag["id"] if st == 201 else 0
    inv = ("# host: pc-01\n"
           "cpe:2.3:a:widgetd:widgetd:1.5:*:*:*:*:*:*:*\n"
           "cpe:2.3:a:gadgetd:gadgetd:4.2:*:*:*:*:*:*:*\n"
           "cpe:2.3:a:doodad:doodad:3.0:*:*:*:*:*:*:*\n").encode()
    uploads = f"/api/v1/agencies/{agency}/uploads"
    st, up = admin.req("POST", uploads + "?month=2026-11&file_name=pc-01.txt", raw=inv)
    check(st == 201 and up["upload"]["report"]["records_in"] == 3, "upload stored: 3 records", up)
    st, js = admin.req("POST", uploads + "?month=2026-11", raw=b"")
    check(st == 422, "an empty upload is refused", js)
    st, js = admin.req("POST", uploads + "?month=2026-11&file_name=x.xlsx", raw=b"PK\x03\x04 not a workbook")
    check(st == 422, "a malformed upload is refused", js)
    st, js = admin.req("POST", uploads + "?month=2026-13", raw=inv)
    check(st == 400, "an upload for no month is refused", js)
    st, js = Client(srv.port).req("POST", uploads + "?month=2026-11", raw=inv)
    check(st == 401, "an upload without credentials is refused before it starts", js)

    # /metrics: strict parse, our families, counts we caused, histogram shape. Requests are
    # counted when their connection has finished sending, which for the closed 413
    # connection can trail the client by a moment: read until nothing else is in flight.
    for _ in range(50):
        st, h, body = get(srv, "GET", "/metrics")
        if re.search(rb"^lianfang_http_requests_in_flight 1$", body, re.M):
            break
        time.sleep(0.02)
    check(st == 200 and h.get("content-type") == "text/plain; version=0.0.4; charset=utf-8", "metrics type",
          repr(h))
    check_security_headers(h, "/metrics")
    text = body.decode()
    types, samples, problems = parse_metrics(text)
    check(not problems, "metrics parse", "\n".join(problems[:20]))
    for fam, t in (("lianfang_http_requests_total", "counter"), ("lianfang_http_request_duration_seconds", "histogram"),
                   ("lianfang_http_requests_in_flight", "gauge"), ("lianfang_build_info", "gauge")):
        check(types.get(fam) == t, f"metrics family {fam} {t}", repr(types))
    got = {(labels.get("method"), labels.get("route"), labels.get("status")): val for name, labels, val in samples
           if name == "lianfang_http_requests_total"}
    check(got.get(("GET", "/api/v1/version", "200"), 0) >= 3, "version 200 counted", repr(got))
    check(got.get(("any", "unmatched", "404"), 0) >= 3, "404s counted as unmatched", repr(got))
    check(got.get(("any", "unmatched", "405"), 0) >= 3, "405s counted", repr(got))
    check(got.get(("any", "unmatched", "413"), 0) == 1, "413 counted", repr(got))
    inflight = [v for n, _, v in samples if n == "lianfang_http_requests_in_flight"]
    check(inflight == [1.0], "in-flight is this request", repr(inflight))
    check_histograms(types, samples, "/metrics")
    # the uploads above by outcome (the refused caller made none), the stored one's records
    # and duration; and the re-match families, without a run: no index, nothing to match
    for fam, t in (("lianfang_uploads_total", "counter"), ("lianfang_upload_seconds", "histogram"),
                   ("lianfang_upload_rows_total", "counter"), ("lianfang_rematch_runs_total", "counter"),
                   ("lianfang_rematch_seconds", "summary"), ("lianfang_rematch_last_duration_seconds", "gauge"),
                   ("lianfang_rematch_last_success_timestamp_seconds", "gauge")):
        check(types.get(fam) == t, f"metrics family {fam} {t}", repr(types))
    outcomes = {labels.get("result"): v for name, labels, v in samples if name == "lianfang_uploads_total"}
    check(outcomes == {"stored": 1, "rejected": 3, "busy": 0, "failed": 0}, "uploads counted by outcome",
          repr(outcomes))
    check(metric(samples, "lianfang_upload_rows_total") == 3, "the stored upload's 3 records counted",
          repr(metric(samples, "lianfang_upload_rows_total")))
    count, total = metric(samples, "lianfang_upload_seconds_count"), metric(samples, "lianfang_upload_seconds_sum")
    check(count == 1 and total is not None and total > 0, "the stored upload timed: _count 1, _sum > 0",
          f"{count} {total}")
    runs = {labels.get("result"): v for name, labels, v in samples if name == "lianfang_rematch_runs_total"}
    check(runs == {"ok": 0, "failed": 0} and metric(samples, "lianfang_rematch_seconds_count") == 0 and
          metric(samples, "lianfang_rematch_last_success_timestamp_seconds") == 0, "no re-match without an index",
          repr(runs))
    # docs/api.md lists every family the server writes
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(src, "docs", "api.md"), encoding="utf-8") as f:
        api_md = f.read()
    missing = [fam for fam in types if not re.search("`" + re.escape(fam) + "[`{]", api_md)]
    check(not missing, "every metric family is in docs/api.md", repr(missing))

    # access log lines on stderr
    rc, secs = srv.stop(signal.SIGTERM)
    check(rc == 0, "SIGTERM -> exit 0", f"rc={rc}\n{srv.stderr()}")
    check(secs < 2.0, "SIGTERM -> exit within 2 s", f"{secs:.2f}s")
    err = srv.stderr()
    check(re.search(r"^\S+Z 127\.0\.0\.1 GET /api/v1/version 200 [\d.]+ms \d+ \d+ \S+$", err, re.M) is not None,
          "access log line", err[-2000:])
    check("SIGTERM received" in err, "stop message", err[-500:])

    # ---- configuration: a file, the environment, errors ----
    conf = os.path.join(d, "lianfang.conf")
    with open(conf, "w") as f:
        f.write("# test\n[http]\nmax_body_mb = 2\naccess_log = off\n[nvd]\napi_key = sekrit\n")
    env = clean_env(LIANFANG_HTTP_MAX_BODY_MB="3", LIANFANG_HTTP_THREADS="2", LIANFANG_HTTP_PROT="1")
    p = subprocess.run([BIN, "--data", data, "serve", "--config", conf, "--port", "0", "--check"],
                       capture_output=True, text=True, env=env, timeout=30)
    check(p.returncode == 0, "serve --check", p.stdout + p.stderr)
    check("max_body_mb = 3   # $LIANFANG_HTTP_MAX_BODY_MB" in p.stdout, "env beats file in --check", p.stdout)
    check(f"access_log = off   # {conf}:4" in p.stdout, "file value with its line", p.stdout)
    check("port = 0   # command line" in p.stdout, "--port beats all", p.stdout)
    check("sekrit" not in p.stdout and 'api_key = "********"' in p.stdout, "secret masked", p.stdout)
    check("LIANFANG_HTTP_PROT" in p.stderr and "did you mean LIANFANG_HTTP_PORT" in p.stderr,
          "unknown variable warned", p.stderr)
    check(f"url = sqlite:{data}/lianfang.db" in p.stdout, "store.url from data.dir", p.stdout)

    # a thread pool from the environment, max_body from the file: 2 MiB + 1 -> 413, 2 MiB -> read
    srv = Server(data, "--config", conf, env=clean_env(LIANFANG_HTTP_THREADS="2"))
    check(wait_healthy(srv) is not None, "pool server healthy", srv.stderr())
    ans = raw_request(srv.port, b"POST /api/v1/version HTTP/1.1\r\nHost: t\r\nContent-Length: 2097153\r\n\r\n")
    check(ans.startswith(b"HTTP/1.1 413 "), "max_body_mb from the file", repr(ans[:200]))
    st, h, body = get(srv, "POST", "/api/v1/version", body=b"y" * (2 << 20))
    check(st == 405, "2 MiB accepted with max_body_mb = 2", f"{st}")
    # a second server on the same port cannot start
    p = subprocess.run([BIN, "--data", data, "serve", "--port", str(srv.port)], capture_output=True, text=True,
                       env=clean_env(), timeout=30)
    check(p.returncode == 2 and f"port {srv.port}" in p.stderr, "port in use -> exit 2 with a message",
          f"{p.returncode} {p.stderr}")
    rc, secs = srv.stop(signal.SIGINT)
    check(rc == 0 and secs < 2.0, "SIGINT -> exit 0 within 2 s", f"rc={rc} {secs:.2f}s")
    check(" GET /healthz " not in srv.stderr(), "access_log = off honoured", srv.stderr()[-500:])

    # errors: located by file and line, exit 2, nothing listening
    with open(conf, "w") as f:
        f.write("[http]\nport = 80\nprot = 81\n[htp]\n")
    p = subprocess.run([BIN, "--data", data, "serve", "--config", conf], capture_output=True, text=True,
                       env=clean_env(), timeout=30)
    check(p.returncode == 2, "bad config -> exit 2", p.stdout + p.stderr)
    check(f"{conf}:3: http.prot: unknown key (did you mean http.port?)" in p.stderr, "unknown key located",
          p.stderr)
    check(f"{conf}:4: unknown section [htp]" in p.stderr, "every error reported", p.stderr)
    p = subprocess.run([BIN, "--data", data, "serve"], capture_output=True, text=True,
                       env=clean_env(LIANFANG_HTTP_PORT="eighty"), timeout=30)
    check(p.returncode == 2 and "LIANFANG_HTTP_PORT" in p.stderr, "bad environment value -> exit 2", p.stderr)
    p = subprocess.run([BIN, "--data", data, "serve", "--port", "65536"], capture_output=True, text=True,
                       env=clean_env(), timeout=30)
    check(p.returncode == 2, "bad --port -> exit 2", p.stderr)
    p = subprocess.run([BIN, "serve", "--sample-config"], capture_output=True, text=True, env=clean_env(),
                       timeout=30)
    check(p.returncode == 0 and "[http]" in p.stdout and "LIANFANG_HTTP_PORT" in p.stdout, "sample config",
          p.stdout[:500])

    # ---- TLS with a self-signed certificate ----
    openssl = shutil.which("openssl")
    if not openssl:
        print("test_serve: openssl not found, TLS part skipped", file=sys.stderr)
    else:
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        p = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=localhost"], capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, "openssl req", p.stderr)
        with open(conf, "w") as f:
            f.write(f"[http]\ntls_cert = {cert}\ntls_key = {key}\n")
        # (one thread per connection here; the other runs used the pool)
        srv = Server(data, "--config", conf, env=clean_env(LIANFANG_HTTP_THREADS="0"))
        check(srv.scheme == "https", "listening line says https", srv.line + srv.stderr())
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if srv.port:
            check((wait_healthy(srv, ctx) or {}).get("status") == "ok", "healthz over TLS", srv.stderr())
            st, h, body = get(srv, "GET", "/api/v1/version", tls_ctx=ctx)
            check(st == 200 and json.loads(body)["api"] == "v1", "version over TLS", body)
            check_security_headers(h, "TLS")
            check(h.get("strict-transport-security", "").startswith("max-age="), "HSTS with TLS", repr(h))
            st, h, body = get(srv, "GET", "/nope", tls_ctx=ctx)
            check_error(st, h, body, 404, "not_found", "404 over TLS")
            ans = raw_request(srv.port, b"POST /api/v1/version HTTP/1.1\r\nHost: t\r\nContent-Length: 9999999\r\n\r\n",
                              tls_ctx=ctx)
            check(ans.startswith(b"HTTP/1.1 413 "), "413 over TLS", repr(ans[:200]))
            # plain HTTP to the TLS port gets no HTTP answer
            try:
                plain = raw_request(srv.port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            except OSError:
                plain = b""
            check(not plain.startswith(b"HTTP/1.1 200"), "no plain HTTP on the TLS port", repr(plain[:100]))
            st, h, body = get(srv, "GET", "/metrics", tls_ctx=ctx)
            types, samples, problems = parse_metrics(body.decode())
            check(not problems, "metrics over TLS parse", "\n".join(problems[:5]))
        rc, secs = srv.stop(signal.SIGTERM)
        check(rc == 0 and secs < 2.0, "TLS server: SIGTERM -> exit 0 within 2 s", f"rc={rc} {secs:.2f}s")
        # a key that does not belong to anything usable: refused at start
        with open(key, "w") as f:
            f.write("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        p = subprocess.run([BIN, "--data", data, "serve", "--config", conf, "--port", "0"], capture_output=True,
                           text=True, env=clean_env(), timeout=30)
        check(p.returncode == 2 and "cannot listen" in p.stderr, "bad TLS key -> exit 2", p.stderr)

check.finish()
