#!/usr/bin/env python3
"""Integration test of re-matching after a feed update: the real `lianfang serve` with a
fresh data directory. An agency uploads an inventory matched against index v1; then
`lianfang feed import` (another process) adds a CVE for one of its products and corrects
the range of another. The server notices the new index file by itself (poll every second),
swaps it in and re-matches the agency's current snapshot: the new CVE becomes an open
finding with today's notice date and its sources stored (GET /findings/{id}/sources), the
corrected one is fixed, and the snapshot's earlier upload month is not touched. Then
POST /api/v1/admin/feeds/reload: 403 for an agency officer, for the admin a no-op without
change and a full re-match with ?force=1, and <data>/sync/nvd-changed.txt is taken.
The poll reloads are scoped: only the changed vulnerabilities' findings are re-decided (a
KEV listing and a rejected CVE too), an unchanged CVE's finding is not rewritten; a new
package product makes the re-match full. A re-match that fails partway is tried again at the
next poll; the reload answer counts the source texts removed after a re-match. /metrics
counts the upload and every re-match run (ok, failed, timed, the last success's time). A
new EPSS file reaches every stored finding's score at the next poll, also one imported while
the server was down."""
import datetime
import json
import os
import sys
import time

from lfharness import Checks, Client, Instance, clean_env, metric

BIN = sys.argv[1]
check = Checks()
LF = Instance(BIN, "lf-rematch-", clean_env(LIANFANG_FEEDS_POLL=1))
DATA = LF.data
run = LF.run


def record(cve, modified, product, end, score="9.8", vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"):
    return {"cve": {
        "id": cve, "sourceIdentifier": "cve@mitre.org", "published": "2026-01-02T03:04:05.678",
        "lastModified": modified, "vulnStatus": "Analyzed", "cveTags": [],
        "descriptions": [{"lang": "en", "value": f"A flaw in {product}."}],
        "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {
            "version": "3.1", "vectorString": vector, "baseScore": float(score), "baseSeverity": "CRITICAL"},
            "exploitabilityScore": 3.9, "impactScore": 5.9}]},
        "weaknesses": [], "references": [{"url": f"https://{product}.example/advisory/{cve}",
                                          "source": "cve@mitre.org", "tags": ["Vendor Advisory"]}],
        "configurations": [{"nodes": [{"operator": "OR", "negate": False, "cpeMatch": [{
            "vulnerable": True, "criteria": f"cpe:2.3:a:{product}:{product}:*:*:*:*:*:*:*:*",
            "matchCriteriaId": "00000000-0000-0000-0000-%012d" % int(cve[-4:]),
            "versionEndExcluding": end}]}]}]}}


def feed(path, recs):
    with open(path, "w") as f:
        json.dump({"resultsPerPage": len(recs), "startIndex": 0, "totalResults": len(recs), "format": "NVD_CVE",
                   "version": "2.0", "timestamp": "2026-01-10T00:00:00.000", "vulnerabilities": recs}, f)


# index v1: CVE-2026-0001 (widgetd < 2.0), CVE-2026-0002 (gadgetd < 5.0)
v1 = os.path.join(DATA, "v1.json")
feed(v1, [record("CVE-2026-0001", "2026-01-05T00:00:00.000", "widgetd", "2.0"),
          record("CVE-2026-0002", "2026-01-05T00:00:00.000", "gadgetd", "5.0")])
r = run("feed", "import", "nvd", v1)
assert r.returncode == 0, r.stderr
LF.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
LF.serve()
errlog = LF.errlog

admin = Client(LF.port)
admin.login("admin", "admin-pass-1")
st, me = admin.req("GET", "/api/v1/me")
nat = me["org"]["id"]
st, js = admin.req("GET", f"/api/v1/orgs/{nat}/children")
county = None
for rg in js["items"]:
    st, cj = admin.req("GET", f"/api/v1/orgs/{rg['id']}/children")
    for c in cj["items"]:
        if c["code"] == "TW-TPE":
            county = c["id"]
