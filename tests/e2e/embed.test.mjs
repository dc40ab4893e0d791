// End-to-end: the host SDK on the publisher origin (http://localhost:P)
// against the real stream page on the stream origin (http://127.0.0.1:S),
// in headless Chromium. Coral's documented snippets run verbatim.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  startServer,
  startPageServer,
  startThirdOrigin,
  launchBrowser,
  routePage,
  mintToken,
  streamFrame,
  recordConsole,
  waitAuth,
} from "./harness.mjs";

let server, browser, hostile, pages;

before(async () => {
  pages = await startPageServer();
  // Chromium asks for it on some pages (windows-1252 ones): no 404 in the console.
  pages.set("/favicon.ico", "", { "content-type": "image/x-icon" });
  server = await startServer({}, { allowOrigins: [pages.origin] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await hostile?.stop();
  await pages?.stop();
});

/** A publisher page at a fresh path on the publisher origin. */
let pageNo = 0;
async function publisherPage(body, { onPage, headers } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const consoleLog = recordConsole(page);
  if (onPage) await onPage(page);
  const path = `/page-${++pageNo}.html`;
  pages.set(
    path,
    `<!doctype html><html><head><meta charset="utf-8"><title>e2e</title></head><body>
<h1>Article</h1>
${body}
</body></html>`,
    headers
  );
  await page.goto(pages.origin + path);
  return { page, context, requests, consoleLog };
}

const script = () => `<script src="${server.stream}/embed.js"></script>`;
/** The built dist/embed/embed.js, for copies served from the page origin. */
const builtEmbedJs = () => readFileSync(new URL("../../dist/embed/embed.js", import.meta.url));

/** Makes the page's browser refuse synchronous wasm compilation, as
 * browsers that cap it on the main thread (4 KB) do: embed.js then takes its
 * asynchronous path and queues calls until the wasm is instantiated. The
 * instantiation is held back 300 ms, so the page's next scripts reliably run
 * before it (a fast machine could otherwise finish it in between). */
const asyncWasm = (page) =>
  page.addInitScript(() => {
    const { Module, instantiate } = WebAssembly;
    WebAssembly.Module = function () {
      throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB.");
    };
    WebAssembly.Module.prototype = Module.prototype;
    WebAssembly.instantiate = (...args) =>
      new Promise((resolve) => setTimeout(resolve, 300)).then(() => instantiate(...args));
    window.__asyncWasm = true;
  });

/** Counts asynchronous instantiations (none on embed.js's synchronous path). */
const countAsync = (page) =>
  page.addInitScript(() => {
    const { instantiate } = WebAssembly;
    window.__asyncInstantiations = 0;
    WebAssembly.instantiate = (...args) => (window.__asyncInstantiations++, instantiate(...args));
  });

/** A browser without `Uint8Array.fromBase64` (before Chrome 140, Safari
 * 18.2): embed.js decodes its inlined wasm in JavaScript instead, and still
 * takes the synchronous path. */
const noFromBase64 = async (page) => {
  await page.addInitScript(() => delete Uint8Array.fromBase64);
  await countAsync(page);
};

async function authState(frame) {
  return (await frame.locator("#auth-state").textContent()).trim();
}


test("002 snippet: accessToken in options signs the reader in; token never in a URL", async () => {
  const token = await mintToken(server, { user: "bob" });
  // "Embed On Your Site" parameters + the SSO snippet, verbatim.
  const { page, context, requests } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
Coral.createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  rootURL: "${server.stream}",
  storyID: "story-e2e-1",
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
  accessToken: "${token}"
});
</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "bob");
  const iframe = page.locator("#coral_thread iframe");
  assert.equal(await iframe.count(), 1);
  assert.ok((await iframe.getAttribute("title")).length > 0);
  assert.notEqual(await iframe.evaluate((f) => getComputedStyle(f).visibility), "hidden");
  assert.ok((await iframe.evaluate((f) => f.getBoundingClientRect().height)) > 50, "height applied");
  for (const u of requests) assert.ok(!u.includes(token), `token in a request URL: ${u}`);
  await context.close();
});

