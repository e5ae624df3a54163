#!/usr/bin/env python3
"""An upload that fails after its matching has started. The upload handler starts matching
on a thread of its own as soon as the file is read (lf_rematch_pipe_start), then opens the
store transaction. Here another process (this test, with Python's sqlite3) holds the
database's write lock past the server's busy timeout, so the transaction cannot begin while
the matcher thread runs, fills its two batches of hits and waits for a writer that never
comes: the handler must stop that thread (lf_rematch_pipe_cancel) and free its batches.

Asserted: the upload is answered 503 `busy` with Retry-After, and nothing of it is stored
(no upload, match run or finding of that agency); reads are served while the lock is held
(WAL); once the lock goes, the same upload succeeds with exactly the hits and new findings
an identical upload to another agency had; the server stops cleanly (exit 0, and under the
sanitizer build no leak report: the cancelled thread's batches were freed). Standard
library only."""
import datetime
import json
import os
import sqlite3
import sys
import threading
import time

from lfharness import Checks, cpe_hosts, national_server, sample_app_products

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
check = Checks()

inst, cl = national_server(BIN, "lf-cancel-", NVD)
DB = os.path.join(inst.data, "lianfang.db")
county = cl.county("TW-TPE")


def agency(code):
    st, ag = cl.req("POST", f"/api/v1/orgs/{county}/agencies",
                    {"code": code, "name_zh": "取消測試", "name_en": "Cancel test", "level": "B"})
    assert st == 201, ag
    return ag["id"]


A, B = agency("TPE-CANCEL-A"), agency("TPE-CANCEL-B")
MONTH = datetime.date.today().strftime("%Y-%m")

# enough hits for more than the matcher's two batches of 32,768: its thread must be left
# waiting for the writer, not finished, when the upload fails
lines = [json.dumps(h) for h in cpe_hosts(sample_app_products(NVD), 3000, 80, 11)]
BIG = ("\n".join(lines) + "\n").encode()


def upload(ag):
    return cl.send("POST", f"/api/v1/agencies/{ag}/uploads?month={MONTH}&file_name=inv.jsonl", raw=BIG)


st, ref, _, _ = upload(A)
check(st == 201 and ref["findings"]["computed"], "reference upload to agency A", ref)
HITS, NEW = ref["findings"]["hits"], ref["findings"]["new"]
check(HITS > 2 * 32768, f"the inventory gives more hits ({HITS}) than two batches", HITS)


def stored(ag):
    db = sqlite3.connect(DB, timeout=30)
    try:
        return tuple(db.execute(q, (ag,)).fetchone()[0] for q in (
            "SELECT count(*) FROM uploads WHERE agency_id = ?",
            "SELECT count(*) FROM match_runs WHERE agency_id = ?",
            "SELECT count(*) FROM findings WHERE agency_id = ?"))
    finally:
        db.close()


# hold the write lock (another process on the same file), then upload to B
lock = sqlite3.connect(DB, isolation_level=None, timeout=30)
lock.execute("BEGIN IMMEDIATE")
out = {}


def send():
    t0 = time.monotonic()
    out["r"] = upload(B)
    out["t"] = time.monotonic() - t0


th = threading.Thread(target=send)
th.start()
time.sleep(1.0)
# a reader blocked by the lock would wait until it goes (after the upload's answer below),
# so this read being answered while the upload still waits is what shows it was not
st, page = cl.req("GET", f"/api/v1/agencies/{A}/findings?limit=5", timeout=60)
check(st == 200 and len(page["items"]) == 5 and th.is_alive(),
      "reads are answered while the write lock is held and the upload waits", (st, th.is_alive()))
th.join(timeout=120)
check(not th.is_alive(), "the blocked upload is answered")
st, js, resp, _ = out.get("r", (None, None, None, None))
check(st == 503 and js and js["error"]["code"] == "busy" and (resp.getheader("Retry-After") or "").isdigit(),
      f"the upload is refused 503 busy with Retry-After after {out.get('t', 0):.1f} s", (st, js))
lock.execute("ROLLBACK")
lock.close()
check(stored(B) == (0, 0, 0), "nothing of the refused upload is stored", stored(B))
check(any("busy:" in l for l in inst.errlog), "the server logs why", inst.errlog[-5:])

# the same upload now succeeds, with what the identical upload to A gave
st, js, _, _ = upload(B)
check(st == 201 and js["findings"]["hits"] == HITS and js["findings"]["new"] == NEW,
      "the upload succeeds once the lock is gone, with the reference's hits and findings", js)
up, runs, nf = stored(B)
check((up, runs, nf) == (1, 1, NEW), "one upload, one match run and its findings stored", (up, runs, nf))
db = sqlite3.connect(DB)
check(db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity_check ok")
db.close()

inst.stop(timeout=60)
check(inst.proc.returncode == 0, "the server stops cleanly", inst.proc.returncode)
time.sleep(0.2)
log = "".join(inst.errlog)
check("LeakSanitizer" not in log and "runtime error" not in log and "AddressSanitizer" not in log,
      "no sanitizer report", log[-2000:])
check.finish()
