#!/usr/bin/env python3
"""Interoperability with the OASIS reference TAXII 2.1 implementations (issue 6), run only where
they are installed (pip packages taxii2-client and medallion; neither is in Debian).

Part A, our server and their client: the real `lianfang serve` on loopback with a fresh data
directory and the reference server's data ($LF_SHARED_DATA/stix/taxii_default_data.json) loaded
by `lianfang isac load`; taxii2client.v21 then walks discovery, API root, collections, objects
(all, added_after, match filters, pages by as_pages), object by id, manifest, versions,
add_objects and its Status, delete_object, and each answer is checked against the data.
Part B, their server and our client: medallion with its memory backend loaded from the same
data; `lianfang isac pull` (inbox bundles, incremental, then --into a local collection) and
`isac push` (a file, then --from-collection) against it, checked by reading medallion back.

medallion speaks HTTP Basic only: `isac pull/push --user U` with isac.password from
LIANFANG_ISAC_PASSWORD.
LF_INTEROP_SELFCHECK=1 runs Part B against lianfang's own server instead of medallion (to check
this harness where medallion is absent). Exits 77 naming what is missing when neither part can
run. The binary is argv[1]; Python standard library apart from the two packages."""
import atexit
import base64
import http.client
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from lfharness import Checks

try:
    import taxii2client.v21 as tx
except ImportError:
    tx = None
SELFCHECK = os.environ.get("LF_INTEROP_SELFCHECK") == "1"
MEDALLION_MOD = importlib.util.find_spec("medallion") is not None
MEDALLION_BIN = shutil.which("medallion")
HAVE_MEDALLION = MEDALLION_MOD or bool(MEDALLION_BIN)
if tx is None and not HAVE_MEDALLION and not SELFCHECK:
    # ctest may start a python3 that does not see the system's packages: try the system one.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("LF_INTEROP_REEXEC"):
        os.environ["LF_INTEROP_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: neither taxii2client (pip install taxii2-client) nor medallion (pip install medallion) is "
          "installed for " + sys.executable + ": the OASIS interop cannot run")
    sys.exit(77)

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("LF_SHARED_DATA", os.path.join(os.path.dirname(SRC), "shared", "data"))
REF = os.path.join(SHARED, "stix", "taxii_default_data.json")
if not os.path.exists(REF):
    print("SKIP: the reference server's data is absent:", REF)
    sys.exit(77)
TAXII = "application/taxii+json;version=2.1"
HV = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"        # High Value Indicator Collection: 8 versions
ADD = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"       # "for testing adding objects": empty, writable
NOREAD = "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4"    # can_read false
IND = "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e"   # three versions
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
with open(REF) as f:
    REFDATA = json.load(f)
HV_OBJECTS = [c for c in REFDATA["trustgroup1"]["collections"] if c["id"] == HV][0]["objects"]
# what the specification makes GET objects answer by default: per id the latest version of its
# latest spec_version (the malware's 2.0 version of 2018 loses to its 2.1 version of 2017)
LATEST = sorted([("relationship--2f9a9aa9-108a-4333-83e2-4fb25add0463", "2014-05-08T09:00:00.000Z"),
                 ("indicator--cd981c25-8042-4166-8945-51178443bdac", "2014-05-08T09:00:00.000Z"),
                 (IND, "2017-01-27T13:49:53.935Z"),
                 ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "2017-01-20T00:00:00.000Z"),
                 ("malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", "2017-01-27T13:49:53.997Z")])
IND_VERSIONS = ["2016-11-03T12:30:59.000Z", "2016-12-25T12:30:59.444Z", "2017-01-27T13:49:53.935Z"]
check = Checks()


def vers(objs):
    return sorted((o["id"], o.get("modified", o.get("created"))) for o in objs)


def ind(n, tlp=None):
    o = {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{n:08x}-0000-4000-8000-00000000{n:04x}",
         "created": "2024-05-01T00:00:00.000Z", "modified": "2024-05-01T00:00:00.000Z", "name": f"interop {n}",
         "pattern": f"[domain-name:value = 'interop-{n}.example.com']", "pattern_type": "stix",
         "valid_from": "2024-05-01T00:00:00Z"}
    if tlp:
        o["object_marking_refs"] = [tlp]
    return o


ENV = {k: v for k, v in os.environ.items() if not k.startswith("LIANFANG_")}
PROCS = []


@atexit.register
def _stop():
    for p in PROCS:
        if p.poll() is None:
            p.kill()


