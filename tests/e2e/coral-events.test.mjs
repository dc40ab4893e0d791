// End-to-end: the reference stream emits Coral's viewer events, with
// Coral's names and payload shapes (coralproject/talk client/CLIENT_EVENTS.md
// and the code that emits them), for everything it does; and it honours
// customFontsCSSURL / disableDefaultFonts (issue 14).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, useStack, mintToken, streamFrame, recordConsole, waitAuth } from "./harness.mjs";

let server, browser, pages;
useStack((stack) => ({ server, browser, pages } = stack));

let n = 0;
/** A publisher page whose embed records every event as [name, data] in window.__ev. */
async function open(options) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const path = `/events-${++n}.html`;
  pages.set(
    path,
    `<!doctype html><meta charset="utf-8"><title>t</title>
<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>
window.__ev = [];
window.embed = Coral.createStreamEmbed(Object.assign({ id: "coral_thread", autoRender: true,
  events: function (events) { events.onAny(function (name, data) { __ev.push([name, data]); }); } }, ${JSON.stringify(options)}));
</script>`
  );
  await page.goto(pages.origin + path);
  const frame = await streamFrame(page, server);
  await page.waitForFunction(() => __ev.some((e) => e[0] === "ready"));
  return { page, context, frame, consoleLog };
}

/** Events after index `from`, without the embed's own bookkeeping ones. */
async function events(page, from = 0) {
  return (await page.evaluate(() => __ev)).slice(from).filter(([name]) => !["authState", "ready", "count.comments"].includes(name));
}

async function waitFor(page, name) {
  await page.waitForFunction((name) => __ev.some((e) => e[0] === name), name);
  return (await page.evaluate((name) => __ev.filter((e) => e[0] === name), name)).map((e) => e[1]);
}

const mark = (page) => page.evaluate(() => __ev.length);

test("createComment.success / .error, createCommentFocus, and mutation.createComment only with enableDeprecatedEvents", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context, frame } = await open({ storyID: "ev-1", storyURL: "https://news.example/ev-1", accessToken: token });
  await waitAuth(frame, "signed-in");
  let at = await mark(page);
  await frame.focus("#comment-body");
  await frame.fill("#comment-body", "Hello world!");
  await frame.click("#post-comment");
  const [ok] = await waitFor(page, "createComment.success");
  const id = await frame.getAttribute("#comments > li.comment", "data-id");
  assert.equal(typeof ok.rtt, "number");
  assert.ok(ok.rtt >= 0);
  assert.deepEqual({ ...ok, rtt: 0 }, { storyID: "ev-1", body: "Hello world!", rtt: 0, success: { id, status: "NONE" } });
  assert.deepEqual((await events(page, at)).map((e) => e[0]), ["createCommentFocus", "createComment.success"]);
  assert.equal((await events(page, at))[0][1], undefined, "createCommentFocus has no data");

  // The server fails: .error {storyID, body, rtt, error: {message, code}}; the draft stays.
  await page.route(`${server.stream}/api/comments`, (r) =>
    r.request().method() === "POST"
      ? r.fulfill({ status: 500, contentType: "application/json", body: '{"code":"INTERNAL_ERROR","message":"database error"}' })
      : r.fallback()
  );
  await frame.fill("#comment-body", "Hi!");
  await frame.click("#post-comment");
  const [bad] = await waitFor(page, "createComment.error");
  assert.deepEqual({ ...bad, rtt: 0 }, { storyID: "ev-1", body: "Hi!", rtt: 0, error: { message: "database error", code: "INTERNAL_ERROR" } });
  assert.equal(await frame.inputValue("#comment-body"), "Hi!");
  assert.equal((await events(page)).filter((e) => e[0].startsWith("mutation.")).length, 0, "no deprecated events without the flag");
  await context.close();

  const again = await open({ storyID: "ev-1", accessToken: token, enableDeprecatedEvents: true });
  await waitAuth(again.frame, "signed-in");
  await again.frame.fill("#comment-body", "old style");
  await again.frame.click("#post-comment");
  assert.deepEqual(await waitFor(again.page, "mutation.createComment"), [{ storyID: "ev-1", body: "old style" }]);
  await again.context.close();
});

