#!/usr/bin/env python3
"""Integration test of the TAXII 2.1 server (/taxii2/) on the real `lianfang serve`: a fresh
store with agencies, users and API tokens; a sharing group and collections created through
/api/v1/isac/; then every endpoint (discovery, API root, collections, collection, objects GET
and POST, object GET and DELETE, manifest, versions, status), every filter and their
combinations, version selection, pagination exactness while other clients POST, media types
(406, 415), 413, 401/403/404, each TLP 2.0 rule, and the role x endpoint table. With
`lianfang isac load` (or $LF_TAXII_LOAD_CMD DATA FILE) it also loads the OASIS reference
server's data ($LF_SHARED_DATA/stix/taxii_default_data.json, skipped when absent) and checks
the answers the specification gives for it. Python standard library only."""
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid

from lfharness import Checks, Client, Instance

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("LF_SHARED_DATA", os.path.join(os.path.dirname(SRC), "shared", "data"))
REF = os.path.join(SHARED, "stix", "taxii_default_data.json")
FIXTURE = os.path.join(SRC, "tests", "fixtures", "stix", "taxii_fixture.json")
TAXII = "application/taxii+json;version=2.1"
TLP = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
check = Checks()
LF = Instance(BIN, "lf-taxii-")
DATA, ENV = LF.data, LF.env


def load(path):
    """`lianfang isac load`, or the helper named by $LF_TAXII_LOAD_CMD; None when neither exists."""
    cmd = os.environ.get("LF_TAXII_LOAD_CMD")
    if cmd:
        return subprocess.run([cmd, DATA, "load", path], capture_output=True, text=True, env=ENV)
    r = LF.run("isac", "load", path)
    if r.returncode != 0 and ("unknown" in r.stderr.lower() or "usage" in r.stderr.lower()) and "load" not in r.stderr:
        return None
    return r


def add_user(login, role, org, pw):
    LF.add_user(login, role, org, login + "@example.gov.tw", pw)


add_user("admin", "national_admin", "TW", "admin-pass-1")
PORT = LF.serve()


def client(token=None, basic=False):
    """A user agent: a session (cookie + CSRF), a Bearer token, a Basic token, or nobody;
    Accept is TAXII's unless a request says accept=None."""
    return Client(PORT, token=token, basic=basic, media=TAXII, accept=TAXII, timeout=60)


def session(login, pw):
    c = client()
    c.login(login, pw)
    return c


def post_objects(who, root, coll, objs):
    return who.send("POST", f"/taxii2/{root}/collections/{coll}/objects/", {"objects": objs})


def object_ids(who, root, coll, query=""):
    st, js = who.req("GET", f"/taxii2/{root}/collections/{coll}/objects/{query}")
    return st, sorted(o["id"] for o in (js or {}).get("objects", []))


admin = session("admin", "admin-pass-1")
st, me = admin.req("GET", "/api/v1/me", accept=None)
national = me["org"]["id"]
st, regions = admin.req("GET", f"/api/v1/orgs/{national}/children?limit=10", accept=None)
counties = {}
for rg in regions["items"]:
    for c in admin.req("GET", f"/api/v1/orgs/{rg['id']}/children", accept=None)[1]["items"]:
        counties[c["code"]] = c["id"]
orgs = {}
for code, county in (("TPE-A", "TW-TPE"), ("TPE-B", "TW-TPE"), ("KHH-A", "TW-KHH")):
    st, js = admin.req("POST", f"/api/v1/orgs/{counties[county]}/agencies",
                       {"code": code, "name_zh": code, "name_en": code, "level": "B"}, accept=None)
    assert st == 201, js
    orgs[code] = js["id"] if "id" in js else js["org"]["id"]
add_user("analyst", "region_analyst", "R-TPE", "analyst-pass-1")
add_user("officer_a", "agency_officer", "TPE-A", "officer-pass-1")
add_user("ro_a", "read_only", "TPE-A", "ro-pass-1")
add_user("officer_k", "agency_officer", "KHH-A", "officer-pass-2")
analyst = session("analyst", "analyst-pass-1")
officer_a = session("officer_a", "officer-pass-1")
ro_a = session("ro_a", "ro-pass-1")
officer_k = session("officer_k", "officer-pass-2")
tokens = {}
for code in ("TPE-A", "TPE-B", "KHH-A"):
    st, js = admin.req("POST", f"/api/v1/orgs/{orgs[code]}/tokens", {"name": "taxii-" + code}, accept=None)
    assert st == 201, js
    tokens[code] = js["secret"]
