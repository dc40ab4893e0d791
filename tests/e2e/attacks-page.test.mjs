// Attacks from a hostile publisher page (issue 13), continued from
// attacks.test.mjs (setup and origins: attacks-helpers.mjs): objects whose
// getters or Proxy traps throw, cross-site posts to the development routes,
// and our own variants (shadowed DOM methods, a clobbered window.Coral,
// inherited claims). Each test tries the attack and checks it fails; the
// comment above each says which defence it proves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken, streamFrame, waitAuth } from "./harness.mjs";
import { attackEnv, open, embedScript } from "./attacks-helpers.mjs";

const env = attackEnv();

// ---------------------------------------------- 5. throwing getters, proxies

// Defence: every import that can run page code is `catch`, and options are
// read through property descriptors (no getter runs). Without it, each throw
// would leave the wasm stack pointer moved until every call traps.
test("5. 1,000 throwing proxies, getters and listeners: the SDK still logs in and out", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const alice = await mintToken(env.server, { user: "alice" });
  const { page, context } = await open(
    `<div id="coral_thread"></div><div id="talk"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       accessToken: ${JSON.stringify(bob)} });</script>`
  );
  const frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-in", "bob");
  const report = await page.evaluate(() => {
    const boom = () => { throw new Error("boom"); };
    const trap = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    let getterCalls = 0;
    const getters = { id: "coral_thread", get accessToken() { getterCalls++; throw new Error("getter"); } };
    const codes = {};
    const note = (f) => { try { f(); codes.ok = (codes.ok || 0) + 1; } catch (e) { codes[e.code || String(e)] = (codes[e.code || String(e)] || 0) + 1; } };
    for (let i = 0; i < 1000; i++) {
      switch (i % 8) {
        case 0: note(() => Coral.createStreamEmbed(trap)); break;
        case 1: note(() => Coral.createStreamEmbed(revoked)); break;
        case 2: note(() => Coral.createStreamEmbed(getters)); break;
        case 3: note(() => embed.login(trap)); break;
        case 4: note(() => embed.on(trap, boom)); break;
        case 5: note(() => Coral.Talk.render(document.getElementById("talk"), { talk: trap })); break;
        case 6: note(() => Coral.Talk.render(trap, {})); break;
        case 7: note(() => Coral.createStreamEmbed({ id: "coral_thread", events: boom, refreshAccessToken: boom, storyID: trap })); break;
      }
    }
    return { codes, getterCalls };
  });
  assert.equal(report.getterCalls, 0, "an option getter ran");
  assert.equal(Object.values(report.codes).reduce((a, b) => a + b), 1000);
  // Proxies read as empty options (no container), a getter or a proxy as a
  // value is an invalid option, a proxy as an argument an invalid argument.
  assert.deepEqual(report.codes, { CONTAINER_NOT_FOUND: 250, INVALID_OPTION: 500, INVALID_ARGUMENT: 250 });
  // The embed rendered before all that still works, and so does a new one.
  await page.evaluate((t) => window.embed.login(t), alice);
  await waitAuth(frame, "signed-in", "alice");
  await page.evaluate(() => window.embed.logout());
  await waitAuth(frame, "signed-out");
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "second";
    document.body.appendChild(d);
    window.second = Coral.createStreamEmbed({ id: "second", autoRender: true, storyID: "story-2" });
  });
  await waitAuth(await streamFrame(page, env.server, 1), "signed-out");
  await context.close();
});

