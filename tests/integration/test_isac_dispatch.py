#!/usr/bin/env python3
"""Blocklist dispatch and ISAC counters (issue 6) on the real `lianfang serve`: indicators
POSTed over TAXII by an agency, approved by a region analyst for the sharing group, and
fetched by the agencies' devices with their API tokens. Checks the approval roles and
scope (403s), what each list holds, TLP (a TLP:RED indicator reaches only its reporter and
named recipients; AMBER only its collection's group), ETag / If-None-Match -> 304, expiry
and revocation removing an indicator, the fetch log (latest fetch per agency and list,
scoped), and the shared/received counters per county (received through `isac pull --into
--org`). Python standard library only."""
import datetime
import json
import re
import sys
import time

from lfharness import Checks, Client, Instance

BIN = sys.argv[1]
TAXII = "application/taxii+json;version=2.1"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
T = "2024-01-01T00:00:00.000Z"
check = Checks()
LF = Instance(BIN, "lf-dispatch-")


def add_user(login, role, org, pw):
    LF.add_user(login, role, org, login + "@example.gov.tw", pw)


add_user("admin", "national_admin", "TW", "admin-pass-1")
PORT = LF.serve()


def client(token=None):
    """A user agent speaking TAXII on /taxii2/, JSON read only from JSON answers."""
    return Client(PORT, token=token, media=TAXII, json_only=True, timeout=60)


def session(login, pw):
    c = client()
    c.login(login, pw)
    return c


admin = session("admin", "admin-pass-1")
me = admin.req("GET", "/api/v1/me")[1]
national = me["org"]["id"]
regions = admin.req("GET", f"/api/v1/orgs/{national}/children?limit=10")[1]["items"]
counties, region_of = {}, {}
for rg in regions:
    for c in admin.req("GET", f"/api/v1/orgs/{rg['id']}/children")[1]["items"]:
        counties[c["code"]] = c["id"]
        region_of[c["code"]] = rg["code"]
orgs = {}
for code, county in (("TPE-A", "TW-TPE"), ("TPE-B", "TW-TPE"), ("TPE-C", "TW-TPE"), ("KHH-A", "TW-KHH")):
    st, js = admin.req("POST", f"/api/v1/orgs/{counties[county]}/agencies",
                       {"code": code, "name_zh": code, "name_en": code, "level": "B"})
    assert st == 201, js
    orgs[code] = js["id"] if "id" in js else js["org"]["id"]
add_user("analyst", "region_analyst", region_of["TW-TPE"], "analyst-pass-1")
add_user("analyst_k", "region_analyst", region_of["TW-KHH"], "analyst-pass-2")
add_user("officer_a", "agency_officer", "TPE-A", "officer-pass-1")
add_user("county_t", "county_officer", "TW-TPE", "county-pass-1")
analyst = session("analyst", "analyst-pass-1")
analyst_k = session("analyst_k", "analyst-pass-2")
officer_a = session("officer_a", "officer-pass-1")
county_t = session("county_t", "county-pass-1")
tok = {}
for code in ("TPE-A", "TPE-B", "TPE-C", "KHH-A"):
    st, js = admin.req("POST", f"/api/v1/orgs/{orgs[code]}/tokens", {"name": "fw-" + code})
    assert st == 201, js
    tok[code] = client(js["secret"])
st, js = admin.req("POST", f"/api/v1/orgs/{national}/tokens", {"name": "federation"})
nat_secret = js["secret"]

for code, county in (("north", "TW-TPE"), ("south", "TW-KHH")):
    st, js = admin.req("POST", "/api/v1/isac/groups", {"code": code, "name": code, "orgs": [county]})
    assert st == 201, js
st, js = admin.req("POST", "/api/v1/isac/collections", {"title": "North shared", "group": "north",
                                                               "can_read": "community", "can_write": "group",
                                                               "default_tlp": "GREEN"})
assert st == 201, js
NORTH = js["id"]
st, js = admin.req("POST", "/api/v1/isac/collections", {"title": "Inbox", "alias": "inbox",
                                                               "can_read": "community", "can_write": "community",
                                                               "default_tlp": "GREEN"})
assert st == 201, js
INBOX = js["id"]

SHA = "a" * 64


def ind(n, pattern, marking=GREEN, extra=None):
    o = {"type": "indicator", "spec_version": "2.1", "id": f"indicator--00000000-0000-4000-8000-{n:012d}",
         "created": T, "modified": T, "pattern_type": "stix", "valid_from": T, "pattern": pattern,
         "object_marking_refs": [marking]}
    o.update(extra or {})
    return o


