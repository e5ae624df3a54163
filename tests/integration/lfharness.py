"""lfharness: what the integration tests share, so each test says only what it checks.

  check = Checks()                      check(cond, what, detail); check.finish(lf.errlog) exits
  lf = Instance(BIN, "lf-x-", env)      a fresh data directory (removed at exit)
  lf.run("feed", "import", ...)         the binary on it (--quiet unless quiet=False)
  lf.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
  lf.serve()                            the real `lianfang serve --port 0`; lf.port, lf.errlog
  c = Client(lf.port); c.login(...)     JSON requests with the session cookie and CSRF token
                                        (c.try_login: the answer of a login that may fail)
  Client(lf.port, token=t[, basic=True])  an API token as Bearer (or HTTP Basic)
  Client(lf.port, media=TAXII, ...)     TAXII media types on /taxii2/ (see Client)
  st, js = c.req(...)                   or c.send(...) for (status, JSON, response, body bytes)
  lf.stop()
  run = Cli(BIN); rc, out, err = run("feed", "status", data=d)   one command, any data directory
  recs, report = normalize(run, check, FILE, data)   `inventory normalize --json`: records by name
  sample_app_products(NVD) / cpe_hosts(products, n, per, seed)   inventories of a feed's products
  types, samples, problems = parse_metrics(text)   /metrics parsed strictly (text format 0.0.4)
  metric(samples, "lianfang_uploads_total", result="stored")   one sample's value, or None
  c.metrics()                           GET /metrics and parse_metrics of its body

Python standard library only; each test imports it from its own directory."""
import atexit
import base64
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading


