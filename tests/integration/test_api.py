#!/usr/bin/env python3
"""Integration test of the platform API (/api/v1): the real `lianfang serve` on a loopback
port the kernel chose, a fresh data directory with the sample NVD index imported and a
national admin added by `lianfang user add`. Covers login/logout, wrong password 401,
CSRF 403, read_only 403, scope (agency / county / national) on every endpoint through a
table of role x endpoint -> status, a Big5 agency CSV upload with its report and
findings, a finding's transition and audit, an illegal transition 409, the same month
uploaded again (snapshot replaced, history of 2), and a Bearer API token upload."""
import http.client
import json
import os
import re
import sys

from lfharness import Checks, Client, Instance

BIN = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NVD = os.path.join(SRC, "data", "sample", "nvd-sample.json.gz")
CSV = os.path.join(SRC, "data", "sample", "inventories", "taipei-hr-2026-11.csv")
check = Checks()
LF = Instance(BIN, "lf-api-")
r = LF.run("feed", "import", "nvd", NVD)
assert r.returncode == 0, r.stderr
LF.add_user("admin", "national_admin", "TW", "a@example.gov.tw", "admin-pass-1")
PORT = LF.serve()


def add_user(login, role, org, pw):
    r = LF.run("user", "add", "--login", login, "--role", role, "--org", org, "--email", login + "@example.gov.tw",
               stdin=pw + "\n")
    check(r.returncode == 0, f"user add {login}", r.stderr)


# ---- login, logout, wrong password, CSRF
anon = Client(PORT)
st, js = anon.req("GET", "/api/v1/me")
check(st == 401 and js["error"]["code"] == "unauthorized", "no auth -> 401", js)
st, js = anon.req("POST", "/api/v1/session", {"login": "admin", "password": "wrong"})
check(st == 401, "wrong password -> 401", js)
admin = Client(PORT)
st, js, resp = admin.try_login("admin", "admin-pass-1")
sc = resp.getheader("Set-Cookie") or ""
check(st == 200 and "HttpOnly" in sc and "SameSite=Strict" in sc, "login 200 + cookie flags", sc)
check(js and js["user"]["login"] == "admin" and js["role"] == "national_admin" and js["org"]["code"] == "TW",
      "login body", js)
st, js = admin.req("GET", "/api/v1/me")
check(st == 200 and js["user"]["login"] == "admin", "GET /me", js)
national = js["org"]["id"]
st, js = admin.req("GET", f"/api/v1/orgs/{national}/children?limit=3")
check(st == 200 and len(js["items"]) == 3 and "next_cursor" in js, "children paging", js)
st2, js2 = admin.req("GET", f"/api/v1/orgs/{national}/children?limit=10&after={js['next_cursor']}")
check(st2 == 200 and len(js2["items"]) == 3 and "next_cursor" not in js2, "children page 2 (6 regions)", js2)

# counties: find TW-TPE and TW-KHH through the tree
regions = js["items"] + js2["items"]
counties = {}
for rg in regions:
    st, cj = admin.req("GET", f"/api/v1/orgs/{rg['id']}/children")
    for c in cj["items"]:
        counties[c["code"]] = c["id"]
check(len(counties) == 22, "22 counties under the 6 regions", counties)
tpe, khh = counties["TW-TPE"], counties["TW-KHH"]

st, js = admin.req("POST", f"/api/v1/orgs/{tpe}/agencies",
                   {"code": "TPE-HR", "name_zh": "臺北市政府人事處", "name_en": "Taipei HR", "level": "B"},
                   csrf=False)
check(st == 403, "POST without CSRF -> 403", js)
st, js = admin.req("POST", f"/api/v1/orgs/{tpe}/agencies",
                   {"code": "TPE-HR", "name_zh": "臺北市政府人事處", "name_en": "Taipei HR", "level": "B"})
