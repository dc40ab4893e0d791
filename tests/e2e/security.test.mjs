// Security end-to-end tests (issue 5), headless Chromium on three origins:
// publisher test pages on http://localhost:Q, the stream on
// http://127.0.0.1:S and a hostile third origin on http://127.0.0.1:H.
//
//  a. leak-proofing: the token never shows up in a URL, a Referer, storage,
//     cookies, console output, server output, or a window-level postMessage
//     that is not pinned to the stream origin;
//  b. a hostile third-origin frame (two of them) sends 10,000 random and
//     spoofed messages each to the publisher window and the stream window:
//     nothing changes, nothing throws, nothing leaks, memory stays flat;
//  c. two embeds on one page keep their tokens, events and heights apart;
//  d. a hostile sibling that navigates the stream iframe to its own origin
//     receives no token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer,
  startPageServer,
  startThirdOrigin,
  launchBrowser,
  mintToken,
  recordConsole,
} from "./harness.mjs";

let server, browser, hostile, pages;
const evilPages = {};

before(async () => {
  pages = await startPageServer();
  hostile = await startThirdOrigin(evilPages);
  server = await startServer({}, { allowOrigins: [pages.origin] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await hostile?.stop();
  await pages?.stop();
});

// ------------------------------------------------------------ instrumentation

/**
 * Runs first in every frame of a context (publisher page, stream iframe,
 * hostile frames). Records uncaught errors and, with `messages`, every
 * postMessage call (window or port, target origin, JSON of the message),
 * every window-level message received and every message received on a
 * MessagePort. Kept on a non-enumerable `window.__sec`.
 */
function instrument({ messages }) {
  const sec = { posts: [], received: [], portReceived: [], errors: [] };
  Object.defineProperty(window, "__sec", { value: sec });
  const ser = (m) => {
    try {
      const s = JSON.stringify(m);
      return s === undefined ? String(m) : s;
    } catch {
      return "<unserializable>";
    }
  };
  // Uncaught exceptions only (resource load failures are plain Events).
  addEventListener("error", (e) => {
    if (e instanceof ErrorEvent) sec.errors.push(String(e.message || e.error));
  });
  addEventListener("unhandledrejection", (e) => sec.errors.push("unhandledrejection: " + String(e.reason)));
  if (!messages) {
    // Only count what arrives (recording 10,000 hostile messages would skew the heap).
    sec.count = 0;
    addEventListener("message", () => sec.count++, true);
    return;
  }
  const winPost = Window.prototype.postMessage;
  const portPost = MessagePort.prototype.postMessage;
  let inSpy = false;
  function record(kind, args) {
    const [msg, opt, transfer] = args;
    const target =
      kind === "port"
        ? null
        : typeof opt === "string"
          ? opt
          : opt && typeof opt === "object" && "targetOrigin" in opt
            ? String(opt.targetOrigin)
            : "/";
    const ports = (Array.isArray(transfer) ? transfer : (opt && opt.transfer) || []).length;
    sec.posts.push({ kind, from: location.origin, target, json: ser(msg), ports });
  }
  // Same-realm calls (ports, same-origin windows) go through the prototypes.
  Window.prototype.postMessage = function (...args) {
    if (!inSpy) record("window", args);
    return winPost.apply(this, args);
  };
  MessagePort.prototype.postMessage = function (...args) {
    if (!inSpy) record("port", args);
    return portPost.apply(this, args);
  };
  // Calls on a cross-origin WindowProxy (`iframe.contentWindow.postMessage`,
  // `parent.postMessage`) never reach this realm's Window.prototype, so the
  // SDK's scripts are served with `x.postMessage(` rewritten to
  // `__pmSpy(x).postMessage(` (see spyRoutes) and the spy records them.
  Object.defineProperty(window, "__pmSpy", {
    value: (target) => ({
      postMessage(...args) {
        record(target instanceof MessagePort ? "port" : "window", args);
        inSpy = true;
        try {
          return target.postMessage(...args);
        } finally {
          inSpy = false;
        }
      },
    }),
  });
  addEventListener(
    "message",
    (e) => sec.received.push({ origin: e.origin, json: ser(e.data), ports: e.ports.length }),
    true
  );
  const addEL = MessagePort.prototype.addEventListener;
  const seen = new WeakSet();
  MessagePort.prototype.addEventListener = function (type, fn, opts) {
    if (type === "message" && !seen.has(this)) {
      seen.add(this);
      addEL.call(this, "message", (e) => sec.portReceived.push({ json: ser(e.data) }));
    }
    return addEL.call(this, type, fn, opts);
  };
}

const SPY_RE = /([A-Za-z_$][\w$]*)\.postMessage\(/g;
const SPIED = ["/embed.js", "/stream/stream_client.js"];

/** Serves the SDK's two scripts with their postMessage calls routed through `__pmSpy`. */
async function spyRoutes(context) {
  const rewrites = {};
  await context.route(
    (url) => url.origin === server.stream && SPIED.includes(url.pathname),
    async (route) => {
      const res = await route.fetch();
      const body = await res.text();
      const path = new URL(route.request().url()).pathname;
      rewrites[path] = (body.match(SPY_RE) || []).length;
      await route.fulfill({ response: res, body: body.replace(SPY_RE, "__pmSpy($1).postMessage(") });
    }
  );
  return rewrites;
}

async function newContext({ messages = false, ...options } = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript(instrument, { messages });
  const rewrites = messages ? await spyRoutes(context) : {};
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const consoleURLs = [];
  page.on("console", (m) => consoleURLs.push({ type: m.type(), text: m.text(), url: m.location().url }));
  return { context, page, consoleLog, consoleURLs, rewrites };
}

let pageNo = 0;
/** Puts `body` on a fresh path of the publisher test origin; returns its URL. */
function publisherURL(body) {
  const path = `/security-${++pageNo}.html`;
  pages.set(
    path,
    `<!doctype html><html><head><meta charset="utf-8"><title>security e2e</title></head><body>
<h1>Article</h1>
${body}
</body></html>`
  );
  return pages.origin + path;
}

const sdk = () => `<script src="${server.stream}/embed.js"></script>`;

/** The stream Frame inside `#containerId`'s iframe, once loaded. */
async function frameIn(page, containerId) {
  const handle = await page.waitForSelector(`#${containerId} iframe`, { state: "attached", timeout: 10000 });
  const deadline = Date.now() + 10000;
  for (;;) {
    const f = await handle.contentFrame();
    if (f && f.url().startsWith(server.stream + "/embed/stream")) {
      await f.waitForLoadState("load");
      return f;
    }
    if (Date.now() > deadline) throw new Error(`no stream frame in #${containerId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitAuth(frame, state, username) {
  await frame.waitForFunction(
    ([s, u]) =>
      document.getElementById("auth-state").textContent.trim() === s &&
      (u === null || document.getElementById("username").textContent.trim() === u),
    [state, username ?? null],
    { timeout: 10000 }
  );
}

const authState = async (frame) => (await frame.locator("#auth-state").textContent()).trim();
const username = async (frame) => (await frame.locator("#username").textContent()).trim();

/** Polls `fn` until it returns a truthy value. */
async function until(fn, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Used JS heap (bytes) after a forced GC, through CDP, of `target` (page or OOPIF frame). */
async function heapUsed(context, page, target) {
  let cdp;
  try {
    cdp = await context.newCDPSession(target);
  } catch {
    cdp = await context.newCDPSession(page); // same process as the page
  }
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return metrics.find((m) => m.name === "JSHeapUsedSize").value;
}

/** Own enumerable and inherited junk on the built-in prototypes of a frame. */
const pollutionProbe = () => {
  const out = [];
  for (const [n, p] of [
    ["Object", Object.prototype],
    ["Array", Array.prototype],
    ["Function", Function.prototype],
  ]) {
    for (const k of Object.keys(p)) out.push(`${n}.prototype.${k}`);
  }
  if ({}.polluted !== undefined || {}.isAdmin !== undefined) out.push("{}.polluted/isAdmin");
  return out;
};

// ----------------------------------------------------------------- a. leaks

test("a. leak test: no token in URLs, Referer, storage, cookies, console, or an unpinned postMessage", async () => {
  const [t1, t2, t3, tBad, t4] = [
    await mintToken(server, { user: "bob" }),
    await mintToken(server, { user: "alice" }),
    await mintToken(server, { user: "carol" }),
    await mintToken(server, { user: "bob", badSignature: true }),
    await mintToken(server, { user: "alice", expiresIn: 1800 }),
  ];
  const tokens = { t1, t2, t3, tBad, t4 };
  assert.equal(new Set(Object.values(tokens)).size, 5, "distinct tokens");
  // Also catch a token cut to its signature-less prefix or its signature.
  const needles = Object.entries(tokens).flatMap(([n, t]) => {
    const [h, p, s] = t.split(".");
    return [
      [n, t],
      [n + ".payload", p],
      [n + ".signature", s],
      [n + ".uri", encodeURIComponent(t)],
    ];
  });
  const leak = (s) => needles.find(([, v]) => String(s).includes(v))?.[0];

  const { context, page, consoleLog, rewrites } = await newContext({ messages: true });
  const requests = [];
  const pending = [];
  context.on("request", (r) =>
    pending.push(
      r.allHeaders().then(
        (headers) => requests.push({ url: r.url(), headers }),
        () => requests.push({ url: r.url(), headers: r.headers() })
      )
    )
  );
  const frameURLs = [];
  page.on("framenavigated", (f) => frameURLs.push(f.url()));

  const url = publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
window.__refresh = 0;
window.__nextToken = null;
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "sec-leak",
  accessToken: "${t1}",
  refreshAccessToken: function (next) { __refresh++; next(window.__nextToken); },
  events: function (ev) { ev.onAny(function (name, data) { __events.push([name, data]); }); }
});
</script>`);
  await page.goto(url);
  let frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");

  await page.evaluate((t) => embed.login(t), t2);
  await waitAuth(frame, "signed-in", "alice");
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  await page.evaluate((t) => embed.login(t), t3);
  await waitAuth(frame, "signed-in", "carol");
  // A token the server refuses: the stream asks refreshAccessToken for another.
  await page.evaluate((t) => (window.__nextToken = t), t4);
  await page.evaluate((t) => embed.login(t), tBad);
  await waitAuth(frame, "signed-in", "alice");
  assert.equal(await page.evaluate(() => __refresh), 1, "refreshAccessToken called once");
  assert.ok(
    (await page.evaluate(() => __events)).some(
      ([n, d]) => n === "authError" && d && d.code === "TOKEN_SIGNATURE_INVALID"
    ),
    "authError {code} forwarded"
  );
  // The console recorder sees the stream frame too.
  await frame.evaluate(() => console.log("probe from the stream frame"));
  await until(() => consoleLog.some((l) => l.text === "probe from the stream frame"), "stream console probe");

  /** Storage, cookies and the instrumentation log of the publisher page and the stream frame. */
  const harvest = async () => {
    // A third-party frame may be denied storage outright (then it holds nothing).
    const grab = () => {
      const read = (f) => {
        try {
          return f();
        } catch (e) {
          return `<denied: ${e.name}>`;
        }
      };
      return {
        local: read(() => JSON.stringify(Object.entries(localStorage))),
        session: read(() => JSON.stringify(Object.entries(sessionStorage))),
        cookie: read(() => document.cookie),
        referrer: document.referrer,
        url: location.href,
        sec: window.__sec,
      };
    };
    return { publisher: await page.evaluate(grab), stream: await frame.evaluate(grab) };
  };
  const snapshots = [await harvest()];

  // The stream reloads on its own: the host re-handshakes and re-sends the current token.
  const hellos = () =>
    page.evaluate(() => window.__sec.received.filter((r) => r.json === '{"$streamEmbed":1,"t":"hello"}').length);
  const hellosBefore = await hellos();
  await frame.evaluate(() => location.reload());
  await until(async () => (await hellos()) > hellosBefore, "a second hello");
  await waitAuth(frame, "signed-in", "alice");
  assert.equal(page.frames().length, 2, "one stream frame");
  const resent = await frame.evaluate(() => window.__sec.portReceived.map((r) => JSON.parse(r.json)));
  assert.ok(
    resent.some((m) => m.t === "config" && m.accessToken === t4),
    "the current token is re-sent on reconnect"
  );
  snapshots.push(await harvest());

  // Reload: the publisher supplies t1 again; then sign out.
  await page.reload();
  frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  snapshots.push(await harvest());
  await Promise.all(pending);
  const state = await context.storageState({ indexedDB: true });
  const cookies = await context.cookies();

  // The instrumentation saw the SDK's traffic at all.
  assert.ok(rewrites["/embed.js"] >= 1 && rewrites["/stream/stream_client.js"] >= 1, JSON.stringify(rewrites));
  const posts = snapshots.flatMap((s) => [...s.publisher.sec.posts, ...s.stream.sec.posts]);
  assert.ok(
    posts.some((p) => p.kind === "window" && p.from === pages.origin && p.target === server.stream && p.ports === 1),
    "welcome + port to the pinned stream origin recorded"
  );
  assert.ok(posts.some((p) => p.kind === "port" && p.json.includes(t1)), "config with t1 over the port recorded");
  assert.ok(posts.some((p) => p.kind === "port" && p.json.includes(t2)), "login t2 over the port recorded");

  // postMessage: anything with a token on a window goes to the stream origin only.
  const windowPosts = posts.filter((p) => p.kind === "window");
  for (const p of windowPosts) {
    if (leak(p.json)) {
      assert.equal(p.target, server.stream, `token posted to ${p.target}: ${p.json.slice(0, 80)}`);
    }
    if (p.target === "*") {
      assert.equal(leak(p.json), undefined, "token posted with target *");
      assert.equal(p.from, server.stream, "only the stream posts to *");
      assert.deepEqual(JSON.parse(p.json), { $streamEmbed: 1, t: "hello" }, "only hello goes to *");
    }
  }
  assert.equal(windowPosts.filter((p) => leak(p.json)).length, 0, "tokens travel only over the port");
  // Nothing with a token arrived at window level in either frame.
  for (const s of snapshots) {
    for (const [who, snap] of Object.entries(s)) {
      for (const r of snap.sec.received) assert.equal(leak(r.json), undefined, `${who} got a token at window level`);
    }
  }

  // URLs (requests and frame navigations, fragments included) and Referer.
  assert.ok(requests.length > 5, "requests recorded");
  for (const u of [...requests.map((r) => r.url), ...frameURLs]) {
    assert.equal(leak(u), undefined, `token in URL ${u.slice(0, 120)}`);
  }
  for (const { url: u, headers } of requests) {
    for (const [name, value] of Object.entries(headers)) {
      if (name === "authorization" && new URL(u).origin === server.stream && new URL(u).pathname.startsWith("/api/")) {
        continue; // the one place a token belongs: Bearer to the stream's API
      }
      assert.equal(leak(value), undefined, `token in header ${name} of ${u}`);
    }
    if (headers.referer) assert.equal(leak(headers.referer), undefined, "token in Referer");
  }
  const bearer = requests.filter((r) => (r.headers.authorization || "").startsWith("Bearer "));
  assert.ok(bearer.length > 0, "the API saw bearer tokens");
  for (const r of bearer) assert.equal(new URL(r.url).origin, server.stream, "bearer sent off the stream origin");

  // Storage and cookies of both origins, and the frames' own view of them.
  for (const s of snapshots) {
    for (const [who, snap] of Object.entries(s)) {
      for (const k of ["local", "session", "cookie", "referrer", "url"]) {
        assert.equal(leak(snap[k]), undefined, `token in ${who} ${k}`);
      }
    }
  }
  assert.equal(leak(JSON.stringify(state)), undefined, "token in storageState (localStorage/IndexedDB/cookies)");
  assert.equal(leak(JSON.stringify(cookies)), undefined, "token in a cookie");

  // Console output of every frame, and the server's own output.
  assert.ok(consoleLog.length > 0);
  for (const l of consoleLog) assert.equal(leak(l.text), undefined, `token in console: ${l.text.slice(0, 80)}`);
  assert.equal(leak(server.output()), undefined, "token in server output");
  // Errors the SDK raises never contain the token they refuse.
  const expired = await mintToken(server, { user: "bob", expired: true });
  const refused = [t1.split(".").slice(0, 2).join("."), expired];
  for (const bad of refused) {
    const errText = await page.evaluate((t) => {
      try {
        embed.login(t);
        return "no throw";
      } catch (e) {
        return `${e.code} ${e.message} ${e.stack}`;
      }
    }, bad);
    assert.notEqual(errText, "no throw", "a malformed or expired token is refused by login()");
    for (const part of bad.split(".")) assert.ok(!errText.includes(part), `token echoed in an error: ${errText}`);
  }
  assert.equal(await authState(frame), "signed-out", "a refused login() leaves the session as it was");
  await context.close();
});

// ----------------------------------------------------------- b. hostile frame

/** The hostile page: posts `n` random and spoofed messages to `parent` (mode=host) or to every sibling frame (mode=stream). */
function evilPage(malloryToken) {
  return `<!doctype html><meta charset="utf-8"><title>evil</title><script>
(function () {
  var q = new URLSearchParams(location.search);
  var mode = q.get("mode"), N = +q.get("n");
  var seed = +q.get("seed");
  function rnd() { // mulberry32
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function pick(a) { return a[Math.floor(rnd() * a.length)]; }
  var NS = "$streamEmbed";
  var MALLORY = ${JSON.stringify(malloryToken)};
  var FAKE = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjp7ImlkIjoiZXZpbCIsImVtYWlsIjoiZUB4LnRlc3QiLCJ1c2VybmFtZSI6ImV2aWwifX0.c2ln";
  var NONE = "eyJhbGciOiJub25lIn0.eyJ1c2VyIjp7ImlkIjoiZXZpbCIsImVtYWlsIjoiZUB4LnRlc3QiLCJ1c2VybmFtZSI6ImV2aWwifX0.";
  var BIG = "x".repeat(1 << 20);
  var TYPES = ["hello", "welcome", "config", "login", "logout", "refreshAccessToken", "ready", "event",
    "height", "getRefreshAccessToken", "authState", "permalink", "commentID", "HELLO", "", "__proto__"];
  var KEYS = [NS, "t", "token", "accessToken", "name", "data", "height", "loggedIn", "storyID", "canRefresh",
    "commentID", "__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];
  function str() {
    return pick([MALLORY, FAKE, NONE, "", "a.b.c", "loginPrompt", "\\u0000\\ud800", "x".repeat(Math.floor(rnd() * 20000)),
      "pym xPYMx coral_thread xPYMx height xPYMx 99999", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]);
  }
  function junk(d) {
    d = d || 0;
    switch (Math.floor(rnd() * (d > 3 ? 5 : 14))) {
      case 0: return null;
      case 1: return undefined;
      case 2: return rnd() < 0.5;
      case 3: return pick([NaN, Infinity, -Infinity, -0, 0, 1, -1, 1e308, 5e-324, 2 ** 53, rnd() * 1e7]);
      case 4: return str();
      case 5: return [junk(d + 1), junk(d + 1), junk(d + 1)];
      case 6: case 7: {
        var o = {};
        for (var i = 0; i < 4; i++) o[pick(KEYS)] = junk(d + 1);
        return o;
      }
      case 8: return new Date(rnd() * 1e13);
      case 9: return new Uint8Array(16);
      case 10: return new Map([[NS, 1], ["t", "login"]]);
      case 11: return BigInt(Math.floor(rnd() * 1e9));
      case 12: return /login/g;
      default: return new Blob(["x"]);
    }
  }
  function spoof() {
    var t = pick(TYPES);
    var m = { t: t };
    m[NS] = pick([1, 1, 1, 1, 1, "1", 2, true, null, 1.0000001]);
    switch (t) {
      case "config": m.accessToken = pick([MALLORY, FAKE, NONE, 42]); m.storyID = str(); m.canRefresh = true;
        m.customCSSURL = "https://evil.test/evil.css"; break;
      case "login": case "refreshAccessToken": m.token = pick([MALLORY, MALLORY, FAKE, NONE, "", 1, null, junk()]); break;
      case "event": m.name = pick(["loginPrompt", "ready", "authState", "tokenExpired", "authError", "signOut.success",
        "showAuthPopup", "__proto__", "constructor", "x".repeat(129), "", 7]);
        m.data = pick([{ code: "TOKEN_EXPIRED" }, { loggedIn: true }, junk()]); break;
      case "height": m.height = pick([0, 1, 5, 999999, 1e6, 1e6 + 1, -1, NaN, Infinity, "100", null, 1e-300]); break;
      case "authState": m.loggedIn = pick([true, false, "true", 1, null]); break;
      case "permalink": case "commentID": m.commentID = pick(["c1", "", null, 5, "x".repeat(500)]); break;
    }
    if (rnd() < 0.3) m[pick(KEYS)] = junk();
    return m;
  }
  function polluting() {
    return JSON.parse('{"$streamEmbed":1,"t":"' + pick(TYPES) + '","name":"x","token":' + JSON.stringify(MALLORY) +
      ',"__proto__":{"polluted":1,"isAdmin":true},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}');
  }
  function deep() {
    var o = { t: "event" }; o[NS] = 1; o.name = "deep";
    for (var i = 0; i < 400; i++) o = { data: o, __proto__: null };
    return o;
  }
  function huge(i) {
    var m = [
      { t: "login", token: BIG }, { t: "event", name: BIG, data: { big: BIG } },
      { t: "height", height: 10, pad: BIG }, { t: "config", accessToken: BIG, storyID: BIG },
    ][i % 4];
    m[NS] = 1;
    return rnd() < 0.2 ? BIG : m;
  }
  function targets() {
    if (mode === "host") return [parent];
    var out = [];
    // Every cross-origin sibling (the stream); our same-origin twin is skipped.
    for (var i = 0; i < parent.frames.length; i++) {
      var w = parent.frames[i];
      try { void w.location.href; } catch (e) { out.push(w); }
    }
    return out;
  }
  var sent = 0, refused = 0, i = 0, ports = [];
  function post(win, m, transfer) {
    try { win.postMessage(m, "*", transfer || []); sent++; } catch (e) { refused++; }
  }
  function one(win) {
    if (i % 2500 === 1) return post(win, huge(i / 2500 | 0));
    var r = rnd();
    if (r < 0.40) return post(win, spoof());
    if (r < 0.55) return post(win, junk());
    if (r < 0.65) return post(win, polluting());
    if (r < 0.67) return post(win, deep());
    if (r < 0.72) return post(win, pick(["pym xPYMx coral_thread xPYMx height xPYMx 1",
      "pym xPYMx coral_thread xPYMx login xPYMx " + MALLORY, MALLORY, 42, null]));
    if (r < 0.85) {
      // A fake handshake: our own channel, then spoofed host messages on it.
      var ch = new MessageChannel();
      var w = { t: "welcome" }; w[NS] = 1;
      post(win, w, [ch.port2]);
      var login = { t: pick(["login", "config", "refreshAccessToken"]), token: MALLORY, accessToken: MALLORY };
      login[NS] = 1;
      ch.port1.postMessage(login);
      ch.port1.postMessage(spoof());
      ch.port1.onmessage = function (e) { window.__gotOnPort = (window.__gotOnPort || 0) + 1; };
      if (ports.length < 50) ports.push(ch.port1); else ch.port1.close();
      return;
    }
    // Not cloneable: the browser refuses these in our own realm.
    post(win, pick([function () {}, Symbol("s"), { get x() { throw new Error("getter"); } }, document, window]));
  }
  window.addEventListener("message", function (e) { window.__gotOnWindow = (window.__gotOnWindow || 0) + 1; });
  function burst() {
    var wins = targets();
    for (var k = 0; k < 500 && i < N; k++, i++) one(wins[i % wins.length]);
    if (i < N) setTimeout(burst, 0);
    else document.title = "done " + sent + " " + refused;
  }
  setTimeout(burst, 0);
})();
</script>`;
}

test("b. hostile third-origin frames: 2 x 10,000 random and spoofed messages change nothing", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const mallory = await mintToken(server, {
    claims: {
      user: { id: "mallory", email: "mallory@evil.test", username: "mallory" },
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
  });
  evilPages["/evil.html"] = evilPage(mallory);

  const { context, page, consoleLog, consoleURLs } = await newContext();
  const url = publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "sec-hostile",
  accessToken: "${bob}",
  events: function (ev) { ev.onAny(function (name, data) { __events.push(name); }); }
});
</script>`);
  await page.goto(url);
  const frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  await page.waitForFunction(() => __events.includes("ready") && __events.includes("authState"));
  await page.waitForTimeout(300); // let the height settle
  const iframe = page.locator("#coral_thread iframe");
  const heightBefore = await iframe.evaluate((f) => f.style.height);
  const eventsBefore = await page.evaluate(() => __events.slice());
  const heapBefore = {
    publisher: await heapUsed(context, page, page),
    stream: await heapUsed(context, page, frame),
  };

  const N = 10000;
  await page.evaluate(
    ([origin, n]) => {
      for (const [mode, seed] of [
        ["host", 1],
        ["stream", 2],
      ]) {
        const f = document.createElement("iframe");
        f.className = "evil";
        f.src = `${origin}/evil.html?mode=${mode}&n=${n}&seed=${seed}`;
        document.body.appendChild(f);
      }
    },
    [hostile.origin, N]
  );
  const evilFrames = await until(() => {
    const fs = page.frames().filter((f) => f.url().startsWith(hostile.origin));
    return fs.length === 2 && fs;
  }, "hostile frames");
  const done = [];
  for (const f of evilFrames) {
    await f.waitForFunction(() => document.title.startsWith("done"), null, { timeout: 60000 });
    done.push(await f.title());
  }
  for (const d of done) {
    const [, sent, refused] = d.split(" ").map(Number);
    assert.equal(sent + refused, N, d);
    assert.ok(sent > N * 0.75, `messages actually sent: ${d}`);
  }
  // Let the receivers drain their queues, then check that the messages arrived.
  const sentBy = Object.fromEntries(
    evilFrames.map((f, k) => [new URL(f.url()).searchParams.get("mode"), Number(done[k].split(" ")[1])])
  );
  await until(async () => (await page.evaluate(() => window.__sec.count)) >= sentBy.host, "publisher to receive");
  await until(async () => (await frame.evaluate(() => window.__sec.count)) >= sentBy.stream, "stream to receive");
  await page.waitForTimeout(300);

  // Nothing came back to the hostile frames, on a window or on a port.
  for (const f of evilFrames) {
    assert.deepEqual(
      await f.evaluate(() => [window.__gotOnWindow || 0, window.__gotOnPort || 0]),
      [0, 0],
      "the hostile frame received replies"
    );
  }
  // No state change: same user, same height, no event beyond the legitimate ones.
  assert.equal(await authState(frame), "signed-in");
  assert.equal(await username(frame), "bob");
  assert.equal(await frame.getAttribute("#username", "data-verified"), "true");
  assert.equal(await iframe.evaluate((f) => f.style.height), heightBefore, "iframe height changed");
  assert.notEqual(await iframe.evaluate((f) => getComputedStyle(f).visibility), "hidden");
  assert.deepEqual(await page.evaluate(() => __events.slice()), eventsBefore, "events forwarded from a third origin");
  // No prototype pollution on either end.
  assert.deepEqual(await page.evaluate(pollutionProbe), [], "publisher prototypes polluted");
  assert.deepEqual(await frame.evaluate(pollutionProbe), [], "stream prototypes polluted");
  // Zero exceptions in any frame (the hostile ones catch their own DataCloneErrors).
  for (const f of [page.mainFrame(), frame, ...evilFrames]) {
    assert.deepEqual(await f.evaluate(() => window.__sec.errors), [], `uncaught errors in ${f.url()}`);
  }
  assert.deepEqual(consoleLog.filter((l) => l.type === "pageerror"), [], "page errors");
  const errors = consoleURLs.filter((l) => l.type === "error" && !l.url.endsWith("/favicon.ico"));
  assert.deepEqual(errors, [], "errors on the console");

  // Memory roughly flat once the hostile frames are gone.
  await page.evaluate(() => document.querySelectorAll("iframe.evil").forEach((f) => f.remove()));
  await page.waitForTimeout(200);
  const heapAfter = {
    publisher: await heapUsed(context, page, page),
    stream: await heapUsed(context, page, frame),
  };
  const MB = 1024 * 1024;
  const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${(v / MB).toFixed(1)} MB`).join(", ");
  console.log(`heap before: ${fmt(heapBefore)}; after: ${fmt(heapAfter)}`);
  for (const k of ["publisher", "stream"]) {
    assert.ok(
      heapAfter[k] - heapBefore[k] < 20 * MB,
      `${k} heap grew from ${(heapBefore[k] / MB).toFixed(1)} to ${(heapAfter[k] / MB).toFixed(1)} MB`
    );
  }

  // Still responsive: a legitimate login works at once.
  const alice = await mintToken(server, { user: "alice" });
  await page.evaluate((t) => embed.login(t), alice);
  await waitAuth(frame, "signed-in", "alice");
  await context.close();
});

