// Shared by the dashboard's pages. Data comes from hostile clients (paths,
// bodies, names), so it only ever reaches the page as text: through
// textContent and createElement, never parsed as markup.
"use strict";

const dash = (() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let stopped = false;

  // el makes an element with attributes and, optionally, text.
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      e.setAttribute(k, v);
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  // setText changes a node's text only when it differs, so that a refresh
  // leaves a selection or a hover alone.
  function setText(e, text) {
    text = text === undefined || text === null ? "" : String(text);
    if (e.textContent !== text) {
      e.textContent = text;
    }
  }

  function setAttr(e, name, value) {
    if (e.getAttribute(name) !== value) {
      e.setAttribute(name, value);
    }
  }

  // lost shows that the session is gone and stops polling.
  function lost() {
    stopped = true;
    document.getElementById("session-lost").hidden = false;
    setText(document.getElementById("live"), "logged out");
  }

  // api fetches a JSON answer of /dashboard/api/. POSTs carry the CSRF token.
  async function api(path, options) {
    options = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (options.method && options.method !== "GET") {
      options.headers["X-CSRF-Token"] = csrf;
      options.headers["Content-Type"] = "application/json";
    }
    const resp = await fetch("/dashboard/api/" + path, options);
    if (resp.status === 401) {
      lost();
      throw new Error("not logged in");
    }
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      throw new Error(body.error || resp.status + " " + resp.statusText);
    }
    return body;
  }

  // poll calls refresh now and about once a second while the tab is
  // visible; a hidden tab costs the fake nothing.
  function poll(refresh) {
    const live = document.getElementById("live");
    let timer = null;
    let running = false;
    async function tick() {
      timer = null;
      if (stopped || document.hidden || running) {
        return;
      }
      running = true;
      try {
        await refresh();
        setText(live, "live · " + new Date().toLocaleTimeString());
        live.classList.remove("stale");
      } catch (err) {
        if (!stopped) {
          setText(live, "error: " + err.message);
          live.classList.add("stale");
        }
      } finally {
        running = false;
      }
      if (!stopped && !document.hidden && timer === null) {
        timer = setTimeout(tick, 1000);
      }
    }
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) {
        if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
        setText(live, "paused");
      } else if (timer === null) {
        tick();
      }
    });
    tick();
    return tick;
  }

  // syncChildren makes parent's children, from the index skip on, the nodes
  // for items in order: a node whose key attribute matches is kept and
  // updated, a new one made, one for an item gone removed.
  function syncChildren(parent, items, keyAttr, keyOf, make, update, skip) {
    skip = skip || 0;
    const old = new Map();
    for (const child of Array.from(parent.children).slice(skip)) {
      old.set(child.getAttribute(keyAttr), child);
    }
    let at = parent.children[skip] || null;
    for (const item of items) {
      const key = keyOf(item);
      let node = old.get(key);
      if (node) {
        old.delete(key);
      } else {
        node = make(item);
        node.setAttribute(keyAttr, key);
      }
      update(node, item);
      if (node !== at) {
        parent.insertBefore(node, at);
      } else {
        at = at.nextElementSibling;
      }
    }
    for (const node of old.values()) {
      node.remove();
    }
  }

  // statusCell fills a status cell: its text, data-status, and the class
  // pending for the PENDING_* states.
  function statusCell(td, status) {
    setText(td, status);
    setAttr(td, "data-status", status);
    td.classList.toggle("pending", status.startsWith("PENDING_"));
    td.classList.toggle("error", status === "ERROR");
    td.classList.toggle("deleted", status === "DELETED");
  }

  function fillOptions(select, values, current) {
    const have = Array.from(select.options).map((o) => o.value);
    for (const v of values) {
      if (!have.includes(v)) {
        select.appendChild(el("option", { value: v }, v));
      }
    }
    if (current !== undefined) {
      select.value = current;
    }
  }

  return { el, setText, setAttr, api, poll, syncChildren, statusCell, fillOptions };
})();