class Checks:
    """The tally of one test: a failed check prints what and why, the run goes on."""

    def __init__(self):
        self.passed = 0
        self.failures = 0

    def __call__(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failures += 1
            print(f"FAIL: {what}\n{str(detail)[:3000]}", file=sys.stderr)
        return bool(cond)

    def finish(self, log=None, lines=40):
        """Print the tally and exit 1 on a failure (0 otherwise); log: a server's stderr lines,
        the last of which are printed when something failed."""
        print(f"{self.passed} passed, {self.failures} failed")
        if self.failures and log is not None:
            print("".join(log[-lines:]), file=sys.stderr)
        sys.exit(1 if self.failures else 0)


def clean_env(**extra):
    """The environment without the caller's LIANFANG_* settings, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Instance:
    """One lianfang data directory, and the server on it once serve() is called."""

    def __init__(self, binary, prefix, env=None):
        self.bin = binary
        self.env = env if env is not None else clean_env()
        self.data = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, self.data, True)
        self.proc = None
        self.port = None
        self.errlog = []

    def run(self, *args, stdin=None, env=None, quiet=True):
        return subprocess.run([self.bin, "--data", self.data, *(["--quiet"] if quiet else []), *args], input=stdin,
                              capture_output=True, text=True, env=env or self.env, timeout=600)

    def add_user(self, login, role, org, email, password):
        r = self.run("user", "add", "--login", login, "--role", role, "--org", org, "--email", email,
                     stdin=password + "\n")
        assert r.returncode == 0, r.stderr
        return r

    def serve(self, *args, env=None):
        self.proc = subprocess.Popen([self.bin, "--data", self.data, "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env or self.env)
        atexit.register(lambda: self.proc.poll() is None and self.proc.kill())
        threading.Thread(target=lambda: self.errlog.extend(self.proc.stderr), daemon=True).start()
        m = re.match(r"lianfang: listening on http://127\.0\.0\.1:(\d+)/$", self.proc.stdout.readline().strip())
        assert m, "server did not start: " + "".join(self.errlog)
        self.port = int(m.group(1))
        return self.port

    def stop(self, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=timeout)


class Cli:
    """The binary for tests that run commands on directories of their own: each call is
    `binary [--data DATA] args...` and gives (exit code, stdout, stderr). env None inherits
    the caller's environment, as subprocess does. errors (e.g. "replace"): the output read
    as UTF-8 bytes decoded with that handler, line ends untouched, instead of as text."""

    def __init__(self, binary, env=None, timeout=300, errors=None):
        self.bin = binary
        self.env = env
        self.timeout = timeout
        self.errors = errors

    def __call__(self, *args, data=None, stdin=None, env=None, timeout=None):
        p = subprocess.run([self.bin, *(["--data", data] if data else []), *args], input=stdin, capture_output=True,
                           text=not self.errors, env=env if env is not None else self.env,
                           timeout=timeout or self.timeout)
        if self.errors:
            return p.returncode, p.stdout.decode("utf-8", self.errors), p.stderr.decode("utf-8", self.errors)
        return p.returncode, p.stdout, p.stderr


CLIENT = object()   # an argument left to the Client's own setting


METRIC_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({METRIC_NAME})(\{{(?:{LABEL}(?:,{LABEL})*)?\}})? (\S+)$")


def parse_labels(text):
    return dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', text or ""))


def parse_metrics(text):
    """Parse Prometheus text format 0.0.4 strictly: (families {name: type}, samples [(name,
    {labels}, value)], problems [text]). A problem: a line that is no HELP, TYPE or
    `name{labels} value`, a bad value, a second TYPE, a family without HELP, a sample before
    its family's TYPE or away from its family's group (a histogram's or summary's _bucket,
    _sum and _count belong to it)."""
    types, helps, samples, problems = {}, set(), [], []
    current = None
    for n, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        if line.startswith("# HELP "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not re.fullmatch(METRIC_NAME, parts[2]):
                problems.append(f"line {n}: bad HELP: {line}")
            helps.add(parts[2])
            continue
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                problems.append(f"line {n}: bad TYPE: {line}")
            elif parts[2] in types:
                problems.append(f"line {n}: second TYPE for {parts[2]}")
            else:
                types[parts[2]] = parts[3]
                current = parts[2]
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            problems.append(f"line {n}: not `name{{labels}} value`: {line}")
            continue
        name, labels, value = m.group(1), parse_labels(m.group(2)), m.group(3)
        try:
            v = float(value)
        except ValueError:
            problems.append(f"line {n}: bad value {value}")
            continue
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        family = base if types.get(base) in ("histogram", "summary") else name
        if family not in types:
            problems.append(f"line {n}: sample {name} before (or without) its TYPE")
        elif family != current:
            problems.append(f"line {n}: sample {name} away from its family's group (after {current})")
        samples.append((name, labels, v))
    for fam in types:
        if fam not in helps:
            problems.append(f"family {fam} has no HELP")
    return types, samples, problems


def metric(samples, name, **labels):
    """The value of the sample name{labels} with exactly these labels, None when there is none."""
    vals = [v for n, lab, v in samples if n == name and lab == labels]
    return vals[0] if len(vals) == 1 else None


class Client:
    """One user agent of the JSON API: keeps the session cookie and the CSRF token, or
    sends an API token (Bearer, or Basic with basic=True). media: a TAXII media type sent
    as the body's type on /taxii2/ paths, and as Accept there unless accept says otherwise.
    accept: the Accept header of every request (a request's accept= overrides it, None
    sends none). json_only: read the body as JSON only when the answer says it is JSON."""

    def __init__(self, port, token=None, basic=False, media=None, accept=None, json_only=False, timeout=120):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.token = token
        self.basic = basic
        self.media = media
        self.accept = accept
        self.json_only = json_only
        self.timeout = timeout

    def send(self, method, path, body=None, raw=None, headers=None, csrf=True, ctype=None, accept=CLIENT,
             timeout=None):
        """The whole answer: (status, JSON or None, the response for its headers, body bytes).
        raw: bytes sent as ctype (text/plain unless told) instead of body as JSON; csrf=False
        leaves the CSRF token out; accept: this request's Accept (None: none); headers are
        added last."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.timeout)
        h = {}
        if self.token and self.basic:
            h["Authorization"] = "Basic " + base64.b64encode(("taxii:" + self.token).encode()).decode()
        elif self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = "lf_session=" + self.cookie
        if csrf and self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        taxii = self.media and path.startswith("/taxii2/")
        if accept is CLIENT:
            accept = self.accept or (self.media if taxii else None)
        if accept is not None:
            h["Accept"] = accept
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h["Content-Type"] = ctype or (self.media if taxii else "application/json" if raw is None else "text/plain")
        h.update(headers or {})
        c.request(method, path, body=data, headers=h)
        resp = c.getresponse()
        text = resp.read()
        c.close()
        js = None
        if text and (not self.json_only or "json" in (resp.getheader("Content-Type") or "")):
            try:
                js = json.loads(text)
            except ValueError:
                js = None
        return resp.status, js, resp, text

    def req(self, method, path, body=None, raw=None, headers=None, timeout=None, **kw):
        """(status, JSON or None): send() without the response."""
        return self.send(method, path, body, raw, headers, timeout=timeout, **kw)[:2]

    def metrics(self):
        """GET /metrics: parse_metrics of the answer (its status must be 200)."""
        st, _, _, text = self.send("GET", "/metrics", accept=None)
        assert st == 200, f"/metrics: {st}"
        return parse_metrics(text.decode())

    def try_login(self, login, pw, timeout=None):
        """POST /api/v1/session: (status, JSON, response); the session is kept on 200."""
        st, js, resp, _ = self.send("POST", "/api/v1/session", {"login": login, "password": pw},
                                    accept=None, timeout=timeout)
        m = re.match(r"lf_session=([0-9a-f]+)", resp.getheader("Set-Cookie") or "")
        if st == 200 and m:
            self.cookie = m.group(1)
            self.csrf = js["csrf_token"]
        return st, js, resp

    def county(self, code):
        """The id of the county/city whose code this is (TW-TPE), found from the caller's own
        org down through its regions."""
        st, me = self.req("GET", "/api/v1/me")
        st, regions = self.req("GET", f"/api/v1/orgs/{me['org']['id']}/children?limit=500")
        for rg in regions["items"]:
            st, cj = self.req("GET", f"/api/v1/orgs/{rg['id']}/children?limit=500")
            for c in cj["items"]:
                if c["code"] == code:
                    return c["id"]
        raise AssertionError(f"no county {code} under {me['org']['code']}")

    def login(self, login, pw):
        """try_login that must succeed: the JSON answer."""
        st, js, resp = self.try_login(login, pw, timeout=30)
        assert st == 200 and re.match(r"lf_session=[0-9a-f]+", resp.getheader("Set-Cookie") or ""), \
            f"login {login}: {st} {js}"
        return js


def national_server(binary, prefix, nvd=None, env=None, timeout=300):
    """A fresh data directory (with the NVD file nvd imported, if given), a national admin
    (admin / admin-pass-1), the server on it and a logged-in Client: (Instance, Client)."""
    inst = Instance(binary, prefix, env)
    if nvd:
        r = inst.run("feed", "import", "nvd", nvd)
        assert r.returncode == 0, r.stderr
    inst.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
    inst.serve()
    c = Client(inst.port, timeout=timeout)
    c.login("admin", "admin-pass-1")
    return inst, c


def normalize(run, check, path, data):
    """`inventory normalize --json PATH` on data: ({record name: record}, report) of its one
    file, or ({}, {}) after a failed check saying what came back."""
    rc, out, err = run("inventory", "normalize", "--json", path, data=data)
    try:
        f = json.loads(out)["files"][0]
        return {r["name"]: r for r in f["records"]}, f["report"]
    except (ValueError, KeyError, IndexError) as e:
        check(False, "inventory normalize --json prints the records", f"{rc} {e}\n{out[:800]}\n{err}")
        return {}, {}


def sample_app_products(nvd_path):
    """The (vendor, product) pairs of the vulnerable application criteria of an NVD page
    (plain or .gz), sorted."""
    import gzip
    opener = gzip.open if nvd_path.endswith(".gz") else open
    with opener(nvd_path, "rt") as f:
        page = json.load(f)
    crit = set()
    for v in page["vulnerabilities"]:
        for cfg in v["cve"].get("configurations", []):
            for node in cfg["nodes"]:
                for cm in node["cpeMatch"]:
                    p = cm["criteria"].split(":")
                    if cm.get("vulnerable") and p[2] == "a" and len(p) == 13:
                        crit.add((p[3], p[4]))
    return sorted(crit)


def cpe_hosts(products, nhosts, per_host, seed):
    """nhosts hosts {"host", "cpes"} of per_host distinct CPEs of those products, at
    versions 0.0-9.20 (inside and outside their ranges), from a fixed seed."""
    import random
    rnd = random.Random(seed)
    hosts = []
    for h in range(nhosts):
        items = set()
        while len(items) < per_host:
            v, p = rnd.choice(products)
            items.add(f"cpe:2.3:a:{v}:{p}:{rnd.randint(0, 9)}.{rnd.randint(0, 20)}:*:*:*:*:*:*:*")
        hosts.append({"host": f"host-{h:05d}", "cpes": sorted(items)})
    return hosts
