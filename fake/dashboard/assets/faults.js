// The Faults page: inject a fault, see the pending ones, clear them, reset
// the fake.
"use strict";

(() => {
  const { el, setText, api, poll, fillOptions } = dash;
  const form = document.getElementById("fault-form");
  const kind = document.getElementById("fault-kind");
  const result = document.getElementById("fault-result");
  const tbody = document.querySelector("#faults tbody");

  // Show only the fields that the chosen kind uses.
  function showFields() {
    for (const label of form.querySelectorAll("label[data-for]")) {
      label.hidden = !label.getAttribute("data-for").split(" ").includes(kind.value);
    }
  }
  kind.addEventListener("change", showFields);
  showFields();

  function show(v) {
    fillOptions(document.getElementById("fault-op"), v.operations);
    const rows = v.pending.map((f) => {
      const tr = el("tr", { "data-fault-op": f.operation, "data-fault-kind": f.kind });
      tr.appendChild(el("td", { class: "op" }, f.operation || "any operation"));
      tr.appendChild(el("td", { class: "kind" }, f.kind));
      tr.appendChild(el("td", { class: "left" }, f.left));
      tr.appendChild(el("td", { class: "detail" }, f.detail));
      return tr;
    });
    tbody.replaceChildren(...rows);
    document.querySelector("#pending .empty").hidden = rows.length > 0;
  }

  async function refresh() {
    show(await api("faults"));
  }

  function value(id) {
    return document.getElementById(id).value.trim();
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      operation: value("fault-op"),
      times: Number(value("fault-times") || "1"),
      kind: kind.value,
      status: Number(value("fault-status") || "0"),
      code: value("fault-code"),
      message: value("fault-message"),
      retry_after: value("fault-retry-after"),
      delay: value("fault-delay"),
    };
    try {
      show(await api("faults", { method: "POST", body: JSON.stringify(body) }));
      setText(result, "Injected " + body.kind + " for " + (body.operation || "any operation") + ".");
      result.className = "ok";
    } catch (err) {
      setText(result, err.message);
      result.className = "error";
    }
  });

  document.getElementById("faults-clear").addEventListener("click", async () => {
    try {
      show(await api("faults/clear", { method: "POST", body: "{}" }));
    } catch (err) {
      setText(result, err.message);
    }
  });

  const resetButton = document.getElementById("reset");
  const ask = document.getElementById("reset-ask");
  const done = document.getElementById("reset-done");
  resetButton.addEventListener("click", () => {
    done.hidden = true;
    ask.hidden = false;
  });
  document.getElementById("reset-cancel").addEventListener("click", () => {
    ask.hidden = true;
  });
  document.getElementById("reset-confirm").addEventListener("click", async () => {
    ask.hidden = true;
    try {
      await api("reset", { method: "POST", body: "{}" });
      done.hidden = false;
      await refresh();
    } catch (err) {
      setText(result, err.message);
    }
  });

  poll(refresh);
})();