I = {
    "both": ind(1, "[ipv4-addr:value = '203.0.113.5'] OR [domain-name:value = 'evil.example.com']"),
    "url": ind(2, "[url:value = 'http://bad.example.org/x']"),
    "red": ind(3, "[ipv4-addr:value = '198.51.100.7']", RED, {"x_lianfang_recipients": ["TPE-B", region_of["TW-TPE"]]}),
    "amber": ind(4, f"[file:hashes.'SHA-256' = '{SHA}']", AMBER),
    "partial": ind(5, "[ipv4-addr:value = '192.0.2.1' AND domain-name:value = 'x.example.com']"),
    "short": ind(6, "[domain-name:value = 'short.example.net']"),
}
st, js = tok["TPE-A"].req("POST", f"/taxii2/isac/collections/{NORTH}/objects/", {"objects": list(I.values())})
check(st == 202 and js["success_count"] == 6, "agency posts 6 indicators", js)
sid = {k: v["id"] for k, v in I.items()}


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


DAY = iso(time.time() + 86400)

# ---- approval roles and scope
body = {"indicators": [sid["both"]], "group": "north", "expires": DAY}
check(officer_a.req("POST", "/api/v1/isac/approvals", body)[0] == 403, "agency officer may not approve")
check(county_t.req("POST", "/api/v1/isac/approvals", body)[0] == 403, "county officer may not approve")
check(tok["TPE-A"].req("POST", "/api/v1/isac/approvals", body)[0] == 403, "an API token may not approve")
check(analyst_k.req("POST", "/api/v1/isac/approvals", body)[0] == 403, "another region's analyst: group out of scope")
check(analyst.req("POST", "/api/v1/isac/approvals", dict(body, group="nope"))[0] == 404, "unknown group -> 404")
check(analyst.req("POST", "/api/v1/isac/approvals", dict(body, expires="2001-01-01T00:00:00Z"))[0] == 422,
      "expiry in the past -> 422")
check(analyst.req("POST", "/api/v1/isac/approvals", dict(body, expires="tomorrow"))[0] == 422, "bad expiry -> 422")

st, js = analyst.req("POST", "/api/v1/isac/approvals", {
    "indicators": [sid["both"], sid["url"], sid["red"], sid["amber"], sid["partial"],
                   "indicator--00000000-0000-4000-8000-999999999999"], "group": "north", "expires": DAY})
check(st == 201, "analyst approves a set", js)
got = {a["indicator"]: a for a in (js or {}).get("items", [])}
check(set(got) == {sid["both"], sid["url"], sid["red"], sid["amber"]}, "four approved", js)
rej = {r["indicator"] for r in (js or {}).get("rejected", [])}
check(rej == {sid["partial"], "indicator--00000000-0000-4000-8000-999999999999"},
      "AND-only pattern and unknown id rejected", js)
check(got.get(sid["both"], {}).get("simple_indicators") == 2 and got.get(sid["red"], {}).get("tlp") == "RED",
      "approval records simple indicators and TLP", got)
st, js = admin.req("POST", "/api/v1/isac/approvals", {"indicators": [sid["amber"]], "group": "south",
                                                             "expires": DAY})
check(st == 422 and "AMBER" in json.dumps(js), "TLP:AMBER not dispatched beyond its collection's group", js)
short_exp = time.time() + 3
st, js = analyst.req("POST", "/api/v1/isac/approvals", {"indicators": [sid["short"]], "group": "north",
                                                               "expires": iso(short_exp)})
check(st == 201, "short-lived approval", js)


def fetch(who, lst, etag=None, group="north"):
    h = {"If-None-Match": etag} if etag else {}
    st, _, resp, body = who.send("GET", f"/api/v1/isac/blocklists/{group}/{lst}", headers=h)
    return st, body.decode("utf-8", "replace"), resp.getheader("ETag"), resp.getheader("X-Lianfang-List-Version")


# ---- lists
st, ip_a, etag_a, ver_a = fetch(tok["TPE-A"], "ip.txt")
check(st == 200 and "203.0.113.5\n" in ip_a, "ip.txt holds the approved address", (st, ip_a))
check("198.51.100.7" in ip_a, "the reporter sees its own TLP:RED address", ip_a)
check(etag_a == f'"{ver_a}"' and re.fullmatch(r"[0-9a-f]{16}", ver_a or ""), "ETag is the list version",
      (etag_a, ver_a))
