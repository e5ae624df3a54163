#!/usr/bin/env python3
"""Integration test of `lianfang feed import cve5` with the real binary: the real CVE JSON 5
records of ../shared/data/cve5 imported as a folder into a fresh data directory (one document
per CNA and ADP container, counted from the files themselves), the same records as a bulk-release
ZIP archive (a zip holding cves.zip), `feed status`, a re-import that changes nothing, malformed records reported with file and CVE id, a non-CVE-5 file refused, and
`vans scan --json` of CPE-list inventories: an affected version of a product from a 2026 record
NVD did not configure is a finding whose source is cve5, an unaffected version is none, and a CVE
imported from NVD and from CVE 5 is one finding. Skips (77) without ../shared/data/cve5."""
import io
import json
import os
import sys
import tempfile
import zipfile

from lfharness import Checks, Cli

BIN = sys.argv[1]
FX = os.environ.get("LF_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
SHARED = os.environ.get("LF_SHARED_DATA", "")
CVE5 = os.path.join(SHARED, "cve5") if SHARED else ""
NVD = os.path.join(SHARED, "nvd") if SHARED else ""
check = Checks()
run = Cli(BIN)


def scan(data, d, name, host_cpes):
    """`vans scan --json` of a CPE list with one host per (host, cpes) pair."""
    path = os.path.join(d, name)
    with open(path, "w") as f:
        for host, cpes in host_cpes:
            f.write(json.dumps({"host": host, "cpes": cpes}) + "\n")
    rc, out, err = run("vans", "scan", "--json", path, data=data)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {"findings": []}
        check(False, "scan --json prints JSON", out + err)
    return rc, doc, err


if not CVE5 or not os.path.isdir(CVE5):
    print("skip: no shared CVE 5 records", file=sys.stderr)
    sys.exit(77)

files = sorted(f for f in os.listdir(CVE5) if f.endswith(".json"))
records = len(files)
adps = 0   # ADP containers with content of their own; link-only ones fold into the CNA's (cve5.h M12)
CONTENT = ("affected", "descriptions", "cpeApplicability")


def has_content(c):
    """What the index keeps of an ADP container: applicability, CWE ids, text, CVSS, KEV
    (an SSVC decision or a CWE text without an id alone is not read, so such a container
    only adds links)."""
    if any(c.get(k) for k in CONTENT):
        return True
    if any(x.get("cweId") for p in c.get("problemTypes", []) for x in p.get("descriptions", [])):
        return True
    for m in c.get("metrics", []):
        if any(k.startswith("cvss") for k in m) or m.get("other", {}).get("type") == "kev":
            return True
    return False


for f in files:
    with open(os.path.join(CVE5, f), encoding="utf-8") as fh:
        for c in json.load(fh).get("containers", {}).get("adp", []):
            adps += has_content(c)

with tempfile.TemporaryDirectory() as d:
    data = os.path.join(d, "data")
    # a folder of records, walked for *.json
    rc, out, err = run("feed", "import", "cve5", CVE5, data=data)
    check(rc == 0, "cve5 folder import exits 0", out + err)
    check(f"{records} records from {records} file(s)" in out, "every file read as one record", out)
    check(f"{records + adps} added" in out, "one document per CNA and per ADP container with content", out)
    check("0 file(s) unreadable" in out, "no file refused", out + err)
    rc, out, err = run("feed", "status", "--json", data=data)
    st = json.loads(out) if rc == 0 else {}
    check(rc == 0 and st["sources"]["cve5-cna"] == records and st["sources"]["cve5-adp"] == adps,
          "status counts documents per source", out + err)
    check(st.get("vulnerabilities") == records, "one vulnerability per record", out)
    # nothing new: unchanged, index not rewritten
    rc, out, err = run("feed", "import", "cve5", CVE5, data=data)
    check(rc == 0 and f"{records + adps} unchanged" in out and "not rewritten" in out, "re-import is a no-op", out)

    # CVE-2026-1069 (GitLab, 2026, not in ../nvd): 18.9 <= v < 18.9.2 affected
    check(not os.path.exists(os.path.join(NVD, "CVE-2026-1069.json")), "CVE-2026-1069 is a record NVD did not give")
    rc, doc, err = scan(data, d, "gitlab.jsonl", [
        ("gl-old", ["cpe:2.3:a:gitlab:gitlab:18.9.1:*:*:*:*:*:*:*"]),
        ("gl-new", ["cpe:2.3:a:gitlab:gitlab:18.9.2:*:*:*:*:*:*:*"]),
    ])
    check(rc == 1, "scan with findings exits 1", err)
    f1 = [f for f in doc["findings"] if f["cve"] == "CVE-2026-1069"]
    check(len(f1) == 1 and f1[0]["host"] == "gl-old", "affected GitLab 18.9.1 has the finding, 18.9.2 none",
          json.dumps(f1))
    if f1:
        f = f1[0]
        check(f["status"] == "affected" and f["why"]["source"] == "cve5-cna" and f["why"]["record"] == "CVE-2026-1069",
              "the finding's source is the CVE 5 CNA container", json.dumps(f))
        check(f["why"]["version_rule"] == ">= 18.9, < 18.9.2", "version rule explained", json.dumps(f["why"]))
        check(f["cvss"] and f["cvss"]["score"] == 7.5 and f["cvss"]["source"] == "GitLab", "CNA CVSS", json.dumps(f))
        check(f["cwe"] == "CWE-674", "CNA CWE", json.dumps(f))

    # git-only ranges (CVE-2026-2994 Concrete CMS has only an unaffected git range) and a
    # KEV-listed Chrome CVE from CISA's ADP container
    rc, doc, err = scan(data, d, "chrome.jsonl", [("pc", ["cpe:2.3:a:google:chrome:128.0.6613.83:*:*:*:*:*:*:*"])])
    f2 = [f for f in doc["findings"] if f["cve"] == "CVE-2024-7971"]
    check(len(f2) == 1 and f2[0]["why"]["source"] == "cve5-adp" and f2[0]["why"]["record"] == "CVE-2024-7971/CISA-ADP",
          "CISA ADP criteria make the finding", json.dumps(f2))
    check(f2 and f2[0]["kev"] and f2[0]["kev"]["date_added"] == "2024-08-26", "KEV date from the ADP container",
          json.dumps(f2))

    # the same CVE from NVD and CVE 5: one finding
    nvdf = os.path.join(NVD, "CVE-2024-7971.json")
    if os.path.exists(nvdf):
        rc, out, err = run("feed", "import", "nvd", nvdf, data=data)
        check(rc == 0 and "1 added" in out, "NVD record added beside the CVE 5 documents", out + err)
        rc, doc, err = scan(data, d, "chrome.jsonl", [("pc", ["cpe:2.3:a:google:chrome:128.0.6613.83:*:*:*:*:*:*:*"])])
        f3 = [f for f in doc["findings"] if f["cve"] == "CVE-2024-7971"]
        check(len(f3) == 1, "NVD and CVE 5 for one CVE give one finding", json.dumps(f3))
        rc, out, err = run("feed", "status", "--json", data=data)
        st = json.loads(out)
        check(st["sources"]["nvd"] == 1 and st["vulnerabilities"] == records, "NVD document of a known CVE", out)
    rc, doc, err = scan(data, d, "chrome-new.jsonl",
                        [("pc", ["cpe:2.3:a:google:chrome:128.0.6613.84:*:*:*:*:*:*:*"])])
    check(not [f for f in doc["findings"] if f["cve"] == "CVE-2024-7971"], "fixed Chrome build: no finding",
          json.dumps(doc["findings"]))

    # the bulk release shape: a zip holding cves.zip holding cves/YYYY/NxxxX/CVE-….json
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            year = f.split("-")[1]
            z.write(os.path.join(CVE5, f), f"cves/{year}/{f}")
        z.writestr("cves/delta.json", '{"fetchTime": "x", "numberOfChanges": 0, "new": [], "updated": []}')
    bulk = os.path.join(d, "all_CVEs_at_midnight.zip.zip")
    with zipfile.ZipFile(bulk, "w", zipfile.ZIP_STORED) as z:
        z.writestr("cves.zip", inner.getvalue())
    zdata = os.path.join(d, "zdata")
    rc, out, err = run("feed", "import", "cve5", bulk, data=zdata)
    check(rc == 0 and f"{records} records" in out and f"{records + adps} added" in out,
          "the bulk archive imports like the folder", out + err)
    rc, out, err = run("feed", "status", "--json", data=zdata)
    check(rc == 0 and json.loads(out)["sources"]["cve5-adp"] == adps, "archive: ADP documents", out + err)

    # malformed parts: reported with file and id, the rest imported, exit 0
    bad = os.path.join(FX, "feeds", "cve5", "bad.json")
    rc, out, err = run("feed", "import", "cve5", bad, data=os.path.join(d, "bad"))
    check(rc == 0 and "2 added" in out, "good records of a file with bad ones imported", out + err)
    check("bad.json:" in err and "CVE-2099-0011" in err and "broken*name" in err, "bad CPE reported with file and id",
          err)
    # a file that is not CVE 5: refused, exit 2, the index untouched
    nvd_any = sorted(f for f in os.listdir(NVD) if f.endswith(".json")) if os.path.isdir(NVD) else []
    if nvd_any:
        rc, out, err = run("feed", "import", "cve5", os.path.join(NVD, nvd_any[0]), data=data)
        check(rc == 2 and "feed import nvd" in err, "NVD file refused by the cve5 reader", out + err)
    rc, out, err = run("feed", "import", "cve5", "--no-names", data=data)
    check(rc == 2 and "usage" in err, "cve5 without files is a usage error", err)

check.finish()
