#!/usr/bin/env python3
"""Integration test of NVD's Official CPE Dictionary as a names source (feeds/cpedict.h) through
the real binary: `feed import cpedict` reads the XML dictionary, a gzip'd copy of it and the CPE
API 2.0 JSON, prints what it read, reports a malformed item on stderr with the file and the line of
its <cpe-item> while the import succeeds, and writes <data>/cpedict.tsv (a failed import leaves it
as it was); `feed status --json` shows "cpe_dictionary" (null before any import); `inventory
normalize` resolves a name only a dictionary title gives ("Unicon Software eLux RP", "Cybozu
Garoon": in none of the shipped dictionaries of data/intake) by the method "title", and not
without the import; and the real slice in shared/data/cpe, whose end has two stray </cpe-list>
tags, is read whole with the XML error reported with its line."""
import gzip
import json
import os
import re
import sys
import tempfile
from xml.sax.saxutils import unescape

from lfharness import Checks, Cli, normalize

BIN = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.environ.get("LF_DATA_DIR", os.path.join(ROOT, "data"))
SHARED = os.environ.get("LF_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
SLICE = os.path.join(SHARED, "cpe", "official-cpe-dictionary_v2.3.slice-syft-testdata.xml")
check = Checks()
run = Cli(BIN)

MALFORMED = "not a CPE 2.3 name with part, vendor and product"


def item(uri, title, name, extra=""):
    return (f'  <cpe-item name="{uri}"{extra}>\n'
            f'    <title xml:lang="en-US">{title}</title>\n'
            f'    <references>\n      <reference href="http://www.unicon-software.com/">Vendor</reference>\n'
            f'    </references>\n'
            + (f'    <cpe-23:cpe23-item name="{name}"/>\n' if name else "")
            + '  </cpe-item>\n')


# The XML form as NVD writes it: two versions of one product (one digest line), a deprecated
# item, an item whose cpe23 name is not a CPE 2.3 name, and an operating system.
XML = ("<?xml version='1.0' encoding='UTF-8'?>\n"
       '<cpe-list xmlns="http://cpe.mitre.org/dictionary/2.0" '
       'xmlns:cpe-23="http://scap.nist.gov/schema/cpe-extension/2.3">\n'
       '  <generator>\n    <product_name>National Vulnerability Database (NVD)</product_name>\n'
       '    <schema_version>2.3</schema_version>\n  </generator>\n'
       + item("cpe:/a:unicon-software:elux_rp:4", "Unicon Software eLux RP 4",
              "cpe:2.3:a:unicon-software:elux_rp:4:*:*:*:*:*:*:*")
       + item("cpe:/a:unicon-software:elux_rp:4.0.1", "Unicon Software eLux RP 4.0.1",
              "cpe:2.3:a:unicon-software:elux_rp:4.0.1:*:*:*:*:*:*:*")
       + item("cpe:/a:unicon-software:elux_rp:4.2", "Unicon Software eLux RP Old 4.2",
              "cpe:2.3:a:unicon-software:elux_rp_old:4.2:*:*:*:*:*:*:*", ' deprecated="true"')
       + item("cpe:/a:unicon-software:broken", "Unicon Broken 1.0", "cpe:2.3:a:unicon-software")
       + item("cpe:/o:unicon-software:elux_rp_firmware:6.5", "Unicon Software eLux RP Firmware 6.5",
              "cpe:2.3:o:unicon-software:elux_rp_firmware:6.5:*:*:*:*:*:*:*")
       + "</cpe-list>\n")
XML_DIGEST = ["a:unicon-software:elux_rp\tunicon software elux rp",
              "o:unicon-software:elux_rp_firmware\tunicon software elux rp firmware"]

# The CPE API 2.0 form: a Japanese title before the English one, a deprecated product, a
# product without cpeName.
API = {
    "resultsPerPage": 4, "startIndex": 0, "totalResults": 4, "format": "NVD_CPE", "version": "2.0",
    "timestamp": "2026-09-01T00:00:00.000",
    "products": [
        {"cpe": {"deprecated": False, "cpeName": "cpe:2.3:a:cybozu:garoon:5.0.0:*:*:*:*:*:*:*",
                 "cpeNameId": "4D5A3C1B-2E3F-4A5B-8C6D-7E8F9A0B1C2D",
                 "titles": [{"title": "サイボウズ ガルーン 5.0.0", "lang": "ja"},
                            {"title": "Cybozu Garoon 5.0.0", "lang": "en"}]}},
        {"cpe": {"deprecated": True, "cpeName": "cpe:2.3:a:cybozu:garoon_old:5.0.1:*:*:*:*:*:*:*",
                 "titles": [{"title": "Cybozu Garoon Old 5.0.1", "lang": "en"}]}},
        {"cpe": {"deprecated": False, "cpeNameId": "00000000-0000-4000-8000-000000000000",
                 "titles": [{"title": "No Name 1.0", "lang": "en"}]}},
        {"cpe": {"deprecated": False, "cpeName": "cpe:2.3:a:cybozu:garoon:5.5.1:*:*:*:*:*:*:*",
                 "titles": [{"title": "Cybozu Garoon 5.5.1", "lang": "en"}]}},
    ],
}
API_DIGEST = ["a:cybozu:garoon\tcybozu garoon"]

INVENTORY = ("Name,Version,Publisher\n"
             "Unicon Software eLux RP 6.5,6.5,\n"
             "Cybozu Garoon 5.5.1,5.5.1,\n")

SUMMARY = re.compile(r"^cpe dictionary: (\d+) items \((\d+) deprecated skipped, (\d+) malformed reported\), (\d+) "
                     r"product titles written to (.+) in [0-9.]+ s$")


def summary(out):
    m = SUMMARY.match(out.strip())
    return (tuple(int(g) for g in m.groups()[:4]), m.group(5)) if m else (None, None)


def digest_lines(path):
    with open(path, encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if not ln.startswith("#")]


def status_cd(data):
    rc, out, err = run("--quiet", "feed", "status", "--json", data=data)
    try:
        return json.loads(out)["cpe_dictionary"]
    except (ValueError, KeyError) as e:
        check(False, "feed status --json prints JSON with cpe_dictionary", f"{rc} {e}\n{out[:800]}\n{err}")
        return "missing"


def by_title(rec, cpe_prefix):
    return (rec.get("bucket") == "resolved" and rec.get("method") == "title" and
            rec.get("cpe", "").startswith(cpe_prefix) and abs(rec.get("confidence", 0) - 0.90) < 0.001)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        xml = os.path.join(tmp, "official-cpe-dictionary_v2.3.xml")
        with open(xml, "w", encoding="utf-8") as fh:
            fh.write(XML)
        gz = xml + ".gz"
        with gzip.open(gz, "wb") as fh:
            fh.write(XML.encode("utf-8"))
        api = os.path.join(tmp, "cpe-api-page-0.json")
        with open(api, "w", encoding="utf-8") as fh:
            json.dump(API, fh, indent=2, ensure_ascii=False)
        inv = os.path.join(tmp, "agency.csv")
        with open(inv, "w", encoding="utf-8") as fh:
            fh.write(INVENTORY)
        digest = os.path.join(data, "cpedict.tsv")
        # the line of the malformed item's <cpe-item>, and of the product without cpeName
        bad_line = next(i for i, ln in enumerate(XML.split("\n"), 1) if "cpe:/a:unicon-software:broken" in ln)
        api_text = open(api, encoding="utf-8").read().split("\n")
        noname_line = next(i for i, ln in enumerate(api_text, 1) if "00000000-0000-4000" in ln)
        noname_line = max(i for i in range(1, noname_line) if api_text[i - 1].strip() == "{")

        # feed status needs a CVE index: the bundled NVD sample (real records)
        sample = os.path.join(DATA, "sample", "nvd-sample.json.gz")
        rc, out, err = run("--quiet", "feed", "import", "nvd", sample, data=data)
        check(rc == 0, "feed import nvd of the bundled sample", out + err)
        check(status_cd(data) is None, "cpe_dictionary is null before any import")

        recs, _ = normalize(run, check, inv, data)
        for name in ("Unicon Software eLux RP 6.5", "Cybozu Garoon 5.5.1"):
            check(recs.get(name, {}).get("bucket") == "unresolved",
                  f"without the dictionary {name!r} is unresolved", json.dumps(recs.get(name)))

        # the XML form
        rc, out, err = run("feed", "import", "cpedict", xml, data=data)
        counts, where = summary(out)
        check(rc == 0 and counts == (5, 1, 1, 2) and where == digest,
              "feed import cpedict XML: 5 items, 1 deprecated, 1 malformed, 2 titles", f"{rc}\n{out}{err}")
        check(f"lianfang: {xml}:{bad_line}: {MALFORMED}: cpe:2.3:a:unicon-software" in err,
              "the malformed item is reported with the file and the line of its <cpe-item>", err)
        check(err.count("lianfang: ") == 1, "only that item is reported", err)
        check(os.path.exists(digest) and digest_lines(digest) == XML_DIGEST, "the digest holds the two titles",
              open(digest).read() if os.path.exists(digest) else "no digest")
        cd = status_cd(data)
        check(isinstance(cd, dict) and cd.get("path") == digest and cd.get("titles") == 2 and cd.get("products") == 2
              and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", cd.get("imported", "")),
              "feed status --json: the digest's path, 2 titles of 2 products, when", json.dumps(cd))
        rc, out, err = run("--quiet", "feed", "status", data=data)
        check(rc == 0 and f"CPE dict     2 titles of 2 products ({digest}, imported " in out,
              "feed status lists the dictionary", out + err)

        recs, rep = normalize(run, check, inv, data)
        elux = recs.get("Unicon Software eLux RP 6.5", {})
        check(by_title(elux, "cpe:2.3:a:unicon-software:elux_rp:6.5:"),
              "a name only the dictionary's title gives resolves by \"title\" (0.90)", json.dumps(elux))
        check(recs.get("Cybozu Garoon 5.5.1", {}).get("bucket") == "unresolved",
              "a product of another file is still unresolved", json.dumps(recs.get("Cybozu Garoon 5.5.1")))
        check(rep.get("by_method", {}).get("title") == 1, "the report counts the method", json.dumps(rep))

        # a gzip'd copy reads the same
        with open(digest, "rb") as fh:
            plain_digest = fh.read()
        rc, out, err = run("feed", "import", "cpedict", gz, data=data)
        counts, _ = summary(out)
        check(rc == 0 and counts == (5, 1, 1, 2), "feed import cpedict of the .gz", f"{rc}\n{out}{err}")
        check(f"lianfang: {gz}:{bad_line}: {MALFORMED}" in err, "the .gz's malformed item names the .gz", err)
        with open(digest, "rb") as fh:
            check(fh.read() == plain_digest, "the .gz gives the plain file's digest")

        # the CPE API 2.0 form: the digest is replaced, not added to
        rc, out, err = run("feed", "import", "cpedict", api, data=data)
        counts, _ = summary(out)
        check(rc == 0 and counts == (4, 1, 1, 1), "feed import cpedict JSON: 4 products, 1 deprecated, 1 malformed, 1 "
              "title", f"{rc}\n{out}{err}")
        check(f"lianfang: {api}:{noname_line}: a product without cpe.cpeName" in err,
              "the product without cpeName is reported with the line it starts on", err)
        check(digest_lines(digest) == API_DIGEST, "the English title, the deprecated product left out",
              open(digest).read())
        recs, _ = normalize(run, check, inv, data)
        check(by_title(recs.get("Cybozu Garoon 5.5.1", {}), "cpe:2.3:a:cybozu:garoon:5.5.1:"),
              "the JSON form's title resolves", json.dumps(recs.get("Cybozu Garoon 5.5.1")))
        check(recs.get("Unicon Software eLux RP 6.5", {}).get("bucket") == "unresolved",
              "the XML import's titles are gone once the JSON one replaced the digest",
              json.dumps(recs.get("Unicon Software eLux RP 6.5")))

        # several files in one import: their titles together
        rc, out, err = run("feed", "import", "cpedict", gz, api, data=data)
        counts, _ = summary(out)
        check(rc == 0 and counts == (9, 2, 2, 3), "feed import cpedict of two files adds their counts",
              f"{rc}\n{out}{err}")
        check(digest_lines(digest) == XML_DIGEST + API_DIGEST, "the digest holds both files' titles in order",
              open(digest).read())
        cd = status_cd(data)
        check(isinstance(cd, dict) and cd.get("titles") == 3 and cd.get("products") == 3,
              "feed status counts 3 titles of 3 products", json.dumps(cd))
        recs, rep = normalize(run, check, inv, data)
        check(all(by_title(recs.get(n, {}), p) for n, p in
                  (("Unicon Software eLux RP 6.5", "cpe:2.3:a:unicon-software:elux_rp:6.5:"),
                   ("Cybozu Garoon 5.5.1", "cpe:2.3:a:cybozu:garoon:5.5.1:"))) and
              rep.get("by_method", {}).get("title") == 2, "both names resolve by title", json.dumps(recs))

        # a failed import: an error with the file and line, the digest left as it was
        with open(digest, "rb") as fh:
            before = fh.read()
        cut = os.path.join(tmp, "cut.xml")
        with open(cut, "w", encoding="utf-8") as fh:
            fh.write(XML[:XML.index("<title")])   # broken inside the first item
        cut_line = XML[:XML.index("<title")].count("\n") + 1
        rc, out, err = run("feed", "import", "cpedict", cut, data=data)
        with open(digest, "rb") as fh:
            after = fh.read()
        check(rc == 2 and f"lianfang: {cut}:{cut_line}:" in err and "XML: no element found" in err and out == "",
              "XML broken before its first item is refused with its line", f"{rc}\n{out}{err}")
        check(before == after, "a refused import leaves the digest as it was")
        rc, out, err = run("feed", "import", "cpedict", inv, data=data)
        with open(digest, "rb") as fh:
            after = fh.read()
        check(rc == 2 and "neither the XML nor the JSON form of the CPE dictionary" in err and before == after,
              "a file that is neither form is refused and changes nothing", f"{rc}\n{out}{err}")
        rc, out, err = run("feed", "import", "cpedict", gz, os.path.join(tmp, "missing.xml"), data=data)
        with open(digest, "rb") as fh:
            after = fh.read()
        check(rc == 2 and "missing.xml" in err and before == after,
              "a missing second file: nothing of the first is written", f"{rc}\n{out}{err}")
        check(not [n for n in os.listdir(data) if ".tmp." in n], "no temporary file is left in the data directory",
              os.listdir(data))

        # a dictionary of 250 broken items and one good: every broken one counted, the first
        # 200 shown with their lines, then one line saying the rest are not shown
        many = os.path.join(tmp, "many.xml")
        with open(many, "w", encoding="utf-8") as fh:
            fh.write(XML[:XML.index("  <cpe-item")])
            for i in range(250):
                fh.write(item(f"cpe:/a:x:broken{i}", f"Broken {i}", "cpe:2.3:a:x"))
            fh.write(item("cpe:/a:unicon-software:elux_rp:4", "Unicon Software eLux RP 4",
                          "cpe:2.3:a:unicon-software:elux_rp:4:*:*:*:*:*:*:*") + "</cpe-list>\n")
        rc, out, err = run("feed", "import", "cpedict", many, data=data)
        lines = err.strip().split("\n")
        shown = [ln for ln in lines if MALFORMED in ln]
        check(rc == 0 and summary(out)[0] == (251, 0, 250, 1) and len(shown) == 200 and
              f"{many}:{XML[:XML.index('  <cpe-item')].count(chr(10)) + 1}:" in shown[0] and
              lines[-1] == "lianfang: further warnings are counted but not shown" and len(lines) == 201,
              "250 malformed items: all counted, 200 shown, then one line", f"{rc}\n{out}{err[-300:]}")

        # the real slice of NVD's dictionary
        if os.path.exists(SLICE):
            real_slice(tmp)
        else:
            print(f"skipped: {SLICE} is not there", file=sys.stderr)
    check.finish()


def real_slice(tmp):
    """The slice's counts computed here from the XML text, against what the tool prints."""
    text = open(SLICE, encoding="utf-8").read()
    items = re.findall(r"<cpe-item\b([^>]*)>(.*?)</cpe-item>", text, re.S)
    deprecated = sum('deprecated="true"' in attrs for attrs, _ in items)
    live = set()
    for attrs, body in items:
        m = re.search(r'cpe23-item name="cpe:2\.3:([aoh]):((?:[^:\\]|\\.)*):((?:[^:\\]|\\.)*):', body)
        if m and 'deprecated="true"' not in attrs:
            live.add(unescape(":".join(m.groups()), {"&quot;": '"', "&apos;": "'"}))
    lines = text.split("\n")
    ends = [i for i, ln in enumerate(lines, 1) if ln.strip() == "</cpe-list>"]
    stray = ends[1] if len(ends) > 1 else None    # the root ends at the first; the second is the error
    data = os.path.join(tmp, "slice-data")
    run("--quiet", "feed", "import", "nvd", os.path.join(DATA, "sample", "nvd-sample.json.gz"), data=data)
    rc, out, err = run("feed", "import", "cpedict", SLICE, data=data)
    counts, _ = summary(out)
    check(rc == 0 and counts is not None and counts[:3] == (len(items), deprecated, 1),
          f"the slice: {len(items)} items, {deprecated} deprecated, the stray tag the one error", f"{rc}\n{out}{err}")
    check(stray is not None and f"lianfang: {SLICE}:{stray}:" in err and "XML: " in err and
          "(the items before it are kept)" in err, "the XML error is reported with its line", err)
    got = digest_lines(os.path.join(data, "cpedict.tsv"))
    check(counts is not None and counts[3] == len(got), "the printed title count is the digest's lines",
          f"{out} {len(got)}")
    check({ln.split("\t")[0] for ln in got} == live, f"the digest names the {len(live)} live products",
          sorted({ln.split("\t")[0] for ln in got} ^ live)[:20])
    cd = status_cd(data)
    check(isinstance(cd, dict) and cd.get("products") == len(live) and cd.get("titles") == len(got),
          "feed status counts the slice's titles and products", json.dumps(cd))


if __name__ == "__main__":
    sys.exit(main())
