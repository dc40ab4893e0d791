// Attacks from a hostile publisher page (issue 13), against the shipped
// dist/embed/ build in headless Chromium: the page holds injected HTML (DOM
// clobbering), polluted prototypes, links crafted by other sites, and
// objects whose getters or Proxy traps throw. Each test tries the attack
// and checks it fails; each would pass if its defence were removed (the
// comment above each says which defence).
//
// Here: a clobbered currentScript, polluted prototypes, crafted login links
// and the address bar; throwing getters and proxies, the development routes
// and our own variants are in attacks-page.test.mjs (setup and origins:
// attacks-helpers.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken, streamFrame, waitAuth } from "./harness.mjs";
import { attackEnv, pagesOpened, open, assertNothingLeaked, embedScript, iframeSrc } from "./attacks-helpers.mjs";

const env = attackEnv();

// ------------------------------------------------------------ 1. currentScript

// Defence: js/loader.js reads currentScript through Document.prototype's
// getter and requires an HTMLScriptElement; embed.mjs passes import.meta.url.
for (const [name, clobber] of [
  ["img name", (o) => `<img name="currentScript" src="${o}/x.js">`],
  ["form name", (o) => `<form name="currentScript" action="${o}/"></form>`],
  ["embed name", (o) => `<embed name="currentScript" src="${o}/x.js" type="text/plain">`],
]) {
  for (const csp of [false, true]) {
    test(`1. <${name}="currentScript"> above the embed tag does not redirect the stream${csp ? " (script-only CSP)" : ""}`, async () => {
      const bob = await mintToken(env.server, { user: "bob" });
      // The README's snippet, without rootURL, from an external file under
      // a CSP that allows only scripts (no inline script).
      env.pages.set(`/app-${pagesOpened + 1}.js`,
        `var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });`,
        { "content-type": "text/javascript" });
      const body = `${clobber(env.evil.origin)}<div id="coral_thread"></div>${embedScript()}` +
        (csp ? `<script src="/app-${pagesOpened + 1}.js"></script>`
             : `<script>var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });</script>`);
      const { page, context, consoleLog } = await open(body, {
        csp: csp ? `script-src 'self' ${env.server.stream} 'wasm-unsafe-eval'; object-src 'none'` : undefined,
      });
      assert.ok((await iframeSrc(page)).startsWith(env.server.stream + "/embed/stream?"), await iframeSrc(page));
      await waitAuth(await streamFrame(page, env.server), "signed-in", "bob");
      await assertNothingLeaked(page, bob);
      assert.deepEqual(consoleLog.filter((l) => l.type === "pageerror"), []);
      await context.close();
    });
  }
}

test("1. ES module: clobbered currentScript and a named __streamEmbedBase anchor do not redirect the stream", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const { page, context } = await open(
    `<img name="currentScript" src="${env.evil.origin}/x.js"><a id="__streamEmbedBase" href="${env.evil.origin}/"></a>
     <div id="coral_thread"></div>
     <script type="module">
       import { createStreamEmbed } from "${env.server.stream}/embed.mjs";
       window.embed = createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });
     </script>`
  );
  await page.waitForFunction(() => window.embed, null, { timeout: 10000 });
  assert.ok((await iframeSrc(page)).startsWith(env.server.stream + "/embed/stream?"));
  await waitAuth(await streamFrame(page, env.server), "signed-in", "bob");
  await assertNothingLeaked(page, bob);
  await context.close();
});

// ------------------------------------------------------ 2. prototype pollution

/** Every option name, message field and claim the SDK reads, polluted. */
const POLLUTE = (evilOrigin, token) => `(function () {
  var P = Object.prototype, v = ${JSON.stringify(token)};
  var names = ["id","rootURL","storyID","storyURL","storyMode","commentID","autoRender","events","accessToken",
    "refreshAccessToken","containerClassName","bodyClassName","customCSSURL","customFontsCSSURL",
    "disableDefaultFonts","enableDeprecatedEvents","amp","handleLoginCallback","talk","asset_id","asset_url",
    "auth_token","$streamEmbed","t","token","name","data","height","loggedIn","canRefresh","exp","sub","user",
    "nonce","alg","email","username","origin","source"];
  for (var i = 0; i < names.length; i++) P[names[i]] = v;
  P.rootURL = P.talk = P.customCSSURL = ${JSON.stringify(evilOrigin)};
  P.autoRender = P.handleLoginCallback = true;
  P.exp = 1; P.id = "nowhere";
  // What a polluted property descriptor would need to fool defineProperty.
  P.value = ${JSON.stringify(evilOrigin)}; P.writable = true; P.get = "x";
})();`;

