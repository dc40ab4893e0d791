// End-to-end: the reference stream server's full flow (issue 4) with the
// demo publisher site in www/ on http://localhost:P and the stream on
// http://127.0.0.1:S, in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer,
  startThirdOrigin,
  launchBrowser,
  mintToken,
  streamFrame,
  recordConsole,
  waitAuth,
} from "./harness.mjs";

let server, browser, hostile;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await hostile?.stop();
});

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  return { page, context, consoleLog };
}


/** Waits until the demo page's event log (www/demo.js) has `name` (with `data.code`). */
async function waitEvent(page, name, code) {
  await page.waitForFunction(
    ([n, c]) => (window.demoEvents || []).some((e) => e.name === n && (c === null || (e.data && e.data.code === c))),
    [name, code ?? null],
    { timeout: 10000 }
  );
}

function pageErrors(log) {
  return log.filter((l) => l.type === "pageerror");
}

test("login page → verified user with badges → comment → reload keeps it", async () => {
  const { page, context, consoleLog } = await newPage();
  await page.goto(server.publisher + "/");
  let frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  // The stream's Sign in → publisher's loginPrompt handler → login page.
  await frame.click("#sign-in");
  await page.waitForURL(/\/login\?return=/);
  await page.check('input[name="user"][value="bob"]');
  await page.click("#login-submit");
  await page.waitForURL(server.publisher + "/");
  assert.equal(new URL(page.url()).hash, "", "the #jwt fragment is removed");
  frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  assert.equal(await frame.textContent("#username"), "bob");
  assert.equal(await frame.getAttribute("#username", "data-verified"), "true");
  assert.equal(await frame.isVisible("#unverified"), false);
  assert.deepEqual(await frame.locator("#badges .badge").allTextContents(), ["SUBSCRIBER", "Early Bird"]);
  assert.equal(await frame.getAttribute("#account-link", "href"), server.publisher + "/account.html");
  assert.equal(await frame.isVisible("#sign-out"), true, "bob's token has jti and exp");

  const text = "First! " + Date.now();
  await frame.fill("#comment-body", text);
  await frame.click("#post-comment");
  await frame.waitForSelector(`.comment-body:text-is("${text}")`, { timeout: 10000 });
  assert.equal(await frame.inputValue("#comment-body"), "", "posted draft is cleared");
  assert.equal(await frame.textContent(".comment .comment-author"), "bob");

  await page.reload();
  frame = await streamFrame(page, server);
  await frame.waitForSelector(`.comment-body:text-is("${text}")`, { timeout: 10000 });
  assert.deepEqual(pageErrors(consoleLog), []);
  await context.close();
});

test("logout() → signed-out view; typed draft survives login, logout and token replacement", async () => {
  const { page, context, consoleLog } = await newPage();
  await page.goto(server.publisher + "/");
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await frame.fill("#comment-body", "half-written thought");

  await page.evaluate((t) => window.embed.login(t), await mintToken(server, { user: "bob" }));
  await waitAuth(frame, "signed-in");
  assert.equal(await frame.textContent("#username"), "bob");
  assert.equal(await frame.inputValue("#comment-body"), "half-written thought");

  // Token replacement: another user, same iframe.
  await page.evaluate((t) => window.embed.login(t), await mintToken(server, { user: "alice" }));
  await frame.waitForFunction(() => document.getElementById("username").textContent === "alice", null, {
    timeout: 10000,
  });
  await waitAuth(frame, "signed-in");
  assert.equal((await frame.textContent("#role")).toUpperCase(), "MODERATOR");
  assert.equal(await frame.inputValue("#comment-body"), "half-written thought");

  await page.evaluate(() => window.embed.logout());
  await waitAuth(frame, "signed-out");
  assert.equal(await frame.isVisible("#sign-in"), true);
  assert.equal(await frame.isVisible("#signed-in-view"), false);
  assert.equal(await frame.inputValue("#comment-body"), "half-written thought");
  assert.equal(page.frames().filter((f) => f.url().includes("/embed/stream")).length, 1, "no second iframe");
  assert.deepEqual(pageErrors(consoleLog), []);
  await context.close();
});

