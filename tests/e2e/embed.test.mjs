// End-to-end: the host SDK on the publisher origin (http://localhost:P)
// against the real stream page on the stream origin (http://127.0.0.1:S),
// in headless Chromium. Coral's documented snippets run verbatim. Loading
// (inlined wasm, asynchronous path, failures, bad options, the ES module):
// embed-loading.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startThirdOrigin, routePage, mintToken, streamFrame, waitAuth } from "./harness.mjs";
import { embedEnv, publisherPage, script, asyncWasm, countAsync, noFromBase64, authState } from "./embed-helpers.mjs";

const env = embedEnv();

test("002 snippet: accessToken in options signs the reader in; token never in a URL", async () => {
  const token = await mintToken(env.server, { user: "bob" });
  // "Embed On Your Site" parameters + the SSO snippet, verbatim.
  const { page, context, requests } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
Coral.createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  rootURL: "${env.server.stream}",
  storyID: "story-e2e-1",
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
  accessToken: "${token}"
});
</script>`);
  const frame = await streamFrame(page, env.server);
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
    const token = await mintToken(env.server, { user: "bob" });
    const { page, context, requests } = await publisherPage(
      `
<div id="coral_thread"></div>
${script()}
<script>
var embed = Coral.createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  rootURL: "${env.server.stream}",
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
    const frame = await streamFrame(page, env.server);
    await page.waitForFunction(() => window.__log.includes("ready"));
    assert.equal(await page.evaluate(() => window.__asyncInstantiations ?? "queued"), onPage === asyncWasm ? "queued" : 0);
    if (onPage === noFromBase64) assert.equal(await page.evaluate(() => typeof Uint8Array.fromBase64), "undefined");
    assert.equal(await authState(frame), "signed-out", "login then logout ends signed out");

    await page.evaluate((t) => embed.login(t), token);
    await waitAuth(frame, "signed-in");
    await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "bob");
    const alice = await mintToken(env.server, { user: "alice" });
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
  rootURL: "${env.server.stream}",
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
  const frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-out");
  await frame.locator("#sign-in").click();
  await page.waitForURL("http://example.com/login");
  assert.equal(await page.title(), "publisher login");
  await context.close();
});

test("a third origin's spoofed messages change nothing on either end", async () => {
  const token = await mintToken(env.server, { user: "bob" });
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
  env.hostile = await startThirdOrigin({ "/evil.html": evil });
  const { page, context, consoleLog } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}", storyID: "story-e2e-4",
  events: function (events) { events.onAny(function (name) { __events.push(name); }); }
});
embed.on("ready", function () {
  var f = document.createElement("iframe");
  f.src = "${env.hostile.origin}/evil.html";
  document.body.appendChild(f);
});
</script>`);
  const frame = await streamFrame(page, env.server);
  await page.waitForFunction(() => window.__events.includes("ready"));
  const heightBefore = await page.locator("#coral_thread iframe").evaluate((f) => f.style.height);
  const evilFrame = await (async () => {
    for (;;) {
      const f = page.frames().find((f) => f.url().startsWith(env.hostile.origin));
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

test("remove() takes the iframe away, keeps the embed for render(), and a second remove() throws NOT_MOUNTED", async () => {
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__log = [];
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}", storyID: "s5" });
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
  const bob = await mintToken(env.server, { user: "bob" });
  const alice = await mintToken(env.server, { user: "alice" });
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
${script()}
<script>
window.__ready = 0;
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}",
  storyID: "story-e2e-reload", accessToken: "${bob}" });
embed.on("authState", function (s) { window.__last = s.loggedIn; });
</script>`);
  let frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-in");
  await page.evaluate((t) => embed.login(t), alice);
  await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "alice");
  await frame.evaluate(() => location.reload());
  await page.waitForTimeout(200);
  frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-in");
  await frame.waitForFunction(() => document.getElementById("username").textContent.trim() === "alice");
  // Calls after the reconnection reach the new page, once.
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  assert.equal(await page.evaluate(() => window.__last), false);
  await context.close();
});
