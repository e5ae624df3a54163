#!/usr/bin/env python3
"""Extract the CVSS metrics of the shared real-data records into test fixtures.

tests/fixtures/cvss/nvd_metrics.tsv: every metric of every NVD record (each input file
data/nvd/*.json is one NVD CVE API 2.0 `cve` object). For each entry of cvssMetricV2,
cvssMetricV30, cvssMetricV31 and cvssMetricV40 (primary and secondary sources alike):

    cve id <TAB> version <TAB> vectorString <TAB> baseScore <TAB> baseSeverity

(baseSeverity sits in cvssData for v3/v4 and beside it for v2).

tests/fixtures/cvss/cna_metrics.tsv: every CVSS object (any JSON object with both
vectorString and baseScore) of the CVE JSON 5 records data/cve5/*.json (CNA and ADP
containers) and the CSAF 2.0 advisories data/csaf/*.json:

    source file <TAB> version <TAB> vectorString <TAB> baseScore <TAB> baseSeverity or "-"

Rows keep file order (files sorted by name) and document order, so the output is
reproducible. tests/unit/vans/test_cvss.c checks every row against lf_cvss_parse.
Usage:

    scripts/extract_cvss_fixture.py [DATA_DIR [OUT_DIR]]

DATA_DIR (holding nvd/, cve5/, csaf/) defaults to $LF_SHARED_DATA, else ../shared/data
beside the repository; OUT_DIR defaults to tests/fixtures/cvss.
"""
import json
import os
import pathlib
import sys

NVD_KINDS = ["cvssMetricV2", "cvssMetricV30", "cvssMetricV31", "cvssMetricV40"]


def check(fields, where):
    for f in fields:
        if not isinstance(f, str) or not f or "\t" in f or "\n" in f:
            raise ValueError("%s: unexpected field %r" % (where, f))
    return fields


def score_text(v):
    return "%.1f" % float(v)


def nvd_rows(record):
    cve = record["id"]
    metrics = record.get("metrics", {})
    for kind in NVD_KINDS:
        for m in metrics.get(kind, []):
            data = m["cvssData"]
            severity = data.get("baseSeverity", m.get("baseSeverity"))
            yield check([cve, data["version"], data["vectorString"],
                         score_text(data["baseScore"]), severity], cve + " " + kind)


def version_of(obj):
    v = obj.get("version")
    if isinstance(v, str) and v:
        return v
    vec = obj["vectorString"]
    return vec[5:8] if vec.startswith("CVSS:") else "2.0"


def cvss_objects(node):
    """Depth-first, document order: every object carrying vectorString and baseScore."""
    if isinstance(node, dict):
        if "vectorString" in node and "baseScore" in node:
            yield node
        for value in node.values():
            yield from cvss_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from cvss_objects(value)


def write(out, header, rows):
    out.write_text("\n".join([header] + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    print("extract_cvss_fixture: %d rows -> %s" % (len(rows), out))


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv):
    repo = pathlib.Path(__file__).resolve().parent.parent
    if len(argv) > 1:
        data = pathlib.Path(argv[1])
    elif os.environ.get("LF_SHARED_DATA"):
        data = pathlib.Path(os.environ["LF_SHARED_DATA"])
    else:
        data = repo.parent / "shared" / "data"
    out_dir = pathlib.Path(argv[2]) if len(argv) > 2 else repo / "tests" / "fixtures" / "cvss"

    nvd_files = sorted((data / "nvd").glob("*.json"))
    if not nvd_files:
        print("extract_cvss_fixture: no *.json in %s" % (data / "nvd"), file=sys.stderr)
        return 1
    rows = [r for f in nvd_files for r in nvd_rows(load(f))]
    write(out_dir / "nvd_metrics.tsv",
          "# cve\tversion\tvector\tbase_score\tbase_severity"
          "  (scripts/extract_cvss_fixture.py, from %d NVD CVE API 2.0 records)" % len(nvd_files),
          rows)

    rows = []
    other = sorted((data / "cve5").glob("*.json")) + sorted((data / "csaf").glob("*.json"))
    for f in other:
        name = "%s/%s" % (f.parent.name, f.name)
        for obj in cvss_objects(load(f)):
            sev = obj.get("baseSeverity") or "-"
            rows.append(check([name, version_of(obj), obj["vectorString"],
                               score_text(obj["baseScore"]), sev], name))
    write(out_dir / "cna_metrics.tsv",
          "# source\tversion\tvector\tbase_score\tbase_severity"
          "  (scripts/extract_cvss_fixture.py, from CVE JSON 5 records and CSAF 2.0 advisories)",
          rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
