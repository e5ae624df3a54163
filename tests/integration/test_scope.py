#!/usr/bin/env python3
"""Scope and roles on every documented endpoint (the issue: "an agency sees only itself,
a county its agencies, a region its counties, the national level everything; a test
walks every endpoint with every role and asserts the 403s").

The real `lianfang serve` on a loopback port with the sample NVD index. Fixture tree:
region R-TPE with the counties TW-TPE (agencies TPE-HR, TPE-TAX) and TW-HUA (HUA-EDU),
region R-KHH with TW-KHH (KHH-EDU); the inventory CSV uploaded for all four agencies, so
each has uploads, hosts and findings. Clients: a national admin, a region analyst
(R-TPE), a county officer (TW-TPE), an agency officer (TPE-HR), read_only users at each
of those four orgs, TPE-HR's API token (Bearer; TAXII also as HTTP Basic) and nobody.

TABLE has a row per documented method + path: targets inside and outside each caller's
scope (the same kind of object at TPE-HR, TPE-TAX, HUA-EDU and KHH-EDU, or orgs at every
level), and a rule that gives each client's status from docs/api.md and docs/design.md
("ISAC"): roles, the scope rule (an org and everything under it), read_only and tokens
refused on unsafe methods, group membership for ISAC, TAXII's 401/403/404. Every 401/403
body is checked for its error code; list answers are checked to name only orgs in the
caller's scope. Each unsafe cell is also sent as the national admin without X-CSRF-Token
(403). Writes use throwaway objects or change nothing that later rows read; order matters
only where noted (the blocklist fetch row before the fetch log's, logout last).
LF_SCOPE_MATRIX=1 prints every row's statuses per client.

Guards: every endpoint docs/api.md names (headings, inline `METHOD /path`, the TAXII
table) must have a row or an EXCLUDED entry; every row must be a documented endpoint; every
route the server registers (lf_http_route in src/) must be documented. KNOWN_BUGS lists
(method, path, client, target) cells where the server answers otherwise than the docs: they
are reported, not failed, and fail once they pass (so the list is kept exact)."""
import datetime
import http.server
import itertools
import json
import os
import re
import sys
import threading
import time
import uuid

from lfharness import Checks, Client, Instance, clean_env

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
CSV = os.path.join(SRC, "data", "sample", "inventories", "taipei-hr-2026-11.csv")
DOC = os.path.join(SRC, "docs", "api.md")
TAXII = "application/taxii+json;version=2.1"
T0 = time.time()
check = Checks()

# Cells (method, path template, client, target label) where the server is known to differ
# from the documented rule. Each is reported with what came back; one that passes fails
# the test, so that it is removed here.
KNOWN_BUGS = {
    # (method, path, client, target): why. Empty: the one this test found (POST
    # /isac/collections checked the role only, so a region analyst could attach another
    # region's group or rewrite its collection) is fixed in api_taxii.c coll_create.
}
# Documented endpoints without a row, with the reason (none: every one has a row).
EXCLUDED = {
}

# ---------------------------------------------------------------- the documented endpoints

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
COLL = "/taxii2/{root}/collections/{id}/"


def norm_path(p):
    """A documented path as a template: optional [..] parts and the query dropped; the
    TAXII table's `.../` and the counters' `…/objects/` spelled out; the short forms the
    prose uses (`GET /uploads/{id}`) under /api/v1. None: not an HTTP endpoint path."""
    p = re.sub(r"\[[^\]]*\]", "", p).split("?")[0]
    for ell in ("...", "…"):
        if p.startswith(ell + "/"):
            rest = p[len(ell) + 1:]
            p = ("/taxii2/{root}/" if rest.startswith("collections/") else COLL) + rest
    if p == "/" or p.startswith(("/api/v1/", "/taxii2/")) or p in ("/healthz", "/metrics"):
        return p
    if re.match(r"/(uploads|findings|agencies|orgs|hosts|users)/", p):
        return "/api/v1" + p
    return None


def documented():
    """{(method, template): first line of docs/api.md naming it}"""
    eps = {}
    meth = "|".join(METHODS)
    for n, line in enumerate(open(DOC, encoding="utf-8"), 1):
        found = []
        m = re.match(rf"\|\s*({meth})\s*\|\s*`([^`]+)`\s*\|", line)   # the TAXII table
        if m:
            found.append((m[1], m[2]))
        for m in re.finditer(rf"`((?:{meth})(?:\|(?:{meth}))*) ((?:/|\.\.\./|…/)[^`\s]*)[^`]*`", line):
            found += [(x, m[2]) for x in m[1].split("|")]
        for x, p in found:
            p = norm_path(p)
            if p:
                eps.setdefault((x, p), n)
    return eps


def routes():
    """(method, pattern) of every lf_http_route call in src/ (catch-all {*..} patterns left
    out: /taxii2/ is split by its handler, /ui/ serves files)."""
    out = set()
    for d, _, files in os.walk(os.path.join(SRC, "src")):
        for f in files:
            if f.endswith(".c"):
                text = open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
                for m in re.finditer(r'lf_http_route\(\s*\w+,\s*"(\w+)",\s*"([^"]+)"', text):
                    if "{*" not in m[2]:
                        out.add((m[1], m[2]))
    return out


