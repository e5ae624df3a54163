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

Vendor advisories (CSAF): see the second half. Skips (77) without ../shared/data/osv or nvd.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
SHARED = os.environ.get("LF_SHARED_DATA", "")
OSV = os.path.join(SHARED, "osv", "records") if SHARED else ""
NVD = os.path.join(SHARED, "nvd") if SHARED else ""
CSAF = os.path.join(SHARED, "csaf") if SHARED else ""
failures = 0
passed = 0


def run(*args, data=None):
    cmd = [BIN] + (["--data", data] if data else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check(cond, what, detail=""):
    global failures, passed
    if cond:
        passed += 1
    else:
        failures += 1
        print(f"FAIL: {what}\n{detail}", file=sys.stderr)


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
    check("vulnerabilities_without_criteria" in st and "vulnerabilities_by_source" in st,
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

print(f"{passed} checks passed, {failures} failed", file=sys.stderr)
sys.exit(1 if failures else 0)
