// The Endpoints page: endpoints by direction with their addresses by
// subnet, and the resolver rules with their VPCs.
"use strict";

(() => {
  const { el, setText, setAttr, api, poll, syncChildren, statusCell } = dash;

  function makeEndpoint(ep) {
    const body = el("tbody", { "data-endpoint": ep.id });
    const tr = el("tr", { "data-endpoint-id": ep.id });
    for (const cls of ["name", "id", "status", "vpc", "ipcount", "rulecount", "age"]) {
      tr.appendChild(el("td", { class: cls }));
    }
    const addrRow = el("tr", { class: "addresses" });
    const cell = el("td", { colspan: "7" });
    cell.appendChild(el("div", { class: "subnets", "data-endpoint-addresses": ep.id }));
    addrRow.appendChild(cell);
    body.appendChild(tr);
    body.appendChild(addrRow);
    return body;
  }

  function updateEndpoint(body, ep) {
    const tr = body.firstElementChild;
    setText(tr.querySelector("td.name"), ep.name);
    setText(tr.querySelector("td.id"), ep.id);
    statusCell(tr.querySelector("td.status"), ep.status);
    setText(tr.querySelector("td.vpc"), ep.vpc_id || "—");
    setText(tr.querySelector("td.ipcount"), ep.ipaddress_count);
    setText(tr.querySelector("td.rulecount"), ep.resolver_rule_count);
    setText(tr.querySelector("td.age"), ep.age);
    tr.classList.toggle("pending", ep.pending);
    const subnets = body.querySelector("[data-endpoint-addresses]");
    syncChildren(subnets, ep.subnets, "data-subnet-id", (s) => s.id, makeSubnet, updateSubnet);
  }

  function makeSubnet() {
    const div = el("div", { class: "subnet" });
    div.appendChild(el("span", { class: "cidr" }));
    div.appendChild(el("span", { class: "subnet-id" }));
    div.appendChild(el("ul", { class: "ips" }));
    return div;
  }

  function updateSubnet(div, sn) {
    setText(div.querySelector(".cidr"), sn.cidr || "unknown subnet");
    setText(div.querySelector(".subnet-id"), sn.id);
    syncChildren(div.querySelector("ul"), sn.addresses, "data-ip-id", (a) => a.id, makeAddress, updateAddress);
  }

  function makeAddress() {
    const li = el("li", { class: "ip" });
    li.appendChild(el("span", { class: "addr" }));
    li.appendChild(el("span", { class: "ip-status" }));
    return li;
  }

  function updateAddress(li, a) {
    setText(li.querySelector(".addr"), a.ip);
    setText(li.querySelector(".ip-status"), a.status);
    setAttr(li, "data-status", a.status);
    li.classList.toggle("pending", a.pending);
    li.title = a.id;
  }

  function makeRule() {
    const tr = el("tr");
    for (const cls of ["name", "id", "domain", "endpoint", "targets", "status", "vpcs", "age"]) {
      tr.appendChild(el("td", { class: cls }));
    }
    return tr;
  }

  function updateRule(tr, r) {
    setText(tr.querySelector("td.name"), r.name);
    setText(tr.querySelector("td.id"), r.id);
    setText(tr.querySelector("td.domain"), r.domain_name);
    setText(tr.querySelector("td.endpoint"), r.endpoint_id);
    setText(tr.querySelector("td.targets"), r.targets.join(", "));
    statusCell(tr.querySelector("td.status"), r.status);
    setText(tr.querySelector("td.age"), r.age);
    tr.classList.toggle("pending", r.pending);
    const cell = tr.querySelector("td.vpcs");
    let list = cell.firstElementChild;
    if (!list) {
      list = el("ul", { class: "vpcs", "data-rule-vpcs": r.id });
      cell.appendChild(list);
    }
    syncChildren(list, r.vpcs, "data-vpc-id", (v) => v.id, () => el("li"), (li, v) => {
      setText(li, v.id + " " + v.status);
      setAttr(li, "data-status", v.status);
      li.classList.toggle("pending", v.pending);
    });
  }

  function showDirection(section, eps) {
    const table = section.querySelector("table");
    // Each endpoint is a tbody of two rows: the endpoint and its addresses.
    syncChildren(table, eps, "data-endpoint", (ep) => ep.id, makeEndpoint, updateEndpoint, 1);
    section.querySelector(".empty").hidden = eps.length > 0;
  }

  async function refresh() {
    const v = await api("endpoints");
    setText(document.getElementById("region"), v.region);
    setText(document.getElementById("counts"),
      v.inbound.length + " inbound, " + v.outbound.length + " outbound, " + v.rules.length + " rules");
    showDirection(document.getElementById("inbound"), v.inbound);
    showDirection(document.getElementById("outbound"), v.outbound);
    const rules = document.getElementById("rules");
    syncChildren(rules.querySelector("tbody"), v.rules, "data-rule-id", (r) => r.id, makeRule, updateRule);
    rules.querySelector(".empty").hidden = v.rules.length > 0;
  }

  poll(refresh);
})();