test("expired token → publisher receives authError TOKEN_EXPIRED; nothing crashes", async () => {
  const { page, context, consoleLog } = await newPage();
  await page.goto(server.publisher + "/");
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  // Long expired: the SDK refuses it before it leaves the page.
  const stale = await mintToken(server, { user: "bob", expired: true });
  const thrown = await page.evaluate((t) => {
    try {
      window.embed.login(t);
      return "no throw";
    } catch (e) {
      return e.code;
    }
  }, stale);
  assert.equal(thrown, "TOKEN_EXPIRED");
  // Expired 10 s ago: within the SDK's clock-skew allowance, so only the
  // server (no leeway) can tell; it rejects and the publisher hears of it.
  const expired = await mintToken(server, { user: "bob", expiresIn: -10 });
  await page.evaluate((t) => window.embed.login(t), expired);
  await waitEvent(page, "authError", "TOKEN_EXPIRED");
  await waitEvent(page, "tokenExpired");
  await waitAuth(frame, "signed-out");
  assert.equal(await frame.getAttribute("#auth-error", "data-code"), "TOKEN_EXPIRED");
  assert.match(server.output(), /auth: rejected token on POST \/api\/session: TOKEN_EXPIRED/);
  assert.ok(!server.output().includes(expired), "the token is never logged");
  // Still usable: a fresh token signs in.
  await page.evaluate((t) => window.embed.login(t), await mintToken(server, { user: "bob" }));
  await waitAuth(frame, "signed-in");
  assert.deepEqual(pageErrors(consoleLog), []);
  await context.close();
});

test("Sign Out link only with jti; signing out emits signOut.success and revokes the token", async () => {
  const { page, context } = await newPage();
  await page.goto(server.publisher + "/");
  const frame = await streamFrame(page, server);
  await page.evaluate((t) => window.embed.login(t), await mintToken(server, { user: "carol" }));
  await waitAuth(frame, "signed-in");
  assert.equal(await frame.locator("#sign-out").count(), 0, "carol's token has no jti");

  const bob = await mintToken(server, { user: "bob" });
  await page.evaluate((t) => window.embed.login(t), bob);
  await frame.waitForFunction(() => document.getElementById("username").textContent === "bob");
  await waitAuth(frame, "signed-in");
  await frame.click("#sign-out");
  await waitAuth(frame, "signed-out");
  await waitEvent(page, "signOut.success");
  const res = await fetch(server.stream + "/api/session", {
    method: "POST",
    headers: { authorization: "Bearer " + bob },
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).code, "TOKEN_REVOKED");
  await context.close();
});

test("handleLoginCallback: true in options (www/options.html) starts signed in, only with this tab's nonce", async () => {
  const { page, context } = await newPage();
  await page.goto(server.publisher + "/options.html");
  // A crafted link (a genuine token without this tab's nonce) is refused…
  await page.goto(server.publisher + "/options.html?r=1#jwt=" + (await mintToken(server, { user: "carol" })));
  assert.equal(new URL(page.url()).hash, "");
  await waitEvent(page, "authError", "LOGIN_CALLBACK_UNEXPECTED");
  await waitAuth(await streamFrame(page, server), "signed-out");
  // …the reader's own login (the nonce the header's Log in link made) works.
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  const token = await mintToken(server, { user: "alice", nonce });
  await page.goto(server.publisher + "/options.html?r=2#jwt=" + token);
  assert.equal(new URL(page.url()).hash, "");
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  assert.equal(await frame.textContent("#username"), "alice");
  assert.match(await page.textContent("#publisher-user"), /alice/);
  await context.close();
});

test("security headers on both origins", async () => {
  const stream = await fetch(server.stream + "/embed/stream?storyID=x");
  assert.match(stream.headers.get("content-security-policy"), new RegExp("^frame-ancestors " + server.publisher + ";"));
  assert.equal(stream.headers.get("referrer-policy"), "no-referrer");
  const pub = await fetch(server.publisher + "/");
  assert.equal(pub.headers.get("referrer-policy"), "no-referrer");
  assert.match(await pub.text(), new RegExp(`<script src="${server.stream}/embed.js"></script>`));
  const js = await fetch(server.stream + "/embed.js");
  assert.equal(js.headers.get("access-control-allow-origin"), "*");
  assert.match(js.headers.get("content-type"), /^text\/javascript/);
  const big = await fetch(server.stream + "/api/comments", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "x".repeat(20000),
  });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, "BODY_TOO_LARGE");
});

test("a page on a non-allowed origin cannot frame the stream", async () => {
  hostile = await startThirdOrigin({
    "/": `<!doctype html><iframe id="f" src="${server.stream}/embed/stream?storyID=story-1"></iframe>`,
  });
  const { page, context } = await newPage();
  await page.goto(hostile.origin + "/");
  await page.waitForTimeout(1000);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(frame, "the iframe exists");
  assert.ok(!frame.url().startsWith(server.stream), `blocked frame url: ${frame.url()}`);
  let rendered = false;
  try {
    rendered = (await frame.locator("#auth-state").count()) > 0;
  } catch {
    rendered = false;
  }
  assert.equal(rendered, false, "frame-ancestors blocks the stream page");
  await context.close();
});
