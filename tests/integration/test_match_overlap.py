#!/usr/bin/env python3
"""Integration test of match.overlap: an upload's hosts are matched on a thread of their own
while the request's thread writes the findings (the default), or both in turn on one thread
(match.overlap = false, LIANFANG_MATCH_OVERLAP=false). Two real servers on data directories
of their own, the same sample index, the same upload of 1,500 hosts (more hits than one
batch of 32,768, so both paths hand over several batches), then the same upload again
(every finding seen again), then a smaller one (findings fixed): the upload answers and the
stored findings (host, CVE, CPE, kind, state, scores, dates) must be the same. The one-thread
path is also the one taken when no thread can be started. Standard library only."""
import datetime
import json
import os
import sqlite3
import sys

from lfharness import Checks, clean_env, cpe_hosts, national_server, sample_app_products

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
check = Checks()

# the inventory: products the sample index names, at versions inside and outside its ranges
hosts = cpe_hosts(sample_app_products(NVD), 1500, 60, 11)


def body(hs):
    return ("\n".join(json.dumps(h) for h in hs) + "\n").encode()


def start(env):
    lf, c = national_server(BIN, "lf-overlap-", NVD, env, timeout=600)
    st, ag = c.req("POST", f"/api/v1/orgs/{c.county('TW-TPE')}/agencies",
                   {"code": "TPE-OVL", "name_zh": "重疊測試", "name_en": "Overlap test", "level": "A"})
    assert st == 201, ag
    return lf, c, ag["id"]


def upload(c, ag, month, raw):
    st, js = c.req("POST", f"/api/v1/agencies/{ag}/uploads?month={month}&file_name=inv.jsonl", raw=raw)
    check(st in (200, 201), f"upload accepted ({month})", js)
    # what was found and decided, without ids and timings
    return {"hosts": js.get("hosts"), "findings": js.get("findings")} if isinstance(js, dict) else js


def findings(lf):
    db = sqlite3.connect(os.path.join(lf.data, "lianfang.db"))
    rows = db.execute("SELECT h.name, f.cve, f.cpe, f.kind, f.state, f.cvss, f.cvss_version, f.severity, f.kev, "
                      "f.kev_due, f.notice_date, f.due_date, f.fixed_confirmed, f.reopened "
                      "FROM findings f JOIN hosts h ON h.id = f.host_id ORDER BY 1, 2").fetchall()
    db.close()
    return rows


overlap, c1, ag1 = start(clean_env(LIANFANG_FEEDS_POLL=0))
in_turn, c2, ag2 = start(clean_env(LIANFANG_FEEDS_POLL=0, LIANFANG_MATCH_OVERLAP="false"))
this = datetime.date.today()
m1 = this.strftime("%Y-%m")
m2 = (this.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
steps = [(m1, body(hosts), "first upload"), (m1, body(hosts), "the same again"),
         (m2, body(hosts[:900]), "next month, 900 hosts")]
for month, raw, what in steps:
    a = upload(c1, ag1, month, raw)
    b = upload(c2, ag2, month, raw)
    check(a == b, f"{what}: the same answer matched in turn as overlapped", f"{a}\n{b}")
    fa, fb = findings(overlap), findings(in_turn)
    check(len(fa) > 0 and fa == fb, f"{what}: the same {len(fa)} stored findings", f"{len(fa)} vs {len(fb)}")
    if what == "first upload":
        # more hits than one batch, or the test would not hand any batch over
        hits = (a.get("findings") or {}).get("hits") if isinstance(a, dict) else None
        check(isinstance(hits, int) and hits > 32768, f"first upload: {hits} hits, more than one batch (32,768)", a)
states = {}
for row in findings(in_turn):
    states[row[4]] = states.get(row[4], 0) + 1
check(states.get("fixed", 0) > 0 and states.get("open", 0) > 0, "the last step fixed some and kept others", states)
overlap.stop()
in_turn.stop()
said = "match.overlap is false"
check(any(said in l for l in in_turn.errlog) and not any(said in l for l in overlap.errlog),
      "the server says when it matches in turn (and only then)", "".join(in_turn.errlog)[-2000:])
sys.exit(check.finish("".join(overlap.errlog + in_turn.errlog)))
