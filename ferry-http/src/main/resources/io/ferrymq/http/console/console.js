// The FerryMQ web console: a single page over the management API. It logs in with a broker user (basic auth,
// checked against /api/whoami), keeps the credentials for the browser tab only (sessionStorage), and polls the
// API while a view is open. Data from the API is always inserted as text, never as HTML.
"use strict";

const params = new URLSearchParams(location.search);
/** Milliseconds between polls; ?poll=500 makes the console (and its tests) livelier. */
const POLL_MS = Math.max(250, Number(params.get("poll")) || 2000);
const AUTH_KEY = "ferry.auth";

const state = { auth: sessionStorage.getItem(AUTH_KEY), user: null, timer: null, view: null, charts: {} };

// ---- API

class ApiError extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { "Authorization": state.auth, "X-Requested-With": "XMLHttpRequest" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "the broker does not answer (" + e.message + ")");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    if (response.status === 401 && state.user) logout("Your session was refused: log in again.");
    throw new ApiError(response.status, (json && json.reason) || response.status + " " + response.statusText);
  }
  return json;
}

const enc = encodeURIComponent;
const queuePath = (vhost, name) => "/api/queues/" + enc(vhost) + "/" + enc(name);

// ---- DOM helpers: text only

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table from rows and [{title, value(row), num, id(row)}] columns. */
function table(id, columns, rows, empty) {
  if (!rows.length) return el("p", { id, class: "muted" }, empty || "None.");
  return el("table", { id },
    el("thead", {}, el("tr", {}, columns.map(c => el("th", { class: c.num ? "num" : null }, c.title)))),
    el("tbody", {}, rows.map(row => el("tr", {}, columns.map(c => {
      const value = c.value(row);
      return el("td", { class: c.num ? "num" : c.cls, id: c.id ? c.id(row) : null },
        value instanceof Node ? value : value === undefined || value === null ? "" : String(value));
    })))));
}

function showError(message) {
  const banner = document.getElementById("error");
  banner.textContent = message || "";
  banner.hidden = !message;
}

function card(label, value, id) {
  return el("div", { class: "card" }, el("div", { class: "value", id }, value), el("div", { class: "label" }, label));
}

function fmtRate(value) {
  return (Math.round(value * 10) / 10).toFixed(1) + "/s";
}

// ---- login

async function login(user, password) {
  state.auth = "Basic " + btoa(unescape(encodeURIComponent(user + ":" + password)));
  try {
    state.user = await api("GET", "/api/whoami");
  } catch (e) {
    state.auth = null;
    throw e;
  }
  sessionStorage.setItem(AUTH_KEY, state.auth);
}

function logout(message) {
  state.auth = null;
  state.user = null;
  sessionStorage.removeItem(AUTH_KEY);
  clearInterval(state.timer);
  document.getElementById("app").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = message || "";
}

function startApp() {
  document.getElementById("login").hidden = true;
  document.getElementById("app").hidden = false;
  document.getElementById("who").textContent = state.user.name + (state.user.tags.length ? " (" +
    state.user.tags.join(", ") + ")" : "");
  route();
}

document.getElementById("login-form").addEventListener("submit", async event => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  try {
    await login(document.getElementById("login-user").value, document.getElementById("login-password").value);
    startApp();
  } catch (e) {
    error.textContent = e.status === 401 ? "Wrong user or password, or the user may not use the management API."
      : e.message;
  }
});
document.getElementById("logout").addEventListener("click", () => logout(""));
window.addEventListener("hashchange", route);

// ---- views: each renders once, then its refresh() runs on every poll

const views = {
  overview: overviewView,
  queues: queuesView,
  queue: queueView,
  exchanges: exchangesView,
  connections: connectionsView,
  dlq: dlqView,
  trace: traceView,
};

function route() {
  if (!state.user) return;
  const [name, ...rest] = (location.hash.slice(1) || "overview").split("/");
  const make = views[name] || overviewView;
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.view === (name === "queue" ? "queues" : name));
  }
  clearInterval(state.timer);
  showError("");
  const main = document.getElementById("view");
  main.replaceChildren();
  state.view = make(main, rest.map(decodeURIComponent));
  const tick = async () => {
    try {
      await state.view.refresh();
      document.getElementById("footer").textContent = "Updated " + new Date().toLocaleTimeString("en-GB") +
        " · every " + POLL_MS / 1000 + " s";
      showError("");
    } catch (e) {
      showError(e.message);
    }
  };
  tick();
  if (state.view.live !== false) state.timer = setInterval(tick, POLL_MS);
}

