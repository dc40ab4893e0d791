// Security end-to-end tests c-f (issue 5), headless Chromium on three
// origins (tests/e2e/security-helpers.mjs; tests a and b are in
// security-leaks.test.mjs and security-frames.test.mjs):
//  c. two embeds on one page keep their tokens, events and heights apart;
//  d. a hostile sibling that navigates the stream iframe to its own origin
//     receives no token;
//  e. a login-callback token in the fragment signs in and leaves the URL;
//  f. a hostile page framing an allowed publisher page gets no stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken } from "./harness.mjs";
import {
  securityEnv, embedPage, evilPages, newContext, publisherURL, sdk, frameIn, waitAuth, authState,
  username, until
} from "./security-helpers.mjs";

const env = securityEnv();

test("c. two embeds on one page: own user, own events, own height, independent logout", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const alice = await mintToken(env.server, { user: "alice" });
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
    id: "c" + n, autoRender: true, rootURL: "${env.server.stream}", storyID: story, accessToken: token,
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
  const bob = await mintToken(env.server, { user: "bob" });
  const alice = await mintToken(env.server, { user: "alice" });
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
      try { parent.frames[0].location = "${env.hostile.origin}/impostor.html"; document.title = "navigated"; }
      catch (e) { document.title = "refused " + e.name; }
    }, 100);
  </script>`;
  const { context, page } = await newContext();
  const url = embedPage("sec-nav", bob);
  await page.goto(url);
  const frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate((o) => {
    const f = document.createElement("iframe");
    f.src = o + "/navigator.html";
    document.body.appendChild(f);
  }, env.hostile.origin);
  const nav = await until(() => page.frames().find((f) => f.url().startsWith(env.hostile.origin + "/navigator")), "navigator");
  await nav.waitForFunction(() => document.title !== "navigator", null, { timeout: 10000 });
  const outcome = await nav.title();
  // Chromium refuses a cross-origin sibling's navigation; if it ever allows
  // it, the impostor below must still get nothing.
  if (outcome !== "navigated") {
    assert.match(outcome, /^refused/);
    // The same situation through the stream itself (an open redirect, say).
    await frame.evaluate((u) => (location.href = u), env.hostile.origin + "/impostor.html");
  }
  const impostor = await until(
    () => page.frames().find((f) => f.url().startsWith(env.hostile.origin + "/impostor")),
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
  id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}", storyID: "sec-callback",
  handleLoginCallback: true
});
</script>`);
  // The reader starts a login here (the nonce the issuer signs into the token).
  await page.goto(url);
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  const bob = await mintToken(env.server, { user: "bob", nonce });
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
  const bob = await mintToken(env.server, { user: "bob" });
  const url = embedPage("sec-framed", bob);
  // frame-ancestors is checked against every ancestor, so the hostile top
  // page makes the stream refuse even though the publisher is allowed.
  evilPages["/framer.html"] = `<!doctype html><title>framer</title><iframe src="${url}" width="800" height="900"></iframe>`;
  const { context, page, consoleLog } = await newContext({ messages: true });
  const requests = [];
  context.on("request", (r) => requests.push(r));
  await page.goto(env.hostile.origin + "/framer.html");
  const pub = await until(() => page.frames().find((f) => f.url().startsWith(env.pages.origin)), "publisher frame");
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
