// 3. Login round trip and 5. event forwarding. One cross-origin-isolated
// publisher page (COOP/COEP, so performance.now() has 5 µs resolution
// instead of 100 µs) on http://localhost:P holds, all framed from the
// stream origin http://127.0.0.1:S:
//   - the SDK embed (script tag embed.js) with the bench stream page,
//   - echo.html: raw window postMessage and raw MessageChannel echo,
//   - penpal-child.html: a penpal child exposing login(token).
import { html, shuffle, stats } from "../lib.mjs";

const page = (S, tokens) => `<div id="coral_thread"></div>
<script src="${S}/embed.js"></script>
<script src="${S}/peers/penpal.min.js"></script>
<script src="${S}/peers/eventemitter2.js"></script>
<script>
"use strict";
var S = ${JSON.stringify(S)}, TOK = ${JSON.stringify(tokens)};
var embed, echoWin, port, remote, sdkFrame;
var ack = { sdk: null, win: null, port: null };
var evt = null; // current event-forwarding run
var ee = new EventEmitter2();
var loginCall = [], portCall = [];
window.takeLoginCall = function () { var x = [loginCall, portCall]; loginCall = []; portCall = []; return x; };

function settle(kind) { var f = ack[kind]; if (f) { ack[kind] = null; f(); } }
function onEvent(d) {
  if (!evt) return;
  var now = performance.now();
  if (evt.count === 0) evt.first = now;
  evt.count++;
  evt.sum += d.i;
  if (evt.count === evt.n) { evt.last = now; evt.done(); }
}
ee.on("commentCreated", onEvent);

window.setup = async function () {
  await Coral.ready;
  await new Promise(function (resolve) {
    embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: S, storyID: "story-1", autoRender: true,
      events: function (e) {
        e.once("ready", resolve);
        e.on("authState", function (s) { if (s.loggedIn) settle("sdk"); });
        e.on("commentCreated", onEvent);
      } });
  });
  sdkFrame = document.querySelector("#coral_thread iframe").contentWindow;

  var echo = document.createElement("iframe");
  echo.src = S + "/bench/echo.html";
  var echoReady = new Promise(function (r) {
    addEventListener("message", function h(ev) {
      if (ev.source === echo.contentWindow && ev.data && ev.data.t === "echo-ready") { removeEventListener("message", h); r(); }
    });
  });
  document.body.appendChild(echo);
  await echoReady;
  echoWin = echo.contentWindow;
  addEventListener("message", function (ev) {
    if (ev.source === echoWin && ev.origin === S && ev.data && ev.data.t === "authState" && ev.data.loggedIn) settle("win");
  });
  var ch = new MessageChannel();
  port = ch.port1;
  var connected = new Promise(function (r) {
    port.onmessage = function (e) {
      var m = e.data;
      if (m.t === "event") ee.emit(m.name, m.data);           // Coral-style: transport, then EventEmitter2
      else if (m.t === "authState" && m.loggedIn) settle("port");
      else if (m.t === "connected") r();
    };
  });
  echoWin.postMessage({ t: "port" }, S, [ch.port2]);
  await connected;

  var pf = document.createElement("iframe");
  pf.src = S + "/bench/penpal-child.html?parent=" + encodeURIComponent(location.origin);
  document.body.appendChild(pf);
  var conn = Penpal.connect({ messenger: new Penpal.WindowMessenger({ remoteWindow: pf.contentWindow, allowedOrigins: [S] }) });
  remote = await conn.promise;
  return { crossOriginIsolated: crossOriginIsolated };
};

var iter = {
  sdk: function (i) {
    return new Promise(function (r) {
      ack.sdk = r;
      var t = performance.now();
      embed.login(TOK[i & 1]);
      loginCall.push(performance.now() - t); // synchronous host-side cost of login()
    });
  },
  win: function (i) { return new Promise(function (r) { ack.win = r; echoWin.postMessage({ t: "login", token: TOK[i & 1] }, S); }); },
  port: function (i) {
    return new Promise(function (r) {
      ack.port = r;
      var t = performance.now();
      port.postMessage({ t: "login", token: TOK[i & 1] });
      portCall.push(performance.now() - t); // synchronous cost of the raw post
    });
  },
  penpal: function (i) { return remote.login(TOK[i & 1]); },
};

window.roundTrips = async function (kind, n) {
  var out = [];
  for (var i = 0; i < n; i++) {
    var t0 = performance.now();
    await iter[kind](i);
    out.push(performance.now() - t0);
  }
  return out;
};

window.forward = async function (kind, n) {
  var done;
  var p = new Promise(function (r) { done = r; });
  evt = { n: n, count: 0, sum: 0, first: 0, last: 0, done: done };
  var t0 = performance.now();
  if (kind === "sdk") sdkFrame.postMessage({ bench: "emit", n: n, name: "commentCreated" }, S);
  else if (kind === "port") port.postMessage({ t: "emit", n: n, name: "commentCreated" });
  else for (var i = 0; i < n; i++) ee.emit("commentCreated", { i: i, commentID: "c" + i });
  await p;
  var r = { total: evt.last - t0, firstToLast: evt.last - evt.first, count: evt.count, ok: evt.sum === (n * (n - 1)) / 2 };
  evt = null;
  return r;
};
</script>`;

