#include "http/page.h"

#include <memory>
#include <string>

namespace keel::http {
namespace {

// Kept in one literal so the binary needs no files at run time. The script
// builds every node with textContent: API values are never parsed as HTML.
constexpr std::string_view kPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keel</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
  header { background: #1d2430; color: #fff; padding: 10px 20px; display: flex; gap: 16px;
           align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; }
  main { padding: 12px 20px; display: grid; gap: 16px; }
  section { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; padding: 10px 14px; }
  h2 { font-size: 15px; margin: 4px 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
  th { font-weight: 600; color: #556; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px;
           font-weight: 600; background: #e4e7ec; }
  .COMPLETE, .RUNNING, .s2 { background: #d3f0da; color: #14632b; }
  .STARTING, .STARTED, .PREPARED, .IN_PROGRESS, .STAGING { background: #dbe8fb; color: #1c4f9c; }
  .PENDING, .WAITING, .DELAYED { background: #fff1cc; color: #7a5800; }
  .ERROR, .FAILED, .LOST, .KILLED, .GONE, .s5 { background: #fbdada; color: #8f1d1d; }
  .msg { color: #556; font-size: 12px; }
  .err { color: #8f1d1d; }
  button { font-size: 12px; margin-right: 4px; cursor: pointer; }
  #result { font-family: monospace; font-size: 12px; }
  pre { background: #f5f6f8; padding: 6px; overflow: auto; max-height: 300px; }
</style>
</head>
<body>
<header>
  <h1 id="service">keel</h1>
  <span id="health" class="badge">health: ?</span>
  <span id="refreshed" class="msg"></span>
  <span id="result"></span>
</header>
<main>
  <section><h2>Plans</h2><div id="plans"></div></section>
  <section><h2>Pods</h2><div id="pods"></div></section>
  <section><h2>Endpoints</h2><div id="endpoints"></div></section>
  <section><h2>Offers (why steps are not placed)</h2><div id="offers"></div></section>
</main>
<script>
"use strict";
const kHealth = {200: "RUNNING", 202: "DEPLOYING_STARTING", 203: "RECOVERING_PENDING",
  204: "DEPLOYING_PENDING", 205: "RECOVERING_STARTING", 207: "DEPLOYING_WAITING_USER",
  208: "DELAYED", 318: "INITIALIZING", 320: "BACKING_UP", 321: "RESTORING",
  500: "ERROR_CREATING_SERVICE", 503: "SERVICE_UNAVAILABLE"};

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function badge(status) { return el("span", status, "badge " + status); }
function row(cells) {
  const tr = el("tr");
  for (const c of cells) {
    const td = el("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined ? "" : c;
    tr.appendChild(td);
  }
  return tr;
}
function table(headers, rows) {
  const t = el("table");
  const head = el("tr");
  for (const h of headers) head.appendChild(el("th", h));
  t.appendChild(head);
  for (const r of rows) t.appendChild(r);
  return t;
}
async function getJson(path) {
  const r = await fetch(path, {cache: "no-store"});
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = {text: text}; }
  return {status: r.status, body: body};
}
function q(params) { return new URLSearchParams(params).toString(); }

async function act(path, confirmText) {
  if (confirmText && !window.confirm(confirmText)) return;
  const out = document.getElementById("result");
  try {
    const r = await fetch(path, {method: "POST"});
    const text = await r.text();
    let message = text;
    try { message = JSON.parse(text).message || text; } catch (e) {}
    out.textContent = "POST " + path + " -> " + r.status + " " + message;
  } catch (e) {
    out.textContent = "POST " + path + " failed: " + e;
  }
  refresh();
}
function button(label, path, confirmText) {
  const b = el("button", label);
  b.addEventListener("click", () => act(path, confirmText));
  return b;
}
function group(...nodes) {
  const span = el("span");
  for (const n of nodes) span.appendChild(n);
  return span;
}

function renderPlan(name, plan) {
  const box = el("div");
  const title = el("h2");
  title.appendChild(el("span", name + " "));
  title.appendChild(badge(plan.status));
  box.appendChild(title);
  const base = "/v1/plans/" + encodeURIComponent(name);
  box.appendChild(group(button("interrupt", base + "/interrupt"),
    button("continue", base + "/continue"),
    button("restart plan", base + "/restart", "Restart every step of plan " + name + "?")));
  for (const e of plan.errors || []) box.appendChild(el("div", e, "err"));
  const rows = [];
  for (const phase of plan.phases || []) {
    rows.push(row([el("b", phase.name), "", badge(phase.status), ""]));
    for (const step of phase.steps || []) {
      const where = q({phase: phase.name, step: step.name});
      rows.push(row(["", step.name, badge(step.status), group(el("span", step.message, "msg")),
        group(button("restart", base + "/restart?" + where, "Restart step " + step.name + "?"),
          button("force complete", base + "/forceComplete?" + where,
            "Mark step " + step.name + " COMPLETE without running it?"))]));
    }
  }
  box.appendChild(table(["phase", "step", "status", "message", ""], rows));
  return box;
}

async function refreshPlans() {
  const names = (await getJson("/v1/plans")).body || [];
  const box = el("div");
  for (const name of names) {
    const plan = await getJson("/v1/plans/" + encodeURIComponent(name));
    if (plan.body) box.appendChild(renderPlan(name, plan.body));
  }
  document.getElementById("plans").replaceChildren(box);
}

async function refreshPods() {
  const status = (await getJson("/v1/pod/status")).body || {};
  if (status.service) {
    document.getElementById("service").textContent = "keel: " + status.service;
    document.title = "keel: " + status.service;
  }
  const rows = [];
  for (const pod of status.pods || []) {
    for (const inst of pod.instances || []) {
      const tasks = el("span");
      for (const t of inst.tasks || []) {
        tasks.appendChild(el("span", t.name + " "));
        tasks.appendChild(badge(t.status || "UNKNOWN"));
        tasks.appendChild(el("br"));
      }
      const base = "/v1/pod/" + encodeURIComponent(inst.name);
      rows.push(row([inst.name, tasks, group(
        button("restart", base + "/restart", "Restart " + inst.name + " in place (volumes kept)?"),
        button("replace", base + "/replace",
          "Replace " + inst.name + " on new resources? Its volumes are DESTROYED."))]));
    }
  }
  document.getElementById("pods").replaceChildren(table(["pod instance", "tasks", ""], rows));
}

async function refreshEndpoints() {
  const names = (await getJson("/v1/endpoints")).body || [];
  const rows = [];
  for (const name of names) {
    const ep = (await getJson("/v1/endpoints/" + encodeURIComponent(name))).body || {};
    rows.push(row([name, ep.text || (ep.address || []).join(", "), (ep.dns || []).join(", ")]));
  }
  document.getElementById("endpoints").replaceChildren(table(["name", "address", "dns"], rows));
}

async function refreshOffers() {
  const o = (await getJson("/v2/debug/offers")).body || {};
  const box = el("div");
  box.appendChild(el("div", "accepted " + (o.acceptedCount || 0) + ", rejected " +
    (o.rejectedCount || 0)));
  const rows = Object.entries(o.failureReasons || {}).map(([k, v]) => row([k, v]));
  box.appendChild(table(["failed stage", "count"], rows));
  const details = el("details");
  details.appendChild(el("summary", "recent outcomes"));
  details.appendChild(el("pre", JSON.stringify(o.outcomes || [], null, 2)));
  box.appendChild(details);
  document.getElementById("offers").replaceChildren(box);
}

async function refreshHealth() {
  const r = await fetch("/v1/health", {cache: "no-store"});
  const h = document.getElementById("health");
  h.textContent = "health: " + (kHealth[r.status] || r.status);
  h.className = "badge s" + String(r.status)[0];
}

let busy = false;
async function refresh() {
  if (busy) return;
  busy = true;
  try {
    await Promise.all([refreshHealth(), refreshPlans(), refreshPods(), refreshEndpoints(),
      refreshOffers()]);
    document.getElementById("refreshed").textContent =
      "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("refreshed").textContent = "scheduler not answering: " + e;
  } finally {
    busy = false;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
)HTML";

Response pageResponse() {
  static const std::shared_ptr<const std::string> body = std::make_shared<const std::string>(kPage);
  return Response{200, body, "text/html; charset=utf-8"};
}

}  // namespace

std::string_view operatorPageHtml() { return kPage; }

void addPageRoutes(Router& router) {
  for (const char* path : {"/", "/ui"}) {
    router.add(
        "GET", path, [](const Request&) { return pageResponse(); },
        [](const Request&) -> std::optional<Response> { return pageResponse(); });
  }
}

}  // namespace keel::http