// ------------------------------------------------------------ c. two embeds

test("c. two embeds on one page: own user, own events, own height, independent logout", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const alice = await mintToken(server, { user: "alice" });
  // Tall enough that the lazy autoRender starts both streams at once.
  const { context, page, consoleLog } = await newContext({ messages: true, viewport: { width: 1000, height: 2400 } });
  const url = publisherURL(`
<div id="c1"></div>
<p>between the two streams</p>
<div id="c2"></div>
${sdk()}
<script>
window.__ev = { 1: [], 2: [] };
function make(n, story, token) {
  return Coral.createStreamEmbed({
    id: "c" + n, autoRender: true, rootURL: "${server.stream}", storyID: story, accessToken: token,
    events: function (ev) { ev.onAny(function (name, data) { __ev[n].push(name); }); }
  });
}
var e1 = make(1, "sec-two-1", "${bob}");
var e2 = make(2, "sec-two-2", "${alice}");
window.__direct = { 1: 0, 2: 0 };
e1.on("loginPrompt", function () { __direct[1]++; });
e2.on("loginPrompt", function () { __direct[2]++; });
</script>`);
  await page.goto(url);
  const f1 = await frameIn(page, "c1");
  const f2 = await frameIn(page, "c2");
  assert.ok(f1.url().includes("storyID=sec-two-1") && f2.url().includes("storyID=sec-two-2"));
  await waitAuth(f1, "signed-in", "bob");
  await waitAuth(f2, "signed-in", "alice");
  await page.waitForFunction(() => __ev[1].includes("ready") && __ev[2].includes("ready"));
  await page.waitForTimeout(300);

  // Each stream only ever received its own token.
  const got1 = (await f1.evaluate(() => window.__sec.portReceived)).map((r) => r.json).join("\n");
  const got2 = (await f2.evaluate(() => window.__sec.portReceived)).map((r) => r.json).join("\n");
  assert.ok(got1.includes(bob) && !got1.includes(alice), "stream 1 saw alice's token");
  assert.ok(got2.includes(alice) && !got2.includes(bob), "stream 2 saw bob's token");

  const if1 = page.locator("#c1 iframe");
  const if2 = page.locator("#c2 iframe");
  const h = async (l) => parseFloat(await l.evaluate((f) => f.style.height));
  const [h1, h2] = [await h(if1), await h(if2)];

  // Height: stream 2 grows, only iframe 2 follows.
  await f2.evaluate(() => {
    const d = document.createElement("div");
    d.style.height = "777px";
    document.body.appendChild(d);
  });
  await until(async () => (await h(if2)) >= h2 + 700, "iframe 2 to grow");
  await page.waitForTimeout(200);
  assert.equal(await h(if1), h1, "iframe 1 height changed by stream 2");

  // Logout on embed 1 leaves embed 2 signed in.
  const ev2Before = await page.evaluate(() => __ev[2].slice());
  await page.evaluate(() => e1.logout());
  await waitAuth(f1, "signed-out");
  await page.waitForTimeout(300);
  assert.equal(await authState(f2), "signed-in");
  assert.equal(await username(f2), "alice");

  // Events from stream 1 reach only embed 1's listeners.
  await f1.locator("#sign-in").click();
  await page.waitForFunction(() => __direct[1] === 1);
  await page.waitForTimeout(300);
  const ev = await page.evaluate(() => __ev);
  assert.ok(ev[1].includes("loginPrompt"));
  assert.deepEqual(ev[2], ev2Before, "embed 2 saw embed 1's events");
  assert.deepEqual(await page.evaluate(() => __direct), { 1: 1, 2: 0 });

  // And the other way round.
  await page.evaluate(() => e2.logout());
  await waitAuth(f2, "signed-out");
  await f2.locator("#sign-in").click();
  await page.waitForFunction(() => __direct[2] === 1);
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => __direct), { 1: 1, 2: 1 });
  assert.equal(
    (await page.evaluate(() => __ev[1])).filter((n) => n === "loginPrompt").length,
    1,
    "embed 1 saw embed 2's loginPrompt"
  );
  assert.deepEqual(
    consoleLog.filter((l) => l.type === "pageerror"),
    [],
    "page errors"
  );
  await context.close();
});