check(st == 201 and js["kind"] == "agency" and js["level"] == "B", "create agency TPE-HR", js)
hr = js["id"]
st, js = admin.req("POST", f"/api/v1/orgs/{tpe}/agencies", {"code": "TPE-HR", "name_zh": "x", "name_en": "x", "level": "B"})
check(st == 409, "duplicate agency code -> 409", js)
st, js = admin.req("POST", f"/api/v1/orgs/{tpe}/agencies", {"code": "TPE-TAX", "name_zh": "臺北市稅捐處", "name_en": "Taipei Tax", "level": "B"})
tax = js["id"]
st, js = admin.req("POST", f"/api/v1/orgs/{khh}/agencies", {"code": "KHH-EDU", "name_zh": "高雄市教育局", "name_en": "Kaohsiung Education", "level": "A"})
check(st == 201, "create agency KHH-EDU", js)
edu = js["id"]

add_user("tpe-officer", "county_officer", "TW-TPE", "county-pass-1")
add_user("hr-officer", "agency_officer", "TPE-HR", "agency-pass-1")
add_user("viewer", "read_only", "TW", "viewer-pass-1")
county, agency, viewer = Client(PORT), Client(PORT), Client(PORT)
check(county.try_login("tpe-officer", "county-pass-1")[0] == 200, "county login")
check(agency.try_login("hr-officer", "agency-pass-1")[0] == 200, "agency login")
check(viewer.try_login("viewer", "viewer-pass-1")[0] == 200, "viewer login")

# ---- upload the Big5 CSV as the agency officer
body = open(CSV, "rb").read()
st, js = agency.req("POST", f"/api/v1/agencies/{hr}/uploads?month=2026-11&file_name=taipei-hr-2026-11.csv",
                    raw=body, ctype="text/csv")
check(st == 201, "upload -> 201", js)
rep = js["upload"]["report"]
check(rep["encoding"].lower().startswith("big5") and rep["records_in"] == 11 and rep["resolved"] == 8
      and rep["unresolved"] == 2 and rep["rejected"] == 1, "report 11 = 8 + 2 + 1", rep)
check(js["upload"]["status"] == "current" and js["findings"]["computed"] and js["findings"]["new"] > 0,
      "findings computed", js)
upload1 = js["upload"]["id"]
check([(r["line"], "empty name" in r["reason"]) for r in rep.get("rejected_rows", [])] == [(10, True)]
      and rep.get("rejected_rows_omitted") == 0, "the rejected row is kept with its line and reason", rep)
st, js2 = agency.req("GET", f"/api/v1/uploads/{upload1}")
check(st == 200 and js2["report"]["rejected_rows"] == rep["rejected_rows"], "and stays viewable with the upload", js2)
st, js = agency.req("GET", f"/api/v1/agencies/{hr}/findings?limit=500")
check(st == 200 and len(js["items"]) > 0, "findings listed", js)
chrome = [f for f in js["items"] if "google:chrome:100" in (f["cpe"] or "")]
check(len(chrome) > 0, "Chrome 100 has CVEs", [f["cpe"] for f in js["items"]])
# the programme's deadlines, counted from the notice date (today in Taiwan, UTC+8)
import datetime as _dt
_today = (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(hours=8)).date()