st, js = admin.req("POST", f"/api/v1/orgs/{national}/tokens", {"name": "taxii-national"}, accept=None)
tokens["TW"] = js["secret"]
tok_a, tok_b, tok_k = client(tokens["TPE-A"]), client(tokens["TPE-B"], basic=True), client(tokens["KHH-A"])
tok_nat = client(tokens["TW"])
anon = client()

# ---- sharing group and collections (lianfang API)
st, js = admin.req("POST", "/api/v1/isac/groups", {"code": "north", "name": "North ISAC", "orgs": ["TW-TPE"]},
                   accept=None)
check(st == 201 and len(js["orgs"]) == 1, "group created", js)
st, js = officer_a.req("POST", "/api/v1/isac/groups", {"code": "x", "name": "x", "orgs": ["TPE-A"]}, accept=None)
check(st == 403, "agency officer may not create groups", js)
st, js = admin.req("GET", "/api/v1/isac/groups", accept=None)
check(st == 200 and [g["code"] for g in js["items"]] == ["north"], "group list", js)


def mkcoll(title, group, rd, wr, tlp):
    body = {"title": title, "can_read": rd, "can_write": wr, "default_tlp": tlp}
    if group:
        body["group"] = group
    st, js = admin.req("POST", "/api/v1/isac/collections", body, accept=None)
    assert st == 201, js
    return js["id"]


SHARED_C = mkcoll("North shared", "north", "community", "group", "GREEN")
CLOSED = mkcoll("North closed", "north", "group", "group", "AMBER")
PUBLIC = mkcoll("Public", None, "public", "community", "CLEAR")
SEALED = mkcoll("Sealed", "north", "none", "none", "RED")
WONLY = mkcoll("Drop box", "north", "none", "group", "GREEN")
st, js = analyst.req("POST", "/api/v1/isac/collections", {"title": "t", "can_read": "group", "can_write": "group",
                                                          "default_tlp": "GREEN"}, accept=None)
check(st == 422, "group access without a group -> 422", js)

# ---- discovery, API root, collections
for who, name in ((tok_a, "Bearer"), (tok_b, "Basic"), (admin, "session"), (anon, "anonymous")):
    st, js, resp, _ = who.send("GET", "/taxii2/")
    check(st == 200 and js["api_roots"] == [f"http://127.0.0.1:{PORT}/taxii2/isac/"] and
          resp.getheader("Content-Type") == TAXII, f"discovery ({name})", js)
st, js = tok_a.req("GET", "/taxii2/isac/")
check(st == 200 and js["versions"] == [TAXII] and js["max_content_length"] == 1048576, "API root", js)
st, js = tok_a.req("GET", "/taxii2/nope/")
check(st == 404 and js["http_status"] == "404", "unknown API root -> 404", js)
st, js = tok_a.req("GET", "/taxii2/isac/collections/")
seen = {c["id"]: (c["can_read"], c["can_write"]) for c in js["collections"]}
check(seen == {SHARED_C: (True, True), CLOSED: (True, True), PUBLIC: (True, True), WONLY: (False, True)},
      "collections of a group member", js)
st, js = tok_k.req("GET", "/taxii2/isac/collections/")
seen = {c["id"]: (c["can_read"], c["can_write"]) for c in js["collections"]}
check(seen == {SHARED_C: (True, False), PUBLIC: (True, True)}, "collections of a non-member", js)
st, js = anon.req("GET", "/taxii2/isac/collections/")
check(st == 200 and [c["id"] for c in js["collections"]] == [PUBLIC], "collections of nobody: the public one", js)
st, js = ro_a.req("GET", "/taxii2/isac/collections/")
seen = {c["id"]: (c["can_read"], c["can_write"]) for c in js["collections"]}
check(seen.get(SHARED_C) == (True, False), "read_only member cannot write", js)
st, js = tok_a.req("GET", f"/taxii2/isac/collections/{SHARED_C}/")
check(st == 200 and js["title"] == "North shared" and js["media_types"] == ["application/stix+json;version=2.1"],
      "collection", js)
check(tok_k.req("GET", f"/taxii2/isac/collections/{CLOSED}/")[0] == 404, "unreadable collection -> 404")
check(tok_a.req("GET", f"/taxii2/isac/collections/{SEALED}/")[0] == 404, "sealed collection -> 404")
check(tok_a.req("GET", f"/taxii2/isac/collections/{uuid.uuid4()}/")[0] == 404, "unknown collection -> 404")
st, js, resp, _ = anon.send("GET", f"/taxii2/isac/collections/{SHARED_C}/objects/")
check(st == 401 and "Basic" in (resp.getheader("WWW-Authenticate") or ""), "anonymous on a member collection -> 401",
      js)