# ---------------------------------------------------------------- the server

class Hook(http.server.BaseHTTPRequestHandler):
    """The notices' webhook: takes everything (so the scheduler records notices)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook.serve_forever, daemon=True).start()
LF = Instance(BIN, "lf-scope-", clean_env(LIANFANG_NOTIFY_INTERVAL="0", LIANFANG_FEEDS_POLL="0",
                                          LIANFANG_NOTIFY_WEBHOOK_URL=f"http://127.0.0.1:{hook.server_address[1]}/h"))
r = LF.run("feed", "import", "nvd", NVD)
assert r.returncode == 0, r.stderr
LF.add_user("admin", "national_admin", "TW", "admin@example.gov.tw", "admin-pass-long-1")
PORT = LF.serve()


def client(token=None, basic=False):
    return Client(PORT, token=token, basic=basic, media=TAXII, json_only=True, timeout=60)


A = client()
A.login("admin", "admin-pass-long-1")   # the national admin of the setup (ADMIN's session from there on)


def ok(st_js, want, what):
    st, js = st_js
    assert st == want, f"setup: {what}: {st} {js}"
    return js


# ---- the org tree (seeded regions and counties) and four agencies
ORG = {"TW": ok(A.req("GET", "/api/v1/me"), 200, "me")["org"]["id"]}
PARENT = {ORG["TW"]: None}
for rg in ok(A.req("GET", f"/api/v1/orgs/{ORG['TW']}/children?limit=500"), 200, "regions")["items"]:
    ORG[rg["code"]], PARENT[rg["id"]] = rg["id"], ORG["TW"]
    for ct in ok(A.req("GET", f"/api/v1/orgs/{rg['id']}/children?limit=500"), 200, "counties")["items"]:
        ORG[ct["code"]], PARENT[ct["id"]] = ct["id"], rg["id"]
assert PARENT[ORG["TW-TPE"]] == PARENT[ORG["TW-HUA"]] == ORG["R-TPE"] and PARENT[ORG["TW-KHH"]] == ORG["R-KHH"]
for code, county in (("TPE-HR", "TW-TPE"), ("TPE-TAX", "TW-TPE"), ("HUA-EDU", "TW-HUA"), ("KHH-EDU", "TW-KHH")):
    js = ok(A.req("POST", f"/api/v1/orgs/{ORG[county]}/agencies",
                  {"code": code, "name_zh": code, "name_en": code, "level": "B"}), 201, "agency " + code)
    ORG[code], PARENT[js["id"]] = js["id"], ORG[county]
AGENCIES = ("TPE-HR", "TPE-TAX", "HUA-EDU", "KHH-EDU")
UNKNOWN = "999999"


def parent(o):
    """An org's parent (asked of the server for orgs rows made during the run)."""
    if o not in PARENT:
        st, js = A.req("GET", f"/api/v1/orgs/{o}")
        PARENT[o] = js["parent_id"] if st == 200 else None
    return PARENT[o]


def within(o, scope):
    """The scope rule: o is scope or lies under it."""
    while o is not None:
        if o == scope:
            return True
        o = parent(o)
    return False


# ---- one user per role at each level where it applies, and the API token
class Who:
    def __init__(self, name, role=None, org=None, token=None, basic=False, create=True):
        self.name, self.user, self.role, self.org = name, name, role, org and ORG[org]
        self.pw = name + "-pass-long-1"
        self.token = token
        self.kind = "anon" if not (role or token) else "token" if token else "user"
        self.c = client(token, basic)
        self.user_id = None
        if self.kind == "user":
            if create:
                LF.add_user(name, role, org, name + "@example.gov.tw", self.pw)
            self.login()

    def login(self):
        self.user_id = self.c.login(self.user, self.pw)["user"]["id"]

    def fresh(self):
        """Another session of the same user (tokens and nobody: the same client)."""
        if self.kind != "user":
            return self.c
        c = client()
        c.login(self.user, self.pw)
        return c


ADMIN = Who("admin", "national_admin", "TW", create=False)
A = ADMIN.c
USERS = [ADMIN] + [Who(*a) for a in (("analyst", "region_analyst", "R-TPE"), ("county", "county_officer", "TW-TPE"),
                                     ("agency", "agency_officer", "TPE-HR"), ("ro_nat", "read_only", "TW"),
                                     ("ro_reg", "read_only", "R-TPE"), ("ro_cty", "read_only", "TW-TPE"),
                                     ("ro_agy", "read_only", "TPE-HR"))]
SECRET = {code: ok(A.req("POST", f"/api/v1/orgs/{ORG[code]}/tokens", {"name": "agent-" + code}), 201,
                   "token")["secret"] for code in ("TPE-HR", "KHH-EDU")}
TOKEN = Who("token", token=SECRET["TPE-HR"])
TOKEN.org = ORG["TPE-HR"]
TOKEN_BASIC = Who("token_basic", token=SECRET["TPE-HR"], basic=True)   # TAXII rows only
TOKEN_BASIC.org = ORG["TPE-HR"]
ANON = Who("anon")
CLIENTS = USERS + [TOKEN, ANON]
KHH_TOKEN = client(SECRET["KHH-EDU"])
# accounts that rows change (display name, role, password): read_only users of each agency, and
# of the national, region and county orgs (for "one rank up")
TARGET_USER = {}
for code in AGENCIES + ("TW", "R-TPE", "TW-TPE"):
    LF.add_user("tgt-" + code.lower(), "read_only", code, code.lower() + "@example.gov.tw", "target-pass-long-1")
