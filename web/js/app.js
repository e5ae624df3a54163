/*
 * app: the lianfang dashboard. One page; the route is the URL fragment:
 *   #/login  #/overview/ORG  #/agency/ID  #/host/ID  #/finding/ID  #/upload/AGENCY
 *   #/trends/ORG  #/report/ORG
 * Everything comes from /api/v1 with the session cookie; unsafe requests carry the CSRF
 * token the login returned, or GET /api/v1/me after a reload or in a new tab (kept in
 * sessionStorage as well).
 * The DOM is built with textContent only (never innerHTML), so no server string can
 * become markup.
 */
"use strict";
(function () {
  var I18N = window.LF_I18N, CH = window.LF_CHART;
  var S = { me: null, csrf: sessionStorage.getItem("lf_csrf"), lang: localStorage.getItem("lf_lang") || "zh-Hant",
            org: null, orgs: {} };
  var main = document.getElementById("main");
  var SEV = ["critical", "high", "medium", "low", "none"];
  var SEV_UP = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"];

  /* ------------------------------------------------------------ text */

  function t(key) {
    var s = (I18N[S.lang] && I18N[S.lang][key]) || I18N["zh-Hant"][key] || key;
    for (var i = 1; i < arguments.length; i++) s = s.split("{" + (i - 1) + "}").join(String(arguments[i]));
    return s;
  }
  function orgName(o) { return o ? (S.lang === "en" ? o.name_en : o.name_zh) || o.code : ""; }
  function pct(share) { return share === null || share === undefined ? "–" : (share * 100).toFixed(1); }
  function num(v) { return v === null || v === undefined ? "–" : String(v); }
  function days(v) { return v === null || v === undefined ? "–" : v.toFixed(1); }
  function when(s) { return s ? s.replace("T", " ").replace(/:\d\dZ$/, " UTC") : "–"; }
  function stateName(st) { return t("state." + st); }

  /* ------------------------------------------------------------ DOM */

  function h(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else if (k === "hidden" || k === "disabled" || k === "required") e[k] = !!v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    (Array.isArray(kids) ? kids : kids === undefined ? [] : [kids]).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return e;
  }
  function link(href, text, attrs) { attrs = attrs || {}; attrs.href = href; return h("a", attrs, text); }
  function say(msg) { document.getElementById("status").textContent = msg; }
  function page(title, nodes) {
    document.title = title + " · " + t("app.title");
    main.replaceChildren(h("h1", { text: title }));
    nodes.forEach(function (n) { if (n) main.appendChild(n); });
    main.focus();
  }
  function message(text, ok) { return h("p", { "class": "msg " + (ok ? "ok" : "err"), role: ok ? "status" : "alert", text: text }); }
  function sevBadge(sev) {
    var s = (sev || "NONE").toUpperCase();
    return h("span", { "class": "badge sev-" + (SEV_UP.indexOf(s) >= 0 ? s : "NONE"), text: sev || "–" });
  }

  /* ------------------------------------------------------------ API */

  function ApiError(status, body) {
    this.status = status;
    this.code = body && body.error ? body.error.code : "";
    this.message = body && body.error ? body.error.message : "HTTP " + status;
  }
  function api(method, path, body) {
    var headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && S.csrf) headers["X-CSRF-Token"] = S.csrf;
    return fetch(path, { method: method, headers: headers, credentials: "same-origin",
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (txt) {
          var js = null;
          try { js = txt ? JSON.parse(txt) : null; } catch (e) { js = null; }
          if (r.status === 401 && path !== "/api/v1/session" && path !== "/api/v1/me") {
            S.me = null;
            go("#/login", t("login.again"));
            throw new ApiError(401, js);
          }
          if (!r.ok) throw new ApiError(r.status, js);
          return js;
        });
      });
  }
  function org(id) {
    if (S.orgs[id]) return Promise.resolve(S.orgs[id]);
    return api("GET", "/api/v1/orgs/" + id).then(function (o) { S.orgs[id] = o; return o; });
  }
  function failed(err) {
    if (err && err.status === 401) return;
    var text = err && err.status === 403 ? t("common.forbidden") : err && err.status === 404 ? t("common.notfound")
             : t("common.error", err && err.message ? err.message : String(err));
    main.replaceChildren(message(text));
    main.focus();
  }

  /* ------------------------------------------------------------ breadcrumbs and chrome */

  /* Ancestors of an org up to the caller's scope (the API refuses anything above it). */
  function chain(id) {
    var out = [];
    function up(i) {
      return org(i).then(function (o) {
        out.unshift(o);
        if (!o.parent_id || !S.me || o.id === S.me.org.id) return out;
        return up(o.parent_id);
      });
    }
    return up(id);
  }
  function crumbs(orgs, extra) {
    var ol = h("ol");
    orgs.forEach(function (o) {
      var href = o.kind === "agency" ? "#/agency/" + o.id : "#/overview/" + o.id;
      ol.appendChild(h("li", {}, link(href, orgName(o))));
    });
    (extra || []).forEach(function (x) { ol.appendChild(h("li", {}, x.href ? link(x.href, x.text) : x.text)); });
    var last = ol.lastElementChild;
    if (last && last.firstChild && last.firstChild.setAttribute) last.firstChild.setAttribute("aria-current", "page");
    document.getElementById("crumbs").replaceChildren(ol);
  }
  function chrome() {
    document.documentElement.lang = S.lang === "en" ? "en" : "zh-Hant-TW";
    var logged = !!S.me;
    document.getElementById("nav").hidden = !logged;
    document.getElementById("logout").hidden = !logged;
    document.getElementById("brand").textContent = t("app.title");
    document.getElementById("skip").textContent = t("app.skip");
    document.getElementById("nav").setAttribute("aria-label", t("nav.main"));
    document.getElementById("crumbs").setAttribute("aria-label", t("nav.breadcrumb"));
    var lang = document.getElementById("lang");
    lang.textContent = t("nav.lang");
    lang.setAttribute("aria-label", t("nav.lang.label"));
    lang.setAttribute("lang", S.lang === "en" ? "zh-Hant-TW" : "en");
    document.getElementById("logout").textContent = t("nav.logout");
    var o = S.org || (S.me && S.me.org.id);
    [["overview", "#/overview/"], ["trends", "#/trends/"], ["report", "#/report/"]].forEach(function (n) {
      var a = document.getElementById("nav-" + n[0]);
      a.textContent = t("nav." + n[0]);
      a.href = n[1] + (o || "");
      var here = location.hash.indexOf(n[1]) === 0 || (n[0] === "overview" && /^#\/(agency|host|finding|upload)\//.test(location.hash));
      if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    document.getElementById("who").textContent = S.me && S.me.user
      ? S.me.user.display_name + " · " + orgName(S.me.org) : "";
  }

  /* ------------------------------------------------------------ tables and CSV */

  /* cols: [{label, num, cell(row) -> node|string, csv(row) -> value}] */
  /* shown: render only the first `shown` rows (a long list stays readable); the CSV
   * export always has them all. */
  function table(id, caption, cols, rows, total, shown) {
    var thead = h("thead", {}, h("tr", {}, cols.map(function (c) {
      return h("th", { scope: "col", "class": c.num ? "num" : null, title: c.title || null }, c.label);
    })));
    function tr(r, cls) {
      return h("tr", { "class": cls }, cols.map(function (c, i) {
        var v = c.cell(r);
        var td = h(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, "class": c.num ? "num" : null }, v);
        if (c.cls) { var k = c.cls(r); if (k) td.className += " " + k; }
        return td;
      }));
    }
    var body = h("tbody", {}, (shown && rows.length > shown ? rows.slice(0, shown) : rows).map(function (r) { return tr(r); }));
    if (total) body.appendChild(tr(total, "total"));
    var tbl = h("table", { id: id }, [h("caption", { text: caption }), thead, body]);
    var btn = h("button", { type: "button", "class": "secondary noprint", "data-export": id,
                            "aria-label": t("common.export.label", caption), text: t("common.export") });
    btn.addEventListener("click", function () {
      var lines = [cols.map(function (c) { return c.label; })];
      rows.concat(total ? [total] : []).forEach(function (r) {
        lines.push(cols.map(function (c) { var v = c.csv ? c.csv(r) : c.cell(r); return typeof v === "object" && v ? v.textContent : v; }));
      });
      download(id + ".csv", lines);
    });
    return h("section", { "class": "tbl" }, [h("div", { "class": "bar" }, btn), h("div", { "class": "table-wrap" }, tbl)]);
  }
  function csvField(v) {
    var s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  /* UTF-8 with a byte order mark, CRLF lines (RFC 4180): what Excel opens correctly. */
  function download(name, lines) {
    var text = "\uFEFF" + lines.map(function (l) { return l.map(csvField).join(","); }).join("\r\n") + "\r\n";
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var a = h("a", { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  /* ------------------------------------------------------------ login / logout */

  function loginPage(note) {
    document.getElementById("crumbs").replaceChildren();
    var err = h("div", { id: "login-msg" });
    if (note) err.appendChild(message(note));
    var login = h("input", { id: "f-login", name: "login", type: "text", autocomplete: "username", required: true });
    var pw = h("input", { id: "f-password", name: "password", type: "password", autocomplete: "current-password", required: true });
    var form = h("form", { "class": "login", id: "login-form" }, [
      h("label", { "for": "f-login", text: t("login.login") }), login,
      h("label", { "for": "f-password", text: t("login.password") }), pw,
      h("button", { type: "submit", text: t("login.submit") }), err]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("POST", "/api/v1/session", { login: login.value, password: pw.value }).then(function (js) {
        S.csrf = js.csrf_token;
        sessionStorage.setItem("lf_csrf", S.csrf);
        S.me = js;
        S.org = js.org.id;
        go(js.org.kind === "agency" ? "#/agency/" + js.org.id : "#/overview/" + js.org.id);
      }).catch(function (e) {
        var k = e.status === 429 ? "login.locked" : e.status === 403 ? "login.disabled" : e.status === 401 ? "login.bad" : null;
        err.replaceChildren(message(k ? t(k) : t("common.error", e.message)));
      });
    });
    page(t("login.title"), [form]);
    login.focus();
  }
  function logout() {
    api("DELETE", "/api/v1/session").catch(function () {}).then(function () {
      S.me = null; S.csrf = null; S.orgs = {};
      sessionStorage.removeItem("lf_csrf");
      go("#/login");
    });
  }

  /* ------------------------------------------------------------ overview */

  function overviewCols(month) {
    function sev(i) { return { label: t("ov.col." + SEV[i]), num: true, cell: function (r) { return num(r.open[SEV[i]]); } }; }
    return [
      { label: t("ov.col.unit"), cell: function (r) {
          if (r.isTotal) return t("common.total");
          var href = r.org.kind === "agency" ? "#/agency/" + r.org.id : "#/overview/" + r.org.id;
          return link(href, orgName(r.org), { "aria-label": t("ov.drill", orgName(r.org)) });
        }, csv: function (r) { return r.isTotal ? t("common.total") : orgName(r.org); } },
      { label: t("ov.col.agencies"), num: true, cell: function (r) { return num(r.agencies); } },
      { label: t("ov.col.connected"), num: true, cell: function (r) { return pct(r.connected_share); } },
      { label: t("ov.col.uploaded"), num: true, title: month, cell: function (r) { return pct(r.uploaded_share); } },
      { label: t("ov.col.hosts"), num: true, cell: function (r) { return num(r.hosts); } },
      sev(0), sev(1), sev(2), sev(3),
      { label: t("ov.col.kev"), num: true, cell: function (r) { return num(r.open_kev); } },
      { label: t("ov.col.overdue"), num: true, cell: function (r) { return num(r.overdue); } },
      { label: t("ov.col.blate.short"), num: true, title: t("ov.col.blate"),
        cls: function (r) { return r.b_limit_exceeded ? "over" : ""; },
        cell: function (r) {
          var v = r.b_late_share === null ? "–" : pct(r.b_late_share) + "% (" + r.b_late + "/" + r.b_agencies + ")";
          return r.b_limit_exceeded ? h("span", {}, [v, h("span", { "class": "sr-only", text: " " + t("ov.limit") }), " ⚠"]) : v;
        }, csv: function (r) { return r.b_late_share === null ? "" : pct(r.b_late_share); } },
      { label: t("ov.col.median"), num: true, cell: function (r) { return days(r.median_fix_days); } },
      { label: t("ov.col.flagged"), num: true, cell: function (r) { return num(r.flagged); } }];
  }

  /* Intelligence shared and received per county this year (ISAC): the programme asks
   * 20 to 100 shared items a year per county, so a county below 20 is highlighted. */
  var ISAC_SHARED_MIN = 20;
  function isacCounters(c) {
    if (!c || !c.items || !c.items.length) return null;
    return h("section", { id: "isac-counters" }, [
      h("h3", { text: t("ov.isac", c.year) }),
      table("isac-table", t("ov.isac", c.year), [
        { label: t("ov.col.unit"), cell: function (x) { return orgName(x) || x.code; } },
        { label: t("ov.isac.shared"), num: true, cell: function (x) { return num(x.shared); },
          cls: function (x) { return x.shared < ISAC_SHARED_MIN ? "over" : null; } },
        { label: t("ov.isac.received"), num: true, cell: function (x) { return num(x.received); } }], c.items),
      h("p", { "class": "note", text: t("ov.isac.note", ISAC_SHARED_MIN) })]);
  }

  function overviewPage(id) {
    id = id || S.me.org.id;
    var counters = api("GET", "/api/v1/isac/counters?org=" + id).catch(function () { return null; });
    return Promise.all([api("GET", "/api/v1/overview?org=" + id), counters]).then(function (res) {
      var ov = res[0], isac = res[1];
      var o = ov.total.org;
      S.orgs[o.id] = S.orgs[o.id] || o;
      if (o.kind === "agency") return go("#/agency/" + o.id);
      S.org = o.id;
      chrome();
      return chain(o.id).then(function (ch) {
        crumbs(ch);
        var total = Object.assign({ isTotal: true }, ov.total);
        var body = ov.rows.length ? table("overview-table", t("ov.table"), overviewCols(ov.month), ov.rows, total)
                                  : h("p", { text: t("ov.empty") });
        page(t("ov.title", orgName(o)), [
          h("p", { "class": "sub", text: t("ov.month", ov.month, ov.today) }),
          h("div", { "class": "bar noprint" }, [link("#/trends/" + o.id, t("nav.trends"), { "class": "button secondary" }),
                                                 link("#/report/" + o.id, t("nav.report"), { "class": "button secondary" })]),
          body,
          h("p", { "class": "note", text: t("ov.limit.note", ov.high_cvss.toFixed(1), Math.round(ov.b_late_limit * 100)) }),
          isacCounters(isac)].filter(Boolean));
      });
    });
  }

  /* ------------------------------------------------------------ agency */

  function agencyPage(id) {
    return Promise.all([org(id), api("GET", "/api/v1/overview?org=" + id),
                        api("GET", "/api/v1/agencies/" + id + "/hosts?limit=500"),
                        api("GET", "/api/v1/agencies/" + id + "/uploads?limit=500")]).then(function (r) {
      var o = r[0], tot = r[1].total, hosts = r[2].items, ups = r[3].items.slice(-10).reverse();
      S.org = o.id;
      chrome();
      return chain(o.id).then(function (ch) {
        crumbs(ch);
        var facts = h("dl", { "class": "facts" }, [
          h("dt", { text: t("ov.col.hosts") }), h("dd", { text: num(tot.hosts) }),
          h("dt", { text: t("ov.col.uploaded") }), h("dd", { text: tot.uploaded ? t("common.yes") + " (" + r[1].month + ")" : t("common.no") + " (" + r[1].month + ")" }),
          h("dt", { text: t("ov.col.critical") + " / " + t("ov.col.high") }), h("dd", { text: tot.open.critical + " / " + tot.open.high }),
          h("dt", { text: t("ov.col.kev") }), h("dd", { text: num(tot.open_kev) }),
          h("dt", { text: t("ov.col.overdue") }), h("dd", { text: num(tot.overdue) }),
          h("dt", { text: t("ov.col.median") }), h("dd", { text: days(tot.median_fix_days) }),
          h("dt", { text: t("ov.col.flagged") }), h("dd", { text: num(tot.flagged) })]);
        var hostCols = [
          { label: t("ag.col.host"), cell: function (x) { return link("#/host/" + x.id, x.name); }, csv: function (x) { return x.name; } },
          { label: t("ag.col.ip"), cell: function (x) { return x.ip || ""; } },
          { label: t("ag.col.os"), cell: function (x) { return x.os || ""; } },
          { label: t("ag.col.open"), num: true, cell: function (x) { return num(x.open_total); } },
          { label: t("ov.col.critical"), num: true, cell: function (x) { return num(x.open.critical); } },
          { label: t("ov.col.high"), num: true, cell: function (x) { return num(x.open.high); } },
          { label: t("ov.col.kev"), num: true, cell: function (x) { return num(x.open_kev); } },
          { label: t("ov.col.overdue"), num: true, cell: function (x) { return num(x.overdue); } },
          { label: t("ag.col.lastseen"), cell: function (x) { return when(x.last_seen); } }];
        var upCols = [
          { label: t("ag.col.month"), cell: function (u) { return u.month; } },
          { label: t("ag.col.file"), cell: function (u) { return u.file_name; } },
          { label: t("ag.col.status"), cell: function (u) { return u.status; } },
          { label: t("ag.col.records"), num: true, cell: function (u) { return num(u.counts.records); } },
          { label: t("ag.col.resolved"), num: true, cell: function (u) { return num(u.counts.resolved); } },
          { label: t("ag.col.unresolved"), num: true, cell: function (u) { return num(u.counts.unresolved); } },
          { label: t("ag.col.rejected"), num: true, cell: function (u) { return num(u.counts.rejected); } }];
        page(t("ag.title", orgName(o)), [
          h("p", { "class": "sub", text: o.code + (o.level ? " · " + t("ag.level", o.level) : "") }),
          h("div", { "class": "bar noprint" }, link("#/upload/" + o.id, t("ag.upload"), { "class": "button", id: "upload-link" })),
          h("div", { "class": "panel" }, facts),
          h("h2", { text: t("ag.hosts") }),
          hosts.length ? table("hosts-table", t("ag.hosts"), hostCols, hosts) : h("p", { text: t("ag.nohosts") }),
          ups.length ? h("h2", { text: t("ag.uploads") }) : null,
          ups.length ? table("uploads-table", t("ag.uploads"), upCols, ups) : null]);
      });
    });
  }

  /* ------------------------------------------------------------ host */

  function hostPage(id) {
    return Promise.all([api("GET", "/api/v1/hosts/" + id), api("GET", "/api/v1/hosts/" + id + "/findings?limit=500")])
      .then(function (r) {
        var host = r[0], fs = r[1].items;
        S.org = host.agency_id;
        chrome();
        fs.sort(function (a, b) { return (b.cvss || 0) - (a.cvss || 0); });
        return chain(host.agency_id).then(function (ch) {
          crumbs(ch, [{ text: host.name }]);
          var cols = [
            { label: t("host.col.cve"), cell: function (f) { return link("#/finding/" + f.id, f.cve); }, csv: function (f) { return f.cve; } },
            { label: t("host.col.cvss"), num: true, cell: function (f) { return f.cvss === null ? "–" : f.cvss.toFixed(1); } },
            { label: t("host.col.severity"), cell: function (f) { return sevBadge(f.severity); }, csv: function (f) { return f.severity || ""; } },
            { label: t("host.col.kev"), cell: function (f) { return f.kev ? h("span", { "class": "kev", text: "KEV" }) : ""; },
              csv: function (f) { return f.kev ? "KEV" : ""; } },
            { label: t("host.col.state"), cell: function (f) { return stateName(f.state); } },
            { label: t("host.col.due"), cell: function (f) { return f.due_date || "–"; } },
            { label: t("host.col.product"), cell: function (f) { return h("code", { text: f.cpe }); }, csv: function (f) { return f.cpe; } }];
          page(t("host.title", host.name), [
            h("p", { "class": "sub", text: [host.ip, host.os].filter(Boolean).join(" · ") }),
            fs.length ? table("findings-table", t("host.findings"), cols, fs) : h("p", { text: t("host.nofindings") })]);
        });
      });
  }

  /* ------------------------------------------------------------ finding */

  var IMPACT = { C: 1, I: 1, A: 1, VC: 1, VI: 1, VA: 1, SC: 1, SI: 1, SA: 1 };
  function vectorRows(vector) {
    return (vector || "").split("/").filter(function (p) { return p.indexOf(":") > 0 && p.indexOf("CVSS:") !== 0; })
      .map(function (p) {
        var kv = p.split(":"), m = kv[0], v = kv[1];
        var vk = IMPACT[m] ? "cvss.impact." + v : "cvss." + m + "." + v;
        var vt = t(vk);
        return { metric: t("cvss." + m), code: p, value: vt === vk ? v : vt };
      });
  }

  function actionForms(f, refresh) {
    var box = h("div", { id: "actions" });
    var out = h("div", { id: "action-msg" });
    function field(id, label, type) {
      var input = type === "textarea" ? h("textarea", { id: id, name: id, required: true })
                                      : h("input", { id: id, name: id, type: type || "text", required: true });
      return [h("label", { "for": id, text: label }), input];
    }
    function form(id, title, to, fields, build) {
      var parts = [h("h3", { text: title })];
      fields.forEach(function (x) { parts = parts.concat(field(x[0], x[1], x[2])); });
      parts.push(h("div", {}, h("button", { type: "submit", text: fields.length ? t("f.act.submit") : title })));
      var fm = h("form", { "class": "action", id: id }, parts);
      fm.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!S.csrf) { out.replaceChildren(message(t("login.csrf"))); return; }
        var body = build ? build(fm) : {};
        body.to = to;
        api("POST", "/api/v1/findings/" + f.id + "/transition", body).then(function (nf) {
          refresh(t("f.act.done", stateName(nf.state)));
        }).catch(function (e) {
          if (e.status === 403 && /CSRF/.test(e.message)) out.replaceChildren(message(t("login.csrf")));
          else out.replaceChildren(message(t("common.error", e.message)));
        });
      });
      return fm;
    }
    function val(fm, n) { return fm.querySelector("[name=" + n + "]").value; }
    var live = f.state === "open" || f.state === "measure_filed";
    if (live) {
      box.appendChild(form("act-measure", t("f.act.measure"), "measure_filed",
        [["m-text", t("f.act.measure.text"), "textarea"], ["m-date", t("f.act.measure.date"), "date"]],
        function (fm) { return { text: val(fm, "m-text"), planned_date: val(fm, "m-date") }; }));
      box.appendChild(form("act-fixed", t("f.act.fixed"), "fixed", []));
      box.appendChild(form("act-risk", t("f.act.risk"), "risk_accepted",
        [["r-reason", t("f.act.risk.reason"), "textarea"], ["r-approver", t("f.act.risk.approver")], ["r-expiry", t("f.act.risk.expiry"), "date"]],
        function (fm) { return { reason: val(fm, "r-reason"), approver: val(fm, "r-approver"), expiry: val(fm, "r-expiry") }; }));
      box.appendChild(form("act-fp", t("f.act.fp"), "false_positive", [["fp-reason", t("f.act.fp.reason"), "textarea"]],
        function (fm) { return { reason: val(fm, "fp-reason") }; }));
    } else {
      box.appendChild(form("act-reopen", t("f.act.reopen"), "open", []));
    }
    box.appendChild(out);
    return box;
  }

  function findingPage(id, note) {
    return Promise.all([api("GET", "/api/v1/findings/" + id), api("GET", "/api/v1/findings/" + id + "/advisory"),
                        api("GET", "/api/v1/findings/" + id + "/audit?limit=500")]).then(function (r) {
      var f = r[0], adv = r[1], audit = r[2].items;
      S.org = f.agency_id;
      chrome();
      return chain(f.agency_id).then(function (ch) {
        crumbs(ch, [{ href: "#/host/" + f.host_id, text: f.host }, { text: f.cve }]);
        var refs = adv.references || [];
        var fixes = refs.filter(function (x) { return x.fix; }), other = refs.filter(function (x) { return !x.fix; });
        function refList(list, cls) {
          return h("ul", { "class": "links " + cls }, list.map(function (x) {
            return h("li", {}, [link(x.url, x.url, { rel: "noopener noreferrer", target: "_blank" }),
                                x.tags ? h("span", { "class": "note", text: " (" + x.tags + ")" }) : null]);
          }));
        }
        var fixSec = h("section", { id: "fix" }, [h("h2", { text: t("f.fix") }),
          !adv.available ? h("p", { text: t("f.noindex") }) : fixes.length ? refList(fixes, "fixlinks") : h("p", { text: t("f.nofix") })]);
        var kevSec = h("section", { id: "kev" }, [h("h2", { text: t("f.kev") }),
          f.kev || adv.kev ? h("p", { "class": "kev", text: t("f.kev.yes", (adv.kev && adv.kev.due_date) || f.kev_due || "–") })
                           : h("p", { text: t("f.kev.no") }),
          adv.kev && adv.kev.required_action ? h("p", { text: t("f.kev.action", adv.kev.required_action) }) : null,
          adv.kev && adv.kev.ransomware ? h("p", { text: t("f.kev.ransom", adv.kev.ransomware) }) : null]);
        var facts = h("dl", { "class": "facts" }, [
          h("dt", { text: t("f.state") }), h("dd", { "class": "state", id: "finding-state", "data-state": f.state, text: stateName(f.state) }),
          h("dt", { text: t("f.host") }), h("dd", {}, link("#/host/" + f.host_id, f.host)),
          h("dt", { text: t("f.cpe") }), h("dd", {}, h("code", { text: f.cpe })),
          h("dt", { text: "CVSS" }), h("dd", {}, [f.cvss === null ? "–" : f.cvss.toFixed(1) + " ", sevBadge(f.severity)]),
          h("dt", { text: t("f.epss") }), h("dd", { text: f.epss === null ? "–" : (f.epss * 100).toFixed(2) + "%" }),
          h("dt", { text: t("f.notice") }), h("dd", { text: f.notice_date || "–" }),
          h("dt", { text: t("f.due") }), h("dd", { text: f.due_date || "–" }),
          h("dt", { text: t("f.firstseen") }), h("dd", { text: when(f.first_seen) }),
          f.measure ? h("dt", { text: t("f.measure") }) : null, f.measure ? h("dd", { text: f.measure }) : null,
          f.measure_planned ? h("dt", { text: t("f.planned") }) : null, f.measure_planned ? h("dd", { text: f.measure_planned }) : null]);
        var cvssSec = h("section", { id: "cvss" }, [h("h2", { text: t("f.cvss") })]);
        /* one explanation per distinct vector; the sources that state it are listed together */
        var metrics = [];
        (adv.cvss || []).forEach(function (m) {
          var same = metrics.filter(function (x) { return x.vector === m.vector && x.score === m.score; })[0];
          if (same) same.source = same.source + ", " + m.source;
          else metrics.push(Object.assign({}, m));
        });
        if (!metrics.length) cvssSec.appendChild(h("p", { text: t("f.cvss.none") }));
        metrics.forEach(function (m, i) {
          cvssSec.appendChild(h("p", {}, [t("cvss.score", m.score.toFixed(1), m.severity, m.version) + " · " + (m.source || ""), " ",
                                          h("code", { text: m.vector || "" })]));
          var rows = vectorRows(m.vector);
          if (rows.length) cvssSec.appendChild(h("div", { "class": "table-wrap vector" }, h("table", { id: "vector-" + i }, [
            h("caption", { "class": "sr-only", text: m.vector }),
            h("thead", {}, h("tr", {}, [h("th", { scope: "col", text: t("cvss.col.metric") }), h("th", { scope: "col", text: t("cvss.col.value") })])),
            h("tbody", {}, rows.map(function (x) { return h("tr", {}, [h("th", { scope: "row" }, [x.metric, " ", h("code", { text: x.code })]), h("td", { text: x.value })]); }))])));
        });
        var histCols = [
          { label: t("f.col.at"), cell: function (a) { return when(a.at); } },
          { label: t("f.col.actor"), cell: function (a) { return a.actor; } },
          { label: t("f.col.action"), cell: function (a) { return a.action; } },
          { label: t("f.col.change"), cell: function (a) {
              var b = a.before && a.before.state, c = a.after && a.after.state;
              return b || c ? (b ? stateName(b) : "") + " → " + (c ? stateName(c) : "") : JSON.stringify(a.after || {});
            } }];
        page(t("f.title", f.cve), [
          note ? message(note, true) : null,
          h("p", { "class": "sub" }, [sevBadge(f.severity), " ", f.kev ? h("span", { "class": "kev", text: "KEV " }) : null, stateName(f.state)]),
          fixSec, kevSec,
          h("div", { "class": "grid" }, [h("section", {}, [h("h2", { text: t("f.facts") }), facts]), cvssSec]),
          adv.description ? h("section", {}, [h("h2", { text: t("f.desc") }), h("p", { lang: "en", text: adv.description })]) : null,
          h("section", { "class": "noprint" }, [h("h2", { text: t("f.actions") }),
            actionForms(f, function (msg) { findingPage(id, msg).catch(failed); })]),
          h("h2", { text: t("f.history") }),
          table("history-table", t("f.history"), histCols, audit),
          other.length ? h("section", {}, [h("h2", { text: t("f.refs") }), refList(other, "")]) : null]);
        if (note) say(note);
      });
    });
  }

  /* ------------------------------------------------------------ upload */

  function uploadReport(d) {
    var up = d.upload, rep = up.report || {}, c = up.counts;
    var reasons = (rep.reasons || []).slice();
    var order = { rejected: 0, unresolved: 1, resolved: 2 };
    reasons.sort(function (a, b) { return order[a.bucket] - order[b.bucket] || b.count - a.count; });
    var unresolved = reasons.filter(function (x) { return x.bucket === "unresolved"; });
    var nodes = [h("h2", { text: t("up.report") }),
      message(t("up.done", c.records, c.resolved, c.unresolved, c.rejected, d.hosts,
                d.findings && d.findings.computed ? d.findings["new"] : "–"), true),
      h("p", { "class": "note", text: t("up.enc", rep.encoding || "–", rep.format || "–") })];
    nodes.push(h("h3", { text: t("up.unresolved") }));
    var urows = rep.unresolved_rows || [];
    nodes.push(urows.length ? table("unresolved-rows-table", t("up.unresolved"), [
      { label: t("up.col.line"), num: true, cell: function (x) { return num(x.line); } },
      { label: t("up.col.name"), cell: function (x) { return [x.name, x.version].filter(Boolean).join(" "); } },
      { label: t("up.col.vendor"), cell: function (x) { return x.vendor || "–"; } },
      { label: t("up.col.reason"), cell: function (x) { return x.reason; } },
      { label: t("up.col.cands"), cell: function (x) {
          return (x.candidates || []).map(function (c) { return c.cpe + " (" + c.score.toFixed(2) + ")"; }).join("; ") || "–";
        } }], urows, null, 50) : h("p", { text: t("common.none") }));
    if (urows.length > 50)
      nodes.push(h("p", { "class": "note", text: t("up.shown", 50, urows.length) }));
    if (rep.unresolved_rows_omitted)
      nodes.push(h("p", { "class": "note", text: t("up.omitted", rep.unresolved_rows_omitted) }));
    if (unresolved.length)
      nodes.push(table("unresolved-table", t("up.unresolved.reasons"), [
        { label: t("up.col.reason"), cell: function (x) { return x.reason; } },
        { label: t("up.col.count"), num: true, cell: function (x) { return num(x.count); } }], unresolved));
    nodes.push(h("h3", { text: t("up.rejected") }));
    var rows = rep.rejected_rows || [];
    nodes.push(rows.length ? table("rejected-table", t("up.rejected"), [
      { label: t("up.col.line"), num: true, cell: function (x) { return num(x.line); } },
      { label: t("up.col.reason"), cell: function (x) { return x.reason; } }], rows) : h("p", { text: t("up.norej") }));
    nodes.push(h("h3", { text: t("up.reasons") }));
    nodes.push(table("reasons-table", t("up.reasons"), [
      { label: t("up.col.bucket"), cell: function (x) { return t("bucket." + x.bucket); } },
      { label: t("up.col.reason"), cell: function (x) { return x.reason; } },
      { label: t("up.col.count"), num: true, cell: function (x) { return num(x.count); } }], reasons));
    nodes.push(h("p", {}, link("#/agency/" + up.agency_id, t("common.back"))));
    return h("section", { id: "upload-report" }, nodes);
  }

  function uploadPage(id) {
    return org(id).then(function (o) {
      S.org = o.id;
      chrome();
      return chain(o.id).then(function (ch) {
        crumbs(ch, [{ text: t("nav.upload") }]);
        var now = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
        var month = h("input", { id: "up-month", type: "month", value: now, required: true });
        var input = h("input", { id: "up-file", type: "file", "class": "sr-only" });
        var chosen = null;
        var fileName = h("div", { "class": "file", id: "up-name", "aria-live": "polite" });
        var pick = h("label", { "for": "up-file", "class": "button secondary", text: t("up.pick") });
        var drop = h("div", { "class": "drop", id: "drop" }, [h("span", { id: "up-file-label", text: t("up.drop") + " " }), pick, input, fileName]);
        var prog = h("progress", { id: "up-progress", max: "100", value: "0", "aria-label": t("up.progress"), hidden: true });
        var state = h("p", { id: "up-state", "aria-live": "polite" });
        var out = h("div", { id: "up-out" });
        var section = h("section", { id: "upload", "data-phases": "" });
        function choose(f) { chosen = f; fileName.textContent = f ? f.name + " (" + f.size + " B)" : ""; }
        input.addEventListener("change", function () { choose(input.files[0] || null); });
        ["dragenter", "dragover"].forEach(function (n) { drop.addEventListener(n, function (ev) { ev.preventDefault(); drop.classList.add("over"); }); });
        ["dragleave", "drop"].forEach(function (n) { drop.addEventListener(n, function (ev) { ev.preventDefault(); drop.classList.remove("over"); }); });
        drop.addEventListener("drop", function (ev) { if (ev.dataTransfer.files.length) choose(ev.dataTransfer.files[0]); });
        function phase(p) { section.setAttribute("data-phases", (section.getAttribute("data-phases") ? section.getAttribute("data-phases") + "," : "") + p); }
        var start = h("button", { type: "button", id: "up-start", text: t("up.start") });
        start.addEventListener("click", function () {
          if (!chosen) { out.replaceChildren(message(t("up.choose"))); return; }
          if (!S.csrf) { out.replaceChildren(message(t("login.csrf"))); return; }
          out.replaceChildren();
          start.disabled = true;
          prog.hidden = false;
          prog.value = 0;
          var xhr = new XMLHttpRequest();
          xhr.open("POST", "/api/v1/agencies/" + o.id + "/uploads?month=" + encodeURIComponent(month.value) +
                           "&file_name=" + encodeURIComponent(chosen.name));
          xhr.setRequestHeader("X-CSRF-Token", S.csrf);
          xhr.setRequestHeader("Content-Type", "application/octet-stream");
          phase("uploading");
          xhr.upload.addEventListener("progress", function (ev) {
            if (!ev.lengthComputable) return;
            var p = Math.round(ev.loaded * 100 / ev.total);
            prog.value = p;
            state.textContent = t("up.uploading", p);
          });
          xhr.upload.addEventListener("load", function () {
            /* the bytes are there: conversion and matching run now, of unknown length */
            prog.removeAttribute("value");
            state.textContent = t("up.processing");
            phase("processing");
          });
          xhr.addEventListener("load", function () {
            start.disabled = false;
            var js = null;
            try { js = JSON.parse(xhr.responseText); } catch (e) { js = null; }
            prog.hidden = true;
            if (xhr.status === 201 && js) {
              phase("done");
              state.textContent = "";
              out.replaceChildren(uploadReport(js));
              say(t("up.done", js.upload.counts.records, js.upload.counts.resolved, js.upload.counts.unresolved,
                    js.upload.counts.rejected, js.hosts, js.findings && js.findings.computed ? js.findings["new"] : "–"));
            } else {
              phase("failed");
              state.textContent = "";
              out.replaceChildren(message(t("up.failed", js && js.error ? js.error.message : "HTTP " + xhr.status)));
            }
          });
          xhr.addEventListener("error", function () {
            start.disabled = false;
            phase("failed");
            out.replaceChildren(message(t("up.failed", "network")));
          });
          xhr.send(chosen);
        });
        section.replaceChildren(
          h("label", { "for": "up-month", text: t("up.month") }), h("div", {}, month),
          h("p", { "class": "note", text: t("up.file") }), drop,
          h("div", { "class": "bar" }, start), prog, state, out);
        page(t("up.title", orgName(o)), [section]);
      });
    });
  }

  /* ------------------------------------------------------------ trends */

  function trendBlocks(tr, idp) {
    var ms = tr.months;
    var open = CH.stacked(ms.map(function (m) { return { label: m.month.slice(2), values: SEV.map(function (s) { return m.open[s]; }) }; }), t("tr.open"));
    var fix = CH.line(ms.map(function (m) { return { label: m.month.slice(2), value: m.median_fix_days }; }), t("tr.fix"),
                      function (v) { return v.toFixed(0); });
    var up = CH.percent(ms.map(function (m) { return { label: m.month.slice(2), value: m.uploaded_share }; }), t("tr.upload"));
    var legend = h("ul", { "class": "legend", "aria-hidden": "true" }, SEV.map(function (s, i) {
      return h("li", {}, [h("span", { "class": "sw sw-" + i }), t("ov.col." + s)]);
    }));
    var cols = [{ label: t("tr.col.month"), cell: function (m) { return m.month; } }]
      .concat(SEV.map(function (s) { return { label: t("ov.col." + s), num: true, cell: function (m) { return num(m.open[s]); } }; }))
      .concat([{ label: t("tr.col.fixed"), num: true, cell: function (m) { return num(m.fixed); } },
               { label: t("ov.col.median"), num: true, cell: function (m) { return days(m.median_fix_days); } },
               { label: t("ov.col.agencies"), num: true, cell: function (m) { return num(m.agencies); } },
               { label: t("tr.col.uploaded"), num: true, cell: function (m) { return num(m.uploaded); } },
               { label: t("tr.col.share"), num: true, cell: function (m) { return pct(m.uploaded_share); } }]);
    return [h("h2", { text: t("tr.open") }), legend, open, h("h2", { text: t("tr.fix") }), fix,
            h("h2", { text: t("tr.upload") }), up, h("h2", { text: t("tr.table") }), table(idp + "trends-table", t("tr.table"), cols, ms)];
  }

  function trendsPage(id) {
    id = id || S.me.org.id;
    return Promise.all([org(id), api("GET", "/api/v1/trends?org=" + id + "&months=12")]).then(function (r) {
      S.org = r[0].id;
      chrome();
      return chain(r[0].id).then(function (ch) {
        crumbs(ch, [{ text: t("nav.trends") }]);
        page(t("tr.title", orgName(r[0]), 12), trendBlocks(r[1], ""));
      });
    });
  }

  /* ------------------------------------------------------------ printable monthly report */

  function reportPage(id) {
    id = id || S.me.org.id;
    return Promise.all([api("GET", "/api/v1/overview?org=" + id), api("GET", "/api/v1/trends?org=" + id + "&months=6")]).then(function (r) {
      var ov = r[0], tot = ov.total, o = tot.org;
      S.org = o.id;
      chrome();
      return chain(o.id).then(function (ch) {
        crumbs(ch, [{ text: t("nav.report") }]);
        var pr = h("button", { type: "button", id: "print", text: t("common.print") });
        pr.addEventListener("click", function () { window.print(); });
        var lines = h("div", { "class": "panel lines" }, [
          h("p", { text: t("rp.line.agencies", tot.agencies, tot.connected, tot.uploaded) }),
          h("p", { text: t("rp.line.open", tot.open_total, tot.open.critical, tot.open.high, tot.open_kev, tot.overdue) }),
          h("p", { "class": tot.b_limit_exceeded ? "kev" : "", text: t("rp.line.blate", tot.b_late_share === null ? "–" : pct(tot.b_late_share) + "%") }),
          h("p", { text: t("rp.line.median", days(tot.median_fix_days)) }),
          h("p", { text: t("rp.line.flagged", tot.flagged) })]);
        var nodes = [h("p", { "class": "sub", text: t("rp.generated", new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC") }),
          h("div", { "class": "bar" }, pr), h("h2", { text: t("rp.summary") }), lines];
        if (ov.rows.length) {
          nodes.push(h("h2", { text: t("rp.units") }));
          nodes.push(table("report-table", t("rp.units"), overviewCols(ov.month), ov.rows, Object.assign({ isTotal: true }, tot)));
        }
        nodes.push(h("h2", { text: t("rp.trend") }));
        nodes = nodes.concat(trendBlocks(r[1], "report-").slice(1));
        page(t("rp.title", orgName(o), ov.month), nodes);
        main.classList.add("report");
      });
    });
  }

  /* ------------------------------------------------------------ router */

  var pending = null;
  function go(hash, note) {
    pending = note || null;
    if (location.hash === hash) route(); else location.hash = hash;
  }
  function route() {
    main.classList.remove("report");
    var note = pending;
    pending = null;
    var parts = location.hash.replace(/^#\/?/, "").split("/");
    var name = parts[0] || "", id = parts[1] && /^[1-9][0-9]*$/.test(parts[1]) ? parts[1] : null;
    chrome();
    if (!S.me || name === "login") {
      if (S.me && name === "login") return go("#/overview/" + S.me.org.id);
      return loginPage(note);
    }
    var pages = { overview: overviewPage, agency: agencyPage, host: hostPage, finding: findingPage,
                  upload: uploadPage, trends: trendsPage, report: reportPage };
    var fn = pages[name];
    if (!fn || (!id && ["agency", "host", "finding", "upload"].indexOf(name) >= 0))
      return go(S.me.org.kind === "agency" ? "#/agency/" + S.me.org.id : "#/overview/" + S.me.org.id);
    main.replaceChildren(h("p", { text: t("common.loading") }));
    main.setAttribute("aria-busy", "true");
    fn(id).catch(failed).then(function () { main.removeAttribute("aria-busy"); chrome(); });
  }

  document.getElementById("lang").addEventListener("click", function () {
    S.lang = S.lang === "en" ? "zh-Hant" : "en";
    localStorage.setItem("lf_lang", S.lang);
    route();
  });
  document.getElementById("logout").addEventListener("click", logout);
  window.addEventListener("hashchange", route);

  /* a reloaded page (or a new tab) still has the cookie: /me gives the session's CSRF token back */
  api("GET", "/api/v1/me").then(function (me) {
    if (!me.user) throw new ApiError(401, null);
    S.me = me;
    if (me.csrf_token) {
      S.csrf = me.csrf_token;
      sessionStorage.setItem("lf_csrf", S.csrf);
    }
  }).catch(function () { S.me = null; }).then(function () {
    if (!S.me && location.hash.indexOf("#/login") !== 0) location.hash = "#/login";   /* routes on hashchange */
    else route();
  });
})();
