#!/usr/bin/env python3
"""Integration test of inventory intake through the real binary: `lianfang inventory
normalize` on every intake fixture and every real inventory in ../shared/data (the loss
rule: records in = resolved + unresolved + rejected, and every record is listed), an agency
CSV with Chinese headers in UTF-8, Big5, GB18030 and UTF-16LE (same buckets, encoding
reported), a file in no supported encoding (rejected with the byte offset), and
`vans scan` of a raw CSV against the bundled NVD sample (findings, unresolved counted)."""
import json
import os
import sys
import tempfile

from lfharness import Checks, Cli

BIN = sys.argv[1]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FX = os.environ.get("LF_FIXTURES", os.path.join(ROOT, "tests", "fixtures"))
SHARED = os.environ.get("LF_SHARED_DATA", "")
DATA = os.environ.get("LF_DATA_DIR", os.path.join(ROOT, "data"))
check = Checks()
run = Cli(BIN, errors="replace")


def normalize(path, data, *opts):
    rc, out, err = run("inventory", "normalize", "--json", *opts, path, data=data)
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(False, f"normalize --json {path} prints JSON", f"{e}\n{out[:500]}\n{err}")
        return rc, None, err
    return rc, doc["files"][0], err


def loss_rule(path, data):
    rc, f, err = normalize(path, data)
    if f is None:
        return None
    if "error" in f:
        check(rc == 2 and f["error"], f"{path}: a file-level error is reported", err)
        return f
    r = f["report"]
    check(r["records_in"] == r["resolved"] + r["unresolved"] + r["rejected"],
          f"{path}: records in = resolved + unresolved + rejected", json.dumps(r))
    check(len(f["records"]) == r["resolved"] + r["unresolved"], f"{path}: every record is listed", json.dumps(r))
    check(sum(r.get("by_method", {}).values()) == r["resolved"], f"{path}: the methods add up to the resolved",
          json.dumps(r))
    check("other" not in r.get("by_method", {}), f"{path}: every method has its name", json.dumps(r))
    check(len(f["rejected"]) == r["rejected"], f"{path}: every rejected row is listed", json.dumps(r))
    for rj in f["rejected"]:
        check(rj["line"] >= 1 and rj["reason"], f"{path}: a rejected row has a line and a reason", json.dumps(rj))
    for rec in f["records"]:
        check(rec["line"] >= 1, f"{path}: a record has a line", json.dumps(rec))
        if rec["bucket"] == "resolved":
            check(rec["cpe"].startswith("cpe:2.3:") and 0 < rec["confidence"] <= 1,
                  f"{path}: resolved has a CPE and confidence", json.dumps(rec))
        else:
            check(bool(rec["reason"]), f"{path}: unresolved has a reason", json.dumps(rec))
    return f