st, js = admin.req("POST", f"/api/v1/orgs/{county}/agencies",
                   {"code": "TPE-RM", "name_zh": "測試機關", "name_en": "Rematch agency", "level": "B"})
check(st == 201, "agency created", js)
agency = js["id"] if st == 201 else js

# the upload: widgetd 1.5 (CVE-2026-0001), gadgetd 4.2 (CVE-2026-0002), doodad 3.0 (nothing yet)
inv = ("# host: pc-01\n"
       "cpe:2.3:a:widgetd:widgetd:1.5:*:*:*:*:*:*:*\n"
       "cpe:2.3:a:gadgetd:gadgetd:4.2:*:*:*:*:*:*:*\n"
       "cpe:2.3:a:doodad:doodad:3.0:*:*:*:*:*:*:*\n")
month = datetime.date.today().strftime("%Y-%m")
st, up = admin.req("POST", f"/api/v1/agencies/{agency}/uploads?month={month}&file_name=pc-01.txt", raw=inv.encode())
check(st == 201 and up["findings"]["computed"] and up["findings"]["new"] == 2, "upload: 2 new findings", up)
check(st == 201 and up["upload"]["report"]["hosts"] == 1 and "unresolved_rows" in up["upload"]["report"],
      "upload report: hosts and unresolved rows", up)
types, samples, problems = admin.metrics()
check(not problems, "metrics parse", "\n".join(problems[:20]))
check(metric(samples, "lianfang_uploads_total", result="stored") == 1 and
      metric(samples, "lianfang_upload_rows_total") == 3 and metric(samples, "lianfang_upload_seconds_count") == 1,
      "metrics: the matched upload counted, with its 3 records",
      [x for x in samples if x[0].startswith("lianfang_upload")])
runs0 = metric(samples, "lianfang_rematch_runs_total", result="ok")
check(runs0 == 0 and metric(samples, "lianfang_rematch_last_success_timestamp_seconds") == 0,
      "metrics: no re-match yet", runs0)


def rematch_metrics():
    """(runs ok, runs failed, _count, _sum, last duration, last success) from /metrics, its
    families' types checked"""
    types, samples, problems = admin.metrics()
    check(not problems, "metrics parse", "\n".join(problems[:20]))
    for fam, t in (("lianfang_rematch_runs_total", "counter"), ("lianfang_rematch_seconds", "summary"),
                   ("lianfang_rematch_last_duration_seconds", "gauge"),
                   ("lianfang_rematch_last_success_timestamp_seconds", "gauge")):
        check(types.get(fam) == t, f"metrics family {fam} {t}", repr(types))
    return (metric(samples, "lianfang_rematch_runs_total", result="ok"),
            metric(samples, "lianfang_rematch_runs_total", result="failed"),
            metric(samples, "lianfang_rematch_seconds_count"), metric(samples, "lianfang_rematch_seconds_sum"),
            metric(samples, "lianfang_rematch_last_duration_seconds"),
            metric(samples, "lianfang_rematch_last_success_timestamp_seconds"))


def wait_log(pred, seconds=30):
    """until a line of the server's log satisfies pred (or the time is up)"""
    until = time.time() + seconds
    while not any(pred(l) for l in errlog) and time.time() < until:
        time.sleep(0.1)


def findings():
    st, js = admin.req("GET", f"/api/v1/agencies/{agency}/findings?limit=100")
    return {f["cve"]: f for f in js["items"]} if st == 200 else {}


f0 = findings()
check(set(f0) == {"CVE-2026-0001", "CVE-2026-0002"} and all(f["state"] == "open" for f in f0.values()),
      "findings after the upload", f0)