for u in ok(A.req("GET", f"/api/v1/orgs/{ORG['TW']}/users?limit=500"), 200, "users")["items"]:
    if u["login"].startswith("tgt-"):
        TARGET_USER[u["login"][4:].upper()] = u["id"]
LF.add_user("probe", "read_only", "TW", "probe@example.gov.tw", "probe-pass-long-1")

# ---- uploads, findings, hosts for each agency
BODY = open(CSV, "rb").read()
UPLOAD, FINDING, HOST, FINDING_T = {}, {}, {}, {}
for code in AGENCIES:
    js = ok(A.req("POST", f"/api/v1/agencies/{ORG[code]}/uploads?month=2026-11&file_name=inv.csv", raw=BODY,
                  ctype="text/csv"), 201, "upload " + code)
    assert js["findings"]["computed"] and js["findings"]["new"] > 0, js
    UPLOAD[code] = js["upload"]["id"]
    items = ok(A.req("GET", f"/api/v1/agencies/{ORG[code]}/findings?limit=500"), 200, "findings")["items"]
    FINDING[code], FINDING_T[code] = items[0]["id"], items[1]["id"]   # read rows; the transition row
    HOST[code] = ok(A.req("GET", f"/api/v1/agencies/{ORG[code]}/hosts"), 200, "hosts")["items"][0]["id"]

# ---- notices (the webhook carries them)
ok(A.req("POST", "/api/v1/admin/scheduler/run"), 200, "scheduler run")
NOTICE = ok(A.req("GET", "/api/v1/admin/notices"), 200, "notices")["items"][0]["id"]

# ---- ISAC: groups, collections, objects, statuses, approvals
GROUP_ORGS = {}
for g, county in (("north", "TW-TPE"), ("east", "TW-HUA"), ("south", "TW-KHH")):
    GROUP_ORGS[g] = ok(A.req("POST", "/api/v1/isac/groups", {"code": g, "name": g, "orgs": [county]}), 201, g)["orgs"]
COLLS = {  # name: (can_read, can_write, group)
    "PUB": ("public", "community", None), "NORTH": ("group", "group", "north"), "EAST": ("group", "group", "east"),
    "SOUTH": ("group", "group", "south"), "COMM": ("community", "group", "south"), "WONLY": ("none", "group", "east"),
}
CID, COLL_BODY = {}, {}
for name, (rd, wr, g) in COLLS.items():
    b = {"title": name, "can_read": rd, "can_write": wr, "default_tlp": "CLEAR"}
    if g:
        b["group"] = g
    CID[name] = ok(A.req("POST", "/api/v1/isac/collections", b), 201, "collection " + name)["id"]
    COLL_BODY[name] = dict(b, id=CID[name])
STAMP = "2024-01-01T00:00:00.000Z"


def indicator(pattern="[ipv4-addr:value = '203.0.113.9']"):
    return {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}", "created": STAMP,
            "modified": STAMP, "pattern_type": "stix", "valid_from": STAMP, "pattern": pattern}


def post_object(who, coll, obj=None):
    obj = obj or indicator()
    st, js = who.req("POST", f"/taxii2/isac/collections/{CID[coll]}/objects/", {"objects": [obj]})
    assert st == 202 and js["success_count"] == 1, f"setup: POST {coll}: {st} {js}"
    return obj["id"], js["id"]


OBJ = {name: post_object(A, name)[0] for name in COLLS}
STATUS = {"TPE-HR": post_object(TOKEN.c, "NORTH")[1], "KHH-EDU": post_object(KHH_TOKEN, "SOUTH")[1],
          "R-TPE": post_object(USERS[1].c, "EAST")[1]}
