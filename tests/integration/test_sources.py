#!/usr/bin/env python3
"""Integration test of findings from several sources with the real binary.

Distribution packages: NVD's record of CVE-2023-0286 (openssl "< 3.0.8") and the real OSV
records of ../shared/data/osv are imported into a fresh data directory; `vans scan --json` of
dpkg package lists then finds CVE-2023-0286 on an Ubuntu 22.04 host with openssl
3.0.2-0ubuntu1.7 (Ubuntu fixed it in 3.0.2-0ubuntu1.8) as the package p:ubuntu:openssl, with
both the OSV advisory and NVD listed as sources, once per host even though libssl3 and openssl
are two lines; the host with 3.0.2-0ubuntu1.8 has no such finding although NVD's upstream range
matches it (counted as superseded); an AlmaLinux 9 rpm list is decided in rpm's order.
Without the OSV data, the same Ubuntu host is matched through NVD (the old behaviour).

Vendor advisories (CSAF), with tests/fixtures/csaf/vendor-statement.json (a synthetic vendor
advisory on CVE-2023-0286: 3.0.0-3.0.6 affected, 3.0.7 not affected, a vendor fix URL): a host
with openssl 3.0.7, which NVD's range "< 3.0.8" calls affected, is suppressed by the vendor's
not-affected statement (listed, counted, not a finding); 3.0.5 is affected with the vendor's fix
link first; the same statement re-published by a coordinator does not outrank NVD.
Skips (77) without ../shared/data/osv or nvd.
"""
import json
import os
import sys
import tempfile

from lfharness import Checks, Cli

BIN = sys.argv[1]
SHARED = os.environ.get("LF_SHARED_DATA", "")
OSV = os.path.join(SHARED, "osv", "records") if SHARED else ""
NVD = os.path.join(SHARED, "nvd") if SHARED else ""
CSAF = os.path.join(SHARED, "csaf") if SHARED else ""
check = Checks()
run = Cli(BIN)


def scan(data, path):
    rc, out, err = run("vans", "scan", "--json", path, data=data)
    try:
        return json.loads(out), err
    except ValueError:
        check(False, "scan --json prints JSON", out + err)
        return {"findings": [], "summary": {}}, err


def findings(doc, host, cve):
    return [f for f in doc["findings"] if f["host"] == host and f["cve"] == cve]


nvd_rec = os.path.join(NVD, "CVE-2023-0286.json") if NVD else ""
if not OSV or not os.path.isdir(OSV) or not os.path.isfile(nvd_rec):
    print("skip: no shared OSV records or NVD record of CVE-2023-0286", file=sys.stderr)
    sys.exit(77)

with tempfile.TemporaryDirectory() as d:
    data = os.path.join(d, "data")
    rc, out, err = run("feed", "import", "nvd", nvd_rec, data=data)
    check(rc == 0, "import the NVD record", out + err)

    inv_dir = os.path.join(d, "inv")
    os.makedirs(inv_dir)

    def dpkg(name, os_line, pkgs):
        p = os.path.join(inv_dir, name)
        with open(p, "w") as f:
            f.write(f"# os: {os_line}\n")
            for n, v in pkgs:
                f.write(f"{n}\t{v}\n")
        return p

    old = dpkg("jammy-old.dpkg.txt", "Ubuntu 22.04.3 LTS",
               [("libssl3", "3.0.2-0ubuntu1.7"), ("openssl", "3.0.2-0ubuntu1.7"), ("bash", "5.1-6ubuntu1")])
    new = dpkg("jammy-new.dpkg.txt", "Ubuntu 22.04.3 LTS",
               [("libssl3", "3.0.2-0ubuntu1.8"), ("openssl", "3.0.2-0ubuntu1.8")])

    # NVD alone: the upstream range matches both hosts (what a scanner reading only NVD says)
    doc, err = scan(data, old)
    check(len(findings(doc, "jammy-old", "CVE-2023-0286")) == 1, "NVD only: the old host is affected", err)
    doc, err = scan(data, new)
    check(len(findings(doc, "jammy-new", "CVE-2023-0286")) == 1,
          "NVD only: the patched host is (wrongly) affected through the upstream range", err)

    rc, out, err = run("feed", "import", "osv", OSV, data=data)
    check(rc == 0 and "0 record errors" in out, "import every OSV record without errors", out + err)
    rc, out, err = run("feed", "status", "--json", data=data)
    st = json.loads(out) if rc == 0 else {}
    check(st.get("sources", {}).get("osv", 0) > 0, "feed status counts OSV documents", out + err)
    # CVE-2025-11187's OSV record has GIT ranges only and no package: no usable criteria anywhere
    check(st.get("vulnerabilities_without_criteria", 0) >= 1 and
          st.get("vulnerabilities_by_source", {}).get("osv", 0) > 0 and
          st["vulnerabilities_by_source"].get("nvd") == 1,
          "feed status counts vulnerabilities per source and those without criteria", out)

    doc, err = scan(data, old)
    fs = findings(doc, "jammy-old", "CVE-2023-0286")
    check(len(fs) == 1, "the old Ubuntu host: one finding for two lines of one source package", json.dumps(fs))
    if fs:
        f = fs[0]
        check(f["cpe"].startswith("cpe:2.3:p:ubuntu:openssl:3.0.2-0ubuntu1.7"), "found on the package item", f["cpe"])
        srcs = {s["source"]: s["verdict"] for s in f.get("sources", [])}
        check(srcs.get("osv") == "affected" and srcs.get("nvd") == "affected",
              "both the distribution and NVD are listed as sources", json.dumps(f.get("sources")))
        check(f["why"]["source"] == "osv", "the distribution's advisory decides", json.dumps(f["why"]))
    doc, err = scan(data, new)
    check(not findings(doc, "jammy-new", "CVE-2023-0286"),
          "the patched Ubuntu host: no finding although NVD's upstream range matches", json.dumps(doc["findings"]))
    check(doc["summary"].get("upstream_matches_superseded", 0) >= 1 and
          doc["summary"].get("distribution_packages", 0) >= 1,
          "the superseded upstream match is counted, not silent", json.dumps(doc["summary"]))

    # rpm order: AlmaLinux 9 fixed CVE-2023-0286 in openssl 1:3.0.1-47.el9_1
    rpm_old = os.path.join(inv_dir, "alma-old.rpm.txt")
    with open(rpm_old, "w") as f:
        f.write("# os: AlmaLinux 9.1\nopenssl-libs\t3.0.1-43.el9_0\n")
    rpm_new = os.path.join(inv_dir, "alma-new.rpm.txt")
    with open(rpm_new, "w") as f:
        f.write("# os: AlmaLinux 9.1\nopenssl-libs\t1:3.0.1-47.el9_1\n")
    rpm_noepoch = os.path.join(inv_dir, "alma-noepoch.rpm.txt")
    with open(rpm_noepoch, "w") as f:
        # rpm -qa --queryformat '%{NAME}\t%{VERSION}-%{RELEASE}' writes no epoch
        f.write("# os: AlmaLinux 9.1\nopenssl-libs\t3.0.1-47.el9_1\n")
    doc, err = scan(data, rpm_old)
    check(len(findings(doc, "alma-old", "CVE-2023-0286")) == 1, "AlmaLinux 9: 3.0.1-43.el9_0 is affected",
          json.dumps(doc["findings"]) + err)
    doc, err = scan(data, rpm_new)
    check(not findings(doc, "alma-new", "CVE-2023-0286"), "AlmaLinux 9: 1:3.0.1-47.el9_1 is fixed",
          json.dumps(doc["findings"]) + err)
    doc, err = scan(data, rpm_noepoch)
    check(not findings(doc, "alma-noepoch", "CVE-2023-0286"),
          "AlmaLinux 9: 3.0.1-47.el9_1 without the epoch rpm -qa leaves out is fixed too",
          json.dumps(doc["findings"]) + err)