check(client("lft_" + "0" * 64).req("GET", "/taxii2/isac/collections/")[0] == 401, "unknown token -> 401")
check(client("lft_" + "0" * 64, basic=True).req("GET", "/taxii2/")[0] == 401, "unknown Basic token -> 401")
st, js = anon.req("GET", "/taxii2/isac/status/" + str(uuid.uuid4()) + "/")
check(st == 401, "status needs authentication", js)

# ---- media types
check(tok_a.req("GET", "/taxii2/", accept="application/json")[0] == 406, "Accept application/json -> 406")
check(tok_a.req("GET", "/taxii2/", accept="application/taxii+json;version=2.0")[0] == 406, "Accept version 2.0 -> 406")
check(tok_a.req("GET", "/taxii2/", accept="application/taxii+json")[0] == 200, "Accept without version -> 200")
check(tok_a.req("GET", "/taxii2/", accept="text/html, */*;q=0.1")[0] == 200, "Accept with */* -> 200")
check(tok_a.req("GET", "/taxii2/", accept=TAXII + ";q=0")[0] == 406, "Accept q=0 -> 406")


def ind(n, tlp=None, modified="2024-01-01T00:00:00.000Z", extra=None):
    """An indicator with a deterministic id."""
    o = {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, str(n))}",
         "created": "2024-01-01T00:00:00.000Z", "modified": modified, "name": f"ioc {n}",
         "pattern": f"[ipv4-addr:value = '198.51.100.{hash(str(n)) % 250 + 1}']", "pattern_type": "stix",
         "valid_from": "2024-01-01T00:00:00Z", "indicator_types": ["malicious-activity"]}
    if tlp:
        o["object_marking_refs"] = [TLP[tlp]]
    o.update(extra or {})
    return o


st, js = tok_a.req("POST", f"/taxii2/isac/collections/{SHARED_C}/objects/", raw=b'{"objects":[]}',
                   ctype="application/json")
check(st == 415, "POST as application/json -> 415", js)
st, js = tok_a.req("POST", f"/taxii2/isac/collections/{SHARED_C}/objects/", raw=b'{"objects":', ctype=TAXII)
check(st == 400 and "JSON" in js["description"], "POST of broken JSON -> 400", js)
st, js = tok_a.req("POST", f"/taxii2/isac/collections/{SHARED_C}/objects/", raw=b'{"objs":[]}', ctype=TAXII)
check(st == 400, "POST of a non-envelope -> 400", js)
big = json.dumps({"objects": [ind(i) for i in range(3000)]}).encode()


def post_headers_only(path, length, token):
    """Send only the headers of a large POST: the server refuses it from Content-Length."""
    import socket
    with socket.create_connection(("127.0.0.1", PORT), timeout=30) as sk:
        sk.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {TAXII}\r\nContent-Type: {TAXII}\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Length: {length}\r\n\r\n").encode())
        got = b""
        while True:   # the whole answer: headers, then Content-Length bytes of body
            part = sk.recv(4096)
            got += part
            hd, sep, rest = got.partition(b"\r\n\r\n")
            cl = re.search(rb"(?im)^content-length: *(\d+)", hd)
            if not part or (sep and cl and len(rest) >= int(cl.group(1))):
                return got.decode(errors="replace")


head = post_headers_only(f"/taxii2/isac/collections/{SHARED_C}/objects/", len(big), tokens["TPE-A"])
check(len(big) > 1048576 and head.startswith("HTTP/1.1 413"), "POST above max_content_length -> 413", head[:200])
body413 = json.loads(head.split("\r\n\r\n", 1)[1]) if "\r\n\r\n" in head else {}
check(body413.get("http_status") == "413" and "1048576" in body413.get("description", "") and
      "Content-Type: " + TAXII in head, "the 413 is a TAXII error naming max_content_length", head[:600])
check(tok_a.req("PUT", f"/taxii2/isac/collections/{SHARED_C}/objects/", raw=b"{}")[0] == 405, "PUT -> 405")
check(tok_a.req("POST", f"/taxii2/isac/collections/{SHARED_C}/manifest/", raw=b"{}")[0] == 405, "POST manifest -> 405")

# ---- POST: valid objects stored, invalid ones reported; the status resource
tlp_objs = {t: ind("tlp-" + t, t) for t in TLP}
tlp_objs["RED"]["x_lianfang_recipients"] = ["TPE-B"]
tlp_objs["none"] = ind("tlp-none")
bad1 = ind("bad-1", extra={"valid_until": "2020-01-01T00:00:00Z"})     # before valid_from
bad2 = {"type": "indicator", "id": "indicator--nope"}
bad3 = ind("bad-3", "RED", extra={"x_lianfang_recipients": ["NO-SUCH-ORG"]})
st, js, resp, _ = post_objects(tok_a, "isac", SHARED_C, list(tlp_objs.values()) + [bad1, bad2, bad3])
check(st == 202 and js["status"] == "complete" and js["total_count"] == 9 and js["success_count"] == 6 and
      js["failure_count"] == 3 and js["pending_count"] == 0 and resp.getheader("Content-Type") == TAXII,
      "POST envelope -> 202 with counts", js)