APPROVE = post_object(A, "NORTH", indicator("[ipv4-addr:value = '198.51.100.1']"))[0]
REVOKE = post_object(A, "NORTH", indicator("[domain-name:value = 'revoke.example.com']"))[0]
DAY = datetime.datetime.fromtimestamp(time.time() + 86400, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
# fetches for the log: TPE-HR's (inside R-TPE) and KHH-EDU's (outside; so is TW's, from the row)
assert TOKEN.c.req("GET", "/api/v1/isac/blocklists/north/ip.txt")[0] == 200
assert KHH_TOKEN.req("GET", "/api/v1/isac/blocklists/south/ip.txt")[0] == 200
SETUP_S = time.time() - T0

# ---------------------------------------------------------------- rules (docs/api.md)

is_user = lambda c: c.kind == "user"
reader = lambda c: c.kind in ("user", "token")                        # read within scope
writer = lambda c: c.kind == "user" and c.role != "read_only"          # unsafe methods
uploader = lambda c: writer(c) or c.kind == "token"                    # uploads: tokens too
admin_only = lambda c: c.role == "national_admin"
isac_admin = lambda c: c.role in ("national_admin", "region_analyst")
agency_maker = lambda c: c.role in ("national_admin", "region_analyst", "county_officer")


class T:
    """A target: label, path parameters (or fn(client) -> parameters, for throwaway
    objects), the org whose scope decides (None: no such object; fn(client) -> org), the
    status when allowed, and extra for the rule (a collection, a group)."""

    def __init__(self, label, params, scope, ok=200, extra=None, rule=None):
        self.label, self.params, self.scope, self.ok, self.extra = label, params, scope, ok, extra
        self.rule = rule   # instead of the row's

    def org(self, c):
        return self.scope(c) if callable(self.scope) else self.scope


def scoped(allow, scope=True):
    """Authenticated; the role (allow) or 403; no such object 404; target outside the
    caller's scope 403; else the target's status."""
    def rule(c, t):
        if c.kind == "anon":
            return 401
        if not allow(c):
            return 403
        o = t.org(c)
        if o is None:
            return 404
        return t.ok if not scope or within(o, c.org) else 403
    return rule


def open_rule(c, t):
    return t.ok


def member(c, orgs):
    """ISAC membership: the org is one of them, lies under one or above one."""
    return any(within(c.org, o) or within(o, c.org) for o in orgs)


def blocklist_rule(c, t):
    if c.kind == "anon":
        return 401
    if t.extra is None:
        return 404
    return 200 if member(c, GROUP_ORGS[t.extra]) else 403


def group_scoped(allow):
    """Analyst endpoints on a group: every org of the group within the caller's scope."""
    def rule(c, t):
        if c.kind == "anon":
            return 401
        if not allow(c):
            return 403
        return t.ok if all(within(o, c.org) for o in GROUP_ORGS[t.extra]) else 403
    return rule


def coll_scoped(c, t):
    """POST /isac/collections: national admins and region analysts; a collection of a
    sharing group (new, or the same id again: an update) only for callers whose scope holds
    the group, as for approvals (docs/api.md states it)."""
    if c.kind == "anon":
        return 401
    if not isac_admin(c):
        return 403
    g = t.extra
    if g == "pub":   # an existing group-less collection is the national level's to change
        return t.ok if c.org == ORG["TW"] else 403
    return t.ok if g is None or all(within(o, c.org) for o in GROUP_ORGS[g]) else 403


def access(c, coll):
    """(can_read, can_write) of a collection for c (docs/design.md, "Collection access")."""
    rd, wr, g = COLLS[coll]
    auth = c.kind != "anon"
    mem = auth and g is not None and member(c, GROUP_ORGS[g])
    wrt = c.kind == "token" or (c.kind == "user" and c.role != "read_only")
    return ({"public": True, "community": auth, "group": mem, "none": False}[rd],
            {"community": auth and wrt, "group": mem and wrt, "none": False}[wr])


def taxii(kind):
    """TAXII (docs/api.md "Authentication" of /taxii2/): nobody reads public collections
    only (401 otherwise); a collection neither readable nor writable is 404; reading
    without read access, writing without write access, read_only POST/DELETE 403."""
    def rule(c, t):
        if kind == "open":
            return 200
        if kind == "status":
            if c.kind == "anon":
                return 401
            return 200 if t.scope is not None and within(t.scope, c.org) else 404
        r, w = access(c, t.extra)
        if c.kind == "anon":
            return 401 if kind in ("post", "delete") or not r else 200
        if kind in ("post", "delete") and c.kind == "user" and c.role == "read_only":
            return 403
        if not r and not w:
            return 404
        return {"coll": 200, "read": 200 if r else 403, "post": 202 if w else 403,
                "delete": 200 if r and w else 403}[kind]
    return rule


# ---------------------------------------------------------------- targets

seq = itertools.count(1)
NAT, RTPE, CTPE, CHUA, RKHH, CKHH = (ORG[k] for k in ("TW", "R-TPE", "TW-TPE", "TW-HUA", "R-KHH", "TW-KHH"))


def orgs_t(codes, param="id"):
    out = [T(code, {param: ORG[code]}, ORG[code]) for code in codes]
    return out + [T("unknown", {param: UNKNOWN}, None)]


ALL_ORGS = ("TW", "R-TPE", "TW-TPE", "TPE-HR", "TPE-TAX", "TW-HUA", "HUA-EDU", "R-KHH", "TW-KHH", "KHH-EDU")
SOME_ORGS = ("TW", "R-TPE", "TW-TPE", "TPE-HR", "TW-HUA", "HUA-EDU", "TW-KHH", "KHH-EDU")
AG_T = orgs_t(AGENCIES)
FIND_T = [T(code, {"id": FINDING[code]}, ORG[code]) for code in AGENCIES] + [T("unknown", {"id": UNKNOWN}, None)]
HOST_T = [T(code, {"id": HOST[code]}, ORG[code]) for code in AGENCIES] + [T("unknown", {"id": UNKNOWN}, None)]
UP_T = [T(code, {"id": UPLOAD[code]}, ORG[code]) for code in AGENCIES] + [T("unknown", {"id": UNKNOWN}, None)]


def query_t(path_q, codes):
    """?org= targets, plus the caller's own org (no parameter) and an unknown org."""
    out = [T(code, {"?": f"{path_q}org={ORG[code]}"}, ORG[code]) for code in codes]
    return out + [T("own", {"?": path_q.rstrip("&")}, lambda c: c.org),
                  T("unknown", {"?": f"{path_q}org={UNKNOWN}"}, None)]


def throwaway_token(code):
    def params(c):
        js = ok(A.req("POST", f"/api/v1/orgs/{ORG[code]}/tokens", {"name": "throwaway"}), 201, "throwaway token")
        return {"id": ORG[code], "token": js["id"]}
    return params


def token_elsewhere(c):
    """A token of KHH-EDU named under TPE-HR: not in {id}'s scope."""
    js = ok(A.req("POST", f"/api/v1/orgs/{ORG['KHH-EDU']}/tokens", {"name": "throwaway"}), 201, "throwaway token")
    return {"id": ORG["TPE-HR"], "token": js["id"]}


def throwaway_object(coll):
    def params(c):
        return {"root": "isac", "id": CID[coll], "object-id": post_object(A, coll)[0]}
    return params


def throwaway_approval(group):
    def params(c):
        js = ok(A.req("POST", "/api/v1/isac/approvals", {"indicators": [REVOKE], "group": group, "expires": DAY}),
                201, "throwaway approval")
        return {"id": js["items"][0]["id"]}
    return params


def coll_t(param_fn=None, colls=tuple(COLLS)):
    return [T(name, param_fn(name) if param_fn else {"root": "isac", "id": CID[name]}, None, extra=name)
            for name in colls]


def obj_t(name):
    return {"root": "isac", "id": CID[name], "object-id": OBJ[name]}


CODE = {v: k for k, v in ORG.items()}
RANK_UP = {"national_admin": "national_admin", "region_analyst": "national_admin", "county_officer": "region_analyst",
           "agency_officer": "county_officer", "read_only": "agency_officer", None: "national_admin"}
SESSION_OK = {"login": "probe", "password": "probe-pass-long-1"}
TRANSITION = {"to": "measure_filed", "text": "patch planned", "planned_date": "2027-01-15"}


def new_user_body(c, t):
    return {"login": f"made-{next(seq)}", "email": "made@example.gov.tw", "role": t.extra or "read_only",
            "password": "made-pass-long-1"}


def password_body(c, t):
    return {"password": c.pw if t.label == "self" else "target-pass-long-1"}


def relogin_self(c, t, st):
    """A password change ends the account's sessions: log the client in again."""
    if t.label == "self" and st == 204:
        c.login()


class Row:
    def __init__(self, method, path, rule, targets, body=None, items=None, after=None, clients=None):
        self.method, self.path, self.rule, self.targets = method, path, rule, targets
        self.body, self.items, self.after, self.clients = body, items, after, clients


TAXII_CLIENTS = CLIENTS + [TOKEN_BASIC]
TABLE = [
    # ---- no authentication
    Row("GET", "/healthz", open_rule, [T("-", {}, None)]),
    Row("GET", "/metrics", open_rule, [T("-", {}, None)]),
    Row("GET", "/", open_rule, [T("-", {}, None, ok=302)]),
    Row("GET", "/api/v1/version", open_rule, [T("-", {}, None)]),
    Row("POST", "/api/v1/session", open_rule, [T("probe", {}, None, extra=SESSION_OK),
                                               T("wrong", {}, None, ok=401,
                                                 extra={"login": "nobody", "password": "not-a-password"})],
        # a login of its own per client: five failures of one name lock it (429), known or not
        body=lambda c, t: dict(t.extra, login=f"nobody-{c.name}") if t.extra.get("login") == "nobody" else t.extra),
    # ---- the caller, orgs, tokens, accounts
    Row("GET", "/api/v1/me", scoped(reader, scope=False), [T("-", {}, NAT)]),
    Row("GET", "/api/v1/orgs/{id}", scoped(reader), orgs_t(ALL_ORGS)),
    Row("GET", "/api/v1/orgs/{id}/children", scoped(reader), orgs_t(ALL_ORGS), items="orgs"),
    Row("POST", "/api/v1/orgs/{id}/agencies", scoped(agency_maker),
        [T(code, {"id": ORG[code]}, ORG[code], ok=201) for code in ("R-TPE", "TW-TPE", "TW-HUA", "TW-KHH")]
        + [T("TPE-HR (an agency)", {"id": ORG["TPE-HR"]}, ORG["TPE-HR"], ok=422)],
        body=lambda c, t: {"code": f"NEW-{next(seq)}", "name_zh": "新機關", "name_en": "New", "level": "C"}),
    Row("POST", "/api/v1/orgs/{id}/tokens", scoped(writer),
        [T(code, {"id": ORG[code]}, ORG[code], ok=201) for code in AGENCIES + ("TW-TPE",)], body={"name": "made"}),
    Row("GET", "/api/v1/orgs/{id}/tokens", scoped(reader), orgs_t(SOME_ORGS), items="orgs"),
    Row("DELETE", "/api/v1/orgs/{id}/tokens/{token}", scoped(writer),
        [T(code, throwaway_token(code), ORG[code], ok=204) for code in AGENCIES]
        + [T("KHH token under TPE-HR", token_elsewhere, ORG["TPE-HR"], ok=404)]),
    Row("GET", "/api/v1/orgs/{id}/users", scoped(reader), orgs_t(SOME_ORGS), items="orgs"),
    Row("POST", "/api/v1/orgs/{id}/users", scoped(writer),
        [T(code, {"id": ORG[code]}, ORG[code], ok=201) for code in AGENCIES + ("TW-HUA",)]
        # a role stronger than the caller's own: only the national admin may grant national_admin
        + [T("own org, national_admin", lambda c: {"id": c.org or NAT}, lambda c: c.org, ok=201,
             extra="national_admin", rule=scoped(admin_only, scope=False))], body=new_user_body),
    Row("PUT", "/api/v1/users/{id}", scoped(writer),
        [T(code, {"id": TARGET_USER[code]}, ORG[code]) for code in AGENCIES]
        # granting a role above the caller's own to an account of its org: only the national admin
        + [T("own org, one rank up", lambda c: {"id": TARGET_USER[CODE[c.org or ORG["TPE-HR"]]]}, lambda c: c.org,
             extra="promote", rule=scoped(admin_only, scope=False))],
        body=lambda c, t: {"role": RANK_UP[c.role]} if t.extra == "promote" else {"display_name": "Target"}),
    Row("POST", "/api/v1/users/{id}/password", scoped(writer),
        [T(code, {"id": TARGET_USER[code]}, ORG[code], ok=204) for code in AGENCIES]
        + [T("self", lambda c: {"id": c.user_id or TARGET_USER["TPE-HR"]}, lambda c: c.org, ok=204)],
        body=password_body, after=relogin_self),
    # ---- uploads, findings
    Row("POST", "/api/v1/agencies/{id}/uploads", scoped(uploader),
        [T(code, {"id": ORG[code], "?": "month=2026-10"}, ORG[code], ok=201) for code in AGENCIES]
        + [T("TW-TPE (a county)", {"id": ORG["TW-TPE"], "?": "month=2026-10"}, ORG["TW-TPE"], ok=422)],
        body=("raw", BODY)),
    Row("GET", "/api/v1/agencies/{id}/uploads", scoped(reader), AG_T, items="orgs"),
    Row("GET", "/api/v1/uploads/{id}", scoped(reader), UP_T),
    Row("GET", "/api/v1/agencies/{id}/findings", scoped(reader),
        AG_T + [T(code, {"id": ORG[code]}, ORG[code]) for code in ("TW-TPE", "TW-HUA", "TW-KHH")], items="orgs"),
    Row("GET", "/api/v1/findings/{id}", scoped(reader), FIND_T),
    Row("POST", "/api/v1/findings/{id}/transition", scoped(writer),
        [T(code, {"id": FINDING_T[code]}, ORG[code]) for code in AGENCIES], body=TRANSITION),
    Row("GET", "/api/v1/findings/{id}/audit", scoped(reader), FIND_T),
    Row("GET", "/api/v1/findings/{id}/sources", scoped(reader), FIND_T),
    Row("GET", "/api/v1/findings/{id}/advisory", scoped(reader), FIND_T),
    Row("GET", "/api/v1/agencies/{id}/not-affected", scoped(reader), AG_T, items="orgs"),
    Row("POST", "/api/v1/admin/feeds/reload", scoped(admin_only, scope=False), [T("-", {}, NAT)]),
    # ---- dashboard
    Row("GET", "/api/v1/overview", scoped(reader), query_t("", ALL_ORGS), items="orgs"),
    Row("GET", "/api/v1/trends", scoped(reader), query_t("months=3&", SOME_ORGS)),
    Row("GET", "/api/v1/agencies/{id}/hosts", scoped(reader), AG_T, items="orgs"),
    Row("GET", "/api/v1/hosts/{id}", scoped(reader), HOST_T),
    Row("GET", "/api/v1/hosts/{id}/findings", scoped(reader), HOST_T),
    # ---- notices and contacts
    Row("POST", "/api/v1/admin/scheduler/run", scoped(admin_only, scope=False), [T("-", {}, NAT)]),
    Row("GET", "/api/v1/admin/notices", scoped(admin_only, scope=False), [T("-", {}, NAT)]),
    Row("GET", "/api/v1/admin/notices/{id}", scoped(admin_only, scope=False),
        [T("notice", {"id": NOTICE}, NAT), T("unknown", {"id": UNKNOWN}, None)]),
    Row("GET", "/api/v1/orgs/{id}/contacts", scoped(reader), orgs_t(SOME_ORGS)),
    Row("PUT", "/api/v1/orgs/{id}/contacts", scoped(writer),
        [T(code, {"id": ORG[code]}, ORG[code]) for code in SOME_ORGS], body={"emails": ["soc@example.gov.tw"]}),
    # ---- ISAC over /api/v1
    Row("POST", "/api/v1/isac/groups", scoped(isac_admin),
        [T(code, {}, ORG[code], ok=201, extra=code) for code in ("TPE-HR", "TW-HUA", "R-TPE", "TW-KHH")],
        body=lambda c, t: {"code": f"g{next(seq)}", "name": "probe", "orgs": [t.extra]}),
    Row("GET", "/api/v1/isac/groups", scoped(reader, scope=False), [T("-", {}, NAT)]),
    Row("POST", "/api/v1/isac/collections", coll_scoped,
        [T("new", {}, None, ok=201), T("new, group south", {}, None, ok=201, extra="south"),
         T("NORTH again", {}, None, ok=201, extra="north"), T("SOUTH again", {}, None, ok=201, extra="south"),
         T("PUB again", {}, None, ok=201, extra="pub")],
        body=lambda c, t: ({"title": "probe", "can_read": "none", "can_write": "none", "default_tlp": "CLEAR"}
                           if t.label == "new" else
                           {"title": "probe", "group": "south", "can_read": "none", "can_write": "none",
                            "default_tlp": "CLEAR"} if t.label.startswith("new") else
                           COLL_BODY[t.extra.upper()])),
    Row("POST", "/api/v1/isac/approvals", group_scoped(isac_admin),
        [T(g, {}, None, ok=201, extra=g) for g in ("north", "east", "south")],
        body=lambda c, t: {"indicators": [APPROVE], "group": t.extra, "expires": DAY}),
    Row("GET", "/api/v1/isac/approvals", scoped(isac_admin, scope=False), [T("-", {}, NAT)], items="groups"),
    Row("DELETE", "/api/v1/isac/approvals/{id}", group_scoped(isac_admin),
        [T(g, throwaway_approval(g), None, extra=g) for g in ("north", "east", "south")]),
    Row("GET", "/api/v1/isac/blocklists/{group}/{list}", blocklist_rule,
        [T(g, {"group": g, "list": "ip.txt"}, None, extra=g) for g in ("north", "east", "south")]
        + [T("unknown group", {"group": "nope", "list": "ip.txt"}, None)]),
    # after the lists' row: the log then holds fetches of TW (the national admin's) and KHH-EDU,
    # outside R-TPE, which the region analyst's answer must leave out
    Row("GET", "/api/v1/isac/blocklists/{group}/fetches", scoped(isac_admin, scope=False),
        [T(g, {"group": g}, NAT) for g in ("north", "south")], items="fetches"),
    Row("GET", "/api/v1/isac/counters", scoped(reader), query_t("year=2024&", SOME_ORGS)),
    # ---- TAXII 2.1
    Row("GET", "/taxii2/", taxii("open"), [T("-", {}, None)], clients=TAXII_CLIENTS),
    Row("GET", "/taxii2/{root}/", taxii("open"), [T("isac", {"root": "isac"}, None)], clients=TAXII_CLIENTS),
    Row("GET", "/taxii2/{root}/collections/", taxii("open"), [T("isac", {"root": "isac"}, None)],
        items="collections", clients=TAXII_CLIENTS),
    Row("GET", "/taxii2/{root}/collections/{id}/", taxii("coll"), coll_t(), clients=TAXII_CLIENTS),
    Row("GET", COLL + "objects/", taxii("read"), coll_t(), clients=TAXII_CLIENTS),
    Row("GET", COLL + "manifest/", taxii("read"), coll_t(), clients=TAXII_CLIENTS),
    Row("GET", COLL + "objects/{object-id}/", taxii("read"), coll_t(obj_t), clients=TAXII_CLIENTS),
    Row("GET", COLL + "objects/{object-id}/versions/", taxii("read"), coll_t(obj_t), clients=TAXII_CLIENTS),
    Row("POST", COLL + "objects/", taxii("post"), coll_t(), clients=TAXII_CLIENTS,
        body=lambda c, t: {"objects": [indicator()]}),
    Row("DELETE", COLL + "objects/{object-id}/", taxii("delete"), coll_t(throwaway_object), clients=TAXII_CLIENTS),
    Row("GET", "/taxii2/{root}/status/{id}/", taxii("status"),
        [T(org, {"root": "isac", "id": sid}, ORG[org]) for org, sid in STATUS.items()]
        + [T("unknown", {"root": "isac", "id": str(uuid.uuid4())}, None)], clients=TAXII_CLIENTS),
    # last: ends the sessions it is sent with (fresh ones of the same user)
    Row("DELETE", "/api/v1/session", scoped(is_user, scope=False), [T("-", {}, NAT, ok=204, extra="fresh")]),
]

# ---------------------------------------------------------------- coverage guards

DOCS = documented()
ROWS = {(r.method, r.path) for r in TABLE}
missing = sorted(set(DOCS) - ROWS - set(EXCLUDED))
check(not missing, "every endpoint docs/api.md names has a row in TABLE (or is EXCLUDED)",
      "\n".join(f"  {m} {p}   (docs/api.md:{DOCS[(m, p)]})" for m, p in missing))
extra = sorted(ROWS - set(DOCS))
check(not extra, "every row of TABLE is an endpoint docs/api.md documents", "\n".join(f"  {m} {p}" for m, p in extra))
check(not set(EXCLUDED) & ROWS, "nothing is both EXCLUDED and in TABLE", sorted(set(EXCLUDED) & ROWS))
undocumented = sorted(routes() - set(DOCS))
check(not undocumented, "every route the server registers (lf_http_route in src/) is documented",
      "\n".join(f"  {m} {p}" for m, p in undocumented))
check(len(DOCS) >= 50, "the parser finds the documented endpoints", sorted(DOCS))

# ---------------------------------------------------------------- the walk


def fill(template, params):
    return re.sub(r"\{([^}]+)\}", lambda m: str(params[m[1]]), template) + \
        (("?" + params["?"]) if params.get("?") else "")


def items_bad(row, c, js):
    """Items of a list answer naming an org outside the caller's scope (or, for TAXII's
    collections, a set of collections other than the caller's)."""
    if row.items == "collections":
        got = {x["id"] for x in js.get("collections", [])} & set(CID.values())
        want = {CID[n] for n in COLLS if any(access(c, n))}
        return [] if got == want else [f"collections {sorted(got)} != {sorted(want)}"]
    bad = []
    for it in (js.get("items") or []) + (js.get("rows") or []):
        if row.items == "groups":
            orgs = GROUP_ORGS.get(it["group"])
            if orgs is None:
                GROUP_ORGS.update({g["code"]: g["orgs"] for g in A.req("GET", "/api/v1/isac/groups")[1]["items"]})
                orgs = GROUP_ORGS.get(it["group"], [])
            if not all(within(o, c.org) for o in orgs):
                bad.append(it)
            continue
        is_org = it.get("kind") in ("national", "region", "county", "agency")   # an org itself
        for k in ("org_id", "agency_id", "org", "id" if is_org else "-"):
            o = it.get(k)
            o = o.get("id") if isinstance(o, dict) else o
            if o is not None and not within(str(o), c.org):
                bad.append({k: o})
    return bad


# the national admin's session without its X-CSRF-Token: every unsafe method that needs
# authentication is 403 (docs/api.md, "Authentication"), the rest as for the admin
NOCSRF = Who.__new__(Who)
NOCSRF.__dict__.update(ADMIN.__dict__, name="admin_nocsrf", nocsrf=True)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def expect(row, t, c):
    if getattr(c, "nocsrf", False) and row.method in UNSAFE and row.rule is not open_rule:
        return 403
    return (t.rule or row.rule)(c, t)


def answer_ok(row, c, path, st, js, want):
    """(as expected, what came back)"""
    got = f"expected {want}, got {st}: {json.dumps(js, ensure_ascii=False)[:300] if js else ''}"
    if st != want:
        return False, got
    if st in (401, 403):
        code = "unauthorized" if st == 401 else "forbidden"
        if path.startswith("/taxii2/"):
            good = bool(js) and str(js.get("http_status")) == str(st)
        else:
            good = bool(js) and js.get("error", {}).get("code") == code
        return good, f"{st} without its error body ({code}): {js}"
    if st == 200 and row.items and js:
        bad = items_bad(row, c, js)
        return not bad, f"200 lists what is outside {c.name}'s scope: {json.dumps(bad, ensure_ascii=False)[:400]}"
    return True, got


cells, known_seen, matrix = 0, {}, []
for row in TABLE:
    for t in row.targets:
        line = []
        for c in (row.clients or CLIENTS) + [NOCSRF]:
            want = expect(row, t, c)
            params = t.params(c) if callable(t.params) else t.params
            path = fill(row.path, params)
            cl = c.fresh() if t.extra == "fresh" else c.c
            body = row.body(c, t) if callable(row.body) else row.body
            kw = {"csrf": not getattr(c, "nocsrf", False)}
            if isinstance(body, tuple):
                st, js = cl.req(row.method, path, raw=body[1], ctype="text/csv", **kw)
            else:
                st, js = cl.req(row.method, path, body, **kw)
            cells += 1
            line.append(str(st) if st == want else f"{st}!{want}")
            if row.after:
                row.after(c, t, st)
            good, detail = answer_ok(row, c, path, st, js, want)
            key = (row.method, row.path, c.name, t.label)
            what = f"{c.name} {row.method} {path} [{t.label}]"
            if key in KNOWN_BUGS:
                known_seen[key] = (good, detail)
                check(not good, f"known bug no longer reproduces (remove it from KNOWN_BUGS): {what}", detail)
            else:
                check(good, what, detail)
        matrix.append(f"{row.method:6} {row.path} [{t.label}]: {' '.join(line)}")

if os.environ.get("LF_SCOPE_MATRIX"):
    print("clients: " + " ".join(c.name for c in TAXII_CLIENTS + [NOCSRF]) + " (token_basic on /taxii2/ only)")
    print("\n".join(matrix))
check(not set(KNOWN_BUGS) - set(known_seen), "every KNOWN_BUGS entry is a cell of TABLE",
      sorted(set(KNOWN_BUGS) - set(known_seen)))
for key, (good, detail) in sorted(known_seen.items()):
    if not good:
        print(f"KNOWN BUG: {key[2]} {key[0]} {key[1]} [{key[3]}]: {detail}\n    {KNOWN_BUGS[key]}")
nknown = sum(1 for good, _ in known_seen.values() if not good)
print(f"{len(DOCS)} documented endpoints, {len(TABLE)} rows, {len(TAXII_CLIENTS) + 1} clients, {cells} cells "
      f"({nknown} known bugs); setup {SETUP_S:.1f} s, total {time.time() - T0:.1f} s")
LF.stop()
hook.shutdown()
check.finish(LF.errlog)
