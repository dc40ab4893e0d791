// End-to-end: how embed.js loads on a publisher page, in headless Chromium
// (setup in embed-helpers.mjs): one download with the wasm inlined and
// compiled synchronously, the asynchronous path with queued calls, a
// browser without WebAssembly or a file that lost its BOM, typed errors for
// bad options, and the ES-module build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken, streamFrame, waitAuth } from "./harness.mjs";
import { embedEnv, publisherPage, script, builtEmbedJs, asyncWasm } from "./embed-helpers.mjs";

const env = embedEnv();

test("asynchronous path: a queued call that throws is reported and does not stop the other queued embeds", async () => {
  const { page, context, consoleLog } = await publisherPage(
    `
<div id="qa"></div><div id="qb"></div>
${script()}
<script>
var qa = Coral.createStreamEmbed({ id: "qa", rootURL: "${env.server.stream}", storyID: "q-a", autoRender: true });
qa.login("not-a-jwt");
qa.on("ready", function () { window.__qaReady = true; });
var qb = Coral.createStreamEmbed({ id: "qb", rootURL: "${env.server.stream}", storyID: "q-b", autoRender: true });
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
  env.pages.set("/cdn/embed.js", builtEmbedJs(), {
    "content-type": "text/javascript",
  });
  const { page, context, consoleLog, requests } = await publisherPage(
    `
<div id="coral_thread"></div>
<script src="${env.pages.origin}/cdn/embed.js"></script>
<script>
try {
  Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${env.server.stream}", accessToken: 42 });
  window.__early = "no throw";
} catch (e) {
  window.__early = e.code + " " + e.option;
}
var embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${env.server.stream}", storyID: "one-download" });
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
  const sdk = requests.filter((u) => !u.startsWith(env.server.stream) && !u.endsWith(".html"));
  assert.deepEqual(sdk, [`${env.pages.origin}/cdn/embed.js`], "the page downloads embed.js and nothing else of the SDK");
  await context.close();
});

test("a browser without WebAssembly, or an embed.js that lost its BOM: one console error, Coral.ready rejects, calls throw", async () => {
  const js = builtEmbedJs();
  assert.deepEqual([...js.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  env.pages.set("/cdn/no-bom.js", js.subarray(3), { "content-type": "text/javascript" });
  for (const [src, onPage, why] of [
    [`${env.server.stream}/embed.js`, (page) => page.addInitScript(() => delete window.WebAssembly), /WebAssembly/],
    [`${env.pages.origin}/cdn/no-bom.js`, undefined, /embed\.js was not read as UTF-8/],
  ]) {
    const { page, context, consoleLog } = await publisherPage(
      `
<div id="coral_thread"></div>
<script src="${src}"></script>
<script>
var embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${env.server.stream}", storyID: "no-wasm", autoRender: true });
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
var early = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${env.server.stream}", accessToken: 42 });
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
  }, env.server.stream);
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
  const token = await mintToken(env.server, { user: "bob" });
  const { page, context } = await publisherPage(`
<div id="coral_thread"></div>
<script type="module">
import Coral, { createStreamEmbed } from "${env.server.stream}/embed.mjs";
window.embed = createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-e2e-6", accessToken: "${token}" });
window.sameApi = typeof Coral.createStreamEmbed === "function";
</script>`);
  const frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-in");
  assert.equal(await page.evaluate(() => window.sameApi), true);
  // rootURL defaulted to the origin of the module.
  assert.ok(page.frames()[1].url().startsWith(env.server.stream + "/embed/stream?storyID=story-e2e-6"));
  await context.close();
});
