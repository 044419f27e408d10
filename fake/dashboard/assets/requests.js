// The Requests page: the fake's request log, newest first, filtered on the
// server; a click on a row shows the request's headers and bodies.
"use strict";

(() => {
  const { el, setText, api, poll, syncChildren, fillOptions } = dash;
  const opSelect = document.getElementById("filter-op");
  const statusInput = document.getElementById("filter-status");
  const tbody = document.querySelector("#requests tbody");
  const count = document.getElementById("requests-count");
  const filterError = document.getElementById("filter-error");
  let selected = "";

  function two(n, width) {
    return String(n).padStart(width || 2, "0");
  }

  function clock(iso) {
    const t = new Date(iso);
    if (isNaN(t)) {
      return "";
    }
    return two(t.getHours()) + ":" + two(t.getMinutes()) + ":" + two(t.getSeconds()) + "." + two(t.getMilliseconds(), 3);
  }

  function makeRow() {
    const tr = el("tr");
    for (const cls of ["time", "method", "path", "op", "status", "code", "latency", "reqid"]) {
      tr.appendChild(el("td", { class: cls }));
    }
    return tr;
  }

  function updateRow(tr, r) {
    setText(tr.querySelector("td.time"), clock(r.time));
    setText(tr.querySelector("td.method"), r.method);
    setText(tr.querySelector("td.path"), r.query ? r.path + "?" + r.query : r.path);
    setText(tr.querySelector("td.op"), r.operation || "(no route)");
    setText(tr.querySelector("td.status"), r.status === 0 ? "dropped" : r.status);
    setText(tr.querySelector("td.code"), r.code);
    setText(tr.querySelector("td.latency"), r.latency_ms.toFixed(1) + " ms");
    setText(tr.querySelector("td.reqid"), r.request_id);
    tr.classList.toggle("failed", r.status === 0 || r.status >= 400);
    tr.classList.toggle("selected", r.request_id === selected);
  }

  function query() {
    const q = new URLSearchParams();
    if (opSelect.value) {
      q.set("op", opSelect.value);
    }
    if (statusInput.value.trim()) {
      q.set("status", statusInput.value.trim());
    }
    const s = q.toString();
    return s ? "requests?" + s : "requests";
  }

  async function refresh() {
    let v;
    try {
      v = await api(query());
      setText(filterError, "");
    } catch (err) {
      setText(filterError, err.message);
      throw err;
    }
    fillOptions(opSelect, v.operations);
    syncChildren(tbody, v.requests, "data-request-id", (r) => r.request_id, makeRow, updateRow);
    const shown = v.requests.length;
    setText(count, shown < v.total ? "newest " + shown + " of " + v.total + " matching requests" : v.total + " matching requests");
  }

  function pretty(text) {
    if (!text) {
      return "(empty)";
    }
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      return text;
    }
  }

  async function showDetail(id) {
    selected = id;
    for (const tr of tbody.children) {
      tr.classList.toggle("selected", tr.getAttribute("data-request-id") === id);
    }
    const d = await api("requests/" + encodeURIComponent(id));
    setText(document.getElementById("detail-id"), d.request_id);
    setText(document.getElementById("detail-summary"),
      d.method + " " + d.path + (d.query ? "?" + d.query : "") + " → " + (d.status || "dropped") +
      (d.code ? " " + d.code : "") + " · " + (d.operation || "no route") + " · " + d.latency_ms.toFixed(1) + " ms");
    const lines = Object.keys(d.header).sort().flatMap((k) => d.header[k].map((v) => k + ": " + v));
    setText(document.getElementById("detail-headers"), lines.join("\n") || "(none)");
    setText(document.getElementById("detail-request-body"), pretty(d.request_body));
    setText(document.getElementById("detail-response-body"), pretty(d.response_body));
    document.getElementById("request-detail").hidden = false;
  }

  tbody.addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr[data-request-id]");
    if (tr) {
      showDetail(tr.getAttribute("data-request-id")).catch((err) => setText(filterError, err.message));
    }
  });

  const tick = poll(refresh);
  opSelect.addEventListener("change", tick);
  statusInput.addEventListener("input", tick);
  document.getElementById("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    tick();
  });
})();
