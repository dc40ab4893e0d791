// Attacks from a hostile publisher page (issue 13), against the shipped
// dist/embed/ build in headless Chromium: the page holds injected HTML (DOM
// clobbering), polluted prototypes, links crafted by other sites, and
// objects whose getters or Proxy traps throw. Each test tries the attack
// and checks it fails; each would pass if its defence were removed (the
// comment above each says which defence).
//
// Origins: publisher test pages on http://localhost:Q, the stream on
// http://127.0.0.1:S, and an attacker on http://127.0.0.1:H that serves an
// impostor stream page (it says hello like the real one and records
// whatever it is sent) and logs every request it gets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
  startServer,
  startPageServer,
  freePort,
  launchBrowser,
  mintToken,
  streamFrame,
  recordConsole,
  waitAuth,
} from "./harness.mjs";

let server, browser, pages, evil;

/** The attacker's origin: an impostor stream that records what reaches it. */
async function startAttacker() {
  const port = await freePort();
  const requests = [];
  const impostor = `<!doctype html><title>impostor</title><script>
    window.__got = [];
    const hello = { $streamEmbed: 1, t: "hello" };
    addEventListener("message", (e) => {
      window.__got.push(JSON.stringify(e.data));
      for (const p of e.ports) p.onmessage = (m) => window.__got.push(JSON.stringify(m.data));
    });
    setInterval(() => parent.postMessage(hello, "*"), 50);
  </script>`;
  const srv = http.createServer((req, res) => {
    requests.push(req.method + " " + req.url);
    const path = new URL(req.url, "http://x").pathname;
    const body = path === "/embed/stream" ? impostor : path.endsWith(".js") ? "/* evil */" : "evil";
    res.writeHead(200, { "content-type": path.endsWith(".js") ? "text/javascript" : "text/html" });
    res.end(body);
  });
  await new Promise((r) => srv.listen(port, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${port}`, requests, stop: () => new Promise((r) => srv.close(r)) };
}

before(async () => {
  pages = await startPageServer();
  evil = await startAttacker();
  server = await startServer({}, { allowOrigins: [pages.origin] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await evil?.stop();
  await pages?.stop();
});

let n = 0;
/** Opens `html` as a publisher page (optionally with a CSP and a URL suffix). */
async function open(html, { csp, suffix = "", path, init } = {}) {
  const context = await browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  path = path || `/attack-${++n}.html`;
  const headers = csp ? { "content-security-policy": csp } : {};
  pages.set(path, `<!doctype html><meta charset="utf-8"><title>attack</title>${html}`, headers);
  await page.goto(pages.origin + path + suffix);
  return { page, context, consoleLog };
}

/** What the attacker learnt: impostor frames' messages and its request log. */
async function attackerGot(page) {
  const got = [];
  for (const f of page.frames().filter((f) => f.url().startsWith(evil.origin)))
    got.push(...(await f.evaluate(() => window.__got || []).catch(() => [])));
  return got;
}

/** Asserts nothing of `token` reached the attacker, and no frame is its. */
async function assertNothingLeaked(page, token) {
  await page.waitForTimeout(300);
  const got = await attackerGot(page);
  const sig = token.split(".")[2];
  assert.ok(!got.some((m) => m.includes(sig)), "the token reached the attacker: " + got.join(" "));
  assert.deepEqual(
    page.frames().filter((f) => f.url().startsWith(evil.origin + "/embed/")).map((f) => f.url()),
    [],
    "a stream iframe points at the attacker"
  );
  assert.ok(!evil.requests.some((r) => r.includes("/embed/stream")), "the attacker was asked for a stream page");
}

const embedScript = () => `<script src="${server.stream}/embed.js"></script>`;
const iframeSrc = async (page) => {
  await page.waitForSelector("iframe", { state: "attached", timeout: 10000 });
  return page.evaluate(() => document.querySelector("iframe").src);
};

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
      const bob = await mintToken(server, { user: "bob" });
      // The README's snippet, without rootURL, from an external file under
      // a CSP that allows only scripts (no inline script).
      pages.set(`/app-${n + 1}.js`,
        `var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });`,
        { "content-type": "text/javascript" });
      const body = `${clobber(evil.origin)}<div id="coral_thread"></div>${embedScript()}` +
        (csp ? `<script src="/app-${n + 1}.js"></script>`
             : `<script>var embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });</script>`);
      const { page, context, consoleLog } = await open(body, {
        csp: csp ? `script-src 'self' ${server.stream} 'wasm-unsafe-eval'; object-src 'none'` : undefined,
      });
      assert.ok((await iframeSrc(page)).startsWith(server.stream + "/embed/stream?"), await iframeSrc(page));
      await waitAuth(await streamFrame(page, server), "signed-in", "bob");
      await assertNothingLeaked(page, bob);
      assert.deepEqual(consoleLog.filter((l) => l.type === "pageerror"), []);
      await context.close();
    });
  }
}

test("1. ES module: clobbered currentScript and a named __streamEmbedBase anchor do not redirect the stream", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const { page, context } = await open(
    `<img name="currentScript" src="${evil.origin}/x.js"><a id="__streamEmbedBase" href="${evil.origin}/"></a>
     <div id="coral_thread"></div>
     <script type="module">
       import { createStreamEmbed } from "${server.stream}/embed.mjs";
       window.embed = createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });
     </script>`
  );
  await page.waitForFunction(() => window.embed, null, { timeout: 10000 });
  assert.ok((await iframeSrc(page)).startsWith(server.stream + "/embed/stream?"));
  await waitAuth(await streamFrame(page, server), "signed-in", "bob");
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
    const bob = await mintToken(server, { user: "bob" });
    const carol = await mintToken(server, { user: "carol" });
    const pollute = `<script>${POLLUTE(evil.origin, carol)}</script>`;
    const { page, context, consoleLog } = await open(
      `<div id="coral_thread"></div>${when === "before" ? pollute : ""}${embedScript()}${when === "after" ? pollute : ""}
       <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1", accessToken: ${JSON.stringify(bob)} });</script>`
    );
    assert.ok((await iframeSrc(page)).startsWith(server.stream + "/embed/stream?"));
    const frame = await streamFrame(page, server);
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
  const carol = await mintToken(server, { user: "carol" });
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
  const frame = await streamFrame(page, server);
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
  const carol = await mintToken(server, { user: "carol" });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.publisher + "/#jwt=" + carol);
  const frame = await streamFrame(page, server);
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
  const bob = await mintToken(server, { user: "bob" });
  const carol = await mintToken(server, { user: "carol", nonce: "a-nonce-the-reader-never-made" });
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
  const frame = await streamFrame(page, server);
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
  const alice = await mintToken(server, { user: "alice", nonce });
  // (A new query each time: a new document, not a fragment navigation.)
  const base = page.url();
  await page.goto(base + "?r=0#jwt=" + alice);
  assert.equal(await page.evaluate(() => window.result), true);
  await waitAuth(await streamFrame(page, server), "signed-in", "alice");
  // The same callback again (history, a shared link): the nonce is spent.
  await page.goto(base + "?r=1#jwt=" + alice);
  assert.equal(await page.evaluate(() => window.result), "LOGIN_CALLBACK_UNEXPECTED");
  // A newer login supersedes an older nonce.
  const old = await page.evaluate(() => Coral.createLoginNonce());
  await page.evaluate(() => Coral.createLoginNonce());
  await page.goto(base + "?r=2#jwt=" + (await mintToken(server, { user: "alice", nonce: old })));
  assert.equal(await page.evaluate(() => window.result), "LOGIN_CALLBACK_UNEXPECTED");
  await waitAuth(await streamFrame(page, server), "signed-out");
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
  const alice = await mintToken(server, { user: "alice", nonce });
  // The page server answers `//index.html` with its `/` route.
  await page.goto(pages.origin + "//index.html?a=1#jwt=" + alice);
  assert.equal(await page.evaluate(() => location.pathname), "//index.html");
  assert.equal(await page.evaluate(() => window.result), true);
  assert.equal(page.url(), pages.origin + "//index.html?a=1");
  await waitAuth(await streamFrame(page, server), "signed-in", "alice");
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
  const alice = await mintToken(server, { user: "alice", nonce });
  await page.goto(page.url() + "?r=1#jwt=" + alice);
  const result = await page.evaluate(() => window.result);
  assert.match(result, /^LOGIN_CALLBACK_STUCK /);
  assert.ok(!result.includes(alice.split(".")[2]), "the error names the token");
  await page.waitForTimeout(300);
  await waitAuth(await streamFrame(page, server), "signed-out");
  await context.close();
});