def _want_due(f):
    if f["kev"] or (f["cvss"] is not None and f["cvss"] >= 9.0):
        d = _today + _dt.timedelta(days=6)
        if f["kev"] and f["kev_due"]:
            k = _dt.date.fromisoformat(f["kev_due"])
            if _today <= k < d:   # CISA's earlier date, never one before the notice
                d = k
        return d.isoformat()
    if f["cvss"] is not None and f["cvss"] >= 7.0:
        y, m = (_today.year + (_today.month // 12), _today.month % 12 + 1)
        import calendar as _cal
        return _dt.date(y, m, min(_today.day, _cal.monthrange(y, m)[1])).isoformat()
    return None


bad = [(f["cve"], f["cvss"], f["kev"], f["due_date"], _want_due(f)) for f in js["items"]
       if f["notice_date"] != _today.isoformat() or f["due_date"] != _want_due(f)]
check(not bad and any(f["due_date"] for f in js["items"]),
      "every new finding has today's notice date and the programme's deadline", bad[:5])
fid = chrome[0]["id"]
st, js = agency.req("GET", f"/api/v1/agencies/{hr}/findings?state=fixed")
check(st == 200 and js["items"] == [], "state filter", js)
st, js = agency.req("GET", f"/api/v1/agencies/{hr}/findings?state=bogus")
check(st == 400, "bad state -> 400", js)

# ---- transitions and audit
st, js = agency.req("POST", f"/api/v1/findings/{fid}/transition", {"to": "measure_filed", "text": "更新至最新版"})
check(st == 422, "measure_filed without planned_date -> 422", js)
st, js = agency.req("POST", f"/api/v1/findings/{fid}/transition",
                    {"to": "measure_filed", "text": "更新至最新版", "planned_date": "2026-12-15"})
check(st == 200 and js["state"] == "measure_filed" and js["measure_planned"] == "2026-12-15", "measure_filed", js)
st, js = agency.req("GET", f"/api/v1/findings/{fid}")
check(st == 200 and js["state"] == "measure_filed" and js["measure"] == "更新至最新版", "GET finding", js)
st, js = agency.req("GET", f"/api/v1/findings/{fid}/audit")
tr = [a for a in js["items"] if a["actor"] == "hr-officer"]
check(st == 200 and tr and tr[-1]["before"]["state"] == "open" and tr[-1]["after"]["state"] == "measure_filed",
      "audit before/after", js)
st, js = agency.req("POST", f"/api/v1/findings/{fid}/transition", {"to": "open"})
check(st == 409, "measure_filed -> open is illegal: 409", js)

# ---- risk acceptance: an expiry already over is refused; one that runs out opens the finding
# again (the scheduler's run after the day), due by the policy counted from that day
def _due_from(f, day):
    if f["kev"] or (f["cvss"] is not None and f["cvss"] >= 9.0):
        d = day + _dt.timedelta(days=6)
        if f["kev"] and f["kev_due"] and day <= _dt.date.fromisoformat(f["kev_due"]) < d:
            d = _dt.date.fromisoformat(f["kev_due"])
        return d.isoformat()
    if f["cvss"] is not None and f["cvss"] >= 7.0:
        import calendar as _cal
        y, m = (day.year + (day.month // 12), day.month % 12 + 1)
        return _dt.date(y, m, min(day.day, _cal.monthrange(y, m)[1])).isoformat()
    return None


st, js = agency.req("GET", f"/api/v1/agencies/{hr}/findings?limit=500")
rf = [f for f in js["items"] if f["state"] == "open" and f["id"] != fid and f["cvss"] is not None and f["cvss"] >= 7][0]
acc = {"to": "risk_accepted", "reason": "隔離網段，無對外連線", "approver": "資安長"}
yesterday = (_today - _dt.timedelta(days=1)).isoformat()
st, js = agency.req("POST", f"/api/v1/findings/{rf['id']}/transition", dict(acc, expiry=yesterday))
check(st == 422 and "expiry" in js["error"]["message"], "risk_accepted with an expiry already over -> 422", js)
st, js = agency.req("POST", f"/api/v1/findings/{rf['id']}/transition", dict(acc, expiry=_today.isoformat()))
check(st == 200 and js["state"] == "risk_accepted" and js["risk_expiry"] == _today.isoformat(),
      "risk_accepted through today", js)
on_day = _dt.datetime.combine(_today, _dt.time(23, 0), _dt.timezone(_dt.timedelta(hours=8)))
st, js = admin.req("POST", "/api/v1/admin/scheduler/run?now=" + on_day.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
check(st == 200 and js["risk_expired"] == 0, "on its expiry day the acceptance still holds", js)
check(agency.req("GET", f"/api/v1/findings/{rf['id']}")[1]["state"] == "risk_accepted", "still accepted")
later = _today + _dt.timedelta(days=2)
at = _dt.datetime.combine(later, _dt.time(9, 0), _dt.timezone(_dt.timedelta(hours=8)))
at = at.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
st, js = admin.req("POST", "/api/v1/admin/scheduler/run?now=" + at)
check(st == 200 and js["risk_expired"] == 1, "the scheduler opens the expired acceptance", js)
st, js = agency.req("GET", f"/api/v1/findings/{rf['id']}")
check(st == 200 and js["state"] == "open" and js["risk_expiry"] is None and js["risk_reason"] is None
      and js["due_date"] == _due_from(rf, later), "open again, due by the policy from that day",
      (js, _due_from(rf, later)))
st, js = agency.req("GET", f"/api/v1/findings/{rf['id']}/audit")
last = js["items"][-1]
check(last["action"] == "risk_expired" and last["actor"] == "system" and last["before"]["state"] == "risk_accepted"
      and last["after"]["state"] == "open", "audited as risk_expired by the system", last)
st, js = admin.req("POST", "/api/v1/admin/scheduler/run?now=" + at)
check(st == 200 and js["risk_expired"] == 0, "a second run opens nothing again", js)

# ---- same month again: replaced, history of 2
st, js = agency.req("POST", f"/api/v1/agencies/{hr}/uploads?month=2026-11", raw=body, ctype="text/csv")
check(st == 201 and js["findings"]["new"] == 0, "re-upload: no new findings", js)
upload2 = js["upload"]["id"]
st, js = agency.req("GET", f"/api/v1/agencies/{hr}/uploads")
stat = {u["id"]: u["status"] for u in js["items"]}
check(st == 200 and len(js["items"]) == 2 and stat.get(upload1) == "superseded" and stat.get(upload2) == "current",
      "history: 2 uploads, first superseded", js)
check(all("report" not in u and u["counts"]["records"] == 11 for u in js["items"]),
      "the history gives each upload's counts, not its report (GET /uploads/{id} has it)", js)
st, js = agency.req("GET", f"/api/v1/uploads/{upload1}")
check(st == 200 and js["superseded_by"] == upload2 and js["report"]["records_in"] == 11, "GET upload", js)
st, js = agency.req("GET", f"/api/v1/findings/{fid}")
check(js["state"] == "measure_filed", "state kept across re-upload", js)

# ---- read_only
st, js = viewer.req("GET", f"/api/v1/agencies/{hr}/findings")
check(st == 200 and len(js["items"]) > 0, "read_only sees findings", js)
st, js = viewer.req("POST", f"/api/v1/findings/{fid}/transition", {"to": "fixed"})
check(st == 403, "read_only POST -> 403", js)

# ---- API token upload (Bearer, no CSRF)
st, js = agency.req("POST", f"/api/v1/orgs/{hr}/tokens", {"name": "nightly-agent"})
check(st == 201 and js["secret"].startswith("lft_"), "token created", js)
bot = Client(PORT, token=js["secret"])
st, js = bot.req("POST", f"/api/v1/agencies/{hr}/uploads?month=2026-12", raw=body, ctype="text/csv")
check(st == 201 and js["upload"]["token_id"], "Bearer upload works without CSRF", js)
st, js = bot.req("POST", f"/api/v1/agencies/{edu}/uploads?month=2026-12", raw=body, ctype="text/csv")
check(st == 403, "token outside its org -> 403", js)
st, js = bot.req("POST", f"/api/v1/findings/{fid}/transition", {"to": "fixed"})
check(st == 403, "token may not transition", js)
bad = Client(PORT, token="lft_" + "0" * 64)
check(bad.req("GET", "/api/v1/me")[0] == 401, "unknown token -> 401")

# ---- accounts and tokens over the API (api_users.c)
st, js = county.req("POST", f"/api/v1/orgs/{hr}/users", {"login": "hr.officer2", "display_name": "人事處 資安窗口",
                       "email": "hr2@example.gov.tw", "role": "agency_officer", "password": "long-enough-pass"})
check(st == 201 and js["role"] == "agency_officer" and js["org_id"] == hr and js["has_password"],
      "a county officer creates an agency officer in its agency", js)
new_id = js.get("id")
st, js = county.req("POST", f"/api/v1/orgs/{hr}/users", {"login": "hr.boss", "email": "b@example.gov.tw",
                       "role": "national_admin", "password": "long-enough-pass"})
check(st == 403, "nobody grants a role stronger than their own", js)
st, js = county.req("POST", f"/api/v1/orgs/{hr}/users", {"login": "hr.short", "email": "s@example.gov.tw",
                       "role": "read_only", "password": "short"})
check(st == 422, "a short password is refused", js)
st, js = agency.req("POST", f"/api/v1/orgs/{hr}/users", {"login": "hr.officer2", "email": "x@example.gov.tw",
                       "role": "read_only", "password": "long-enough-pass"})
check(st == 409, "a login already taken -> 409", js)
officer2 = Client(PORT)
st, js, _ = officer2.try_login("hr.officer2", "long-enough-pass")
check(st == 200 and js["role"] == "agency_officer", "the new account logs in", js)
st, js = agency.req("GET", f"/api/v1/orgs/{hr}/users")
check(st == 200 and "hr.officer2" in [u["login"] for u in js["items"]], "the agency lists its accounts", js)
st, js = county.req("PUT", f"/api/v1/users/{new_id}", {"disabled": True})
check(st == 200 and js["disabled"], "a county officer disables the account", js)
check(officer2.req("GET", "/api/v1/me")[0] == 401, "a disabled account's session ends")
check(Client(PORT).try_login("hr.officer2", "long-enough-pass")[0] == 403, "a disabled account cannot log in (403)")
st, js = county.req("PUT", f"/api/v1/users/{new_id}", {"disabled": False})
st, js = county.req("POST", f"/api/v1/users/{new_id}/password", {"password": "another-long-pass"})
check(st == 204, "a password reset by the county", js)
check(Client(PORT).try_login("hr.officer2", "another-long-pass")[0] == 200, "the new password works")
st, js = agency.req("GET", f"/api/v1/orgs/{hr}/tokens")
tok = [t for t in js.get("items", []) if t["name"] == "nightly-agent"]
check(st == 200 and tok and "secret" not in tok[0], "tokens are listed without their secrets", js)
st, js = agency.req("DELETE", f"/api/v1/orgs/{hr}/tokens/{tok[0]['id'] if tok else 0}")
check(st == 204, "the agency revokes its token", js)
st, js = bot.req("POST", f"/api/v1/agencies/{hr}/uploads?month=2026-12", raw=body, ctype="text/csv")
check(st == 401, "a revoked token uploads nothing", js)
st, js = agency.req("GET", f"/api/v1/orgs/{hr}/tokens")
check(any(t["revoked"] for t in js.get("items", []) if t["name"] == "nightly-agent"), "the revoked token stays listed", js)

# ---- scope table: (client, method, path, body) -> status
st, js = admin.req("POST", f"/api/v1/agencies/{edu}/uploads?month=2026-11", raw=body, ctype="text/csv")
check(st == 201, "admin uploads for KHH-EDU", js)
st, js = admin.req("GET", f"/api/v1/agencies/{edu}/findings")
edu_f = js["items"][0]["id"]
edu_up = [u["id"] for u in admin.req("GET", f"/api/v1/agencies/{edu}/uploads")[1]["items"]][0]
st, js = admin.req("GET", f"/api/v1/agencies/{hr}/findings?limit=500")
hr_f2 = [f["id"] for f in js["items"] if f["state"] == "open"][0]
roles = {"national": admin, "county": county, "agency": agency, "viewer": viewer}
T = [
    # path, method, body, national, county(TPE), agency(HR), viewer(national read_only)
    (f"/api/v1/orgs/{national}", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/orgs/{tpe}", "GET", None, 200, 200, 403, 200),
    (f"/api/v1/orgs/{hr}", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/orgs/{edu}", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/orgs/{tpe}/children", "GET", None, 200, 200, 403, 200),
    (f"/api/v1/orgs/{khh}/children", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/orgs/999999", "GET", None, 404, 404, 404, 404),
    (f"/api/v1/agencies/{hr}/uploads", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/agencies/{edu}/uploads", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/uploads/{upload2}", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/uploads/{edu_up}", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/agencies/{hr}/findings", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/agencies/{tax}/findings", "GET", None, 200, 200, 403, 200),
    (f"/api/v1/agencies/{edu}/findings", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/findings/{fid}", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/findings/{edu_f}", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/findings/{fid}/audit", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/findings/{edu_f}/audit", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/findings/{edu_f}/transition", "POST", {"to": "false_positive", "reason": "x"}, None, 403, 403, 403),
    (f"/api/v1/agencies/{edu}/uploads?month=2026-10", "POST", "CSV", None, 403, 403, 403),
    (f"/api/v1/orgs/{khh}/agencies", "POST", {"code": "KHH-X", "name_zh": "x", "name_en": "x", "level": "C"}, None, 403, 403, 403),
    (f"/api/v1/orgs/{tpe}/agencies", "POST", {"code": "TPE-Y", "name_zh": "y", "name_en": "y", "level": "C"}, None, 201, 403, 403),
    (f"/api/v1/orgs/{hr}/tokens", "POST", {"name": "t"}, 201, 201, 201, 403),
    (f"/api/v1/orgs/{hr}/tokens", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/orgs/{edu}/tokens", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/orgs/{hr}/users", "GET", None, 200, 200, 200, 200),
    (f"/api/v1/orgs/{edu}/users", "GET", None, 200, 403, 403, 200),
    (f"/api/v1/orgs/{edu}/users", "POST", {"login": "edu.x", "email": "e@example.gov.tw", "role": "read_only",
                                           "password": "long-enough-pass"}, None, 403, 403, 403),
    (f"/api/v1/orgs/{edu}/tokens/1", "DELETE", None, None, 403, 403, 403),
]
# the dashboard's six endpoints (docs/api.md "Dashboard"): in scope 200, outside 403, unknown 404
hr_host = admin.req("GET", f"/api/v1/agencies/{hr}/hosts")[1]["items"][0]["id"]
edu_host = admin.req("GET", f"/api/v1/agencies/{edu}/hosts")[1]["items"][0]["id"]
DASH = [
    (f"/api/v1/overview?org={national}", 200, 403, 403, 200),
    (f"/api/v1/overview?org={tpe}&month=2026-11", 200, 200, 403, 200),
    (f"/api/v1/overview?org={hr}", 200, 200, 200, 200),
    (f"/api/v1/overview?org={khh}", 200, 403, 403, 200),
    ("/api/v1/overview", 200, 200, 200, 200),                       # the caller's own org
    (f"/api/v1/trends?org={tpe}&months=6", 200, 200, 403, 200),
    (f"/api/v1/trends?org={hr}", 200, 200, 200, 200),
    (f"/api/v1/trends?org={edu}&months=24", 200, 403, 403, 200),
    (f"/api/v1/agencies/{hr}/hosts", 200, 200, 200, 200),
    (f"/api/v1/agencies/{edu}/hosts", 200, 403, 403, 200),
    (f"/api/v1/hosts/{hr_host}", 200, 200, 200, 200),
    (f"/api/v1/hosts/{edu_host}", 200, 403, 403, 200),
    (f"/api/v1/hosts/{hr_host}/findings", 200, 200, 200, 200),
    (f"/api/v1/hosts/{edu_host}/findings", 200, 403, 403, 200),
    (f"/api/v1/findings/{fid}/advisory", 200, 200, 200, 200),
    (f"/api/v1/findings/{edu_f}/advisory", 200, 403, 403, 200),
    ("/api/v1/overview?org=999999", 404, 404, 404, 404),
    ("/api/v1/trends?org=999999", 404, 404, 404, 404),
    ("/api/v1/agencies/999999/hosts", 404, 404, 404, 404),
    ("/api/v1/hosts/999999", 404, 404, 404, 404),
    ("/api/v1/hosts/999999/findings", 404, 404, 404, 404),
    ("/api/v1/findings/999999/advisory", 404, 404, 404, 404),
    # bad parameters are 400 before any scope question
    ("/api/v1/overview?org=abc", 400, 400, 400, 400),
    ("/api/v1/overview?org=0", 400, 400, 400, 400),
    ("/api/v1/overview?org=-3", 400, 400, 400, 400),
    (f"/api/v1/overview?org={hr}&month=2026-13", 400, 400, 400, 400),
    (f"/api/v1/overview?org={hr}&month=2026-1", 400, 400, 400, 400),
    (f"/api/v1/trends?org={hr}&months=0", 400, 400, 400, 400),
    (f"/api/v1/trends?org={hr}&months=61", 400, 400, 400, 400),
    (f"/api/v1/trends?org={hr}&months=x", 400, 400, 400, 400),
    ("/api/v1/trends?org=x1", 400, 400, 400, 400),
]
T += [(path, "GET", None, *want) for path, *want in DASH]
for path, *_ in DASH:
    st, js = anon.req("GET", path)
    check(st == 401 and js["error"]["code"] == "unauthorized", f"no credentials GET {path} -> 401", (st, js))
for path, method, b, *want in T:
    for (name, cl), w in zip(roles.items(), want):
        if w is None:
            continue
        if b == "CSV":
            st, js = cl.req(method, path, raw=body, ctype="text/csv")
        else:
            st, js = cl.req(method, path, b)
        check(st == w, f"{name} {method} {path} -> {w}", f"got {st}: {js}")
        if w == 403:
            check(js and js["error"]["code"] == "forbidden", f"{name} {method} {path}: forbidden body", js)
# the county officer lists its agencies only
st, js = county.req("GET", f"/api/v1/orgs/{tpe}/children")
codes = sorted(o["code"] for o in js["items"])
check(codes == ["TPE-HR", "TPE-TAX", "TPE-Y"], "county sees its agencies", codes)
st, js = county.req("POST", f"/api/v1/findings/{hr_f2}/transition", {"to": "false_positive", "reason": "內部系統"})
check(st == 200 and js["state"] == "false_positive", "county transitions an HR finding", js)

# ---- healthz, metrics
c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
c.request("GET", "/healthz")
hz = c.getresponse()
hj = json.loads(hz.read())
check(hz.status == 200 and hj["checks"]["store"]["status"] == "ok", "healthz includes store", hj)
c.request("GET", "/metrics")
mt = c.getresponse().read().decode()
check(re.search(r'^lianfang_findings\{state="false_positive"\} 1$', mt, re.M) is not None, "metrics findings",
      mt[:2000])
c.close()

# ---- logout
st, js = agency.req("DELETE", "/api/v1/session")
check(st == 204, "logout 204", js)
check(agency.req("GET", "/api/v1/me")[0] == 401, "session gone after logout")

# ---- lockout after repeated failures
for i in range(5):
    anon.req("POST", "/api/v1/session", {"login": "viewer", "password": "nope"})
st, js, resp, _ = anon.send("POST", "/api/v1/session", {"login": "viewer", "password": "viewer-pass-1"})
check(st == 429 and int(resp.getheader("Retry-After") or 0) > 0, "locked -> 429 + Retry-After", js)
locked_msg = js["error"]["message"]
# a login that does not exist locks the same way: a 429 does not tell which logins exist
for i in range(5):
    st, js = anon.req("POST", "/api/v1/session", {"login": "ghost", "password": "nope"})
    check(st == 401, f"unknown login, failure {i + 1} -> 401", js)
st, js, resp, _ = anon.send("POST", "/api/v1/session", {"login": "ghost", "password": "nope"})
check(st == 429 and js["error"]["message"] == locked_msg and int(resp.getheader("Retry-After") or 0) > 800,
      "unknown login locked like a known one", (st, js, resp.getheader("Retry-After")))
st, js = anon.req("POST", "/api/v1/session", {"login": "GHOST", "password": "nope"})
check(st == 429 and js["error"]["message"] == locked_msg, "the lock holds under another case, as the store's does", js)
st, js = anon.req("POST", "/api/v1/session", {"login": "VIEWER", "password": "viewer-pass-1"})
check(st == 429 and js["error"]["message"] == locked_msg, "a known login locked under another case", js)
# one address guessing at many logins is blocked after 30 failures, even for a right password
seen = None
for i in range(30):
    st, js, resp, _ = anon.send("POST", "/api/v1/session", {"login": f"guess{i}", "password": "nope"})
    if st == 429:
        seen = i
        break
    check(st == 401, f"guess {i} -> 401", js)
check(seen is not None and "address" in js["error"]["message"] and int(resp.getheader("Retry-After") or 0) > 0,
      "the address is blocked within 30 failures", (seen, js))
st, js = anon.req("POST", "/api/v1/session", {"login": "admin", "password": "admin-pass-1"})
check(st == 429 and "address" in js["error"]["message"], "a blocked address cannot log in at all", js)
check(admin.req("GET", "/api/v1/me")[0] == 200, "sessions already open are not affected")

LF.stop()
check.finish(LF.errlog)