FX = os.environ.get("LF_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
vendor_doc = os.path.join(FX, "csaf", "vendor-statement.json")
with tempfile.TemporaryDirectory() as d:
    hosts = os.path.join(d, "hosts.jsonl")
    with open(hosts, "w") as f:
        f.write(json.dumps({"host": "ssl-307", "cpes": ["cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*"]}) + "\n")
        f.write(json.dumps({"host": "ssl-305", "cpes": ["cpe:2.3:a:openssl:openssl:3.0.5:*:*:*:*:*:*:*"]}) + "\n")
    coord_doc = os.path.join(d, "coordinator.json")
    with open(vendor_doc) as f:
        cd = json.load(f)
    cd["document"]["publisher"]["category"] = "coordinator"
    with open(coord_doc, "w") as f:
        json.dump(cd, f)
    for label, doc_path in (("vendor", vendor_doc), ("coordinator", coord_doc)):
        data = os.path.join(d, "data-" + label)
        rc, out, err = run("feed", "import", "nvd", nvd_rec, data=data)
        check(rc == 0, f"{label}: import the NVD record", out + err)
        rc, out, err = run("feed", "import", "csaf", doc_path, data=data)
        check(rc == 0 and "0 record errors" in out, f"{label}: import the CSAF statement", out + err)
        doc, err = scan(data, hosts)
        f307 = findings(doc, "ssl-307", "CVE-2023-0286")
        f305 = findings(doc, "ssl-305", "CVE-2023-0286")
        check(len(f307) == 1 and len(f305) == 1, f"{label}: one finding record per host", json.dumps(doc["findings"]))
        if not (f307 and f305):
            continue
        srcs = {s["source"]: s["verdict"] for s in f307[0]["sources"]}
        check(srcs == {"nvd": "affected", "csaf": "not-affected"}, f"{label}: 3.0.7 sources", json.dumps(srcs))
        if label == "vendor":
            check(f307[0].get("suppressed_by", {}).get("record") == "LF-TEST-2023-0286/CVE-2023-0286",
                  "the vendor's not-affected statement suppresses NVD's inferred finding", json.dumps(f307[0]))
            check(doc["summary"]["affected"] == 1 and doc["summary"]["suppressed_not_affected"] == 1,
                  "a suppressed finding is counted apart, not as a finding", json.dumps(doc["summary"]))
            check(f305[0]["fix_links"] and f305[0]["fix_links"][0]["url"] == "https://openssl.example.test/fix/3.0.8",
                  "the vendor's fix link comes first", json.dumps(f305[0]["fix_links"]))
        else:
            check("suppressed_by" not in f307[0] and doc["summary"]["affected"] == 2,
                  "a coordinator's re-publication does not outrank NVD", json.dumps(doc["summary"]))

check.finish()