/** Rates computed between two polls from the API's running totals. */
function rater() {
  let last = null;
  return (totals) => {
    const now = performance.now();
    const rates = {};
    for (const [key, value] of Object.entries(totals)) {
      rates[key] = last ? Math.max(0, value - last.totals[key]) / ((now - last.time) / 1000) : 0;
    }
    last = { time: now, totals };
    return rates;
  };
}

function overviewView(main) {
  const cards = el("div", { class: "cards", id: "overview-cards" });
  const canvas = el("canvas", { class: "chart", id: "overview-chart", width: 900, height: 220 });
  main.append(el("h2", {}, "Overview"), cards, el("h3", {}, "Message rates"), canvas,
    el("p", { class: "muted", id: "overview-node" }));
  const chart = new FerryChart(canvas, [
    { name: "publish", color: "#1f77b4" }, { name: "deliver/get", color: "#2ca02c" }, { name: "ack", color: "#ff7f0e" }]);
  const rates = rater();
  return {
    async refresh() {
      const o = await api("GET", "/api/overview");
      const r = rates(messageTotals(o.message_stats));
      chart.push([r.publish, r.deliver, r.ack]);
      const t = o.object_totals || {}, q = o.queue_totals || {};
      cards.replaceChildren(
        card("publish", fmtRate(r.publish), "rate-publish"), card("deliver/get", fmtRate(r.deliver), "rate-deliver"),
        card("ack", fmtRate(r.ack), "rate-ack"), card("messages ready", q.messages_ready, "total-ready"),
        card("unacked", q.messages_unacknowledged, "total-unacked"), card("queues", t.queues, "total-queues"),
        card("connections", t.connections, "total-connections"), card("consumers", t.consumers, "total-consumers"));
      document.getElementById("overview-node").textContent = o.product_name + " " + o.product_version + " on " +
        o.node + " · listeners: " + (o.listeners || []).map(l => l.protocol + " " + l.port).join(", ");
    },
  };
}

/** The publish, deliver/get and ack totals of the API's message_stats (of the broker or of one queue). */
function messageTotals(stats) {
  const s = stats || {};
  return { publish: s.publish || 0, deliver: s.deliver_get || 0, ack: s.ack || 0 };
}

const queueKey = q => q.vhost + "\u0000" + q.name;

/**
 * Each queue's publish, deliver/get and ack rates between polls, by queueKey, from the totals in its message_stats
 * (computed like the overview's, so the two agree; a queue seen for the first time reads 0 until the next poll).
 */
function queueRater() {
  let raters = new Map();
  return (queues) => {
    const next = new Map();
    const rates = {};
    for (const q of queues) {
      const key = queueKey(q);
      const rate = raters.get(key) || rater();
      next.set(key, rate);
      rates[key] = rate(messageTotals(q.message_stats));
    }
    raters = next; // forget deleted queues
    return rates;
  };
}

function queueLink(vhost, name) {
  return el("a", { href: "#queue/" + enc(vhost) + "/" + enc(name), class: "queue-link" }, name);
}

function queuesView(main) {
  const holder = el("div");
  main.append(el("h2", {}, "Queues"), holder);
  const rates = queueRater();
  return {
    async refresh() {
      const queues = await api("GET", "/api/queues");
      const r = rates(queues);
      const rateId = (what, q) => "queue-" + what + ":" + enc(q.vhost) + "/" + enc(q.name); // as in #queue/...
      holder.replaceChildren(table("queues-table", [
        { title: "Vhost", value: q => q.vhost },
        { title: "Name", value: q => queueLink(q.vhost, q.name) },
        { title: "Type", value: q => q.type },
        { title: "Policy", value: q => q.policy },
        { title: "Ready", num: true, value: q => q.messages_ready },
        { title: "Unacked", num: true, value: q => q.messages_unacknowledged },
        { title: "Consumers", num: true, value: q => q.consumers },
        { title: "Incoming", num: true, value: q => fmtRate(r[queueKey(q)].publish), id: q => rateId("publish", q) },
        { title: "Deliver/get", num: true, value: q => fmtRate(r[queueKey(q)].deliver),
          id: q => rateId("deliver", q) },
        { title: "Ack", num: true, value: q => fmtRate(r[queueKey(q)].ack), id: q => rateId("ack", q) },
      ], queues, "No queues yet."));
    },
  };
}

