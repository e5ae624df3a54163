#!/usr/bin/env python3
"""Federation between two real lianfang instances on loopback (issue 6): a national hub
and a region, each with a fresh data directory, a national admin and an API token. The
hub's "Common" collection is loaded with `isac load`; the region pulls it with
`isac pull` (pages written to the region's inbox, the mark kept), pulls again and gets
nothing new, then pushes an agency's report with `isac push`: the TLP:RED indicator is
never forwarded, the agency's identity becomes the region's, the staff member and the
internal address are removed. The hub's collection is read back over TAXII to check what
arrived. Then the region pulls into its own collection (`--into`: stored, TLP kept,
date_added local) and re-serves it over its own TAXII endpoint, and pushes a collection of
its own (`--from-collection`): TLP:RED stays home. Skips (77) when the hub answers /taxii2/ with 404 (no TAXII server built)."""
import glob
import http.client
import json
import os
import re
import sys

from lfharness import Checks, Client, Instance

BIN = sys.argv[1]
MEDIA = "application/taxii+json;version=2.1"
COLL = "2f7a3c1e-6b0d-4d8e-9a51-0c3f2e1d4b6a"
REGION = "identity--5b1f0c5e-8f0e-4a57-9f5d-3e8b1a2c4d60"
AGENCY = "identity--0d7e2f1a-3c4b-4e5f-8a9b-1c2d3e4f5a6b"
PERSON = "identity--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
T = "2024-03-01T00:00:00.000Z"
check = Checks()


def run(lf, *args, env=None):
    """The isac commands print their summary line, which --quiet would silence."""
    return lf.run(*args, env=env, quiet=args[0] != "isac")


def instance(name):
    lf = Instance(BIN, f"lf-fed-{name}-")
    lf.add_user("admin", "national_admin", "TW", "admin@example.gov.tw", "admin-pass-1")
    return lf


def national_token(api):
    """A national API token, made in a session of the admin on api's server."""
    admin = Client(api.port, timeout=60)
    me = admin.login("admin", "admin-pass-1")
    st, js = admin.req("POST", f"/api/v1/orgs/{me['org']['id']}/tokens", {"name": "federation"})
    assert st == 201, js
    return js["secret"]


hub = instance("hub")
region = instance("region")

# the hub's common collection, in the loader's format (OASIS reference server data)
common_objects = []
manifest = []
for i in range(5):
    oid = f"indicator--00000000-0000-4000-8000-00000000000{i}"
    common_objects.append({"type": "indicator", "spec_version": "2.1", "id": oid, "created": T, "modified": T,
                           "pattern_type": "stix", "valid_from": T, "object_marking_refs": [GREEN],
                           "pattern": f"[domain-name:value = 'c2-{i}.example.com']"})
    manifest.append({"id": oid, "date_added": f"2024-03-01T00:00:0{i}.000000Z", "version": T,
                     "media_type": "application/stix+json;version=2.1"})
hubdata = {"isac": {"information": {"title": "Hub", "versions": [MEDIA], "max_content_length": 10485760},
                    "status": [],
                    "collections": [{"id": COLL, "title": "Common", "description": "national common intelligence",
                                     "can_read": True, "can_write": True, "media_types": [
                                         "application/stix+json;version=2.1"],
                                     "x_lianfang_can_read": "community", "x_lianfang_can_write": "community",
                                     "objects": common_objects, "manifest": manifest}]}}
hubfile = os.path.join(hub.data, "hub.json")
with open(hubfile, "w") as f:
    json.dump(hubdata, f)
hub.serve()
hub_api = Client(hub.port, timeout=60)
st, _ = hub_api.req("GET", "/taxii2/", headers={"Accept": MEDIA})
if st == 404:
    print("SKIP: the hub answers /taxii2/ with 404: the TAXII 2.1 server is not in this build")
    sys.exit(77)
r = run(hub, "isac", "load", hubfile)
check(r.returncode == 0, "isac load on the hub", r.stderr)
token = national_token(hub_api)
region.serve()
region_api = Client(region.port, timeout=60)

# the region's configuration: its identity, agency range and staff domain
conf = os.path.join(region.data, "lianfang.conf")
with open(conf, "w") as f:
    f.write("[isac]\n"
            f"region_identity = {REGION}\n"
            "region_name = Southern Regional ISAC\n"
            "internal_ranges = 198.18.0.0/15\n"
            "staff_domains = pthg.gov.tw\n"
            "max_tlp = amber\n")
discovery = f"http://127.0.0.1:{hub.port}/taxii2/"

# ---- pull: everything, then nothing new
r = run(region, "isac", "pull", discovery, "Common", "--token", token, "--limit", "2")
check(r.returncode == 0, "first pull", r.stdout + r.stderr)
pages = sorted(glob.glob(os.path.join(region.data, "isac", "inbox", "*.json")))
got = [o for p in pages for o in json.load(open(p))["objects"]]
check(len(got) == 5 and len(pages) == 3, "5 objects in 3 bundles of 2", (len(got), pages))
check(all(json.load(open(p))["type"] == "bundle" for p in pages), "inbox pages are bundles")
states = glob.glob(os.path.join(region.data, "isac", "state-127.0.0.1_*.json"))
check(len(states) == 1, "one state file per (server, collection)", states)
mark = json.load(open(states[0]))["added_after"] if states else ""
check(mark.startswith("2024-03-01T00:00:04"), "mark = date_added of the last object", mark)
r = run(region, "isac", "pull", discovery, "Common", "--token", token)
check(r.returncode == 0 and " 0 objects in 0 pages" in r.stdout, "second pull fetches nothing new",
      r.stdout + r.stderr)