// --------------------------------------------- d. navigating the stream iframe

test("d. a stream iframe navigated to another origin (by a sibling, or a redirect) gets no token", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const alice = await mintToken(server, { user: "alice" });
  // Loaded into the stream's iframe: says hello like a stream and keeps whatever it receives.
  evilPages["/impostor.html"] = `<!doctype html><title>impostor</title><script>
    window.got = [];
    addEventListener("message", function (e) {
      var p = e.ports && e.ports[0];
      got.push({ origin: e.origin, data: JSON.stringify(e.data), ports: e.ports.length });
      if (p) p.onmessage = function (m) { got.push({ port: true, data: JSON.stringify(m.data) }); };
    });
    var hello = { t: "hello" }; hello["$streamEmbed"] = 1;
    setInterval(function () { parent.postMessage(hello, "*"); }, 50);
  </script>`;
  evilPages["/navigator.html"] = `<!doctype html><title>navigator</title><script>
    setTimeout(function () {
      try { parent.frames[0].location = "${hostile.origin}/impostor.html"; document.title = "navigated"; }
      catch (e) { document.title = "refused " + e.name; }
    }, 100);
  </script>`;
  const { context, page } = await newContext();
  const url = publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "sec-nav",
  accessToken: "${bob}",
  events: function (ev) { ev.onAny(function (name) { __events.push(name); }); }
});
</script>`);
  await page.goto(url);
  const frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate((o) => {
    const f = document.createElement("iframe");
    f.src = o + "/navigator.html";
    document.body.appendChild(f);
  }, hostile.origin);
  const nav = await until(() => page.frames().find((f) => f.url().startsWith(hostile.origin + "/navigator")), "navigator");
  await nav.waitForFunction(() => document.title !== "navigator", null, { timeout: 10000 });
  const outcome = await nav.title();
  // Chromium refuses a cross-origin sibling's navigation; if it ever allows
  // it, the impostor below must still get nothing.
  if (outcome !== "navigated") {
    assert.match(outcome, /^refused/);
    // The same situation through the stream itself (an open redirect, say).
    await frame.evaluate((u) => (location.href = u), hostile.origin + "/impostor.html");
  }
  const impostor = await until(
    () => page.frames().find((f) => f.url().startsWith(hostile.origin + "/impostor")),
    "impostor in the stream iframe"
  );
  await impostor.waitForLoadState("load");
  await impostor.waitForFunction(() => true);
  // The publisher keeps using the embed while the impostor says hello.
  await page.evaluate((t) => embed.login(t), alice);
  await page.evaluate(() => embed.logout());
  await page.evaluate((t) => embed.login(t), alice);
  await page.waitForTimeout(800);
  const got = await impostor.evaluate(() => window.got);
  const text = JSON.stringify(got);
  assert.ok(!text.includes(bob) && !text.includes(alice), "the impostor received a token: " + text.slice(0, 200));
  assert.deepEqual(got, [], "the impostor was sent something");
  await context.close();
});

// ------------------------------------------------ e. login callback fragment

test("e. a login callback token in the fragment (jwt=) signs in and the token leaves the URL without a request carrying it", async () => {
  const { context, page, consoleLog } = await newContext();
  const requests = [];
  const pending = [];
  context.on("request", (r) =>
    // allHeaders() rejects for a request still open when the context closes:
    // fall back to the headers Playwright already has (no unhandled rejection).
    pending.push(
      r.allHeaders().then(
        (h) => requests.push({ url: r.url(), referer: h.referer || "" }),
        () => requests.push({ url: r.url(), referer: r.headers().referer || "" })
      )
    )
  );
  const url = publisherURL(`