/** Host-page CPU profile of `fn`: busy (non-idle) ms and the top self-time functions. */
async function profiled(cdp, fn) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  const result = await fn();
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const cf = byId.get(id).callFrame;
    if (cf.functionName === "(idle)") return;
    busy += dt;
    const key = `${cf.functionName || "(anonymous)"} ${cf.url ? cf.url.split("/").pop() : ""}`.trim();
    self.set(key, (self.get(key) || 0) + dt);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, ms]) => ({ name, ms }));
  return { result, busyMs: busy, top };
}

export async function runMicro(browser, srv, tokens, { iterations = 500, block = 50, events = 10000, eventRuns = 7, log = () => {} } = {}) {
  srv.set("/micro.html", html("Article", "", page(srv.stream, tokens)), { isolated: true });
  const context = await browser.newContext();
  const pg = await context.newPage();
  const errors = [];
  pg.on("pageerror", (e) => errors.push(String(e)));
  pg.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await pg.goto(`${srv.publisher}/micro.html`);
  const env = await pg.evaluate(() => window.setup());

  // 3. Login round trip: warm-up, then interleaved blocks in random order.
  const kinds = ["sdk", "port", "win", "penpal"];
  for (const k of kinds) await pg.evaluate(([k, n]) => window.roundTrips(k, n), [k, 100]);
  await pg.evaluate(() => window.takeLoginCall());
  const rt = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let done = 0; done < iterations; done += block) {
    for (const k of shuffle(kinds)) rt[k].push(...(await pg.evaluate(([k, n]) => window.roundTrips(k, n), [k, block])));
  }
  const [loginCall, portCall] = await pg.evaluate(() => window.takeLoginCall());
  log(`  login round trip: ${iterations} iterations × ${kinds.length} done`);

  // 5. Event forwarding: one warm-up run each, then interleaved runs.
  const fkinds = ["sdk", "port", "ee2"];
  for (const k of fkinds) await pg.evaluate(([k, n]) => window.forward(k, n), [k, 1000]);
  const fw = Object.fromEntries(fkinds.map((k) => [k, []]));
  for (let r = 0; r < eventRuns; r++) {
    for (const k of shuffle(fkinds)) fw[k].push(await pg.evaluate(([k, n]) => window.forward(k, n), [k, events]));
  }
  // Where the publisher page's CPU goes (its own process; the stream
  // iframes are out-of-process and not in this profile).
  const cdp = await context.newCDPSession(pg);
  const profiles = { forwarding: {}, roundTrip: {} };
  for (const k of fkinds) profiles.forwarding[k] = await profiled(cdp, () => pg.evaluate(([k, n]) => window.forward(k, n), [k, events]));
  for (const k of kinds) profiles.roundTrip[k] = await profiled(cdp, () => pg.evaluate(([k, n]) => window.roundTrips(k, n), [k, 200]));
  log(`  event forwarding: ${eventRuns} runs × ${events} events × ${fkinds.length} done`);
  await context.close();

  const fstats = {};
  for (const k of fkinds) {
    const tp = fw[k].map((r) => (events / r.total) * 1000);
    const tpHost = fw[k].map((r) => (events / (r.firstToLast || r.total)) * 1000);
    fstats[k] = {
      totalMs: stats(fw[k].map((r) => r.total)),
      eventsPerSec: stats(tp),
      hostEventsPerSec: stats(tpHost),
      allDelivered: fw[k].every((r) => r.count === events && r.ok),
    };
  }
  return {
    env,
    errors,
    roundTrip: {
      iterations,
      samples: rt,
      stats: Object.fromEntries(kinds.map((k) => [k, stats(rt[k])])),
      loginCallMs: stats(loginCall),
      portCallMs: stats(portCall),
    },
    forwarding: { events, runs: eventRuns, raw: fw, stats: fstats },
    profiles,
  };
}
