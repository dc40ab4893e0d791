// Coral behaviours of the host SDK (issue 14), against the shipped build:
// remove() then render() (single-page apps), rootURL in the forms Coral's
// docs use, the `?storyID=` fallback, customScrollContainer, the Talk v4
// shim's options, and the count badges (issue 15's host part: embed.js adds
// count.js itself; tested in counts.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useStack, mintToken, streamFrame, waitAuth, recordConsole } from "./harness.mjs";

let server, browser, pages;
useStack((stack) => ({ server, browser, pages } = stack));

let n = 0;
async function open(body, suffix = "") {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const path = `/host-${++n}.html`;
  pages.set(path, `<!doctype html><meta charset="utf-8"><title>host</title>${body}`);
  await page.goto(pages.origin + path + suffix);
  return { page, context, consoleLog };
}
const sdk = () => `<script src="${server.stream}/embed.js"></script>`;
const iframes = (page) => page.evaluate(() => [...document.querySelectorAll("iframe")].map((f) => f.src));

test("remove() then render(), 200 times: one iframe, one set of listeners, the session kept", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`<div id="coral_thread"></div>${sdk()}
    <script>window.readies = 0; window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true,
      storyID: "spa", accessToken: ${JSON.stringify(bob)},
      events: function (e) { e.on("ready", function () { readies++; }); } });</script>`);
  let frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "bob");
  const cdp = await context.newCDPSession(page);
  const windowListeners = async () => {
    const { result } = await cdp.send("Runtime.evaluate", { expression: "window" });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
    return listeners.length;
  };
  const mounted = await windowListeners();
  const cycle = await page.evaluate(() => {
    const out = [];
    for (let i = 0; i < 200; i++) {
      embed.remove();
      out.push(embed.rendered);
      embed.render();
    }
    let twice;
    embed.remove();
    try { embed.remove(); } catch (e) { twice = e.code; }
    embed.render();
    return { unrendered: out.every((r) => r === false), rendered: embed.rendered, twice };
  });
  assert.deepEqual(cycle, { unrendered: true, rendered: true, twice: "NOT_MOUNTED" });
  assert.equal((await iframes(page)).length, 1);
  assert.equal(await windowListeners(), mounted, "window listeners grew");
  // The stream mounted again keeps the session and hears ready again.
  frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "bob");
  await page.waitForFunction(() => window.readies >= 2);
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  await context.close();
});

test("rootURL: scheme-relative (Coral's docs), trailing slash and path prefix; userinfo and javascript: refused", async () => {
  const host = new URL(server.stream).host;
  const { page, context } = await open(`<div id="a"></div><div id="b"></div>${sdk()}
    <script>
      Coral.createStreamEmbed({ id: "a", rootURL: "//${host}", storyID: "r1" }).render();
      Coral.createStreamEmbed({ id: "b", rootURL: "${server.stream}/", storyID: "r2" }).render();
      window.codes = ["https://user:pw@${host}", "//user@${host}", "javascript:alert(1)//", "${server.stream}/?q=1"].map(function (u) {
        try { Coral.createStreamEmbed({ id: "a", rootURL: u }); return "accepted"; } catch (e) { return e.code + " " + e.option; }
      });
    </script>`);
  const srcs = await iframes(page);
  assert.ok(srcs[0].startsWith(server.stream + "/embed/stream?storyID=r1"), srcs[0]);
  assert.ok(srcs[1].startsWith(server.stream + "/embed/stream?storyID=r2"), srcs[1]);
  assert.deepEqual(await page.evaluate(() => window.codes), Array(4).fill("INVALID_OPTION rootURL"));
  await waitAuth(await streamFrame(page, server), "signed-out");
  await context.close();
});

test("?storyID= in the page URL is the story when the options have none", async () => {
  const { page, context } = await open(
    `<div id="coral_thread"></div>${sdk()}<script>Coral.createStreamEmbed({ id: "coral_thread", autoRender: true });</script>`,
    "?storyID=from-the-url"
  );
  const [src] = await iframes(page);
  assert.equal(new URL(src).searchParams.get("storyID"), "from-the-url");
  await context.close();
});

test("customScrollContainer: lazy rendering follows the scrolling element; a non-element is refused", async () => {
  const { page, context } = await open(`<style>#scroller { height: 200px; overflow: auto } #spacer { height: 3000px }</style>
    <div id="scroller"><div id="spacer"></div><div id="coral_thread"></div></div>${sdk()}
    <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "scroll",
      customScrollContainer: document.getElementById("scroller") });
      try { Coral.createStreamEmbed({ id: "coral_thread", customScrollContainer: "#scroller" }); }
      catch (e) { window.refused = e.code + " " + e.option; }</script>`);
  assert.equal(await page.evaluate(() => window.refused), "INVALID_OPTION customScrollContainer");
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => embed.rendered), false, "rendered before it was near");
  await page.evaluate(() => { document.getElementById("scroller").scrollTop = 3000; });
  await page.waitForFunction(() => embed.rendered, null, { timeout: 5000 });
  await context.close();
});

test("Talk v4: lazy renders near the viewport; unsupported options are named once", async () => {
  const { page, context, consoleLog } = await open(`<div id="spacer" style="height: 3000px"></div><div id="talk"></div>${sdk()}
    <script>window.talk = Coral.Talk.render(document.getElementById("talk"), {
      talk: "${server.stream}/", asset_id: "t-1", lazy: true,
      onAuthChanged: function () {}, plugin_config: {} });</script>`);
  assert.equal(await page.evaluate(() => talk.rendered), false, "lazy: rendered at once");
  const warnings = consoleLog.filter((l) => l.type === "warning").map((l) => l.text);
  assert.deepEqual(warnings.filter((w) => w.startsWith("Coral.Talk.render")), [
    "Coral.Talk.render: option `onAuthChanged` is not supported; ignored.",
    "Coral.Talk.render: option `plugin_config` is not supported; ignored.",
  ]);
  await page.evaluate(() => window.scrollTo(0, 3000));
  await page.waitForFunction(() => talk.rendered, null, { timeout: 5000 });
  await context.close();
});

test("Talk v4: a ?commentId= permalink (Talk v4's spelling) reaches the stream", async () => {
  const { page, context } = await open(`<div id="talk"></div>${sdk()}
    <script>Coral.Talk.render(document.getElementById("talk"), { talk: "${server.stream}", asset_id: "t-2" });</script>`,
    "?commentId=c-42"
  );
  const [src] = await iframes(page);
  assert.equal(new URL(src).searchParams.get("commentID"), "c-42");
  await context.close();
});
