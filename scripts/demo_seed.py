#!/usr/bin/env python3
"""make demo, step 2: with the server running, log in as the demo admin, create a sample
agency under Taipei City and upload the bundled agency inventory for this month, so the
platform opens with data. Standard library only. Usage: demo_seed.py URL LOGIN PASSWORD FILE"""
import datetime
import http.client
import http.cookies
import json
import sys
import urllib.parse


def main():
    url, login, password, path = sys.argv[1:5]
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    cookie = ""
    csrf = ""

    def call(method, target, body=None, ctype="application/json"):
        headers = {"Content-Type": ctype}
        if cookie:
            headers["Cookie"] = cookie
        if csrf:
            headers["X-CSRF-Token"] = csrf
        conn.request(method, target, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        return r.status, r.getheader("Set-Cookie") or "", json.loads(data) if data else None

    st, setc, doc = call("POST", "/api/v1/session", json.dumps({"login": login, "password": password}))
    if st != 200:
        print(f"demo: login failed: {st} {doc}", file=sys.stderr)
        return 1
    cookie = setc.split(";", 1)[0]
    csrf = doc["csrf_token"]
    nat = doc["org"]["id"]

    def child(org, code):
        st, _, d = call("GET", f"/api/v1/orgs/{org}/children?limit=100")
        for o in d.get("items", d.get("orgs", [])) if isinstance(d, dict) else []:
            if o.get("code") == code:
                return o["id"]
        return None

    region = child(nat, "R-TPE")
    county = child(region, "TW-TPE") if region else None
    if not county:
        print("demo: Taipei City not found in the seeded hierarchy", file=sys.stderr)
        return 1
    agency = child(county, "TPE-HR")
    if not agency:
        st, _, d = call("POST", f"/api/v1/orgs/{county}/agencies",
                        json.dumps({"code": "TPE-HR", "name_zh": "臺北市政府人事處",
                                    "name_en": "Department of Personnel, Taipei City Government",
                                    "level": "B"}))
        if st != 201:
            print(f"demo: cannot create the sample agency: {st} {d}", file=sys.stderr)
            return 1
        agency = d["id"]
    month = datetime.date.today().strftime("%Y-%m")
    with open(path, "rb") as fh:
        body = fh.read()
    name = urllib.parse.quote(path.rsplit("/", 1)[-1])
    st, _, d = call("POST", f"/api/v1/agencies/{agency}/uploads?month={month}&file_name={name}", body,
                    "application/octet-stream")
    if st != 201:
        print(f"demo: upload failed: {st} {d}", file=sys.stderr)
        return 1
    c = d.get("upload", {}).get("counts", {})
    f = d.get("findings", {})
    print(f"demo: uploaded {path.rsplit('/', 1)[-1]} for agency TPE-HR ({month}): "
          f"{c.get('records')} records = {c.get('resolved')} resolved + {c.get('unresolved')} unresolved"
          f" + {c.get('rejected')} rejected; {d.get('hosts')} hosts, {f.get('new', 0)} new findings")
    print(f"demo: the agency's findings: GET {url}api/v1/agencies/{agency}/findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