fails = {f["id"]: f["message"] for f in js.get("failures", [])}
check("valid_until" in fails.get(bad1["id"], ""), "invalid object reported with the property", fails)
check("NO-SUCH-ORG" in fails.get(bad3["id"], ""), "unknown TLP:RED recipient reported", fails)
check(any("indicator--nope" == k and "id" in v for k, v in fails.items()), "bad identifier reported", fails)
status_id = js["id"]
st, js2 = tok_a.req("GET", f"/taxii2/isac/status/{status_id}/")
check(st == 200 and js2["id"] == status_id and js2["success_count"] == 6, "status by the poster", js2)
check(officer_a.req("GET", f"/taxii2/isac/status/{status_id}/")[0] == 200, "status by the poster's organisation")
check(admin.req("GET", f"/taxii2/isac/status/{status_id}/")[0] == 200, "status by the national centre")
check(tok_b.req("GET", f"/taxii2/isac/status/{status_id}/")[0] == 404, "status of another agency -> 404")
st, js, _, _ = post_objects(tok_a, "isac", SHARED_C, [tlp_objs["GREEN"]])
check(st == 202 and js["success_count"] == 1 and "already" in js["successes"][0]["message"],
      "the same version again: success, not stored twice", js)

# byte-exact storage: the object comes back as sent
raw_obj = b'{ "type":"indicator" ,"spec_version":"2.1","id":"indicator--1f2d3c4b-5a69-4788-9aab-bccddeeff001",' \
          b'"created":"2024-02-01T00:00:00Z","modified":"2024-02-01T00:00:00Z","pattern":"[url:value = \'http://x.test/\']",' \
          b'"pattern_type":"stix","valid_from":"2024-02-01T00:00:00Z","name":"\\u53f0\\u5317 exact"  }'
st, js = tok_a.req("POST", f"/taxii2/isac/collections/{SHARED_C}/objects/", raw=b'{"objects":[' + raw_obj + b']}')
c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
c.request("GET", f"/taxii2/isac/collections/{SHARED_C}/objects/indicator--1f2d3c4b-5a69-4788-9aab-bccddeeff001/",
          headers={"Accept": TAXII, "Authorization": "Bearer " + tokens["TPE-A"]})
body = c.getresponse().read()
check(raw_obj in body, "object JSON kept byte for byte", body)

# ---- TLP 2.0 on read (docs/design.md, "ISAC")
readers = {"tok_a": tok_a, "tok_b": tok_b, "analyst": analyst, "admin": admin, "tok_k": tok_k, "officer_a": officer_a}
want = {  # who sees which level in a community-readable collection of the group, posted by TPE-A
    "CLEAR": {"tok_a", "tok_b", "analyst", "admin", "tok_k", "officer_a"},
    "GREEN": {"tok_a", "tok_b", "analyst", "admin", "tok_k", "officer_a"},
    "AMBER": {"tok_a", "tok_b", "analyst", "admin", "officer_a"},          # the group (and TPE-A)
    "AMBER+STRICT": {"tok_a", "officer_a"},                                 # TPE-A only
    "RED": {"tok_a", "officer_a", "tok_b"},                                 # TPE-A and the named TPE-B
    "none": {"tok_a", "tok_b", "analyst", "admin", "tok_k", "officer_a"},   # default GREEN
}
for level, obj in tlp_objs.items():
    for name, who in readers.items():
        st, got = object_ids(who, "isac", SHARED_C, f"?match[id]={obj['id']}")
        check(st == 200 and (got == [obj["id"]]) == (name in want[level]), f"TLP {level}: {name}", (st, got))
        st2, _ = who.req("GET", f"/taxii2/isac/collections/{SHARED_C}/objects/{obj['id']}/")
        check(st2 == (200 if name in want[level] else 404), f"TLP {level} by id: {name}", st2)
# public collection: CLEAR to everyone, GREEN only to authenticated readers
pub_clear, pub_green, pub_none = ind("pub-clear", "CLEAR"), ind("pub-green", "GREEN"), ind("pub-none")
st, js, _, _ = post_objects(tok_k, "isac", PUBLIC, [pub_clear, pub_green, pub_none])
check(st == 202 and js["success_count"] == 3, "community write to the public collection", js)
st, got = object_ids(anon, "isac", PUBLIC)
check(st == 200 and got == sorted([pub_clear["id"], pub_none["id"]]), "anonymous: TLP:CLEAR (and default CLEAR) only",
      got)