if "CVE-2026-0001" in f0:
    st, src = admin.req("GET", f"/api/v1/findings/{f0['CVE-2026-0001']['id']}/sources")
    check(st == 200 and src["detail"] and src["detail"]["sources"][0]["source"] == "nvd" and
          src["detail"]["sources"][0]["verdict"] == "affected" and src["detail"]["why"]["record"] == "CVE-2026-0001"
          and src["detail"]["why"]["version_end"] == "2.0", "finding sources stored with the finding", src)

# index v2 by another process: a new CVE for doodad, gadgetd's range corrected to < 4.0
os.makedirs(os.path.join(DATA, "sync"), exist_ok=True)
with open(os.path.join(DATA, "sync", "nvd-changed.txt"), "w") as f:
    f.write("CVE-2026-0002\nCVE-2026-0003\n")
v2 = os.path.join(DATA, "v2.json")
feed(v2, [record("CVE-2026-0002", "2026-02-01T00:00:00.000", "gadgetd", "4.0"),
          record("CVE-2026-0003", "2026-02-01T00:00:00.000", "doodad", "3.1", score="7.5",
                 vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")])
before_v2 = time.time()
r = run("feed", "import", "nvd", v2)
check(r.returncode == 0, "feed import v2", r.stderr)

deadline = time.time() + 30
f1 = {}
while time.time() < deadline:
    f1 = findings()
    if "CVE-2026-0003" in f1 and f1.get("CVE-2026-0002", {}).get("state") == "fixed":
        break
    time.sleep(0.3)
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d")
check("CVE-2026-0003" in f1 and f1["CVE-2026-0003"]["state"] == "open" and
      f1["CVE-2026-0003"]["notice_date"] == today, "poll: new CVE -> open finding noticed today", f1)
check(f1.get("CVE-2026-0002", {}).get("state") == "fixed" and f1["CVE-2026-0002"]["fixed_confirmed"],
      "poll: corrected range -> fixed", f1)
check(f1.get("CVE-2026-0001", {}).get("state") == "open", "poll: unchanged CVE stays open", f1)
check(not os.path.exists(os.path.join(DATA, "sync", "nvd-changed.txt")), "nvd-changed.txt taken by the server")
# the line is written once the re-match ends, which can be just after the findings show
for _ in range(50):
    if any("index reloaded" in l and "2 changed CVE ids" in l for l in errlog):
        break
    time.sleep(0.1)
check(any("index reloaded" in l and "2 changed CVE ids" in l for l in errlog), "reload logged", "".join(errlog))
check(any("index reloaded" in l and "2 vulnerabilities changed" in l for l in errlog),
      "the re-match was scoped to the 2 changed vulnerabilities", "".join(errlog))
# the poll's re-match in /metrics (counted before its log line is written)
ok, failed, count, total, last, last_ok = rematch_metrics()
check(ok == 1 and failed == 0 and count == 1 and total is not None and total > 0 and last == total,
      "metrics: the poll's re-match is one run, timed", (ok, failed, count, total, last))
check(last_ok is not None and int(before_v2) <= last_ok <= time.time() + 1,
      "metrics: its end is the last successful re-match", (before_v2, last_ok))
check(f1.get("CVE-2026-0001", {}).get("last_seen") == f0.get("CVE-2026-0001", {}).get("last_seen") and
      f1.get("CVE-2026-0001", {}).get("updated", 0) == f0.get("CVE-2026-0001", {}).get("updated", 0),
      "the unchanged CVE's finding was not rewritten", (f0.get("CVE-2026-0001"), f1.get("CVE-2026-0001")))
if "CVE-2026-0003" in f1:
    st, src = admin.req("GET", f"/api/v1/findings/{f1['CVE-2026-0003']['id']}/sources")
    check(st == 200 and src["detail"]["why"]["record"] == "CVE-2026-0003", "re-matched finding has sources", src)

# index v3: CISA lists CVE-2026-0001 as exploited, and CVE-2026-0003 is rejected: a scoped
# re-match flags the one and fixes the other; CVE-2026-0002 (fixed) is left alone
time.sleep(1.1)   # last_seen has second resolution
kev = os.path.join(DATA, "kev.json")
with open(kev, "w") as f:
    json.dump({"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2026.02.02",
               "dateReleased": "2026-02-02T00:00:00.000Z", "count": 1, "vulnerabilities": [{
                   "cveID": "CVE-2026-0001", "vendorProject": "Widgetd", "product": "widgetd",
                   "vulnerabilityName": "Widgetd RCE", "dateAdded": "2026-02-02",
                   "shortDescription": "A flaw.", "requiredAction": "Apply updates per vendor instructions.",
                   "dueDate": "2026-02-23", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": []}]}, f)
r = run("feed", "import", "kev", kev)
check(r.returncode == 0, "feed import kev", r.stderr)
v3 = os.path.join(DATA, "v3.json")
rej = record("CVE-2026-0003", "2026-02-03T00:00:00.000", "doodad", "3.1")
rej["cve"]["vulnStatus"] = "Rejected"
rej["cve"]["configurations"] = []
feed(v3, [rej])
r = run("feed", "import", "nvd", v3)
check(r.returncode == 0, "feed import v3", r.stderr)
deadline = time.time() + 30
f3 = {}
while time.time() < deadline:
    f3 = findings()
    if f3.get("CVE-2026-0001", {}).get("kev") and f3.get("CVE-2026-0003", {}).get("state") == "fixed":
        break
    time.sleep(0.3)
check(f3.get("CVE-2026-0001", {}).get("kev") is True and f3["CVE-2026-0001"]["state"] == "open",
      "KEV listing reaches the finding by a scoped re-match", f3.get("CVE-2026-0001"))
check(f3.get("CVE-2026-0003", {}).get("state") == "fixed", "rejected CVE: its finding is fixed", f3.get("CVE-2026-0003"))
check(f3.get("CVE-2026-0002") == f1.get("CVE-2026-0002"), "a finding of an unchanged CVE is untouched",
      (f1.get("CVE-2026-0002"), f3.get("CVE-2026-0002")))
for _ in range(50):
    if sum("vulnerabilities changed" in l for l in errlog) >= 2:
        break
    time.sleep(0.1)
check(sum("vulnerabilities changed" in l for l in errlog) >= 2 and not any("in full" in l for l in errlog),
      "every poll reload was scoped", "".join(errlog))
f1 = f3

# an OSV advisory for a package no advisory named before: which records match as
# distribution packages may change, so the re-match is full (and says why)
osv = os.path.join(DATA, "osv.json")
with open(osv, "w") as f:
    json.dump({"id": "DEBIAN-CVE-2026-0004", "modified": "2026-02-04T00:00:00Z", "aliases": ["CVE-2026-0004"],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "widgetd"},
                             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.6-1"}]}]}]},
              f)
r = run("feed", "import", "osv", osv)
check(r.returncode == 0, "feed import osv", r.stderr)
for _ in range(300):
    if any("in full (package products changed" in l for l in errlog):
        break
    time.sleep(0.1)
check(any("in full (package products changed (0 before, 1 now)" in l for l in errlog),
      "new package products: a full re-match", "".join(errlog))
f4 = findings()
check({k: v["state"] for k, v in f4.items()} == {k: v["state"] for k, v in f3.items()},
      "the full re-match agrees with the scoped ones", (f3, f4))

# the endpoint: officers may not, an unchanged index is a no-op, force re-matches
r = run("user", "add", "--login", "officer", "--role", "agency_officer", "--org", "TPE-RM", "--email",
        "o@example.gov.tw", stdin="officer-pass-1\n")
check(r.returncode == 0, "officer added", r.stderr)
off = Client(LF.port)
off.login("officer", "officer-pass-1")
st, js = off.req("POST", "/api/v1/admin/feeds/reload")
check(st == 403, "officer may not reload", js)
st, js = admin.req("POST", "/api/v1/admin/feeds/reload")
check(st == 200 and js["reloaded"] is False and js["rematched"] is False, "unchanged index: no reload", js)
ok0, failed0, count0, total0, _, _ = rematch_metrics()
st, js = admin.req("POST", "/api/v1/admin/feeds/reload?force=1")
ok, failed, count, total, _, _ = rematch_metrics()
check(ok == ok0 + 1 and failed == failed0 == 0 and count == count0 + 1 and total > total0,
      "metrics: the forced re-match is one more run", ((ok0, count0, total0), (ok, count, total)))
check(st == 200 and js["reloaded"] and js["rematched"] and js["agencies"] == 1 and js["items"] == 3 and
      js["findings"]["new"] == 0 and js["findings"]["seen"] == 1 and js["findings"]["fixed"] == 0 and
      js["scope"] == "full" and "force" in (js["full_because"] or ""),
      "forced reload: the snapshot re-matched in full, nothing new", js)
f2 = findings()
check({k: v["state"] for k, v in f2.items()} == {k: v["state"] for k, v in f1.items()}, "forced re-match is stable",
      f2)

check(st == 200 and isinstance(js.get("sources_removed"), int), "the reload answer counts removed source texts", js)
for cve, f in f2.items():
    st, src = admin.req("GET", f"/api/v1/findings/{f['id']}/sources")
    check(st == 200 and src["detail"] and src["detail"]["why"]["record"] == cve,
          f"{cve}: sources readable after the clean-up", src)

# a re-match that fails partway (here a trigger refuses one CVE's finding; in life a full
# disk) is tried again at the next poll, although the index file no longer changes
import sqlite3
db = sqlite3.connect(os.path.join(DATA, "lianfang.db"), timeout=30)
db.execute("CREATE TRIGGER lf_test_refuse BEFORE INSERT ON findings WHEN NEW.cve = 'CVE-2026-0005' "
           "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
db.commit()
v3 = os.path.join(DATA, "v3.json")
feed(v3, [record("CVE-2026-0005", "2026-03-01T00:00:00.000", "doodad", "3.5")])
r = run("feed", "import", "nvd", v3)
check(r.returncode == 0, "feed import v3", r.stderr)
wait_log(lambda l: "refused by the test" in l)
check(any("refused by the test" in l and "tried again at the next poll" in l for l in errlog),
      "failed re-match logged, to be tried again", "".join(errlog))
check("CVE-2026-0005" not in findings(), "the failed re-match wrote nothing")
ok1, failed, count, _, _, last_ok1 = rematch_metrics()
check(failed is not None and failed >= 1 and ok1 == ok and count == ok1 + failed,
      "metrics: the failed re-match counted as failed", (ok1, failed, count))
db.execute("DROP TRIGGER lf_test_refuse")
db.commit()
db.close()
f5 = {}
for _ in range(300):
    f5 = findings()
    if "CVE-2026-0005" in f5:
        break
    time.sleep(0.1)
check(f5.get("CVE-2026-0005", {}).get("state") == "open", "the next poll re-matched it: the finding is open", f5)
wait_log(lambda l: "tried again: done" in l, 5)
check(any("tried again: done" in l and "1 new findings" in l for l in errlog), "the retry logged", "".join(errlog))
ok2, _, _, _, _, last_ok2 = rematch_metrics()
check(ok2 == ok1 + 1 and last_ok2 >= last_ok1, "metrics: the retry is a successful run", (ok1, ok2, last_ok1, last_ok2))
st, js = admin.req("POST", "/api/v1/admin/feeds/reload")
check(st == 200 and js["reloaded"] is False and js["rematched"] is False and js["retried"] is False,
      "after the retry: nothing pending", js)

# EPSS: a new score file (`feed import epss`, another process, as FIRST publishes daily)
# reaches every stored finding at the next poll, also the CVEs no re-match touches; a CVE
# the file no longer scores loses its score (none, not zero)
def epss_file(path, rows):
    with open(path, "w") as f:
        f.write("#model_version:v2026.06.15,score_date:2026-10-01T12:00:00Z\ncve,epss,percentile\n")
        for cve, score in rows:
            f.write(f"{cve},{score},0.5\n")


def epss_logs():
    return [l for l in errlog if "EPSS scores reloaded" in l]


def wait_epss(n, seconds=30):
    """until the server logged an EPSS refresh that changed n findings' scores"""
    wait_log(lambda l: f"EPSS scores reloaded: {n} findings' scores changed" in l, seconds)
    return any(f"EPSS scores reloaded: {n} findings' scores changed" in l for l in errlog)


e1 = os.path.join(DATA, "epss-1.csv")
epss_file(e1, [("CVE-2026-0001", "0.5"), ("CVE-2026-0003", "0.125"), ("CVE-2026-9999", "0.75")])
r = run("feed", "import", "epss", e1)
check(r.returncode == 0, "feed import epss", r.stderr)
check(wait_epss(2), "EPSS reload logged with its count", "".join(epss_logs()))
f6 = findings()
check(f6.get("CVE-2026-0001", {}).get("epss") == 0.5 and f6.get("CVE-2026-0003", {}).get("epss") == 0.125
      and "epss" in f6.get("CVE-2026-0005", {}) and f6["CVE-2026-0005"]["epss"] is None,
      "the poll set the new EPSS scores on the stored findings", f6)
e2 = os.path.join(DATA, "epss-2.csv")
epss_file(e2, [("CVE-2026-0001", "0.25"), ("CVE-2026-0005", "0.0625")])
r = run("feed", "import", "epss", e2)
check(r.returncode == 0, "feed import epss again", r.stderr)
check(wait_epss(3), "second EPSS reload: 3 changed", "".join(epss_logs()))
f7 = findings()
check(f7.get("CVE-2026-0001", {}).get("epss") == 0.25 and f7.get("CVE-2026-0003", {}).get("epss") is None
      and f7.get("CVE-2026-0005", {}).get("epss") == 0.0625,
      "the next file: scores changed, a CVE without a row has none", f7)
st, js = admin.req("POST", "/api/v1/admin/feeds/reload")
check(st == 200 and js["epss"]["reloaded"] is False and js["epss"]["findings_changed"] == 0,
      "same EPSS file: nothing to do", js)

# a file imported while the server is down reaches the findings after the restart
LF.stop()
e3 = os.path.join(DATA, "epss-3.csv")
epss_file(e3, [("CVE-2026-0001", "0.125"), ("CVE-2026-0005", "0.0625")])
r = run("feed", "import", "epss", e3)
check(r.returncode == 0, "feed import epss with the server down", r.stderr)
LF.serve()
admin = Client(LF.port)
admin.login("admin", "admin-pass-1")
check(wait_epss(1), "after the restart: the findings refreshed from the new file", "".join(epss_logs()))
f8 = findings()
check(f8.get("CVE-2026-0001", {}).get("epss") == 0.125 and f8.get("CVE-2026-0005", {}).get("epss") == 0.0625,
      "after the restart: the new file's scores", f8)
# a restart with the same file: the store says the findings hold it, nothing is re-scored
LF.stop()
before = len(epss_logs())
LF.serve()
admin = Client(LF.port)
admin.login("admin", "admin-pass-1")
time.sleep(3)   # three polls (LIANFANG_FEEDS_POLL=1)
check(len(epss_logs()) == before, "a restart with the same EPSS file re-scores nothing", "".join(epss_logs()))
st, js = admin.req("POST", "/api/v1/admin/feeds/reload")
check(st == 200 and js["epss"]["reloaded"] is False, "and a reload after it has nothing to do", js)

LF.stop()
check.finish()
