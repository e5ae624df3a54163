#!/usr/bin/env python3
"""Integration test of the imported purl index (syft's ecosystem → CPE index, intake/purlidx.h)
through the real binary: `feed import purlidx` reports each malformed entry with the file and
its JSON path and keeps the rest in <data>/purlidx.json (a file that is not the format
changes nothing); `inventory normalize` of a CycloneDX SBOM then resolves an npm purl that the
shipped packages.tsv does not name by "purl-index", leaves a package the index gives two
products unresolved with both as candidates, and still resolves a package packages.tsv names
by its own entry (the shipped map wins); `feed status` lists the index."""
import json
import os
import sys
import tempfile

from lfharness import Checks, Cli, normalize

BIN = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FX = os.environ.get("LF_FIXTURES", os.path.join(ROOT, "tests", "fixtures"))
DATA = os.environ.get("LF_DATA_DIR", os.path.join(ROOT, "data"))
check = Checks()
run = Cli(BIN)

SBOM = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "components": [
        {"type": "library", "name": "acme-left-pad", "version": "1.3.0", "purl": "pkg:npm/acme-left-pad@1.3.0"},
        {"type": "library", "name": "twin-parser", "version": "0.4.2", "purl": "pkg:npm/twin-parser@0.4.2"},
        {"type": "library", "name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20"},
    ],
}
# a second index file: it names lodash differently; packages.tsv's entry must still win
OTHER = {"ecosystems": {"npm": {"lodash": ["cpe:2.3:a:not_lodash:lodash:*:*:*:*:*:node.js:*:*"]}}}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        sbom = os.path.join(tmp, "app.cdx.json")
        with open(sbom, "w", encoding="utf-8") as fh:
            json.dump(SBOM, fh)
        other = os.path.join(tmp, "other.json")
        with open(other, "w", encoding="utf-8") as fh:
            json.dump(OTHER, fh)
        index = os.path.join(FX, "purlidx", "cpe-index.json")

        recs, _ = normalize(run, check, sbom, data)
        check(recs.get("acme-left-pad", {}).get("bucket") == "unresolved",
              "without an imported index the npm package is unresolved", json.dumps(recs.get("acme-left-pad")))

        rc, out, err = run("feed", "import", "purlidx", index, other, data=data)
        check(rc == 0, "feed import purlidx", out + err)
        stored = os.path.join(data, "purlidx.json")
        check(os.path.exists(stored), "the index is kept in the data directory", out)
        check(f'{index}: ecosystems.npm["broken-one"][2]: a number, not a string' in err,
              "a malformed entry is reported with the file, its JSON path and the reason", err)
        check("18 packages" in out and "10 malformed" in out, "the good entries of both files are kept", out)

        # a file that is not the format: an error, and the stored index is left as it was
        with open(stored, "rb") as fh:
            before = fh.read()
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as fh:
            fh.write('{"ecosystems": {"npm": ')
        rc, out, err = run("feed", "import", "purlidx", bad, data=data)
        with open(stored, "rb") as fh:
            after = fh.read()
        check(rc == 2 and "bad.json:1:" in err and before == after,
              "a truncated file is refused with its line and changes nothing", f"{rc}\n{out}{err}")

        recs, rep = normalize(run, check, sbom, data)
        pad = recs.get("acme-left-pad", {})
        check(pad.get("bucket") == "resolved" and pad.get("method") == "purl-index" and
              pad.get("cpe", "").startswith("cpe:2.3:a:acme_project:acme-left-pad:1.3.0:") and
              abs(pad.get("confidence", 0) - 0.90) < 0.001,
              "an npm purl packages.tsv does not name resolves through the index", json.dumps(pad))
        twin = recs.get("twin-parser", {})
        cands = sorted(c["cpe"] for c in twin.get("candidates", []) if c["method"] == "purl-index")
        check(twin.get("bucket") == "unresolved" and cands == ["a:alpha_labs:twin_parser", "a:beta_soft:twin-parser"],
              "two products for one package: not guessed, both are candidates", json.dumps(twin))
        lod = recs.get("lodash", {})
        check(lod.get("method") == "purl" and ":lodash:lodash:4.17.20:" in lod.get("cpe", ""),
              "the shipped packages.tsv wins over the index", json.dumps(lod))
        check(rep.get("by_method", {}).get("purl-index") == 1, "the report counts the method",
              json.dumps(rep))

        # feed status lists it (status needs a vulnerability index)
        run("feed", "import", "nvd", os.path.join(DATA, "sample", "nvd-sample.json.gz"), data=data)
        rc, out, err = run("feed", "status", data=data)
        check(rc == 0 and "purl index   18 packages" in out and "npm 11" in out, "feed status lists the index", out + err)
        rc, out, err = run("feed", "status", "--json", data=data)
        try:
            pi = json.loads(out)["purl_index"]
            check(pi["packages"] == 18 and pi["ecosystems"]["gem"] == 1, "feed status --json gives the index",
                  json.dumps(pi))
        except (ValueError, KeyError, TypeError) as e:
            check(False, "feed status --json prints JSON with purl_index", f"{e}\n{out[:800]}\n{err}")
    check.finish()


if __name__ == "__main__":
    sys.exit(main())