function queueView(main, [vhost, name]) {
  const cards = el("div", { class: "cards" });
  const rateCanvas = el("canvas", { class: "chart", id: "queue-rate-chart", width: 900, height: 220 });
  const depthCanvas = el("canvas", { class: "chart", id: "queue-depth-chart", width: 900, height: 220 });
  const messages = el("div", { id: "messages" });
  const count = el("input", { id: "get-count", type: "number", value: 10, min: 1, size: 4 });
  const ackmode = el("select", { id: "get-ackmode" },
    el("option", { value: "ack_requeue_true" }, "Browse (requeue)"),
    el("option", { value: "ack_requeue_false" }, "Take (ack)"));
  const redriveExchange = el("input", { id: "redrive-exchange", placeholder: "(x-death queue)" });
  const redriveKey = el("input", { id: "redrive-routing-key", placeholder: "(message's own)" });
  const redriveLimit = el("input", { id: "redrive-limit", type: "number", min: 1, placeholder: "all", size: 6 });
  const redriveReason = el("select", { id: "redrive-reason" }, ["", "rejected", "expired", "maxlen", "delivery_limit"]
    .map(r => el("option", { value: r }, r || "any reason")));
  const redriveResult = el("span", { id: "redrive-result" });
  const purgeResult = el("span", { id: "purge-result" });

  main.append(
    el("h2", {}, "Queue ", el("span", { id: "queue-name" }, name), el("span", { class: "muted" }, " in vhost " + vhost)),
    cards, el("h3", {}, "Message rates"), rateCanvas, el("h3", {}, "Depth"), depthCanvas,
    el("h3", {}, "Get messages"),
    el("form", { class: "inline", id: "get-form", onsubmit: e => { e.preventDefault(); getMessages(); } },
      el("label", {}, "Count", count), el("label", {}, "Mode", ackmode),
      el("button", { id: "get-submit", type: "submit" }, "Get messages")),
    messages,
    el("h3", {}, "Redrive dead-lettered messages"),
    el("form", { class: "inline", id: "redrive-form", onsubmit: e => { e.preventDefault(); redrive(); } },
      el("label", {}, "Exchange", redriveExchange), el("label", {}, "Routing key", redriveKey),
      el("label", {}, "Limit", redriveLimit), el("label", {}, "Reason", redriveReason),
      el("button", { id: "redrive-submit", type: "submit" }, "Redrive"), redriveResult),
    el("h3", {}, "Purge"),
    el("p", {}, el("button", { id: "purge-submit", class: "danger", type: "button", onclick: purge }, "Purge ready messages"),
      " ", purgeResult));

  const rateChart = new FerryChart(rateCanvas, [
    { name: "publish", color: "#1f77b4" }, { name: "deliver/get", color: "#2ca02c" }, { name: "ack", color: "#ff7f0e" }]);
  const depthChart = new FerryChart(depthCanvas, [
    { name: "ready", color: "#1f77b4" }, { name: "unacked", color: "#d62728" }]);
  const rates = rater();

  async function getMessages() {
    try {
      const got = await api("POST", queuePath(vhost, name) + "/get",
        { count: Number(count.value) || 1, ackmode: ackmode.value, encoding: "auto", truncate: 50000 });
      messages.replaceChildren(table("messages-table", [
        { title: "#", num: true, value: m => got.indexOf(m) + 1 },
        { title: "Exchange", value: m => m.exchange },
        { title: "Routing key", value: m => m.routing_key },
        { title: "Message id", value: m => m.properties.message_id ? el("a", {
            href: "#trace/" + enc(vhost) + "/" + enc(m.properties.message_id) }, m.properties.message_id) : "" },
        { title: "Dead-lettered", value: m => death(m) },
        { title: "Redelivered", value: m => m.redelivered },
        { title: "Payload", cls: "payload", value: m => m.payload_encoding === "base64" ? "(base64) " + m.payload : m.payload },
      ], got, "The queue is empty."));
    } catch (e) {
      messages.replaceChildren(el("p", { class: "error" }, e.message));
    }
  }

  async function redrive() {
    const body = {};
    if (redriveExchange.value) body.exchange = redriveExchange.value;
    if (redriveKey.value) body.routing_key = redriveKey.value;
    if (redriveLimit.value) body.limit = Number(redriveLimit.value);
    if (redriveReason.value) body.filter = { reason: redriveReason.value };
    redriveResult.className = "";
    redriveResult.textContent = "moving…";
    try {
      const result = await api("POST", queuePath(vhost, name) + "/redrive", body);
      redriveResult.className = "ok";
      redriveResult.textContent = "moved " + result.moved + ", skipped " + result.skipped;
    } catch (e) {
      redriveResult.className = "error";
      redriveResult.textContent = e.status === 404 && /no endpoint/.test(e.message)
        ? "this broker has no redrive endpoint" : e.message;
    }
  }

  async function purge() {
    try {
      await api("DELETE", queuePath(vhost, name) + "/contents");
      purgeResult.className = "ok";
      purgeResult.textContent = "purged";
    } catch (e) {
      purgeResult.className = "error";
      purgeResult.textContent = e.message;
    }
  }

  return {
    async refresh() {
      const q = await api("GET", queuePath(vhost, name));
      const r = rates(messageTotals(q.message_stats));
      rateChart.push([r.publish, r.deliver, r.ack]);
      depthChart.push([q.messages_ready, q.messages_unacknowledged]);
      const args = Object.entries(q.arguments || {}).map(([k, v]) => k + "=" + JSON.stringify(v)).join(", ");
      cards.replaceChildren(card("ready", q.messages_ready, "queue-ready"),
        card("unacked", q.messages_unacknowledged, "queue-unacked"), card("consumers", q.consumers, "queue-consumers"),
        card("publish", fmtRate(r.publish), "queue-rate-publish"),
        card("deliver/get", fmtRate(r.deliver), "queue-rate-deliver"), card("ack", fmtRate(r.ack), "queue-rate-ack"),
        card("type", q.type),
        card("policy", q.policy || "none", "queue-policy"), card("arguments", args || "none"));
    },
  };
}