st, ip_b, _, _ = fetch(tok["TPE-B"], "ip.txt")
check(st == 200 and "198.51.100.7" in ip_b, "the named recipient gets the TLP:RED address", ip_b)
st, ip_c, etag_c, _ = fetch(tok["TPE-C"], "ip.txt")
check(st == 200 and "198.51.100.7" not in ip_c and "203.0.113.5" in ip_c,
      "TLP:RED never in the list of a group member that is not a recipient", ip_c)
check(etag_c != etag_a, "lists differ per TLP view, so do their versions", (etag_a, etag_c))
st, dom, _, _ = fetch(tok["TPE-C"], "domain.txt")
check(st == 200 and "evil.example.com" in dom and "short.example.net" in dom and "x.example.com" not in dom,
      "domain.txt", dom)
st, url, _, _ = fetch(tok["TPE-C"], "url.txt")
check(st == 200 and url.strip() == "bad.example.org/x", "url.txt", url)
st, hsh, _, _ = fetch(tok["TPE-C"], "hash.txt")
check(st == 200 and hsh.strip() == SHA, "hash.txt: TLP:AMBER within its own group", hsh)
st, nft, _, _ = fetch(tok["TPE-C"], "nftables.nft")
check(st == 200 and "table inet lianfang" in nft and "203.0.113.5" in nft, "nftables.nft", nft)
st, rules, _, _ = fetch(tok["TPE-C"], "suricata.rules")
check(st == 200 and "evil.example.com" in rules and "dns.query" in rules, "suricata.rules", rules)
st, rep, _, _ = fetch(tok["TPE-C"], "iprep.list")
check(st == 200 and rep.startswith("203.0.113.5,"), "iprep.list", rep)
st, cats, _, _ = fetch(tok["TPE-C"], "categories.txt")
check(st == 200 and cats.startswith("1,"), "categories.txt", cats)
check(fetch(tok["KHH-A"], "ip.txt")[0] == 403, "an agency outside the group -> 403")
check(fetch(tok["TPE-C"], "ip.txt", group="zzz")[0] == 404, "unknown group -> 404")
check(fetch(tok["TPE-C"], "passwd")[0] == 404, "unknown list -> 404")
check(client().req("GET", "/api/v1/isac/blocklists/north/ip.txt")[0] == 401, "no credentials -> 401")

# ---- ETag / 304
st, body304, etag2, _ = fetch(tok["TPE-A"], "ip.txt", etag_a)
check(st == 304 and body304 == "" and etag2 == etag_a, "If-None-Match -> 304", (st, body304, etag2))
check(fetch(tok["TPE-A"], "ip.txt", '"0000000000000000"')[0] == 200, "another tag -> 200")

# ---- expiry
st, _, dom_etag, _ = fetch(tok["TPE-C"], "domain.txt")
time.sleep(max(0.0, short_exp - time.time()) + 1.2)
st, dom2, dom_etag2, _ = fetch(tok["TPE-C"], "domain.txt", dom_etag)
check(st == 200 and "short.example.net" not in dom2 and "evil.example.com" in dom2,
      "expiry removes the indicator (and the old ETag no longer matches)", (st, dom2))
check(dom_etag2 != dom_etag, "new list version after expiry")

# ---- revocation
ap_url = got.get(sid["url"], {}).get("id")
check(officer_a.req("DELETE", f"/api/v1/isac/approvals/{ap_url}")[0] == 403, "officer may not revoke")
check(analyst_k.req("DELETE", f"/api/v1/isac/approvals/{ap_url}")[0] == 403, "other region may not revoke")
st, js = analyst.req("DELETE", f"/api/v1/isac/approvals/{ap_url}")
check(st == 200 and js["active"] is False and js["revoked_by"] == "analyst", "analyst revokes", js)
check(analyst.req("DELETE", f"/api/v1/isac/approvals/{ap_url}")[0] == 409, "second revoke -> 409")
st, url2, _, _ = fetch(tok["TPE-C"], "url.txt")
check(st == 200 and url2 == "", "revoked indicator leaves the list", url2)
# a list served again (from the server's list cache when it has one) is the same list;
# re-approval, like approval and revocation above, changes it at once
st, url3, etag3, _ = fetch(tok["TPE-C"], "url.txt")
check(st == 200 and url3 == url2, "repeated fetch: the same list", url3)
st, js = analyst.req("POST", "/api/v1/isac/approvals", {"indicators": [sid["url"]], "group": "north",
                                                               "expires": DAY})
