// Security end-to-end test b (issue 5), headless Chromium on three origins
// (tests/e2e/security-helpers.mjs): a hostile third-origin frame (two of
// them) sends 10,000 random and spoofed messages each to the publisher
// window and the stream window: nothing changes, nothing throws, nothing
// leaks, memory stays flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken } from "./harness.mjs";
import {
  securityEnv, embedPage, evilPages, newContext, frameIn, waitAuth, authState, username, until,
  heapUsed, pollutionProbe
} from "./security-helpers.mjs";

const env = securityEnv();

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
  const bob = await mintToken(env.server, { user: "bob" });
  const mallory = await mintToken(env.server, {
    claims: {
      user: { id: "mallory", email: "mallory@evil.test", username: "mallory" },
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
  });
  evilPages["/evil.html"] = evilPage(mallory);

  const { context, page, consoleLog, consoleURLs } = await newContext();
  const url = embedPage("sec-hostile", bob);
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
    [env.hostile.origin, N]
  );
  const evilFrames = await until(() => {
    const fs = page.frames().filter((f) => f.url().startsWith(env.hostile.origin));
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
  const alice = await mintToken(env.server, { user: "alice" });
  await page.evaluate((t) => embed.login(t), alice);
  await waitAuth(frame, "signed-in", "alice");
  await context.close();
});

// ------------------------------------------------------------ c. two embeds