def http_req(port, method, path, body=None, headers=None):
    """One request with the standard library; (status, parsed JSON or None, response)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = dict(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    if data is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    text = r.read()
    c.close()
    try:
        js = json.loads(text) if text else None
    except ValueError:
        js = None
    return r.status, js, r


def basic(user, password):
    return {"Accept": TAXII, "Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class Lianfang:
    """A fresh instance: national admin, the reference data loaded, the server on a loopback port,
    a session and an API token of the national organisation."""

    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="lf-interop-")
        atexit.register(shutil.rmtree, self.data, True)
        with open(os.path.join(self.data, "lianfang.conf"), "w") as f:   # `isac push` de-identifies as a region
            f.write("[isac]\nregion_identity = identity--3f0c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a090\n"
                    "region_name = Interop Test Region\n")
        r = self.run("user", "add", "--login", "admin", "--role", "national_admin", "--org", "TW", "--email",
                     "admin@example.gov.tw", stdin="admin-pass-1\n")
        assert r.returncode == 0, r.stderr
        r = self.run("isac", "load", REF)
        assert r.returncode == 0, "isac load: " + r.stderr
        self.proc = subprocess.Popen([BIN, "--data", self.data, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=ENV)
        PROCS.append(self.proc)
        self.err = []
        threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True).start()
        m = re.match(r"lianfang: listening on http://127\.0\.0\.1:(\d+)/$", self.proc.stdout.readline().strip())
        assert m, "server did not start: " + "".join(self.err)
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        st, js, r = self.req("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
        assert st == 200, js
        cookie = re.match(r"lf_session=([0-9a-f]+)", r.getheader("Set-Cookie") or "").group(1)
        self.session = {"Cookie": "lf_session=" + cookie, "X-CSRF-Token": js["csrf_token"]}
        st, tok, _ = self.req("POST", f"/api/v1/orgs/{js['org']['id']}/tokens", {"name": "interop"}, self.session)
        assert st == 201, tok
        self.token = tok["secret"]

    def run(self, *args, stdin=None):
        """The isac commands print their summary line, which --quiet would silence."""
        quiet = [] if args[0] == "isac" else ["--quiet"]
        return subprocess.run([BIN, "--data", self.data, *quiet, *args], input=stdin, capture_output=True,
                              text=True, env=ENV, timeout=300)

    def req(self, method, path, body=None, headers=None):
        return http_req(self.port, method, path, body, headers)

    def taxii(self, method, path, body=None):
        h = basic("taxii", self.token)
        if body is not None:
            h["Content-Type"] = TAXII
        return self.req(method, path, body, h)


def body(resp):
    """taxii2-client 2.3 answers a requests.Response that is also a Mapping; earlier ones a dict."""
    return resp if isinstance(resp, dict) else resp.json()


# ---------------------------------------------------------------- Part A: our server, their client
def part_a(lf):
    srv = tx.Server(lf.url + "/taxii2/", user="taxii", password=lf.token)
    st, disc, _ = lf.taxii("GET", "/taxii2/")
    check(st == 200 and srv.title == disc["title"] and srv.description == disc["description"],
          "A: Server title/description = discovery", (srv.title, disc))
    roots = {r.url: r for r in srv.api_roots}
    check(sorted(roots) == sorted(f"{lf.url}/taxii2/{n}/" for n in ("isac", "api1", "api2", "trustgroup1")),
          "A: Server.api_roots: the loaded roots and ours", sorted(roots))
    check(srv.default is not None and srv.default.url == f"{lf.url}/taxii2/isac/", "A: Server.default",
          srv.default and srv.default.url)
    tg = roots[f"{lf.url}/taxii2/trustgroup1/"]
    check(tg.title == "Malware Research Group" and tg.versions == [TAXII] and tg.max_content_length == 1048576,
          "A: ApiRoot information", (tg.title, tg.versions, tg.max_content_length))
    colls = {c.id: c for c in tg.collections}
    check({k: (c.can_read, c.can_write) for k, c in colls.items()} ==
          {NOREAD: (False, True), ADD: (True, True), HV: (True, True),
           "52892447-4d7e-4f70-b94d-d7f22742ff63": (True, False)}, "A: ApiRoot.collections (the secret one hidden)",
          {k: (c.can_read, c.can_write) for k, c in colls.items()})
    hv = colls[HV]
    check(hv.title == "High Value Indicator Collection" and
          hv.media_types == ["application/stix+json;version=2.0", "application/stix+json;version=2.1"],
          "A: Collection information", (hv.title, hv.media_types))

    # objects: all, added_after, the match filters
    resp = hv.get_objects()
    env = body(resp)
    check(vers(env["objects"]) == LATEST and env.get("more") is False, "A: get_objects: the latest versions", env)
    if hasattr(resp, "headers"):
        check(resp.headers.get("X-TAXII-Date-Added-First") == "2014-05-08T09:00:00.000000Z" and
              resp.headers.get("X-TAXII-Date-Added-Last") == "2017-12-31T13:49:53.935000Z",
              "A: get_objects: X-TAXII-Date-Added headers", dict(resp.headers))
    env = body(hv.get_objects(added_after="2016-11-03T12:30:59.001Z"))
    check(sorted(o["id"] for o in env["objects"]) == sorted([IND, "marking-definition--34098fce-860f-48ae-8e50-"
                                                             "ebd3cc5e41da", "malware--c0931cc6-c75e-47e5-9036-"
                                                             "78fabc95d4ec"]), "A: get_objects(added_after)", env)
    env = body(hv.get_objects(type="indicator"))
    check(sorted(o["id"] for o in env["objects"]) ==
          sorted([IND, "indicator--cd981c25-8042-4166-8945-51178443bdac"]), "A: get_objects(type=indicator)", env)
    env = body(hv.get_objects(spec_version="2.0"))
    check(vers(env["objects"]) == [("malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", "2018-02-23T18:30:00.000Z")],
          "A: get_objects(spec_version=2.0)", env)
    env = body(hv.get_objects(id=IND, version="all"))
    check(sorted(o["modified"] for o in env["objects"]) == IND_VERSIONS, "A: get_objects(id, version=all)", env)
    env = body(hv.get_objects(id=IND, version="first"))
    check([o["modified"] for o in env["objects"]] == IND_VERSIONS[:1], "A: get_objects(id, version=first)", env)

    # pages: as_pages follows `more` and `next`
    pages = list(tx.as_pages(hv.get_objects, per_request=2))
    got = [o for p in pages for o in p.get("objects", [])]
    check(len(pages) == 3 and [len(p["objects"]) for p in pages] == [2, 2, 1] and vers(got) == LATEST,
          "A: as_pages(get_objects, per_request=2)", [len(p.get("objects", [])) for p in pages])
    pages = list(tx.as_pages(hv.get_manifest, per_request=3, version="all", spec_version=["2.0", "2.1"]))
    man = [m for p in pages for m in p.get("objects", [])]
    check(len(pages) == 3 and len(man) == 8 and len({(m["id"], m["version"]) for m in man}) == 8,
          "A: as_pages(get_manifest, per_request=3): all 8 versions once", man)

    # one object, its versions, the manifest
    env = body(hv.get_object(IND))
    check([o["modified"] for o in env["objects"]] == IND_VERSIONS[-1:], "A: get_object: the latest version", env)
    env = body(hv.get_object(IND, version="all"))
    check(sorted(o["modified"] for o in env["objects"]) == IND_VERSIONS, "A: get_object(version=all)", env)
    env = body(hv.object_versions(IND))
    check(env.get("versions") == IND_VERSIONS and env.get("more") is False, "A: object_versions", env)
    env = body(hv.get_manifest(version="all", spec_version=["2.0", "2.1"]))
    check(len(env["objects"]) == 8 and all(m["date_added"].endswith("Z") and m["media_type"].startswith(
        "application/stix+json;version=2.") for m in env["objects"]), "A: get_manifest(version=all)", env)
    check(sorted((m["id"], m["version"]) for m in env["objects"]) == vers(HV_OBJECTS),
          "A: get_manifest lists every version of the data", env)

    # a collection that may not be read: the client refuses from can_read, the server with 403
    try:
        colls[NOREAD].get_objects()
        refused = False
    except Exception as e:   # taxii2client.exceptions.AccessError
        refused = type(e).__name__ == "AccessError"
    check(refused, "A: get_objects on can_read=false raises AccessError")
    check(lf.taxii("GET", f"/taxii2/trustgroup1/collections/{NOREAD}/objects/")[0] == 403,
          "A: and the server answers 403")

    # add_objects: a valid and an invalid object; the Status, refreshed and fetched by the ApiRoot
    add = colls[ADD]
    good, bad = ind(1), ind(2)
    del bad["pattern"]
    status = add.add_objects({"objects": [good, bad]}, wait_for_completion=True, poll_interval=1, timeout=30)
    check(status.status == "complete" and status.total_count == 2 and status.success_count == 1 and
          status.failure_count == 1 and status.pending_count == 0, "A: add_objects: Status counts",
          (status.status, status.total_count, status.success_count, status.failure_count))
    check([s["id"] for s in status.successes] == [good["id"]] and [s["id"] for s in status.failures] == [bad["id"]]
          and "pattern" in status.failures[0].get("message", ""), "A: add_objects: successes and failures named",
          (status.successes, status.failures))
    status.refresh()   # GET of the status URL the client derives from the collection URL
    check(status.status == "complete" and status.success_count == 1, "A: Status.refresh", status.status)
    again = tg.get_status(status.id)
    check(again.id == status.id and again.total_count == 2 and again.failure_count == 1, "A: ApiRoot.get_status",
          again.id)
    env = body(add.get_objects())
    check(vers(env["objects"]) == [(good["id"], good["modified"])], "A: the added object is read back", env)
    st, js, _ = lf.taxii("GET", f"/taxii2/trustgroup1/collections/{ADD}/objects/{good['id']}/")
    check(st == 200 and js["objects"][0]["pattern"] == good["pattern"], "A: and over plain HTTP", js)

    # delete_object (taxii2-client 2.3)
    if hasattr(add, "delete_object"):
        add.delete_object(good["id"])
        check(lf.taxii("GET", f"/taxii2/trustgroup1/collections/{ADD}/objects/{good['id']}/")[0] == 404,
              "A: delete_object: the object is gone")
    else:
        print("SKIP: this taxii2-client has no Collection.delete_object")


# ---------------------------------------------------------------- Part B: their server, our client
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Medallion:
    """medallion 3 on loopback: memory backend loaded from a copy of the reference data whose
    discovery names this port (the data says localhost:5000), HTTP Basic user interop."""
    USER, PASSWORD = "interop", "interop-pass-1"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="lf-medallion-")
        atexit.register(shutil.rmtree, self.dir, True)
        self.port = free_port()
        cpath = self.write_config(self.dir, self.port)
        if MEDALLION_MOD:   # its console script's entry point, under this interpreter
            cmd = [sys.executable, "-c", "from medallion.scripts.run import main; main()"]
        else:
            cmd = [MEDALLION_BIN]
        self.log = open(os.path.join(self.dir, "medallion.log"), "w+")
        self.proc = subprocess.Popen(cmd + ["--host", "127.0.0.1", "--port", str(self.port), cpath],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir)
        PROCS.append(self.proc)
        deadline = time.time() + 60
        while True:
            try:
                if http_req(self.port, "GET", "/taxii2/", headers=self.auth())[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.log.seek(0)
                raise SystemExit("medallion did not start: " + self.log.read()[-3000:])
            time.sleep(0.3)

    def auth(self):
        return basic(self.USER, self.PASSWORD)

    @classmethod
    def write_config(cls, where, port):
        """The data file (discovery rewritten to this port) and the configuration; its path."""
        base = f"http://127.0.0.1:{port}/"
        data = json.loads(json.dumps(REFDATA))
        disc = data["/discovery"]
        disc["api_roots"] = [base + u.rstrip("/").rsplit("/", 1)[1] + "/" for u in disc["api_roots"]]
        disc["default"] = base + disc["default"].rstrip("/").rsplit("/", 1)[1] + "/"
        dpath = os.path.join(where, "data.json")
        with open(dpath, "w") as f:
            json.dump(data, f)
        conf = {"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                            "filename": dpath},
                "users": {cls.USER: cls.PASSWORD},
                "taxii": {"max_page_size": 100}}
        cpath = os.path.join(where, "medallion.json")
        with open(cpath, "w") as f:
            json.dump(conf, f)
        return cpath


def part_b(lf, port, root_path, user, password, label):
    """`isac pull` and `isac push` against the TAXII server on port whose API root trustgroup1 is
    at root_path; `peek` reads that server back with plain HTTP."""
    auth = basic(user, password)
    root = f"http://127.0.0.1:{port}{root_path}"
    benv = dict(ENV, LIANFANG_ISAC_PASSWORD=password)

    def isac(*args):
        """`lianfang isac ...` with HTTP Basic: --user, the password from isac.password's variable"""
        return subprocess.run([BIN, "--data", lf.data, "isac", *args, "--user", user], capture_output=True,
                              text=True, env=benv, timeout=300)

    def peek(coll, query="?limit=100"):
        st, js, r = http_req(port, "GET", f"{root_path}collections/{coll}/objects/{query}", headers=auth)
        assert st == 200, (st, js)
        return js.get("objects", []) if js else []

    served = peek(HV)
    check(vers(served) == LATEST, f"B[{label}]: the server answers the reference collection", vers(served))
    # pull to the inbox, in pages of 2, then again: nothing new
    r = isac("pull", root, HV, "--limit", "2")
    check(r.returncode == 0 and " 5 objects in 3 pages" in r.stdout, f"B[{label}]: isac pull in pages of 2",
          r.stdout + r.stderr)
    inbox = os.path.join(lf.data, "isac", "inbox")
    pages = sorted(os.listdir(inbox)) if os.path.isdir(inbox) else []
    got = []
    for p in pages:
        with open(os.path.join(inbox, p)) as f:
            got += json.load(f)["objects"]
    check(len(pages) == 3 and vers(got) == vers(served), f"B[{label}]: the inbox holds what the server serves",
          (pages, vers(got)))
    r = isac("pull", root, HV)
    check(r.returncode == 0 and " 0 objects in 0 pages" in r.stdout, f"B[{label}]: second pull: nothing new",
          r.stdout + r.stderr)

    # pull into a local collection; lianfang re-serves it
    title = "From " + label
    st, js, _ = lf.req("POST", "/api/v1/isac/collections", {"title": title, "can_read": "community",
                                                            "can_write": "community", "default_tlp": "GREEN"},
                       lf.session)
    assert st == 201, js
    local = js["id"]
    r = isac("pull", root, HV, "--into", local, "--full")
    check(r.returncode == 0 and "5 object versions stored" in r.stdout, f"B[{label}]: isac pull --into",
          r.stdout + r.stderr)
    st, js, _ = lf.taxii("GET", f"/taxii2/isac/collections/{local}/objects/?limit=100")
    check(st == 200 and vers(js["objects"]) == vers(served), f"B[{label}]: lianfang re-serves the pulled objects",
          (st, js))

    # push back what was pulled (--from-collection), then a file with a GREEN and a RED indicator
    before = {o["id"] for o in peek(ADD)}
    r = isac("push", root, ADD, "--from-collection", local)
    # the five are unmarked (the collection's GREEN) and name no identity: all five leave unchanged
    check(r.returncode == 0 and "5 objects read (0 invalid), 0 kept back by TLP, 5 forwarded in 1 envelopes: "
          "5 accepted, 0 failed" in r.stdout, f"B[{label}]: isac push --from-collection", r.stdout + r.stderr)
    arrived = [o for o in peek(ADD) if o["id"] not in before]
    check(vers(arrived) == vers(served), f"B[{label}]: the forwarded objects arrived, as pulled", vers(arrived))
    report = os.path.join(lf.data, "interop-report.json")
    with open(report, "w") as f:
        json.dump({"type": "bundle", "id": "bundle--5c3e9f1a-7b2d-4e8f-9a6c-1d0e2f3a4b5c",
                   "objects": [ind(10, GREEN), ind(11, RED)]}, f)
    r = isac("push", root, ADD, report)
    check(r.returncode == 0 and "1 kept back by TLP" in r.stdout and "1 accepted" in r.stdout,
          f"B[{label}]: isac push of a file", r.stdout + r.stderr)
    ids = {o["id"] for o in peek(ADD)}
    check(ind(10)["id"] in ids, f"B[{label}]: the GREEN indicator arrived", ids)
    check(ind(11)["id"] not in ids, f"B[{label}]: the RED indicator never left", ids)