// Defence: options, messages and claims are read as own data properties
// (src/js.rs JsRecord::raw); the loader's descriptor has a null prototype.
for (const when of ["before", "after"]) {
  test(`2. Object.prototype polluted with every option and field (${when} embed.js): the token goes to the real stream only`, async () => {
    const bob = await mintToken(env.server, { user: "bob" });
    const carol = await mintToken(env.server, { user: "carol" });
    const pollute = `<script>${POLLUTE(env.evil.origin, carol)}</script>`;
    const { page, context, consoleLog } = await open(
      `<div id="coral_thread"></div>${when === "before" ? pollute : ""}${embedScript()}${when === "after" ? pollute : ""}
       <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });</script>`
    );
    assert.ok((await iframeSrc(page)).startsWith(env.server.stream + "/embed/stream?"));
    const frame = await streamFrame(page, env.server);
    await waitAuth(frame, "signed-in", "bob");
    // Inherited keys are not options: no "unknown option" warning either.
    assert.deepEqual(consoleLog.filter((l) => /unknown option|pageerror/.test(l.text + l.type)), []);
    await page.evaluate(() => window.embed.logout());
    await waitAuth(frame, "signed-out");
    await assertNothingLeaked(page, bob);
    await context.close();
  });
}

test("2. a polluted Object.prototype in the stream frame cannot sign a signed-out reader in", async () => {
  const carol = await mintToken(env.server, { user: "carol" });
  // The page sends `config` without a token; an inherited `accessToken` or
  // `token` must not be read by the stream's decoder.
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });</script>`,
    {
      init: `if (location.pathname === "/embed/stream") {
        Object.prototype.accessToken = ${JSON.stringify(carol)};
        Object.prototype.token = ${JSON.stringify(carol)};
      }`,
    }
  );
  const frame = await streamFrame(page, env.server);
  await frame.waitForFunction(() => Object.prototype.token, null, { timeout: 5000 });
  await waitAuth(frame, "signed-out");
  await page.evaluate(() => window.embed.logout());
  await page.waitForTimeout(300);
  await waitAuth(frame, "signed-out");
  await context.close();
});

// ------------------------------------------------------------ 3. login CSRF

// Defence: handleLoginCallback accepts only a token whose `nonce` claim is
// the pending Coral.createLoginNonce() value of this tab (src/nonce.rs).
test("3. a crafted link with the attacker's own genuine token does not sign the reader in (demo article)", async () => {
  const carol = await mintToken(env.server, { user: "carol" });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.publisher + "/#jwt=" + carol);
  const frame = await streamFrame(page, env.server);
  await page.waitForFunction(
    () => (window.demoEvents || []).some((e) => e.name === "loginCallbackRefused" && e.data.code === "LOGIN_CALLBACK_UNEXPECTED"),
    null,
    { timeout: 10000 }
  );
  assert.equal(new URL(page.url()).hash, "", "the token left the address bar anyway");
  await page.waitForTimeout(300);
  await waitAuth(frame, "signed-out");
  assert.equal(await page.textContent("#publisher-user"), "not signed in");
  await context.close();
});

test("3. handleLoginCallback: true never replaces the page's own session with a crafted link's token", async () => {
  const bob = await mintToken(env.server, { user: "bob" });
  const carol = await mintToken(env.server, { user: "carol", nonce: "a-nonce-the-reader-never-made" });
  const { page, context, consoleLog } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>window.codes = [];
       window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
         accessToken: ${JSON.stringify(bob)}, handleLoginCallback: true,
         events: function (e) { e.on("authError", function (d) { codes.push(d.code); }); } });</script>`,
    { suffix: "#jwt=" + carol }
  );
  assert.deepEqual(await page.evaluate(() => window.codes), ["LOGIN_CALLBACK_UNEXPECTED"]);
  assert.equal(new URL(page.url()).hash, "");
  const frame = await streamFrame(page, env.server);
  await waitAuth(frame, "signed-in", "bob");
  await page.waitForTimeout(300);
  assert.equal((await frame.textContent("#username")).trim(), "bob");
  assert.ok(!consoleLog.some((l) => l.text.includes(carol.split(".")[2])), "token in the console");
  await context.close();
});

