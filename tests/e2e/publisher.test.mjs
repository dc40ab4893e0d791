// End-to-end: the publisher experience (issue 6). Strict CSP demo page,
// Talk v4 compatibility, lazy render, permalinks, a blocked stream, and the
// main flow with third-party cookies blocked.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CORAL_AND_TALK_ENV,
  useStack,
  startPageServer,
  launchBrowser,
  mintToken,
  streamFrame,
  recordConsole,
  waitAuth,
} from "./harness.mjs";

let server, browser, pages;
useStack((stack) => ({ server, browser, pages } = stack), CORAL_AND_TALK_ENV);

let n = 0;
async function open(body, b = browser, headers) {
  const context = await b.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const path = `/pub-${++n}.html`;
  pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`, headers);
  await page.goto(pages.origin + path);
  return { page, context, consoleLog };
}


test("demo pages are served under the strict CSP and work with no violation", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(e.violatedDirective + " " + e.blockedURI)
    );
  });
  const res = await page.goto(server.publisher + "/");
  const csp = res.headers()["content-security-policy"];
  assert.match(csp, /script-src 'self' http:\/\/127\.0\.0\.1:\d+ 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-src http:\/\/127\.0\.0\.1:\d+/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await page.evaluate(async (t) => window.embed.login(t), await mintToken(server, { user: "bob" }));
  await waitAuth(frame, "signed-in");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test("Talk v4: Coral.Talk.render from 000 works verbatim, verified by the talk-v4 profile", async () => {
  const token = await mintToken(server, { user: "tess" });
  const { page, context } = await open(`
<div id="coralStreamEmbed"></div>
<script src="${server.stream}/embed.js"></script>
<script>
var talk = Coral.Talk.render(document.getElementById('coralStreamEmbed'), {
  talk: "${server.stream}/",
  asset_id: "talk-asset-1",
  // ...
  auth_token: '${token}',
});
</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await frame.waitForFunction(() => document.getElementById("username").dataset.verified === "true");
  assert.equal((await frame.textContent("#username")).trim(), "tess");
  assert.match(frame.url(), /storyID=talk-asset-1/);
  await page.evaluate(() => talk.logout());
  await waitAuth(frame, "signed-out");
  await page.evaluate((t) => talk.login(t), token);
  await waitAuth(frame, "signed-in");
  await context.close();
});

test("autoRender is lazy: no stream request until the container nears the viewport", async () => {
  const { page, context } = await open(`
<div style="height: 4000px">article…</div>
<div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "lazy-1" });
</script>`);
  await page.evaluate(() => Coral.ready);
  await page.waitForTimeout(300);
  assert.equal(await page.locator("iframe").count(), 0, "rendered while far away");
  assert.equal(await page.evaluate(() => embed.rendered), false);
  await page.evaluate(() => document.getElementById("coral_thread").scrollIntoView());
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await context.close();
});

test("permalinks: the stream updates the publisher URL; back tells the stream", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`
<div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "perma-1", accessToken: "${token}",
  events: function (e) { e.onAny(function (n) { __events.push(n); }); } });
</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await frame.fill("#comment-body", "permalink me");
  await frame.click("#post-comment");
  await frame.waitForSelector('.comment-body:text-is("permalink me")');
  const id = await frame.getAttribute("#comments > li.comment", "data-id");
  await frame.click("#comments > li.comment .permalink");
  await page.waitForFunction((id) => new URLSearchParams(location.search).get("commentID") === id, id);
  assert.equal(await frame.getAttribute("#comments > li.comment", "class"), "comment highlighted");
  await page.goBack();
  await frame.waitForFunction(() => !document.querySelector("#comments > li.highlighted"));
  assert.equal(page.frames().length, 2, "no reload");

  // Opening the page with ?commentID= renders at once and fires showPermalink.
  await page.goto(page.url().split("?")[0] + "?commentID=" + id);
  await page.waitForFunction(() => window.__events && window.__events.includes("showPermalink"));
  const again = await streamFrame(page, server);
  await again.waitForSelector("#comments > li.highlighted");
  await context.close();
});

test("a stream the page may not frame is reported once as an `error` event", async () => {
  // A publisher origin missing from ALLOWED_ORIGINS: frame-ancestors refuses.
  const other = await startPageServer();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleLog = recordConsole(page);
    other.set(
      "/blocked.html",
      `<!doctype html><div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>
window.__errors = [];
Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "x",
  events: function (e) { e.on("error", function (d) { __errors.push(d.code); }); } });