/** "reason from queue" of a message's latest x-death entry (RabbitMQ puts the latest first). */
function death(message) {
  const deaths = message.properties && message.properties.headers && message.properties.headers["x-death"];
  if (!Array.isArray(deaths) || !deaths.length) return "";
  const d = deaths[0];
  return d.reason + " from " + d.queue + " (×" + (d.count || 1) + ")";
}

function exchangesView(main) {
  const holder = el("div");
  main.append(el("h2", {}, "Exchanges"), holder);
  return {
    async refresh() {
      const exchanges = await api("GET", "/api/exchanges");
      holder.replaceChildren(table("exchanges-table", [
        { title: "Vhost", value: x => x.vhost }, { title: "Name", value: x => x.name || "(default)" },
        { title: "Type", value: x => x.type }, { title: "Durable", value: x => x.durable },
        { title: "Auto-delete", value: x => x.auto_delete }, { title: "Internal", value: x => x.internal },
        { title: "Policy", value: x => x.policy },
      ], exchanges));
    },
  };
}

function connectionsView(main) {
  const holder = el("div");
  main.append(el("h2", {}, "Connections"), holder);
  return {
    async refresh() {
      const connections = await api("GET", "/api/connections");
      holder.replaceChildren(table("connections-table", [
        { title: "Name", value: c => c.name }, { title: "User", value: c => c.user },
        { title: "Vhost", value: c => c.vhost }, { title: "Client", value: c => c.peer_host + ":" + c.peer_port },
        { title: "Protocol", value: c => c.protocol }, { title: "Channels", num: true, value: c => c.channels },
        { title: "Product", value: c => (c.client_properties || {}).product },
      ], connections, "No client is connected."));
    },
  };
}

/**
 * Dead-letter queues: those bound to an exchange that some queue dead-letters to (by argument or effective
 * policy), plus those a queue dead-letters to through the default exchange by routing key.
 */
