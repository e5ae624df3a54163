/*
 * chart: the dashboard's own small SVG charts (no library: the page must work offline and
 * under a CSP without inline styles, so colours are SVG presentation attributes). Each
 * function returns an <svg> with role="img" and a text alternative; the figures are also
 * shown in a table next to the chart for screen readers and CSV export.
 */
"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var SEV_COLORS = ["#8e1b1b", "#d4461f", "#e8a317", "#3a7bd5", "#9aa4ad"];
  var W = 760, H = 260, L = 48, R = 12, T = 14, B = 34;

  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function frame(label) {
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, "class": "chart", role: "img", "aria-label": label });
    svg.appendChild(el("title", {}, label));
    return svg;
  }

  /* a "nice" upper bound and 4 gridlines */
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function axes(svg, labels, max, fmt) {
    var ih = H - T - B;
    for (var g = 0; g <= 4; g++) {
      var y = T + ih - ih * g / 4;
      svg.appendChild(el("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#d0d7de", "stroke-width": 1 }));
      svg.appendChild(el("text", { x: L - 6, y: y + 4, "text-anchor": "end" }, fmt(max * g / 4)));
    }
    var iw = W - L - R, step = iw / Math.max(labels.length, 1);
    var every = labels.length > 8 ? 2 : 1;
    labels.forEach(function (lb, i) {
      if (i % every) return;
      svg.appendChild(el("text", { x: L + step * (i + 0.5), y: H - B + 16, "text-anchor": "middle" }, lb));
    });
    return step;
  }

  function intFmt(v) { return String(Math.round(v)); }

  /* rows: [{label, values: [n per series]}]; stacked bars, series coloured by severity */
  function stacked(rows, label) {
    var svg = frame(label);
    var max = niceMax(Math.max.apply(null, rows.map(function (r) {
      return r.values.reduce(function (a, b) { return a + b; }, 0);
    }).concat([0])));
    var step = axes(svg, rows.map(function (r) { return r.label; }), max, intFmt);
    var ih = H - T - B, bw = Math.max(step * 0.6, 2);
    rows.forEach(function (r, i) {
      var y = T + ih;
      r.values.forEach(function (v, s) {
        if (!v) return;
        var h = ih * v / max;
        y -= h;
        var rect = el("rect", { x: L + step * i + (step - bw) / 2, y: y, width: bw, height: h, fill: SEV_COLORS[s % 5] });
        rect.appendChild(el("title", {}, r.label + ": " + v));
        svg.appendChild(rect);
      });
    });
    return svg;
  }

  /* points: [{label, value or null}]; a line with dots, gaps where there is no value */
  function line(points, label, fmt) {
    var svg = frame(label);
    fmt = fmt || function (v) { return v.toFixed(0); };
    var vals = points.map(function (p) { return p.value; }).filter(function (v) { return v !== null && v !== undefined; });
    var max = niceMax(Math.max.apply(null, vals.concat([0])));
    var step = axes(svg, points.map(function (p) { return p.label; }), max, fmt);
    var ih = H - T - B, d = "", pen = false;
    points.forEach(function (p, i) {
      if (p.value === null || p.value === undefined) { pen = false; return; }
      var x = L + step * (i + 0.5), y = T + ih - ih * p.value / max;
      d += (pen ? " L" : " M") + x.toFixed(1) + " " + y.toFixed(1);
      pen = true;
      var c = el("circle", { cx: x, cy: y, r: 3.5, fill: "#0a5cad" });
      c.appendChild(el("title", {}, p.label + ": " + fmt(p.value)));
      svg.appendChild(c);
    });
    if (d) svg.insertBefore(el("path", { d: d.trim(), fill: "none", stroke: "#0a5cad", "stroke-width": 2 }), svg.childNodes[1]);
    return svg;
  }

  /* points: [{label, value in 0..1 or null}]; bars on a 0-100 % scale, a limit line optional */
  function percent(points, label, limit) {
    var svg = frame(label);
    var step = axes(svg, points.map(function (p) { return p.label; }), 100, function (v) { return v.toFixed(0) + "%"; });
    var ih = H - T - B, bw = Math.max(step * 0.6, 2);
    points.forEach(function (p, i) {
      if (p.value === null || p.value === undefined) return;
      var h = ih * Math.min(p.value, 1);
      var r = el("rect", { x: L + step * i + (step - bw) / 2, y: T + ih - h, width: bw, height: h, fill: "#1a7f37" });
      r.appendChild(el("title", {}, p.label + ": " + (p.value * 100).toFixed(1) + "%"));
      svg.appendChild(r);
    });
    if (limit !== undefined) {
      var y = T + ih - ih * limit;
      svg.appendChild(el("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#b3261e", "stroke-dasharray": "5 4", "stroke-width": 1.5 }));
    }
    return svg;
  }

  window.LF_CHART = { stacked: stacked, line: line, percent: percent, SEV_COLORS: SEV_COLORS };
})();