<div id="coral_thread"></div>
<img src="/same-origin-image.png" alt="">
${sdk()}
<script>
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "sec-callback",
  handleLoginCallback: true
});
</script>`);
  // The reader starts a login here (the nonce the issuer signs into the token).
  await page.goto(url);
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  const bob = await mintToken(server, { user: "bob", nonce });
  await page.goto(`${url}?x=1#jwt=${bob}`);
  const frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  // A later same-origin request (what a click or an image would send) carries a clean Referer.
  await page.evaluate(() => fetch("/after-callback", { cache: "no-store" }).catch(() => {}));
  await until(() => requests.some((r) => r.url.endsWith("/after-callback")), "after-callback request");
  await Promise.all(pending);
  assert.equal(await page.evaluate(() => location.href), url + "?x=1", "token left in the address bar");
  assert.deepEqual(await page.evaluate(() => window.__sec.errors), [], "uncaught errors");
  // No history entry keeps the token: one step back is where the tab was before.
  await page.goBack();
  assert.ok(!page.url().includes(bob), `token in the previous history entry: ${page.url()}`);
  for (const r of requests) {
    assert.ok(!r.url.includes(bob), `token in a request URL: ${r.url}`);
    assert.ok(!r.referer.includes(bob), `token in the Referer of ${r.url}`);
  }
  for (const l of consoleLog) assert.ok(!l.text.includes(bob), "token on the console");
  await context.close();
});