test("3. the reader's own callback works once; a replay and a stale nonce are refused", async () => {
  const body = `<div id="coral_thread"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });
       window.result = (function () { try { return Coral.handleLoginCallback(embed); } catch (e) { return e.code; } })();</script>`;
  const { page, context } = await open(body);
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  assert.match(nonce, /^[0-9a-f-]{36}$/);
  const alice = await mintToken(env.server, { user: "alice", nonce });
  // (A new query each time: a new document, not a fragment navigation.)
  const base = page.url();
  await page.goto(base + "?r=0#jwt=" + alice);
  assert.equal(await page.evaluate(() => window.result), true);
  await waitAuth(await streamFrame(page, env.server), "signed-in", "alice");
  // The same callback again (history, a shared link): the nonce is spent.
  await page.goto(base + "?r=1#jwt=" + alice);
  assert.equal(await page.evaluate(() => window.result), "LOGIN_CALLBACK_UNEXPECTED");
  // A newer login supersedes an older nonce.
  const old = await page.evaluate(() => Coral.createLoginNonce());
  await page.evaluate(() => Coral.createLoginNonce());
  await page.goto(base + "?r=2#jwt=" + (await mintToken(env.server, { user: "alice", nonce: old })));
  assert.equal(await page.evaluate(() => window.result), "LOGIN_CALLBACK_UNEXPECTED");
  await waitAuth(await streamFrame(page, env.server), "signed-out");
  await context.close();
});

// ----------------------------------------------------- 4. the address bar

// Defence: the stripped URL is absolute on the page's origin (src/page.rs);
// if replaceState fails, the token is not used (LOGIN_CALLBACK_STUCK).
test("4. a page path starting with // still loses the callback token from the address bar", async () => {
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });
       window.result = (function () { try { return Coral.handleLoginCallback(embed); } catch (e) { return e.code; } })();</script>`,
    { path: "/" }
  );
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  const alice = await mintToken(env.server, { user: "alice", nonce });
  // The page server answers `//index.html` with its `/` route.
  await page.goto(env.pages.origin + "//index.html?a=1#jwt=" + alice);
  assert.equal(await page.evaluate(() => location.pathname), "//index.html");
  assert.equal(await page.evaluate(() => window.result), true);
  assert.equal(page.url(), env.pages.origin + "//index.html?a=1");
  await waitAuth(await streamFrame(page, env.server), "signed-in", "alice");
  await context.close();
});

test("4. when the token cannot leave the address bar, it is not used (LOGIN_CALLBACK_STUCK)", async () => {
  const { page, context } = await open(
    `<script>History.prototype.replaceState = function () { throw new DOMException("blocked", "SecurityError"); };</script>
     <div id="coral_thread"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });
       window.result = (function () { try { return Coral.handleLoginCallback(embed); } catch (e) { return e.code + " " + e.message; } })();</script>`
  );
  const nonce = await page.evaluate(() => Coral.createLoginNonce());
  const alice = await mintToken(env.server, { user: "alice", nonce });
  await page.goto(page.url() + "?r=1#jwt=" + alice);
  const result = await page.evaluate(() => window.result);
  assert.match(result, /^LOGIN_CALLBACK_STUCK /);
  assert.ok(!result.includes(alice.split(".")[2]), "the error names the token");
  await page.waitForTimeout(300);
  await waitAuth(await streamFrame(page, env.server), "signed-out");
  await context.close();
});