lf = Lianfang()
ran = []
if tx is not None:
    part_a(lf)
    ran.append("A (taxii2-client against lianfang)")
else:
    print("SKIP: part A: taxii2client is not installed (pip install taxii2-client)")
if HAVE_MEDALLION:
    med = Medallion()
    part_b(lf, med.port, "/trustgroup1/", Medallion.USER, Medallion.PASSWORD, "medallion")
    ran.append("B (lianfang isac against medallion)")
else:
    print("SKIP: part B: medallion is not installed (pip install medallion)")
if SELFCHECK:
    shutil.rmtree(os.path.join(lf.data, "isac", "inbox"), True)
    for p in os.listdir(os.path.join(lf.data, "isac")) if os.path.isdir(os.path.join(lf.data, "isac")) else []:
        if p.startswith("state-"):
            os.unlink(os.path.join(lf.data, "isac", p))
    part_b(lf, lf.port, "/taxii2/trustgroup1/", "taxii", lf.token, "lianfang self-check")
    ran.append("B self-check (lianfang isac against lianfang)")
lf.proc.terminate()
lf.proc.wait(timeout=20)
time.sleep(0.2)   # the reader thread takes the last of stderr
check(not any("Sanitizer" in line for line in lf.err), "the server ran clean (sanitizers)", "".join(lf.err)[-3000:])
print(f"ran {', '.join(ran)}")
check.finish()
