"""lfharness: what the integration tests share, so each test says only what it checks.

  check = Checks()                      check(cond, what, detail); check.finish() exits
  lf = Instance(BIN, "lf-x-", env)      a fresh data directory (removed at exit)
  lf.run("feed", "import", ...)         the binary on it (--quiet unless quiet=False)
  lf.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
  lf.serve()                            the real `lianfang serve --port 0`; lf.port, lf.errlog
  c = Client(lf.port); c.login(...)     JSON requests with the session cookie and CSRF token
  lf.stop()

Python standard library only; each test imports it from its own directory."""
import atexit
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

    def finish(self):
        print(f"{self.passed} passed, {self.failures} failed")
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


class Client:
    """One user agent of the JSON API: keeps the session cookie and the CSRF token, or
    sends an API token."""

    def __init__(self, port, token=None):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.token = token

    def req(self, method, path, body=None, raw=None, headers=None, timeout=120):
        """(status, JSON or None); raw: bytes sent as text/plain instead of body as JSON."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = "lf_session=" + self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h["Content-Type"] = "application/json" if raw is None else "text/plain"
        h.update(headers or {})
        c.request(method, path, body=data, headers=h)
        resp = c.getresponse()
        text = resp.read()
        c.close()
        try:
            js = json.loads(text) if text else None
        except ValueError:
            js = None
        return resp.status, js

    def login(self, login, pw):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", "/api/v1/session", body=json.dumps({"login": login, "password": pw}),
                  headers={"Content-Type": "application/json"})
        resp = c.getresponse()
        js = json.loads(resp.read())
        c.close()
        m = re.match(r"lf_session=([0-9a-f]+)", resp.getheader("Set-Cookie") or "")
        assert resp.status == 200 and m, f"login {login}: {resp.status} {js}"
        self.cookie = m.group(1)
        self.csrf = js["csrf_token"]
        return js