// ------------------------------------------ f. the publisher page framed by a hostile page

test("f. a hostile page framing an allowed publisher page: the stream refuses to render and no token is sent", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const url = publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "sec-framed",
  accessToken: "${bob}",
  events: function (ev) { ev.onAny(function (name) { __events.push(name); }); }
});
</script>`);
  // frame-ancestors is checked against every ancestor, so the hostile top
  // page makes the stream refuse even though the publisher is allowed.
  evilPages["/framer.html"] = `<!doctype html><title>framer</title><iframe src="${url}" width="800" height="900"></iframe>`;
  const { context, page, consoleLog } = await newContext({ messages: true });
  const requests = [];
  context.on("request", (r) => requests.push(r));
  await page.goto(hostile.origin + "/framer.html");
  const pub = await until(() => page.frames().find((f) => f.url().startsWith(pages.origin)), "publisher frame");
  await pub.waitForLoadState("load");
  await until(() => page.frames().some((f) => f.parentFrame() === pub), "stream iframe");
  await until(() => consoleLog.some((l) => /frame-ancestors/.test(l.text)), "the browser's frame-ancestors refusal");
  await page.waitForTimeout(1500);
  const { events, posts } = await pub.evaluate(() => ({ events: __events, posts: window.__sec.posts }));
  assert.ok(!events.includes("ready"), "the stream rendered inside a hostile top page");
  assert.equal(posts.filter((p) => p.ports > 0).length, 0, "a welcome was sent");
  assert.equal(posts.filter((p) => p.json.includes(bob)).length, 0, "the token was posted");
  for (const r of requests) {
    assert.ok(!(r.headers().authorization || "").includes(bob), `token sent to ${r.url()}`);
  }
  await context.close();
});