function dlqView(main) {
  const holder = el("div");
  main.append(el("h2", {}, "Dead-letter queues"), holder);
  return {
    async refresh() {
      const [queues, bindings] = await Promise.all([api("GET", "/api/queues"), api("GET", "/api/bindings")]);
      const targets = new Set();
      for (const q of queues) {
        const def = Object.assign({}, q.effective_policy_definition || {});
        const args = q.arguments || {};
        const dlx = args["x-dead-letter-exchange"] ?? def["dead-letter-exchange"];
        const dlk = args["x-dead-letter-routing-key"] ?? def["dead-letter-routing-key"];
        if (dlx === undefined) continue;
        if (dlx === "") {
          if (dlk) targets.add(q.vhost + "\u0000" + dlk);
          continue;
        }
        for (const b of bindings) {
          if (b.vhost === q.vhost && b.source === dlx && b.destination_type === "queue") {
            targets.add(b.vhost + "\u0000" + b.destination);
          }
        }
      }
      const dlqs = queues.filter(q => targets.has(q.vhost + "\u0000" + q.name));
      holder.replaceChildren(table("dlq-table", [
        { title: "Vhost", value: q => q.vhost }, { title: "Name", value: q => queueLink(q.vhost, q.name) },
        { title: "Messages", num: true, value: q => q.messages },
      ], dlqs, "No queue dead-letters into another queue."));
    },
  };
}

function traceView(main, [vhostArg, idArg]) {
  const vhost = el("input", { id: "trace-vhost", value: vhostArg || "/", size: 8 });
  const messageId = el("input", { id: "trace-message-id", value: idArg || "", placeholder: "message id" });
  const correlationId = el("input", { id: "trace-correlation-id", placeholder: "or correlation id" });
  const status = el("span", { id: "trace-status", class: "muted" });
  const results = el("div", { id: "trace-results" });

  async function lookUp() {
    const query = messageId.value ? "message_id=" + enc(messageId.value)
      : correlationId.value ? "correlation_id=" + enc(correlationId.value) : null;
    if (!query) {
      results.replaceChildren(el("p", { class: "error" }, "Give a message id or a correlation id."));
      return;
    }
    try {
      const events = await api("GET", "/api/trace/" + enc(vhost.value) + "?" + query);
      results.replaceChildren(table("trace-table", [
        { title: "#", num: true, value: e => e.seq },
        { title: "Time", value: e => new Date(e.timestamp).toISOString().replace("T", " ").replace("Z", "") },
        { title: "Event", value: e => e.event, id: e => "trace-event-" + e.seq },
        { title: "Exchange", value: e => e.exchange },
        { title: "Routing key", value: e => e.routing_key },
        { title: "Queue", value: e => (e.queues || [e.queue]).filter(x => x !== undefined).join(", ") },
        { title: "Detail", value: e => [e.reason && "reason " + e.reason, e.attempt && "attempt " + e.attempt,
            e.consumer_tag && "consumer " + e.consumer_tag, e.retry_at && "retry at " + new Date(e.retry_at).toISOString()]
            .filter(Boolean).join(", ") },
      ], events, "No trace events for this message (is tracing on for its vhost or queue?)."));
    } catch (e) {
      results.replaceChildren(el("p", { class: "error" }, e.status === 404 && /no endpoint/.test(e.message)
        ? "This broker has no trace endpoint." : e.message));
    }
  }

  async function toggle() {
    try {
      const now = await api("GET", "/api/trace/" + enc(vhost.value));
      await api("PUT", "/api/trace/" + enc(vhost.value), { enabled: !now.enabled });
      await showStatus();
    } catch (e) {
      status.textContent = e.message;
    }
  }

  async function showStatus() {
    try {
      const now = await api("GET", "/api/trace/" + enc(vhost.value));
      status.textContent = "tracing " + (now.enabled ? "on" : "off") + " for vhost " + vhost.value +
        ((now.queues || []).length ? "; traced queues: " + now.queues.join(", ") : "");
    } catch (e) {
      status.textContent = e.status === 404 && /no endpoint/.test(e.message) ? "this broker has no trace endpoint"
        : e.message;
    }
  }

  main.append(el("h2", {}, "Message trace"),
    el("form", { class: "inline", id: "trace-form", onsubmit: e => { e.preventDefault(); lookUp(); } },
      el("label", {}, "Vhost", vhost), el("label", {}, "Message id", messageId),
      el("label", {}, "Correlation id", correlationId), el("button", { id: "trace-submit", type: "submit" }, "Find")),
    el("p", {}, status, " ", el("button", { id: "trace-toggle", type: "button", onclick: toggle }, "Switch tracing")),
    results);
  showStatus();
  if (idArg) lookUp();
  return { live: false, async refresh() {} };
}

// ---- start: a tab that logged in before goes straight back in

(async () => {
  if (state.auth) {
    try {
      state.user = await api("GET", "/api/whoami");
      startApp();
      return;
    } catch (e) {
      state.auth = null;
      sessionStorage.removeItem(AUTH_KEY);
    }
  }
  logout("");
})();