test("loginPrompt and showAuthPopup {view: SIGN_IN} from Sign in and from posting signed out", async () => {
  const { page, context, frame } = await open({ storyID: "ev-2" });
  await waitAuth(frame, "signed-out");
  let at = await mark(page);
  await frame.click("#sign-in");
  await waitFor(page, "showAuthPopup");
  assert.deepEqual(await events(page, at), [["loginPrompt", undefined], ["showAuthPopup", { view: "SIGN_IN" }]]);
  at = await mark(page);
  await frame.fill("#comment-body", "draft");
  await frame.click("#post-comment");
  await page.waitForFunction((at) => __ev.length >= at + 3, at);
  assert.deepEqual((await events(page, at)).map((e) => e[0]), ["createCommentFocus", "loginPrompt", "showAuthPopup"]);
  await context.close();
});

test("signOut.success {rtt}; signOut.error {rtt, error} keeps the reader signed in; mutation.signOut with the flag", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context, frame } = await open({ storyID: "ev-3", accessToken: token, enableDeprecatedEvents: true });
  await waitAuth(frame, "signed-in");
  await frame.waitForSelector("#sign-out");
  await page.route(`${server.stream}/api/session`, (r) =>
    r.request().method() === "DELETE" ? r.fulfill({ status: 503, contentType: "application/json", body: '{"code":"UNAVAILABLE","message":"try later"}' }) : r.fallback()
  );
  await frame.click("#sign-out");
  const [err] = await waitFor(page, "signOut.error");
  assert.deepEqual({ ...err, rtt: 0 }, { rtt: 0, error: { message: "try later", code: "UNAVAILABLE" } });
  assert.deepEqual((await events(page)).map((e) => e[0]), ["mutation.signOut", "signOut.error"]);
  assert.deepEqual((await events(page))[0][1], {});
  assert.equal((await frame.textContent("#auth-state")).trim(), "signed-in");
  await page.unroute(`${server.stream}/api/session`);
  await frame.click("#sign-out");
  const [ok] = await waitFor(page, "signOut.success");
  assert.deepEqual(Object.keys(ok), ["rtt"]);
  await waitAuth(frame, "signed-out");
  await context.close();
});

test("permalinks and sharing: viewConversation, viewFullDiscussion, showSharePopover, copyPermalink; setCommentsOrderBy", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context, frame } = await open({ storyID: "ev-4", storyURL: "https://news.example/ev-4?x=1", accessToken: token });
  await waitAuth(frame, "signed-in");
  for (const body of ["first", "second"]) {
    await frame.fill("#comment-body", body);
    await frame.click("#post-comment");
    await frame.waitForSelector(`.comment-body:text-is("${body}")`);
  }
  const ids = await frame.$$eval("#comments > li.comment", (lis) => lis.map((li) => li.dataset.id));
  let at = await mark(page);
  await frame.click(`li[data-id="${ids[1]}"] .permalink`);
  await frame.click("#view-full");
  await frame.click(`li[data-id="${ids[0]}"] .share`);
  assert.equal(await frame.inputValue(`li[data-id="${ids[0]}"] .share-url`), `https://news.example/ev-4?x=1&commentID=${ids[0]}`);
  await frame.click(`li[data-id="${ids[0]}"] .copy`);
  await frame.selectOption("#sort", "CREATED_AT_ASC");
  await waitFor(page, "setCommentsOrderBy");
  assert.deepEqual(await events(page, at), [
    ["viewConversation", { from: "COMMENT_STREAM", commentID: ids[1] }],
    ["viewFullDiscussion", { commentID: ids[1] }],
    ["showSharePopover", { commentID: ids[0] }],
    ["copyPermalink", { commentID: ids[0] }],
    ["setCommentsOrderBy", { orderBy: "CREATED_AT_ASC" }],
  ]);
  assert.deepEqual(await frame.$$eval(".comment-body", (ps) => ps.map((p) => p.textContent)), ["first", "second"]);
  // The permalink came and went in the publisher's URL.
  assert.equal(new URL(page.url()).searchParams.get("commentID"), null);
  await context.close();
});