</script>`
    );
    await page.goto(other.origin + "/blocked.html");
    await page.waitForFunction(() => window.__errors.length > 0, null, { timeout: 15000 });
    await page.waitForTimeout(500);
    assert.deepEqual(await page.evaluate(() => window.__errors), ["STREAM_UNREACHABLE"]);
    const said = consoleLog.filter((l) => l.type === "error" && l.text.includes("did not answer"));
    assert.equal(said.length, 1);
    assert.match(said[0].text, /frame-ancestors/);
    await context.close();
  } finally {
    await other.stop();
  }
});

test("third-party cookies blocked: sign-in, comment and logout still work", async () => {
  const strict = await launchBrowser(["--test-third-party-cookie-phaseout"]);
  try {
    const token = await mintToken(server, { user: "bob" });
    const { page, context } = await open(
      `
<div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "cookies-1", accessToken: "${token}" });
</script>`,
      strict
    );
    const frame = await streamFrame(page, server);
    // Third-party storage access is really blocked in this browser.
    assert.equal(await frame.evaluate(() => document.hasStorageAccess()), false);
    await waitAuth(frame, "signed-in");
    await frame.fill("#comment-body", "no cookies needed");
    await frame.click("#post-comment");
    await frame.waitForSelector('.comment-body:text-is("no cookies needed")');
    await page.evaluate(() => embed.logout());
    await waitAuth(frame, "signed-out");
    await context.close();
  } finally {
    await strict.close();
  }
});

test("auto-height: the iframe follows its content, growing and shrinking, with no scrollbar", async () => {
  const { page, context } = await open(`
<div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "height-1" });
</script>`);
  const frame = await streamFrame(page, server);
  await frame.waitForFunction(() => document.getElementById("auth-state"));
  const iframe = page.locator("#coral_thread iframe");
  const fits = () =>
    frame.evaluate(() => Math.abs(innerHeight - Math.ceil(document.documentElement.getBoundingClientRect().height)) <= 1);
  await page.waitForFunction(() => parseFloat(document.querySelector("iframe").style.height) > 0);
  await frame.waitForFunction(() => Math.abs(innerHeight - Math.ceil(document.documentElement.getBoundingClientRect().height)) <= 1);
  const before = await iframe.evaluate((f) => f.getBoundingClientRect().height);
  await frame.evaluate(() => {
    const d = document.createElement("div");
    d.id = "tall";
    d.style.height = "900px";
    document.body.appendChild(d);
  });
  await page.waitForFunction((b) => document.querySelector("iframe").getBoundingClientRect().height >= b + 900, before);
  assert.ok(await fits(), "iframe taller or shorter than its content");
  await frame.evaluate(() => document.getElementById("tall").remove());
  await page.waitForFunction((b) => Math.abs(document.querySelector("iframe").getBoundingClientRect().height - b) <= 1, before);
  assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), true, "scrollbar");
  await context.close();
});

test("a page CSP that blocks WebAssembly gets one clear console error and a rejected Coral.ready", async () => {
  const { page, context, consoleLog } = await open(
    `
<div id="coral_thread"></div>
<script>
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { __violations.push(e.violatedDirective + " " + e.blockedURI); });
</script>
<script src="${server.stream}/embed.js"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "csp-blocked" });
window.__ready = Coral.ready.then(function () { return "ready"; }, function (e) { return "rejected"; });
</script>`,
    browser,
    // Everything the embed needs except 'wasm-unsafe-eval'.
    { "content-security-policy": `script-src 'self' ${server.stream} 'unsafe-inline'; frame-src ${server.stream}` }
  );
  assert.equal(await page.evaluate(() => window.__ready), "rejected");
  await page.waitForFunction(() => window.__violations.length > 0);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__violations), ["script-src wasm-eval"], "one compile attempt, one violation");
  const said = consoleLog.filter((l) => l.type === "error" && l.text.includes("wasm-unsafe-eval"));
  assert.equal(said.length, 1, JSON.stringify(consoleLog));
  assert.match(said[0].text, /^Coral: the stream SDK failed to load/);
  assert.equal(await page.evaluate(() => embed.rendered), false);
  // Calls made on the embed then throw the load error instead of queueing forever.
  assert.match(
    await page.evaluate(() => {
      try {
        embed.login("a.b.c");
        return "no throw";
      } catch (e) {
        return String(e);
      }
    }),
    /wasm|WebAssembly|Content Security Policy/i
  );
  await context.close();
});