for (const [how, onPage] of [
  ["synchronously", countAsync],
  ["queued before the SDK is ready (asynchronous path)", asyncWasm],
  ["in a browser without Uint8Array.fromBase64", noFromBase64],
])
  test(`002 snippet: login()/logout() on the embed right after the script tag, ${how}`, async () => {
    const token = await mintToken(server, { user: "bob" });
    const { page, context, requests } = await publisherPage(
      `
<div id="coral_thread"></div>
${script()}
<script>
var embed = Coral.createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  rootURL: "${server.stream}",
  storyID: "story-e2e-2",
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
});

// Login the current embed with the generated SSO token.
embed.login("${token}");

// Logout the user.
embed.logout();
window.__log = [];
embed.on("ready", function () { __log.push("ready"); });
</script>`,
      { onPage }
    );
    const frame = await streamFrame(page, server);
    await page.waitForFunction(() => window.__log.includes("ready"));
    assert.equal(await page.evaluate(() => window.__asyncInstantiations ?? "queued"), onPage === asyncWasm ? "queued" : 0);
    if (onPage === noFromBase64) assert.equal(await page.evaluate(() => typeof Uint8Array.fromBase64), "undefined");
    assert.equal(await authState(frame), "signed-out", "login then logout ends signed out");

    await page.evaluate((t) => embed.login(t), token);
    await waitAuth(frame, "signed-in");
    await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "bob");
    const alice = await mintToken(server, { user: "alice" });
    await page.evaluate((t) => embed.login(t), alice);
    await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "alice");
    await page.evaluate(() => embed.logout());
    await waitAuth(frame, "signed-out");
    assert.equal(page.frames().length, 2, "no extra frames; stream never reloaded");
    for (const u of requests) assert.ok(!u.includes(token) && !u.includes(alice), `token in URL: ${u}`);
    await context.close();
  });

test("002 snippet: Sign in click in the stream runs the publisher's loginPrompt handler", async () => {
  const { page, context } = await publisherPage(
    `
<div id="coral_thread"></div>
${script()}
<script>
var embed = Coral.createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  rootURL: "${server.stream}",
  storyID: "story-e2e-3",
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
  events: function(events) {
    events.on("loginPrompt", function() {
      // Redirect user to a login page.
      location.href = "http://example.com/login";
    });
  }
});
</script>`,
    {
      onPage: (page) =>
        routePage(page, "http://example.com/login", "<title>publisher login</title><p>login here</p>"),
    }
  );
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await frame.locator("#sign-in").click();
  await page.waitForURL("http://example.com/login");
  assert.equal(await page.title(), "publisher login");
  await context.close();
});

test("a third origin's spoofed messages change nothing on either end", async () => {
  const token = await mintToken(server, { user: "bob" });
  const evil = `<script>
    var ns = "$streamEmbed";
    function m(t, extra) { var o = Object.assign({ t: t }, extra || {}); o[ns] = 1; return o; }
    var spoof = [
      m("hello"), m("ready"), m("height", { height: 5 }), m("event", { name: "loginPrompt" }),
      m("event", { name: "evil", data: { x: 1 } }), m("authState", { loggedIn: true }),
      m("login", { token: "${token}" }), m("config", { accessToken: "${token}" }), m("logout"),
      "pym xPYMx coral_thread xPYMx height xPYMx 1", { __proto__: { polluted: 1 } }, null, 42,
    ];
    function blast() {
      for (var i = 0; i < 50; i++) {
        spoof.forEach(function (s) {
          parent.postMessage(s, "*");
          if (parent.frames[0]) parent.frames[0].postMessage(s, "*");
        });
        // A fake handshake with our own channel, to the stream.
        var ch = new MessageChannel();
        if (parent.frames[0]) parent.frames[0].postMessage(m("welcome"), "*", [ch.port2]);
        ch.port1.postMessage(m("login", { token: "${token}" }));
      }
      document.title = "blasted";
    }
    setTimeout(blast, 300);
  </script>`;
  hostile = await startThirdOrigin({ "/evil.html": evil });
  const { page, context, consoleLog } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "story-e2e-4",
  events: function (events) { events.onAny(function (name) { __events.push(name); }); }
});
embed.on("ready", function () {
  var f = document.createElement("iframe");
  f.src = "${hostile.origin}/evil.html";
  document.body.appendChild(f);
});
</script>`);
  const frame = await streamFrame(page, server);
  await page.waitForFunction(() => window.__events.includes("ready"));
  const heightBefore = await page.locator("#coral_thread iframe").evaluate((f) => f.style.height);
  const evilFrame = await (async () => {
    for (;;) {
      const f = page.frames().find((f) => f.url().startsWith(hostile.origin));
      if (f) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await evilFrame.waitForFunction(() => document.title === "blasted");
  await page.waitForTimeout(500);
  assert.equal(await authState(frame), "signed-out", "stream signed in by a third origin");
  const events = await page.evaluate(() => window.__events);
  // The real stream's own events (authState, count.comments) aside, only `ready`.
  assert.deepEqual(
    events.filter((e) => e !== "authState" && e !== "count.comments"),
    ["ready"],
    "events forwarded from a third origin"
  );
  assert.equal(await page.locator("#coral_thread iframe").evaluate((f) => f.style.height), heightBefore);
  assert.equal(await page.evaluate(() => Object.prototype.polluted), undefined);
  const errors = consoleLog.filter((l) => l.type === "error" || l.type === "pageerror");
  assert.deepEqual(errors, [], "exceptions on the publisher page");
  await context.close();
});

test("asynchronous path: a queued call that throws is reported and does not stop the other queued embeds", async () => {
  const { page, context, consoleLog } = await publisherPage(
    `