test("customFontsCSSURL is loaded; disableDefaultFonts drops the stream's default fonts", async () => {
  pages.set("/fonts.css", `@font-face { font-family: "Publisher Sans"; src: local("DejaVu Sans"), local("Arial"); }`, { "content-type": "text/css" });
  pages.set("/custom.css", `body { font-family: "Publisher Sans", serif; }`, { "content-type": "text/css" });
  const fonts = (frame) =>
    frame.evaluate(() => ({
      sheets: [...document.styleSheets].map((s) => s.href && new URL(s.href).pathname),
      family: getComputedStyle(document.body).fontFamily,
      faces: [...document.fonts].map((f) => f.family),
    }));
  const plain = await open({ storyID: "ev-5" });
  const before = await fonts(plain.frame);
  assert.ok(before.sheets.includes("/static/fonts.css"));
  assert.match(before.family, /system-ui/);
  await plain.context.close();

  const custom = await open({
    storyID: "ev-5",
    customFontsCSSURL: pages.origin + "/fonts.css",
    customCSSURL: pages.origin + "/custom.css",
    disableDefaultFonts: true,
  });
  await custom.frame.waitForFunction(() => getComputedStyle(document.body).fontFamily.includes("Publisher Sans"));
  const after = await fonts(custom.frame);
  assert.ok(!after.sheets.includes("/static/fonts.css"), "default fonts still loaded");
  assert.deepEqual(after.sheets.slice(-2), ["/fonts.css", "/custom.css"], "Coral's order: fonts, then custom CSS");
  assert.ok(after.faces.includes("Publisher Sans"));
  await custom.context.close();

  // Without a custom stylesheet, disableDefaultFonts leaves the browser's default font.
  const bare = await open({ storyID: "ev-5", disableDefaultFonts: true });
  assert.doesNotMatch((await fonts(bare.frame)).family, /system-ui/);
  await bare.context.close();
});

test("loginPrompt carries {tokenAuthURL} when the server has TOKEN_AUTH_URL", async () => {
  const spoke = await startServer({ TOKEN_AUTH_URL: "https://publisher.example/token-auth" }, { allowOrigins: [pages.origin] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    pages.set(
      "/events-spoke.html",
      `<!doctype html><div id="coral_thread"></div><script src="${spoke.stream}/embed.js"></script>
<script>window.__ev = []; Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "ev-6",
  events: function (e) { e.on("loginPrompt", function (d) { __ev.push(d); }); } });</script>`
    );
    await page.goto(pages.origin + "/events-spoke.html");
    const frame = await streamFrame(page, spoke);
    await waitAuth(frame, "signed-out");
    await frame.click("#sign-in");
    await page.waitForFunction(() => __ev.length === 1);
    assert.deepEqual(await page.evaluate(() => __ev), [{ tokenAuthURL: "https://publisher.example/token-auth" }]);
  } finally {
    await context.close();
    await spoke.stop();
  }
});

test("the stream client's verifySession: a server out of reach leaves the reader shown but unverified, and no authError", async () => {
  const token = await mintToken(server, { user: "bob" });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${server.stream}/api/session`, (r) => (r.request().method() === "POST" ? r.abort() : r.fallback()));
  pages.set(
    "/events-offline.html",
    `<!doctype html><div id="coral_thread"></div><script src="${server.stream}/embed.js"></script>
<script>window.__ev = []; window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "ev-7",
  accessToken: ${JSON.stringify(token)}, events: function (e) { e.onAny(function (n) { __ev.push(n); }); } });</script>`
  );
  await page.goto(pages.origin + "/events-offline.html");
  const frame = await streamFrame(page, server);
  await frame.waitForFunction(() => document.getElementById("form-status").textContent.includes("not verified yet"));
  assert.equal(await frame.getAttribute("#username", "data-verified"), "false");
  assert.equal((await frame.textContent("#username")).trim(), "bob");
  assert.equal(await page.evaluate(() => __ev.includes("authError")), false);
  // Back online: the next token is verified.
  await page.unroute(`${server.stream}/api/session`);
  await page.evaluate((t) => embed.login(t), await mintToken(server, { user: "alice" }));
  await frame.waitForFunction(() => document.getElementById("username").dataset.verified === "true");
  await context.close();
});