test("5. a listener that throws, and a page-made message event with throwing getters, change nothing", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>window.seen = 0; window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       events: function (e) { e.on("authState", function () { seen++; throw new Error("listener"); }); } });</script>`
  );
  const frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-out");
  await page.evaluate(() => {
    class Evil extends MessageEvent {
      get origin() { throw new Error("origin"); }
      get data() { throw new Error("data"); }
    }
    for (let i = 0; i < 1000; i++) window.dispatchEvent(new Evil("message", { source: document.querySelector("iframe").contentWindow }));
  });
  await page.evaluate((t) => window.embed.login(t), bob);
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate(() => window.embed.logout());
  await waitAuth(frame, "signed-out");
  assert.ok((await page.evaluate(() => window.seen)) >= 2);
  await context.close();
});

// ------------------------------------------------------ 6. development routes

// Defence: the server's dev routes check Host, content type and Origin
// (server/src/dev/guard.rs); the unit tests are in server/tests/dev_routes.rs.
test("6. a cross-site form post to the demo login issues no token", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  env.pages.set("/csrf.html", `<!doctype html><form method="post" action="${env.server.publisher}/login">
    <input name="user" value="bob"><input name="return" value="/"></form>
    <script>document.forms[0].submit();</script>`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(env.server.publisher + "/login")),
    page.goto(env.pages.origin + "/csrf.html"),
  ]);
  assert.equal(response.status(), 403);
  await page.waitForLoadState();
  assert.ok(!page.url().includes("jwt="), page.url());
  // A no-cors text/plain post (what a DNS-rebinding page could send) is refused too.
  const status = await fetch(env.server.publisher + "/dev/token", {
    method: "POST",
    headers: { "content-type": "text/plain", host: "rebound.example" },
    body: "{}",
  }).then((r) => r.status);
  assert.ok(status === 415 || status === 421, String(status));
  await context.close();
});

// --------------------------------------------------------- our own variants

// Defence: js/builtins.js binds getElementById, createElement,
// querySelector and appendChild when embed.js runs.
test("variant: injected HTML shadows document's methods and the container's appendChild: the embed still works", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const { page, context, consoleLog } = await open(
    `<img name="getElementById"><img name="createElement"><form name="querySelector"></form>
     <form id="coral_thread"><input name="appendChild"></form>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       accessToken: ${JSON.stringify(bob)} });</script>`
  );
  // The clobbering took effect on the page…
  assert.equal(await page.evaluate(() => document.getElementById instanceof HTMLImageElement), true);
  // …and the SDK still found the container and rendered into it.
  await waitAuth(await streamFrame(page, env.server), "signed-in", "bob");
  assert.deepEqual(consoleLog.filter((l) => l.type === "pageerror"), []);
  await context.close();
});

// Defence: the loader only counts an existing Coral whose createStreamEmbed
// is a function (HTML and JSON cannot make one).
test("variant: a clobbered window.Coral does not stop the SDK from loading", async () => {
  const { page, context } = await open(
    `<form id="Coral"><input name="createStreamEmbed"></form><div id="coral_thread"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });</script>`
  );
  assert.equal(await page.evaluate(() => typeof Coral.createStreamEmbed), "function");
  await waitAuth(await streamFrame(page, env.server), "signed-out");
  await context.close();
});

// Defence: token claims are read as own properties: an inherited `exp` in
// the past cannot make a token without `exp` look expired, nor an inherited
// `nonce` make a nonce-less callback token look expected.
test("variant: inherited claims neither expire a token nor supply a nonce", async () => {
  const bob = await mintToken(env.server, { user: "bob" }); // the coral preset has exp; build one without
  const noExp = await mintToken(env.server, { claims: { user: { id: "u-noexp", email: "n@x.test", username: "noexp" } } });
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>Object.prototype.exp = 1; Object.prototype.nonce = "polluted-nonce-000000000000";
       window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });</script>`
  );
  const frame = await streamFrame(page, env.server);
  await page.evaluate((t) => window.embed.login(t), noExp);
  await waitAuth(frame, "signed-in", "noexp");
  await page.evaluate(() => sessionStorage.setItem("stream-embed.loginNonce", "polluted-nonce-000000000000"));
  await page.goto(page.url() + "#jwt=" + bob);
  const code = await page.evaluate(() => { try { return Coral.handleLoginCallback(window.embed); } catch (e) { return e.code; } });
  assert.equal(code, "LOGIN_CALLBACK_UNEXPECTED");
  await context.close();
});