<div id="qa"></div><div id="qb"></div>
${script()}
<script>
var qa = Coral.createStreamEmbed({ id: "qa", rootURL: "${server.stream}", storyID: "q-a", autoRender: true });
qa.login("not-a-jwt");
qa.on("ready", function () { window.__qaReady = true; });
var qb = Coral.createStreamEmbed({ id: "qb", rootURL: "${server.stream}", storyID: "q-b", autoRender: true });
window.__queued = qa.rendered === false && qb.rendered === false;
</script>`,
    { onPage: asyncWasm }
  );
  await page.evaluate(() => Coral.ready);
  assert.equal(await page.evaluate(() => window.__asyncWasm && window.__queued), true, "calls were queued");
  await page.waitForFunction(() => document.querySelectorAll("#qa iframe, #qb iframe").length === 2);
  await page.waitForFunction(() => window.__qaReady === true);
  const refused = consoleLog.filter((l) => l.type === "error" && l.text.includes("not a JWT"));
  assert.equal(refused.length, 1, "the refused queued login is reported once");
  await context.close();
});

test("embed.js is one download: the wasm is inlined, compiled synchronously, and decodes on a windows-1252 page", async () => {
  // A CDN copy of embed.js served without a charset, on a page in another
  // encoding: the script's UTF-8 BOM still decides how its bytes decode.
  pages.set("/cdn/embed.js", builtEmbedJs(), {
    "content-type": "text/javascript",
  });
  const { page, context, consoleLog, requests } = await publisherPage(
    `
<div id="coral_thread"></div>
<script src="${pages.origin}/cdn/embed.js"></script>
<script>
try {
  Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${server.stream}", accessToken: 42 });
  window.__early = "no throw";
} catch (e) {
  window.__early = e.code + " " + e.option;
}
var embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${server.stream}", storyID: "one-download" });
embed.on("ready", function () { window.__ready = true; });
embed.render();
window.__sync = embed.rendered === true && !!document.querySelector("#coral_thread iframe");
window.__charset = document.characterSet;
</script>`,
    { headers: { "content-type": "text/html; charset=windows-1252" } }
  );
  await page.waitForFunction(() => window.__ready === true, null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.__charset), "windows-1252");
  assert.equal(await page.evaluate(() => window.__sync), true, "the iframe is in the DOM when render() returns");
  assert.equal(await page.evaluate(() => window.__early), "INVALID_OPTION accessToken", "bad options throw at once");
  assert.deepEqual(consoleLog.filter((l) => l.type === "error"), []);
  const sdk = requests.filter((u) => !u.startsWith(server.stream) && !u.endsWith(".html"));
  assert.deepEqual(sdk, [`${pages.origin}/cdn/embed.js`], "the page downloads embed.js and nothing else of the SDK");
  await context.close();
});

test("a browser without WebAssembly, or an embed.js that lost its BOM: one console error, Coral.ready rejects, calls throw", async () => {
  const js = builtEmbedJs();
  assert.deepEqual([...js.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  pages.set("/cdn/no-bom.js", js.subarray(3), { "content-type": "text/javascript" });
  for (const [src, onPage, why] of [
    [`${server.stream}/embed.js`, (page) => page.addInitScript(() => delete window.WebAssembly), /WebAssembly/],
    [`${pages.origin}/cdn/no-bom.js`, undefined, /embed\.js was not read as UTF-8/],
  ]) {
    const { page, context, consoleLog } = await publisherPage(
      `