st, got = object_ids(tok_a, "isac", PUBLIC)
check(got == sorted([pub_clear["id"], pub_green["id"], pub_none["id"]]), "authenticated: CLEAR and GREEN", got)
check(anon.req("POST", f"/taxii2/isac/collections/{PUBLIC}/objects/", {"objects": []})[0] == 401,
      "anonymous may not write")
# closed collection: unmarked objects default to AMBER
cl = ind("closed-1")
check(post_objects(tok_b, "isac", CLOSED, [cl])[0] == 202, "member writes to the closed collection")
check(object_ids(analyst, "isac", CLOSED)[1] == [cl["id"]], "AMBER default: a member of the group reads it")
check(object_ids(tok_k, "isac", CLOSED)[0] == 404, "non-member: the closed collection does not exist")

# ---- role x endpoint (403 where the spec says forbidden)
OBJS = f"/taxii2/isac/collections/{SHARED_C}/objects/"
ONE = f"{OBJS}{tlp_objs['GREEN']['id']}/"
table = [  # (client, method, path, body, expected)
    (ro_a, "POST", OBJS, {"objects": [ind("ro")]}, 403),          # read_only role
    (ro_a, "DELETE", ONE, None, 403),
    (officer_k, "POST", OBJS, {"objects": [ind("k")]}, 403),       # not a member: can_write false
    (tok_k, "DELETE", ONE, None, 403),
    (officer_a, "GET", f"/taxii2/isac/collections/{WONLY}/objects/", None, 403),   # can_read false
    (officer_a, "GET", f"/taxii2/isac/collections/{WONLY}/manifest/", None, 403),
    (officer_a, "POST", f"/taxii2/isac/collections/{WONLY}/objects/", {"objects": [ind("drop")]}, 202),
    (tok_k, "GET", f"/taxii2/isac/collections/{WONLY}/objects/", None, 404),        # invisible
    (tok_a, "GET", f"/taxii2/isac/collections/{SEALED}/objects/", None, 404),
    (officer_a, "POST", OBJS, {"objects": [ind("officer")]}, 202),
    (analyst, "POST", OBJS, {"objects": [ind("analyst")]}, 202),
    (tok_k, "GET", OBJS, None, 200),
    (ro_a, "GET", OBJS, None, 200),
]
for who, method, path, body, expect in table:
    st, js = who.req(method, path, body)
    check(st == expect, f"{method} {path} -> {expect}", (st, js))
st, js = session("officer_a", "officer-pass-1").req("POST", OBJS, {"objects": []}, headers={})
sess = client()
sess.cookie = officer_a.cookie  # no CSRF token
check(sess.req("POST", OBJS, {"objects": [ind("csrf")]})[0] == 403, "session POST without CSRF -> 403")

# ---- versions and version selection
v1, v2, v3 = "2024-03-01T00:00:00.000Z", "2024-03-02T00:00:00.5Z", "2024-03-03T00:00:00Z"
ver = [ind("versioned", modified=v) for v in (v1, v2, v3)]
VID = ver[0]["id"]
check(post_objects(tok_a, "isac", SHARED_C, [ver[1], ver[0]])[0] == 202, "two versions posted")
check(post_objects(tok_b, "isac", SHARED_C, [ver[2]])[0] == 202, "a third version by another member")
st, js, _, _ = post_objects(tok_a, "isac", SHARED_C, [ind("versioned", modified="2024-03-02T00:00:00.500000Z")])
check("already" in js["successes"][0]["message"], "a version written with more digits is the same version", js)


def versions_of(query):
    st, js = tok_a.req("GET", f"{OBJS}?match[id]={VID}{query}")
    return st, [o["modified"] for o in (js or {}).get("objects", [])]