AGENCY = ("主機名稱,IP位址,作業系統,軟體名稱,版本,發行者\r\n"
          "PC-001,10.1.2.3,Windows 10 企業版,Google Chrome,100.0.4896.60,Google LLC\r\n"
          "PC-001,10.1.2.3,Windows 10 企業版,\"7-Zip 23.01 (x64)\",,Igor Pavlov\r\n"
          "PC-001,10.1.2.3,Windows 10 企業版,公文製作系統 (機關自建),3.2,本機關資訊室\r\n"
          "PC-002,10.1.2.4,Windows 11 專業版,Mozilla Firefox (x64 zh-TW),121.0,Mozilla\r\n"
          "PC-002,10.1.2.4,Windows 11 專業版,,1.0,\r\n"
          "PC-002,10.1.2.4,Windows 11 專業版,BitTorrent,7.11.0,BitTorrent Inc.\r\n")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        # every fixture and every real inventory keeps the loss rule
        files = []
        for base in [os.path.join(FX, "intake")] + ([os.path.join(SHARED, "inventories")] if SHARED else []):
            for d, dirs, names in os.walk(base):
                dirs[:] = [x for x in dirs if x != "dict"]   # the resolver's test dictionary
                for n in sorted(names):
                    if not n.lower().endswith((".md",)):
                        files.append(os.path.join(d, n))
        for p in files:
            loss_rule(p, data)
        check(len(files) >= 10, "there are intake fixtures to check", str(files))

        # the same agency sheet in four encodings gives the same buckets
        results = {}
        for enc, label in [("utf-8", "UTF-8"), ("cp950", "Big5"), ("gb18030", "GB18030"), ("utf-16", "UTF-16LE")]:
            p = os.path.join(tmp, f"agency-{enc}.csv")
            text = AGENCY if enc != "gb18030" else AGENCY.replace("專業版", "专业版")
            with open(p, "wb") as fh:
                fh.write(text.encode(enc))
            f = loss_rule(p, data)
            if not f or "error" in f:
                check(False, f"agency sheet in {enc} is read", json.dumps(f))
                continue
            check(label in f["encoding"], f"{enc}: encoding reported", f["encoding"])
            check(f["format"] == "csv", f"{enc}: format csv", f["format"])
            r = f["report"]
            check((r["records_in"], r["rejected"]) == (6, 1), f"{enc}: 6 rows, the one without a name rejected",
                  json.dumps(r))
            results[enc] = [(x["host"], x["bucket"], x.get("cpe")) for x in f["records"]]
            recs = {x["name"]: x for x in f["records"]}
            chrome = recs.get("Google Chrome", {})
            check(chrome.get("cpe", "").startswith("cpe:2.3:a:google:chrome:100.0.4896.60:"),
                  f"{enc}: Chrome resolved with its version", json.dumps(chrome, ensure_ascii=False))
            check(chrome.get("host") == "PC-001", f"{enc}: host from the 主機名稱 column", json.dumps(chrome))
            zip7 = recs.get("7-Zip 23.01 (x64)", {})
            check(zip7.get("cpe", "").startswith("cpe:2.3:a:7-zip:7-zip:23.01:"),
                  f"{enc}: 7-Zip version taken from the name", json.dumps(zip7, ensure_ascii=False))
            inhouse = recs.get("公文製作系統 (機關自建)", {})
            check(inhouse.get("bucket") == "unresolved", f"{enc}: an in-house system is not guessed",
                  json.dumps(inhouse, ensure_ascii=False))
        if "utf-8" in results:
            for enc, res in results.items():
                check(res == results["utf-8"], f"{enc}: same results as UTF-8", f"{res}\n{results['utf-8']}")

        # wmic output as Windows writes it: UTF-16LE with BOM, CR CR LF, columns by characters
        src = os.path.join(FX, "intake", "fmt", "wmic-table.txt")
        if os.path.exists(src):
            with open(src, "rb") as fh:
                text = fh.read().decode("utf-8")
            p = os.path.join(tmp, "wmic-utf16.txt")
            with open(p, "wb") as fh:
                fh.write(b"\xff\xfe" + text.encode("utf-16-le"))
            f = loss_rule(p, data)
            if f and "error" not in f:
                check(f["encoding"] == "UTF-16LE" and f["format"] == "wmic", "wmic UTF-16LE detected",
                      f["encoding"] + " " + f["format"])
                recs = {x["name"]: x for x in f["records"]}
                check(recs.get("Google Chrome", {}).get("cpe", "").startswith("cpe:2.3:a:google:chrome:120.0.6099.130"),
                      "wmic: Chrome resolved with its version column", json.dumps(list(recs)[:10], ensure_ascii=False))
                office = [x for x in f["records"] if x["name"].startswith("Microsoft Office")]
                check(office and office[0].get("cpe", "").startswith("cpe:2.3:a:microsoft:office:2016"),
                      "wmic: a Chinese Office name in a fixed-width column", json.dumps(office, ensure_ascii=False))

        # the report counts every method: rows resolved by rewriting the name (once left out
        # of by_method, whose counts then fell short of resolved)
        rw = os.path.join(tmp, "rewrite.csv")
        with open(rw, "w", newline="") as fh:
            fh.write("hostname,name,version,publisher\r\nPC-9,Mozilla Firefox for Windows,121.0,Mozilla\r\n"
                     "PC-9,TeamViewer15,15.48.4,TeamViewer\r\n")
        f = loss_rule(rw, data)
        if f is not None:
            check(f["report"].get("by_method") == {"alias-rewrite": 2}, "by_method counts alias-rewrite",
                  json.dumps(f["report"]))

        # --format forces a reader: a dpkg list read as rpm still loses nothing
        dp = os.path.join(FX, "intake", "fmt", "dpkg-query-osrelease.txt")
        if os.path.exists(dp):
            rc, f, err = normalize(dp, data, "--format", "rpm")
            if f is not None and "error" not in f:
                check(f["format"] == "rpm", "--format rpm is used", f["format"])
                r = f["report"]
                check(r["records_in"] == r["resolved"] + r["unresolved"] + r["rejected"], "--format: loss rule", json.dumps(r))

        # a file in none of the encodings: rejected with the byte offset
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "wb") as fh:
            fh.write(b"name,version\r\nok,1\r\n\xff\xfe\xfa\x80bad,2\r\n")
        rc, out, err = run("inventory", "normalize", bad, data=data)
        check(rc == 2 and "offset" in err, "undecodable file rejected with the offset", out + err)

        # vans scan straight from a raw CSV against the bundled sample
        rc, out, err = run("feed", "import", "nvd", os.path.join(DATA, "sample", "nvd-sample.json.gz"), data=data)
        check(rc == 0, "sample NVD import", err)
        p = os.path.join(tmp, "agency-utf-8.csv")
        rc, out, err = run("vans", "scan", "--json", p, data=data)
        check(rc in (0, 1), "vans scan of a raw CSV runs", err)
        try:
            doc = json.loads(out)
            cves = [f for f in doc["findings"] if ":google:chrome:" in f.get("cpe", "")]
            check(len(cves) > 0 and rc == 1, "Chrome 100 has findings from the sample", out[:1500])
            check(doc["summary"]["unresolved_records"] >= 1, "unresolved records counted in the scan summary",
                  json.dumps(doc["summary"]))
            check(all(f["host"] in ("PC-001", "PC-002") for f in doc["findings"]), "findings name the CSV's hosts",
                  out[:800])
            flags = [(x["host"], x["name"], x["kind"]) for x in doc["policy_flags"]]
            check(flags == [("PC-002", "BitTorrent", "unofficial")],
                  "a non-official program is flagged for its host although it has no CVE", json.dumps(flags))
        except ValueError as e:
            check(False, "vans scan --json prints JSON", f"{e}\n{out[:800]}\n{err}")

        # a product NVD files under two names (zoom:meetings / zoom:zoom, equivalents.tsv):
        # the sample's Zoom CVEs are filed under zoom:zoom only, the resolver writes
        # zoom:meetings; both are matched, each CVE reported once
        z = os.path.join(tmp, "zoom.csv")
        with open(z, "w", encoding="utf-8") as fh:
            fh.write('name,version,publisher\nZoom,5.10.0,"Zoom Video Communications, Inc."\n')
        rc, out, err = run("vans", "scan", "--json", z, data=data)
        try:
            cves = [f["cve"] for f in json.loads(out)["findings"]]
            check(len(cves) >= 1 and len(cves) == len(set(cves)),
                  "an equivalent NVD name finds the CVEs filed under it, once each", out[:800])
        except ValueError as e:
            check(False, "vans scan --json prints JSON (zoom)", f"{e}\n{out[:400]}\n{err}")
    check.finish()


if __name__ == "__main__":
    sys.exit(main())