<div id="coral_thread"></div>
<script src="${src}"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${server.stream}", storyID: "no-wasm", autoRender: true });
window.__ready = Coral.ready.then(function () { return "ready"; }, function (e) { return "rejected: " + e.message; });
</script>`,
      { onPage, headers: { "content-type": "text/html; charset=windows-1252" } }
    );
    assert.match(await page.evaluate(() => window.__ready), /^rejected: /);
    assert.match(await page.evaluate(() => window.__ready), why);
    const errors = consoleLog.filter((l) => l.type === "error" || l.type === "pageerror");
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0].text, /^Coral: the stream SDK failed to load/);
    const thrown = await page.evaluate(() => {
      try {
        embed.login("a.b.c");
        return "no throw";
      } catch (e) {
        return e.message;
      }
    });
    assert.match(thrown, why);
    await context.close();
  }
});

test("bad options: typed errors, sync once ready, console before (asynchronous path); unknown option warns once", async () => {
  const { page, context, consoleLog } = await publisherPage(
    `
<div id="coral_thread"></div>
${script()}
<script>
var early = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${server.stream}", accessToken: 42 });
</script>`,
    { onPage: asyncWasm }
  );
  await page.evaluate(() => Coral.ready);
  const early = await page.evaluate(() => {
    try {
      early.render();
      return "no throw";
    } catch (e) {
      return e.code + " " + e.option;
    }
  });
  assert.equal(early, "INVALID_OPTION accessToken");
  assert.ok(consoleLog.some((l) => l.type === "error" && l.text.includes("accessToken")));

  const codes = await page.evaluate((stream) => {
    const out = [];
    for (const cfg of [
      { id: "coral_thread", rootURL: "not a url" },
      { id: "coral_thread", rootURL: stream, accessToken: 42 },
      { id: "missing", rootURL: stream },
    ]) {
      try {
        Coral.createStreamEmbed(cfg);
        out.push("no throw");
      } catch (e) {
        out.push(`${e instanceof Error} ${e.code} ${e.option ?? "-"}`);
      }
    }
    Coral.createStreamEmbed({ id: "coral_thread", rootURL: stream, storyId: "typo" });
    return out;
  }, server.stream);
  assert.deepEqual(codes, [
    "true INVALID_OPTION rootURL",
    "true INVALID_OPTION accessToken",
    "true CONTAINER_NOT_FOUND -",
  ]);
  const warnings = consoleLog.filter((l) => l.type === "warning" && l.text.includes("storyId"));
  assert.equal(warnings.length, 1);
  await context.close();
});

test("ES-module build exports the same API", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
<script type="module">
import Coral, { createStreamEmbed } from "${server.stream}/embed.mjs";
window.embed = createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-e2e-6", accessToken: "${token}" });
window.sameApi = typeof Coral.createStreamEmbed === "function";
</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  assert.equal(await page.evaluate(() => window.sameApi), true);
  // rootURL defaulted to the origin of the module.
  assert.ok(page.frames()[1].url().startsWith(server.stream + "/embed/stream?storyID=story-e2e-6"));
  await context.close();
});

test("remove() takes the iframe away, keeps the embed for render(), and a second remove() throws NOT_MOUNTED", async () => {
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__log = [];
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, rootURL: "${server.stream}", storyID: "s5" });
embed.on("ready", function () { __log.push("ready"); });
</script>`);
  await page.waitForFunction(() => window.__log.includes("ready"));
  assert.equal(await page.evaluate(() => embed.rendered), true);
  const out = await page.evaluate(() => {
    embed.remove();
    const r = [embed.rendered, document.querySelectorAll("iframe").length];
    for (const f of [() => embed.login("a.b.c"), () => embed.logout(), () => embed.remove()]) {
      try {
        f();
        r.push("no throw");
      } catch (e) {
        r.push(e.code);
      }
    }
    return r;
  });
  // As in Coral, login/logout act on the kept state (a bad token is still
  // refused); only remove() needs a mounted embed.
  assert.deepEqual(out, [false, 0, "TOKEN_MALFORMED", "no throw", "NOT_MOUNTED"]);
  await page.evaluate(() => embed.render());
  await page.waitForFunction(() => window.__log.filter((e) => e === "ready").length === 2);
  assert.deepEqual(await page.evaluate(() => [embed.rendered, document.querySelectorAll("iframe").length]), [true, 1]);
  await context.close();
});

test("the stream iframe reloads: the bridge reconnects and re-sends the current token", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const alice = await mintToken(server, { user: "alice" });
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__ready = 0;
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, rootURL: "${server.stream}",
  storyID: "story-e2e-reload", accessToken: "${bob}" });
embed.on("authState", function (s) { window.__last = s.loggedIn; });
</script>`);
  let frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await page.evaluate((t) => embed.login(t), alice);
  await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "alice");
  await frame.evaluate(() => location.reload());
  await page.waitForTimeout(200);
  frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "alice");
  // Calls after the reconnection reach the new page, once.
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  assert.equal(await page.evaluate(() => window.__last), false);
  await context.close();
});