check(st == 201, "re-approval of the revoked indicator", js)
st, url4, etag4, _ = fetch(tok["TPE-C"], "url.txt", etag3)
check(st == 200 and url4.strip() == "bad.example.org/x" and etag4 != etag3,
      "re-approved indicator is back in the list with a new version", (st, url4, etag3, etag4))
st, _, _, _ = fetch(tok["TPE-C"], "url.txt", etag4)
check(st == 304, "and the new version is current", st)
st, js = analyst.req("DELETE", f"/api/v1/isac/approvals/{ap_url}")
check(st == 200, "revoked again", js)
st, js = analyst.req("GET", "/api/v1/isac/approvals?group=north&active=1")
active = {a["indicator"] for a in (js or {}).get("items", [])}
check(st == 200 and active == {sid["both"], sid["red"], sid["amber"]}, "active approvals", js)
check(officer_a.req("GET", "/api/v1/isac/approvals")[0] == 403, "officer may not list approvals")
st, js = analyst_k.req("GET", "/api/v1/isac/approvals")
check(st == 200 and js["items"] == [], "another region's analyst sees no north approvals", js)

# ---- fetch log
st, js = analyst.req("GET", "/api/v1/isac/blocklists/north/fetches")
check(st == 200, "fetch log", js)
log = {(f["org_code"], f["list"]): f for f in (js or {}).get("items", [])}
a_ip = log.get(("TPE-A", "ip.txt"), {})
check(a_ip.get("status") == 200 and a_ip.get("fetches") == 3 and a_ip.get("version") == ver_a and
      a_ip.get("via") == "token", "latest fetch of TPE-A ip.txt: version, count, status", a_ip)
check({"TPE-A", "TPE-B", "TPE-C"} == {k[0] for k in log}, "every fetching agency listed, KHH-A's 403 not", log)
check(log.get(("TPE-C", "url.txt"), {}).get("fetches") == 5 and log.get(("TPE-C", "url.txt"), {}).get("status") == 304,
      "TPE-C fetched url.txt five times, the last a 304", log)
check(tok["TPE-A"].req("GET", "/api/v1/isac/blocklists/north/fetches")[0] == 403, "a device may not read the log")
st, js = analyst_k.req("GET", "/api/v1/isac/blocklists/north/fetches")
check(st == 200 and js["items"] == [], "another region's analyst sees none of these agencies", js)

# ---- counters: shared by TPE-A's county; received through a pull credited to KHH-A
year = datetime.datetime.now(datetime.timezone.utc).year
r = LF.run("isac", "pull", f"http://127.0.0.1:{PORT}/taxii2/", NORTH, "--into", "inbox", "--org", "KHH-A", "--token",
        nat_secret, quiet=False)
check(r.returncode == 0 and "5 object versions stored" in r.stdout,
      "isac pull --into the local Inbox: all but the TLP:RED one, which the national token may not read",
      r.stdout + r.stderr)
st, js = admin.req("GET", f"/api/v1/isac/counters?year={year}&org={national}")
rows = {x["code"]: x for x in (js or {}).get("items", [])}
check(st == 200 and len(rows) >= 20, "one row per county", js)
check(rows.get("TW-TPE", {}).get("shared") == 6 and rows.get("TW-TPE", {}).get("received") == 0,
      "TW-TPE shared 6", rows.get("TW-TPE"))
check(rows.get("TW-KHH", {}).get("received") == 5 and rows.get("TW-KHH", {}).get("shared") == 0,
      "TW-KHH received 5 (pulled objects are not counted as shared)", rows.get("TW-KHH"))
check(js["total"] == {"shared": 6, "received": 5}, "totals", js.get("total"))
st, js = admin.req("GET", f"/api/v1/isac/counters?year={year - 1}&org={national}")
check(st == 200 and js["total"] == {"shared": 0, "received": 0}, "nothing last year", js)
st, js = officer_a.req("GET", f"/api/v1/isac/counters?year={year}")
check(st == 200 and [(x["code"], x["shared"]) for x in js["items"]] == [("TPE-A", 6)], "an agency sees itself", js)
check(officer_a.req("GET", f"/api/v1/isac/counters?org={national}")[0] == 403, "outside one's scope -> 403")
check(analyst.req("GET", "/api/v1/isac/counters?year=abc")[0] == 400, "bad year -> 400")
st, js = analyst.req("GET", f"/api/v1/isac/counters?year={year}")
check(st == 200 and "TW-TPE" in {x["code"] for x in js["items"]} and
      "TW-KHH" not in {x["code"] for x in js["items"]}, "a region analyst: the region's counties", js)

check.finish()
