#!/usr/bin/env python3
"""Integration test of the TAXII 2.1 body limit on the real `lianfang serve` started with
LIANFANG_HTTP_MAX_BODY_MB=2: the API root states max_content_length 2097152 (TAXII 2.1
section 4.2, from http.max_body_mb, not a fixed value), an envelope between the former
fixed 1 MiB and 2 MiB is taken, and a body above 2 MiB gets TAXII's 413 error message
(application/taxii+json, http_status "413", the limit named), whether the server tells it
from Content-Length before reading or from a chunked body passing the limit. Python
standard library only."""
import http.client
import json
import re
import socket
import sys
import uuid

from lfharness import Checks, Instance, clean_env

BIN = sys.argv[1]
TAXII = "application/taxii+json;version=2.1"
LIMIT = 2 << 20
check = Checks()
LF = Instance(BIN, "lf-taxii-limits-", clean_env(LIANFANG_HTTP_MAX_BODY_MB=2))
LF.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
PORT = LF.serve()


def req(method, path, body=None, h=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, body=body, headers=h or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, (json.loads(data) if data else None), r


def raw_exchange(head, chunks=()):
    """Send head and then chunks on one socket (stopping when the server hangs up), and
    return the whole answer as (status line, headers text, body bytes)."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=60) as sk:
        sk.sendall(head.encode())
        try:
            for ch in chunks:
                sk.sendall(ch)
        except OSError:
            pass   # refused: the answer is waiting
        got = b""
        while True:
            try:
                part = sk.recv(65536)
            except OSError:
                part = b""
            got += part
            hd, sep, rest = got.partition(b"\r\n\r\n")
            cl = re.search(rb"(?im)^content-length: *(\d+)", hd)
            if not part or (sep and cl and len(rest) >= int(cl.group(1))):
                return hd.decode(errors="replace"), rest


# an agency token, a group and a collection it may write to
st, js, r = req("POST", "/api/v1/session", json.dumps({"login": "admin", "password": "admin-pass-1"}),
                {"Content-Type": "application/json"})
H = {"Cookie": re.match(r"(lf_session=[0-9a-f]+)", r.getheader("Set-Cookie")).group(1),
     "X-CSRF-Token": js["csrf_token"], "Content-Type": "application/json"}
me = req("GET", "/api/v1/me", h=H)[1]
region = req("GET", f"/api/v1/orgs/{me['org']['id']}/children", h=H)[1]["items"][0]
county = req("GET", f"/api/v1/orgs/{region['id']}/children", h=H)[1]["items"][0]
st, ag, _ = req("POST", f"/api/v1/orgs/{county['id']}/agencies",
                json.dumps({"code": "LIM", "name_zh": "l", "name_en": "l", "level": "B"}), H)
assert st == 201, ag
ag_id = ag["id"] if "id" in ag else ag["org"]["id"]
tok = req("POST", f"/api/v1/orgs/{ag_id}/tokens", json.dumps({"name": "limits"}), H)[1]["secret"]
st, js, _ = req("POST", "/api/v1/isac/groups", json.dumps({"code": "lim", "name": "l", "orgs": [county["code"]]}), H)
assert st == 201, js
st, js, _ = req("POST", "/api/v1/isac/collections", json.dumps({"title": "limits", "group": "lim", "can_read": "group",
                                                                "can_write": "group", "default_tlp": "GREEN"}), H)
assert st == 201, js
PATH = f"/taxii2/isac/collections/{js['id']}/objects/"
TH = {"Authorization": "Bearer " + tok, "Accept": TAXII, "Content-Type": TAXII}


def envelope(n, pad=0):
    objs = [{"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.UUID(int=i + 1, version=4)}",
             "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": f"C2 {i}",
             "description": "x" * pad, "pattern": f"[ipv4-addr:value = '198.51.{i >> 8 & 255}.{i & 255}']",
             "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"} for i in range(n)]
    return json.dumps({"objects": objs}).encode()


# the API root states the configured limit
st, js, r = req("GET", "/taxii2/isac/", h=TH)
check(st == 200 and js["max_content_length"] == LIMIT, "API root: max_content_length from http.max_body_mb", js)

# between the former fixed 1 MiB and the configured 2 MiB: taken
mid = envelope(1500, 600)
check((1 << 20) < len(mid) < LIMIT, "envelope size between 1 and 2 MiB", len(mid))
st, js, r = req("POST", PATH, mid, TH)
check(st == 202 and js["success_count"] == 1500 and js["failure_count"] == 0, "1.5 MiB envelope taken", js)

# above the limit, told from Content-Length before the body is read: TAXII's 413
head, body = raw_exchange(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {TAXII}\r\nContent-Type: {TAXII}\r\n"
                          f"Authorization: Bearer {tok}\r\nContent-Length: {LIMIT + 1}\r\n\r\n")
try:
    err = json.loads(body)
except ValueError:
    err = {}
check(head.startswith("HTTP/1.1 413") and re.search(r"(?im)^content-type: " + re.escape(TAXII), head) and
      err.get("http_status") == "413" and str(LIMIT) in err.get("description", ""),
      "Content-Length above the limit -> TAXII 413 naming max_content_length", (head, body[:300]))

# above the limit in a chunked body (no Content-Length): TAXII's 413 once it passes
big = envelope(3000, 600)
check(len(big) > LIMIT, "envelope size above 2 MiB", len(big))
chunks = [b"%x\r\n%s\r\n" % (len(big[i:i + 65536]), big[i:i + 65536]) for i in range(0, len(big), 65536)] + [b"0\r\n\r\n"]
head, body = raw_exchange(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {TAXII}\r\nContent-Type: {TAXII}\r\n"
                          f"Authorization: Bearer {tok}\r\nTransfer-Encoding: chunked\r\n\r\n", chunks)
try:
    err = json.loads(body)
except ValueError:
    err = {}
check(head.startswith("HTTP/1.1 413") and err.get("http_status") == "413" and str(LIMIT) in err.get("description", ""),
      "chunked body above the limit -> TAXII 413", (head, body[:300]))

# nothing of the refused bodies was stored
st, js, _ = req("GET", PATH + "?limit=10000", h=TH)
check(st == 200 and len(js["objects"]) == 1500, "only the taken envelope's objects are stored", len(js["objects"]))

LF.stop()
check.finish()