check(versions_of("") == (200, [v3]), "default: the last version", versions_of(""))
check(versions_of("&match[version]=last")[1] == [v3], "match[version]=last")
check(versions_of("&match[version]=first")[1] == [v1], "match[version]=first")
check(sorted(versions_of("&match[version]=all")[1]) == sorted([v1, v2, v3]), "match[version]=all")
check(versions_of("&match[version]=2024-03-02T00:00:00.500Z")[1] == [v2], "match[version]=<timestamp>")
check(sorted(versions_of("&match[version]=first,last")[1]) == sorted([v1, v3]), "match[version]=first,last")
check(sorted(versions_of(f"&match[version]={v1},{v3}")[1]) == sorted([v1, v3]), "two timestamps")
check(versions_of("&match[version]=2030-01-01T00:00:00Z")[1] == [], "an absent version: nothing")
check(tok_a.req("GET", f"{OBJS}?match[version]=yesterday")[0] == 400, "a malformed version -> 400")
st, js = tok_a.req("GET", f"{OBJS}{VID}/versions/")
check(st == 200 and sorted(js["versions"]) == sorted([v1, v2, v3]) and js["more"] is False, "versions endpoint", js)
st, js = tok_a.req("GET", f"{OBJS}{VID}/versions/?limit=2")
check(len(js["versions"]) == 2 and js["more"] is True and "next" in js, "versions paged", js)
st, js2 = tok_a.req("GET", f"{OBJS}{VID}/versions/?limit=2&next={js['next']}")
check(len(js2["versions"]) == 1 and js2["more"] is False, "versions page 2", js2)
st, js = tok_a.req("GET", f"{OBJS}{VID}/?match[version]=all")
check(st == 200 and len(js["objects"]) == 3, "object by id, all versions", js)
st, js = tok_a.req("GET", f"/taxii2/isac/collections/{SHARED_C}/manifest/?match[id]={VID}&match[version]=all")
check(st == 200 and sorted(m["version"] for m in js["objects"]) == sorted([v1, v2, v3]) and
      all(m["media_type"] == "application/stix+json;version=2.1" and m["date_added"].endswith("Z")
          for m in js["objects"]), "manifest", js)

# ---- filters and their combinations
mal = {"type": "malware", "spec_version": "2.1", "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
       "created": "2024-04-01T00:00:00Z", "modified": "2024-04-01T00:00:00Z", "name": "Pony", "is_family": False}
ip = {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
      "value": "198.51.100.3"}
st, js, _, _ = post_objects(tok_a, "isac", SHARED_C, [mal, ip])
check(st == 202 and js["success_count"] == 2, "malware and an SCO posted", js)
st, js = tok_a.req("GET", f"{OBJS}?match[type]=malware")
check([o["id"] for o in js["objects"]] == [mal["id"]], "match[type]=malware", js)
st, js = tok_a.req("GET", f"{OBJS}?match[type]=malware,ipv4-addr")
check(sorted(o["id"] for o in js["objects"]) == sorted([mal["id"], ip["id"]]), "match[type]=two types", js)
st, js = tok_a.req("GET", f"{OBJS}?match[type]=malware&match[type]=ipv4-addr")
check(len(js["objects"]) == 2, "match[type] repeated", js)
st, js = tok_a.req("GET", f"{OBJS}?match[id]={mal['id']},{VID}&match[type]=indicator")
check([o["id"] for o in js["objects"]] == [VID], "match[id] x match[type]", js)
st, js = tok_a.req("GET", f"{OBJS}?match[id]={VID}&match[type]=indicator&match[version]=first")
check([o["modified"] for o in js["objects"]] == [v1], "match[id] x match[type] x match[version]", js)
st, js = tok_a.req("GET", f"{OBJS}?match[spec_version]=2.0")
check(js["objects"] == [], "match[spec_version]=2.0: none posted", js)
st, js = tok_a.req("GET", f"{OBJS}?match[spec_version]=2.1&match[type]=ipv4-addr")
check([o["id"] for o in js["objects"]] == [ip["id"]], "match[spec_version] x match[type]", js)
st, js, resp, _ = tok_a.send("GET", f"{OBJS}?match[type]=malware")
added = resp.getheader("X-TAXII-Date-Added-First")
check(added and added == resp.getheader("X-TAXII-Date-Added-Last") and re.match(r"\d{4}-\d\d-\d\dT.*\.\d{6}Z$", added),
      "X-TAXII-Date-Added-First/Last", added)
st, js = tok_a.req("GET", f"{OBJS}?added_after={added}&match[type]=malware")
check(js["objects"] == [], "added_after is exclusive", js)
st, js = tok_a.req("GET", f"{OBJS}?added_after=2000-01-01T00:00:00Z&match[type]=malware")
check(len(js["objects"]) == 1, "added_after before everything", js)
check(tok_a.req("GET", f"{OBJS}?added_after=last-tuesday")[0] == 400, "malformed added_after -> 400")
check(tok_a.req("GET", f"{OBJS}?limit=0")[0] == 400, "limit=0 -> 400")
check(tok_a.req("GET", f"{OBJS}?next=garbage")[0] == 400, "malformed next -> 400")
st, js = tok_a.req("GET", f"{OBJS}?match[color]=red&match[type]=malware")
check(st == 200 and len(js["objects"]) == 1, "an unknown filter is ignored", js)