check(len(glob.glob(os.path.join(region.data, "isac", "inbox", "*.json"))) == 3, "no new inbox page")

# ---- push: an agency's report, de-identified
report = {"type": "bundle", "id": "bundle--6f1c3a9e-2b4d-4c8e-9f7a-1d2e3c4b5a69", "objects": [
    {"type": "identity", "spec_version": "2.1", "id": AGENCY, "created": T, "modified": T,
     "name": "Pingtung County Government", "identity_class": "organization"},
    {"type": "identity", "spec_version": "2.1", "id": PERSON, "created": T, "modified": T,
     "name": "Chen Mei-ling", "identity_class": "individual",
     "contact_information": "chen@pthg.gov.tw"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--7e1f0000-0000-4000-8000-000000000001",
     "created": T, "modified": T, "created_by_ref": AGENCY, "pattern_type": "stix", "valid_from": T,
     "object_marking_refs": [GREEN],
     "pattern": "[network-traffic:src_ref.value = '198.18.4.20' AND network-traffic:dst_ref.value = '203.0.113.66']"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--7e1f0000-0000-4000-8000-000000000002",
     "created": T, "modified": T, "created_by_ref": AGENCY, "pattern_type": "stix", "valid_from": T,
     "object_marking_refs": [RED], "pattern": "[domain-name:value = 'red-only.example.net']"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--7e1f0000-0000-4000-8000-000000000003",
     "created": T, "modified": T, "created_by_ref": PERSON, "pattern_type": "stix", "valid_from": T,
     "object_marking_refs": [GREEN], "pattern": "[email-addr:value = 'chen@pthg.gov.tw']"},
]}
rfile = os.path.join(region.data, "report.json")
with open(rfile, "w") as f:
    json.dump(report, f)
r = run(region, "isac", "push", discovery, "Common", rfile, "--token", token)
check(r.returncode == 0, "push", r.stdout + r.stderr)
check("1 kept back by TLP" in r.stdout, "push report counts the RED object", r.stdout)

# what the hub holds now
st, js = hub_api.req("GET", f"/taxii2/isac/collections/{COLL}/objects/?limit=1000",
                     headers={"Accept": MEDIA, "Authorization": "Bearer " + token})
objs = (js or {}).get("objects", [])
ids = {o["id"]: o for o in objs}
check(st == 200, "hub collection readable", (st, js))
check("indicator--7e1f0000-0000-4000-8000-000000000002" not in ids, "TLP:RED never forwarded", list(ids))
check(AGENCY not in ids and PERSON not in ids, "agency and person identities not forwarded", list(ids))
check(REGION in ids and ids[REGION]["name"] == "Southern Regional ISAC", "the region's identity arrived",
      ids.get(REGION))
ind = ids.get("indicator--7e1f0000-0000-4000-8000-000000000001", {})
check(ind.get("created_by_ref") == REGION, "created_by_ref is the region's", ind)
check(ind.get("pattern") == "[network-traffic:dst_ref.value = '203.0.113.66']", "internal address removed",
      ind.get("pattern"))
check("indicator--7e1f0000-0000-4000-8000-000000000003" not in ids, "staff-mailbox indicator dropped", list(ids))
check(not any("pthg.gov.tw" in json.dumps(o) or "198.18.4.20" in json.dumps(o) for o in objs),
      "no staff domain or internal address anywhere at the hub")

# the region pulls again: only what it pushed is new
r = run(region, "isac", "pull", discovery, "Common", "--token", token)
check(r.returncode == 0 and " 2 objects in " in r.stdout, "incremental pull sees only the pushed objects",
      r.stdout + r.stderr)