// ---------------------------------------------- 5. throwing getters, proxies

// Defence: every import that can run page code is `catch`, and options are
// read through property descriptors (no getter runs). Without it, each throw
// would leave the wasm stack pointer moved until every call traps.
test("5. 1,000 throwing proxies, getters and listeners: the SDK still logs in and out", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const alice = await mintToken(server, { user: "alice" });
  const { page, context } = await open(
    `<div id="coral_thread"></div><div id="talk"></div>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       accessToken: ${JSON.stringify(bob)} });</script>`
  );
  const frame = await streamFrame(page, server);
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
  await waitAuth(await streamFrame(page, server, 1), "signed-out");
  await context.close();
});

test("5. a listener that throws, and a page-made message event with throwing getters, change nothing", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>window.seen = 0; window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       events: function (e) { e.on("authState", function () { seen++; throw new Error("listener"); }); } });</script>`
  );
  const frame = await streamFrame(page, server);
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
  const context = await browser.newContext();
  const page = await context.newPage();
  pages.set("/csrf.html", `<!doctype html><form method="post" action="${server.publisher}/login">
    <input name="user" value="bob"><input name="return" value="/"></form>
    <script>document.forms[0].submit();</script>`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(server.publisher + "/login")),
    page.goto(pages.origin + "/csrf.html"),
  ]);
  assert.equal(response.status(), 403);
  await page.waitForLoadState();
  assert.ok(!page.url().includes("jwt="), page.url());
  // A no-cors text/plain post (what a DNS-rebinding page could send) is refused too.
  const status = await fetch(server.publisher + "/dev/token", {
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
  const bob = await mintToken(server, { user: "bob" });
  const { page, context, consoleLog } = await open(
    `<img name="getElementById"><img name="createElement"><form name="querySelector"></form>
     <form id="coral_thread"><input name="appendChild"></form>${embedScript()}
     <script>window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1",
       accessToken: ${JSON.stringify(bob)} });</script>`
  );
  // The clobbering took effect on the page…
  assert.equal(await page.evaluate(() => document.getElementById instanceof HTMLImageElement), true);
  // …and the SDK still found the container and rendered into it.
  await waitAuth(await streamFrame(page, server), "signed-in", "bob");
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
  await waitAuth(await streamFrame(page, server), "signed-out");
  await context.close();
});

// Defence: token claims are read as own properties: an inherited `exp` in
// the past cannot make a token without `exp` look expired, nor an inherited
// `nonce` make a nonce-less callback token look expected.
test("variant: inherited claims neither expire a token nor supply a nonce", async () => {
  const bob = await mintToken(server, { user: "bob" }); // the coral preset has exp; build one without
  const noExp = await mintToken(server, { claims: { user: { id: "u-noexp", email: "n@x.test", username: "noexp" } } });
  const { page, context } = await open(
    `<div id="coral_thread"></div>${embedScript()}
     <script>Object.prototype.exp = 1; Object.prototype.nonce = "polluted-nonce-000000000000";
       window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "story-1" });</script>`
  );
  const frame = await streamFrame(page, server);
  await page.evaluate((t) => window.embed.login(t), noExp);
  await waitAuth(frame, "signed-in", "noexp");
  await page.evaluate(() => sessionStorage.setItem("stream-embed.loginNonce", "polluted-nonce-000000000000"));
  await page.goto(page.url() + "#jwt=" + bob);
  const code = await page.evaluate(() => { try { return Coral.handleLoginCallback(window.embed); } catch (e) { return e.code; } });
  assert.equal(code, "LOGIN_CALLBACK_UNEXPECTED");
  await context.close();
});