# ---- DELETE
st, js = tok_a.req("DELETE", f"{OBJS}{VID}/?match[version]={v1}")
check(st == 200, "DELETE one version", js)
check(sorted(tok_a.req("GET", f"{OBJS}{VID}/versions/")[1]["versions"]) == sorted([v2, v3]), "two versions left")
st, js = tok_a.req("DELETE", f"{OBJS}{VID}/")
check(st == 200 and tok_a.req("GET", f"{OBJS}{VID}/")[0] == 404, "DELETE every version, then 404", js)
check(tok_a.req("DELETE", f"{OBJS}{VID}/")[0] == 404, "DELETE of an absent object -> 404")
check(tok_b.req("DELETE", f"{OBJS}{tlp_objs['AMBER+STRICT']['id']}/")[0] == 404,
      "DELETE of an object one may not see -> 404")

# ---- pagination: exact while other clients POST
PAGED = mkcoll("Paged", "north", "group", "group", "GREEN")
first = [ind(f"page-{i}") for i in range(120)]
check(post_objects(tok_a, "isac", PAGED, first)[0] == 202, "first batch for paging")
later = [[ind(f"page-late-{k}-{i}") for i in range(40)] for k in range(4)]
got, pages, nxt = [], 0, None
posters = [threading.Thread(target=post_objects, args=(tok_b, "isac", PAGED, batch)) for batch in later]
while True:
    q = f"?limit=37" + (f"&next={nxt}" if nxt else "")
    st, js, resp, _ = tok_a.send("GET", f"/taxii2/isac/collections/{PAGED}/objects/{q}")
    assert st == 200, js
    got += [o["id"] for o in js["objects"]]
    if js["objects"]:
        man = tok_a.req("GET", f"/taxii2/isac/collections/{PAGED}/manifest/{q}")[1]
        check(resp.getheader("X-TAXII-Date-Added-First") == man["objects"][0]["date_added"], "first header = manifest")
    pages += 1
    if pages == 2:
        for t in posters:
            t.start()
    if not js["more"]:
        break
    nxt = js["next"]
for t in posters:
    t.join()
# whatever arrived after the last page comes with the last token
st, js = tok_a.req("GET", f"/taxii2/isac/collections/{PAGED}/objects/?limit=10000" + (f"&next={nxt}" if nxt else ""))
expected = {o["id"] for o in first} | {o["id"] for b in later for o in b}
check(len(got) == len(set(got)), "no object twice across pages", len(got) - len(set(got)))
tail = [o["id"] for o in js["objects"] if o["id"] not in set(got)]
check(set(got) | set(tail) == expected and len(got) + len(tail) == len(expected), "none missing across pages",
      (len(got), len(tail), len(expected)))
dates = [m["date_added"] for m in tok_a.req("GET", f"/taxii2/isac/collections/{PAGED}/manifest/?limit=10000")[1]
         ["objects"]]
check(len(dates) == len(set(dates)) == len(expected) and dates == sorted(dates),
      "date_added strictly increasing in a collection", dates[:5])

# ---- the OASIS reference server's data and our fixture (lianfang isac load)
r = load(FIXTURE)
if r is None:
    print("SKIP: `lianfang isac load` is not wired into this build: reference data not checked")