# ---- the region stores what it pulls (--into) and re-serves it over its own TAXII endpoint
rtoken = national_token(region_api)
rh = {"Authorization": "Bearer " + rtoken}
st, js, resp, _ = region_api.send("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
rcookie = {"Cookie": "lf_session=" + re.match(r"lf_session=([0-9a-f]+)", resp.getheader("Set-Cookie")).group(1),
           "X-CSRF-Token": js["csrf_token"]}
for title, alias in (("Regional copy of Common", "common"), ("Outbox", "outbox")):
    st, js = region_api.req("POST", "/api/v1/isac/collections", {"title": title, "alias": alias,
                                                                 "can_read": "community", "can_write": "community",
                                                                "default_tlp": "GREEN"}, headers=rcookie)
    check(st == 201, f"region collection {alias}", js)
    if alias == "common":
        RCOLL = js["id"]
r = run(region, "isac", "pull", discovery, "Common", "--token", token, "--into", "common", "--full")
check(r.returncode == 0 and "7 object versions stored" in r.stdout, "pull --into stores the hub's objects",
      r.stdout + r.stderr)
st, js, resp, _ = region_api.send("GET", f"/taxii2/isac/collections/{RCOLL}/objects/?limit=1000",
                                  headers={"Accept": MEDIA, **rh})
robjs = (js or {}).get("objects", [])
check(st == 200 and {o["id"] for o in robjs} == set(ids), "the region re-serves exactly the hub's objects",
      (st, sorted(o["id"] for o in robjs), sorted(ids)))
check(all(o.get("object_marking_refs") == ids[o["id"]].get("object_marking_refs") for o in robjs),
      "markings (TLP) kept")
st, js = region_api.req("GET", f"/taxii2/isac/collections/{RCOLL}/manifest/", headers={"Accept": MEDIA, **rh})
check(st == 200 and all(not m["date_added"].startswith("2024-03-01") for m in js.get("objects", [])),
      "date_added is the region's own", js)
r = run(region, "isac", "pull", discovery, "Common", "--token", token, "--into", "common")
check(r.returncode == 0 and " 0 objects in 0 pages" in r.stdout, "state kept: nothing new on the next pull",
      r.stdout + r.stderr)

# HTTP Basic (what the OASIS reference server takes): --user with isac.password from the
# environment; credentials in the URL are sent but never printed nor stored
benv = dict(region.env, LIANFANG_ISAC_PASSWORD=token)
r = run(region, "isac", "pull", discovery, "Common", "--user", "taxii", "--full", env=benv)
check(r.returncode == 0 and " objects in " in r.stdout and " 0 objects" not in r.stdout,
      "pull with HTTP Basic (--user, isac.password)", r.stdout + r.stderr)
r = run(region, "isac", "pull", discovery, "Common", "--user", "taxii")
check(r.returncode != 0 and "isac.password" in r.stderr, "--user without a password is refused", r.stdout + r.stderr)
# (an API root URL: the roots a discovery document lists are absolute and carry no userinfo)
cred = f"http://taxii:{token}@127.0.0.1:{hub.port}/taxii2/isac/"
r = run(region, "isac", "pull", cred, "Common", "--full")
states = "".join(open(os.path.join(region.data, "isac", f)).read() for f in os.listdir(os.path.join(region.data, "isac"))
                 if f.startswith("state-"))
check(r.returncode == 0 and token not in r.stdout + r.stderr and token not in states and "objects in" in r.stdout,
      "credentials in the URL: used, never printed or stored", r.stdout + r.stderr + states)

# ---- push --from-collection: the region's outbox, TLP:RED kept home
outbox = [
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--7e1f0000-0000-4000-8000-000000000010",
     "created": T, "modified": T, "pattern_type": "stix", "valid_from": T, "object_marking_refs": [GREEN],
     "pattern": "[domain-name:value = 'outbox-green.example.com']"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--7e1f0000-0000-4000-8000-000000000011",
     "created": T, "modified": T, "pattern_type": "stix", "valid_from": T, "object_marking_refs": [RED],
     "pattern": "[domain-name:value = 'outbox-red.example.com']"},
]
st, js = region_api.req("POST", "/taxii2/isac/collections/outbox/objects/", None, headers={})  # alias is not an id: 404
check(st in (401, 404, 406), "collections are addressed by id", st)
st, colls = region_api.req("GET", "/taxii2/isac/collections/", headers={"Accept": MEDIA, **rh})
OUT = [c["id"] for c in colls["collections"] if c.get("alias") == "outbox"][0]
c = http.client.HTTPConnection("127.0.0.1", region.port, timeout=60)
c.request("POST", f"/taxii2/isac/collections/{OUT}/objects/", body=json.dumps({"objects": outbox}),
          headers={"Accept": MEDIA, "Content-Type": MEDIA, **rh})
resp = c.getresponse()
check(resp.status == 202, "outbox filled", resp.read())
c.close()
r = run(region, "isac", "push", discovery, "Common", "--from-collection", "outbox", "--token", token)
check(r.returncode == 0 and "1 objects read" in r.stdout and "1 forwarded" in r.stdout,
      "push --from-collection reads only what may leave (the GREEN indicator)", r.stdout + r.stderr)
st, js = hub_api.req("GET", f"/taxii2/isac/collections/{COLL}/objects/?limit=1000",
                     headers={"Accept": MEDIA, "Authorization": "Bearer " + token})
hids = {o["id"] for o in (js or {}).get("objects", [])}
check("indicator--7e1f0000-0000-4000-8000-000000000010" in hids, "GREEN outbox indicator at the hub", hids)
check("indicator--7e1f0000-0000-4000-8000-000000000011" not in hids, "TLP:RED outbox indicator never forwarded",
      hids)
r = run(region, "isac", "push", discovery, "Common", "--from-collection", "outbox", "--token", token,
        "--added-after", "2999-01-01T00:00:00Z")
check(r.returncode == 0 and "0 objects read" in r.stdout, "--added-after filters the local collection",
      r.stdout + r.stderr)

check.finish()
