#!/usr/bin/env python3
"""Integration test of EPSS through the real binary: `feed import epss` of FIRST's daily file
(the real slice in ../shared/data/epss; skipped without it), `feed status` reporting it,
`vans scan --json` carrying score and percentile per finding and the order of work, a
CVE without a row having no score (not zero), `--order` changing the order, a bad order and
a file that is not EPSS refused."""
import json
import os
import sys
import tempfile

from lfharness import Checks, Cli

BIN = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SHARED = os.environ.get("LF_SHARED_DATA", "")
DATA = os.environ.get("LF_DATA_DIR", os.path.join(ROOT, "data"))
check = Checks()
run = Cli(BIN)


def main():
    slice_ = os.path.join(SHARED, "epss", "epss_scores-2026-09-29-slice.csv") if SHARED else ""
    if not slice_ or not os.path.exists(slice_):
        print("no shared EPSS slice: skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "d")
        rc, out, err = run("feed", "import", "nvd", os.path.join(DATA, "sample", "nvd-sample.json.gz"), data=data)
        check(rc == 0, "import the NVD sample", err)
        rc, out, err = run("feed", "import", "epss", slice_, data=data)
        check(rc == 0 and "37 CVEs" in out and "v2026.06.15" in out, "import the EPSS slice", out + err)
        rc, out, err = run("feed", "status", "--json", data=data)
        st = json.loads(out)
        check(st["epss"]["scores"] == 37 and st["epss"]["date"].startswith("2026-09-29"), "status shows EPSS",
              json.dumps(st["epss"]))
        inv = os.path.join(tmp, "pc.txt")
        with open(inv, "w") as fh:
            fh.write("# host: pc-1\ncpe:2.3:a:google:chrome:100.0.4896.60:*:*:*:*:*:*:*\n")
        rc, out, err = run("vans", "scan", "--json", inv, data=data)
        doc = json.loads(out)
        check(doc["order"] == "kev,epss,cvss", "default order of work stated", doc.get("order", ""))
        check(doc["snapshot"]["epss_model"] == "v2026.06.15", "the scores' model is in the snapshot",
              json.dumps(doc["snapshot"]))
        by = {f["cve"]: f for f in doc["findings"]}
        f = by.get("CVE-2025-6554")
        check(f is not None and f["epss"] and abs(f["epss"]["score"] - 0.12564) < 1e-6
              and abs(f["epss"]["percentile"] - 0.96108) < 1e-6, "a finding carries its EPSS score and percentile",
              json.dumps(f))
        others = [x for x in doc["findings"] if x["cve"] != "CVE-2025-6554"]
        check(others and all(x["epss"] is None for x in others), "a CVE without a row has no score (not zero)",
              json.dumps([x["epss"] for x in others][:5]))
        # default order: KEV-listed first; among non-KEV matches the scored one comes before unscored ones
        matches = [x for x in doc["findings"] if x["status"] == doc["findings"][0]["status"]]
        kev_flags = [x["kev"] is not None for x in matches]
        check(kev_flags == sorted(kev_flags, reverse=True), "KEV-listed findings first", str(kev_flags))
        nonkev = [x for x in matches if x["kev"] is None]
        if any(x["cve"] == "CVE-2025-6554" for x in nonkev):
            check(nonkev[0]["cve"] == "CVE-2025-6554", "then the EPSS-scored one", nonkev[0]["cve"])
        rc, out, err = run("vans", "scan", "--json", "--order", "cvss", inv, data=data)
        doc2 = json.loads(out)
        sc = [x["cvss"]["score"] if x["cvss"] else -1 for x in doc2["findings"] if x["status"] == "affected"]
        check(doc2["order"] == "cvss" and sc == sorted(sc, reverse=True), "--order cvss sorts by CVSS", str(sc[:10]))
        rc, out, err = run("vans", "scan", "--order", "kev,age", inv, data=data)
        check(rc == 2 and "age" in err, "a bad order is refused", err)
        bad = os.path.join(tmp, "x.csv")
        with open(bad, "w") as fh:
            fh.write("name,version\nx,1\n")
        rc, out, err = run("feed", "import", "epss", bad, data=data)
        check(rc == 2 and "not an EPSS" in err, "a file that is not EPSS is refused", err)
        rc, out, err = run("feed", "status", "--json", data=data)
        check(json.loads(out)["epss"]["scores"] == 37, "the stored scores are kept after a refused import", out)
    check.finish()


if __name__ == "__main__":
    sys.exit(main())