else:
    check(r.returncode == 0, "isac load fixture", r.stderr)
    st, js = tok_a.req("GET", "/taxii2/tiny/")
    check(st == 200 and js["max_content_length"] == 4096, "fixture root", js)
    TINY = "0c4bdb2a-0b0c-4ad5-b2e9-2a3e2a0a6b01"
    st, js = tok_a.req("POST", f"/taxii2/tiny/collections/{TINY}/objects/",
                       {"objects": [ind(f"tiny-{i}") for i in range(20)]})
    check(st == 413 and "4096" in js.get("description", ""), "413 names max_content_length", js)
    st, got = object_ids(tok_b, "tiny", TINY)
    check(st == 200 and len(got) == 1, "fixture object readable by the group", got)
    check(object_ids(tok_k, "tiny", TINY)[0] == 404, "fixture collection closed to non-members")
    if not os.path.exists(REF):
        print("SKIP: reference data absent:", REF)
    else:
        r = load(REF)
        check(r.returncode == 0, "isac load taxii_default_data.json", r.stderr)
        st, js = tok_nat.req("GET", "/taxii2/")
        check(sorted(u.rsplit("/", 2)[1] for u in js["api_roots"]) == ["api1", "api2", "isac", "tiny", "trustgroup1"],
              "discovery lists the loaded roots", js)
        st, js = tok_nat.req("GET", "/taxii2/trustgroup1/")
        # the data states 9765625 bytes; this server takes at most http.max_body_mb (1 MiB here)
        check(js["title"] == "Malware Research Group" and js["max_content_length"] == 1048576, "reference root", js)
        st, js = tok_nat.req("GET", "/taxii2/trustgroup1/collections/")
        ids = {c["id"]: (c["can_read"], c["can_write"]) for c in js["collections"]}
        check(ids == {"472c94ae-3113-4e3e-a4dd-a9f4ac7471d4": (False, True),
                      "365fed99-08fa-fdcd-a1b3-fb247eb41d01": (True, True),
                      "91a7b528-80eb-42ed-a74d-c6fbd5a26116": (True, True),
                      "52892447-4d7e-4f70-b94d-d7f22742ff63": (True, False)}, "reference collections", js)
        HV = "/taxii2/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116"
        st, js, resp, _ = tok_nat.send("GET", f"{HV}/objects/")
        got = sorted((o["id"], o.get("modified", o.get("created"))) for o in js["objects"])
        check(got == sorted([("relationship--2f9a9aa9-108a-4333-83e2-4fb25add0463", "2014-05-08T09:00:00.000Z"),
                             ("indicator--cd981c25-8042-4166-8945-51178443bdac", "2014-05-08T09:00:00.000Z"),
                             ("indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", "2017-01-27T13:49:53.935Z"),
                             ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "2017-01-20T00:00:00.000Z"),
                             ("malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", "2017-01-27T13:49:53.997Z")]),
              "reference objects: latest version of the latest spec version", got)
        check(resp.getheader("X-TAXII-Date-Added-First") == "2014-05-08T09:00:00.000000Z" and
              resp.getheader("X-TAXII-Date-Added-Last") == "2017-12-31T13:49:53.935000Z", "reference date headers",
              (resp.getheader("X-TAXII-Date-Added-First"), resp.getheader("X-TAXII-Date-Added-Last")))
        st, js = tok_nat.req("GET", f"{HV}/objects/?match[spec_version]=2.0")
        check([(o["id"], o["modified"]) for o in js["objects"]] ==
              [("malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", "2018-02-23T18:30:00.000Z")], "spec_version 2.0", js)
        st, js = tok_nat.req("GET", f"{HV}/objects/?added_after=2016-11-03T12:30:59.001Z")
        check(sorted(o["id"] for o in js["objects"]) == sorted(["indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
                                                                "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                                                                "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec"]),
              "reference added_after", js)
        st, js = tok_nat.req("GET", f"{HV}/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/versions/")
        check(js["versions"] == ["2016-11-03T12:30:59.000Z", "2016-12-25T12:30:59.444Z", "2017-01-27T13:49:53.935Z"],
              "reference versions in date_added order", js)
        st, js = tok_nat.req("GET", f"{HV}/manifest/?match[version]=all&match[spec_version]=2.0,2.1")
        check(len(js["objects"]) == 8, "reference manifest: all 8 versions", js)
        st, js = tok_nat.req("GET", f"{HV}/objects/?limit=2")
        n_all, pages = len(js["objects"]), 1
        while js.get("more"):
            js = tok_nat.req("GET", f"{HV}/objects/?limit=2&next={js['next']}")[1]
            n_all += len(js["objects"])
            pages += 1
        check(n_all == 5 and pages == 3, "reference objects in pages of 2", (n_all, pages))
        check(tok_nat.req("GET", "/taxii2/trustgroup1/collections/472c94ae-3113-4e3e-a4dd-a9f4ac7471d4/objects/")[0] ==
              403, "reference can_read false -> 403")
        check(tok_nat.req("GET", "/taxii2/trustgroup1/collections/64993447-4d7e-4f70-b94d-d7f33742ee63/")[0] == 404,
              "reference secret collection -> 404")
        st, js = tok_nat.req("GET", "/taxii2/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/")
        check(st == 200 and js["total_count"] == 4 and js["pending_count"] == 2 and len(js["pendings"]) == 2,
              "reference status", js)
        st, js = tok_nat.req("POST", "/taxii2/trustgroup1/collections/52892447-4d7e-4f70-b94d-d7f22742ff63/objects/",
                             {"objects": [ind("ref")]})
        check(st == 403, "reference can_write false -> 403", js)

# ---- intelligence received is counted per county and year when an organisation reads
year = time.gmtime(time.time() + 8 * 3600).tm_year
def received(code):
    st, js = admin.req("GET", f"/api/v1/isac/counters?year={year}", accept=None)
    return {r.get("code"): r for r in (js or {}).get("items", [])}.get(code, {}).get("received", 0)
before = received("TW-KHH")
st, js = officer_k.req("GET", f"/taxii2/isac/collections/{SHARED_C}/objects/")
n_read = len((js or {}).get("objects", []))
check(st == 200 and n_read > 0, "a KHH officer reads the shared collection", js)
check(received("TW-KHH") == before + n_read, "objects read over TAXII count as received by the county",
      (before, n_read, received("TW-KHH")))

LF.stop()
check.finish()
