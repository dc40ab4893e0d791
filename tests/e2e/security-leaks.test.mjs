// Security end-to-end test a (issue 5), headless Chromium on three origins
// (tests/e2e/security-helpers.mjs): leak-proofing. The token never shows up
// in a URL, a Referer, storage, cookies, console output, server output, or
// a window-level postMessage that is not pinned to the stream origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintToken } from "./harness.mjs";
import {
  securityEnv, newContext, publisherURL, sdk, frameIn, waitAuth, authState, until
} from "./security-helpers.mjs";

const env = securityEnv();

test("a. leak test: no token in URLs, Referer, storage, cookies, console, or an unpinned postMessage", async () => {
  const [t1, t2, t3, tBad, t4] = [
    await mintToken(env.server, { user: "bob" }),
    await mintToken(env.server, { user: "alice" }),
    await mintToken(env.server, { user: "carol" }),
    await mintToken(env.server, { user: "bob", badSignature: true }),
    await mintToken(env.server, { user: "alice", expiresIn: 1800 }),
  ];
  const tokens = { t1, t2, t3, tBad, t4 };
  assert.equal(new Set(Object.values(tokens)).size, 5, "distinct tokens");
  // Also catch a token cut to its signature-less prefix or its signature.
  const needles = Object.entries(tokens).flatMap(([n, t]) => {
    const [h, p, s] = t.split(".");
    return [
      [n, t],
      [n + ".payload", p],
      [n + ".signature", s],
      [n + ".uri", encodeURIComponent(t)],
    ];
  });
  const leak = (s) => needles.find(([, v]) => String(s).includes(v))?.[0];

  const { context, page, consoleLog, rewrites } = await newContext({ messages: true });
  const requests = [];
  const pending = [];
  context.on("request", (r) =>
    pending.push(
      r.allHeaders().then(
        (headers) => requests.push({ url: r.url(), headers }),
        () => requests.push({ url: r.url(), headers: r.headers() })
      )
    )
  );
  const frameURLs = [];
  page.on("framenavigated", (f) => frameURLs.push(f.url()));

  const url = publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
window.__refresh = 0;
window.__nextToken = null;
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}", storyID: "sec-leak",
  accessToken: "${t1}",
  refreshAccessToken: function (next) { __refresh++; next(window.__nextToken); },
  events: function (ev) { ev.onAny(function (name, data) { __events.push([name, data]); }); }
});
</script>`);
  await page.goto(url);
  let frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");

  await page.evaluate((t) => embed.login(t), t2);
  await waitAuth(frame, "signed-in", "alice");
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  await page.evaluate((t) => embed.login(t), t3);
  await waitAuth(frame, "signed-in", "carol");
  // A token the server refuses: the stream asks refreshAccessToken for another.
  await page.evaluate((t) => (window.__nextToken = t), t4);
  await page.evaluate((t) => embed.login(t), tBad);
  await waitAuth(frame, "signed-in", "alice");
  assert.equal(await page.evaluate(() => __refresh), 1, "refreshAccessToken called once");
  assert.ok(
    (await page.evaluate(() => __events)).some(
      ([n, d]) => n === "authError" && d && d.code === "TOKEN_SIGNATURE_INVALID"
    ),
    "authError {code} forwarded"
  );
  // The console recorder sees the stream frame too.
  await frame.evaluate(() => console.log("probe from the stream frame"));
  await until(() => consoleLog.some((l) => l.text === "probe from the stream frame"), "stream console probe");

  /** Storage, cookies and the instrumentation log of the publisher page and the stream frame. */
  const harvest = async () => {
    // A third-party frame may be denied storage outright (then it holds nothing).
    const grab = () => {
      const read = (f) => {
        try {
          return f();
        } catch (e) {
          return `<denied: ${e.name}>`;
        }
      };
      return {
        local: read(() => JSON.stringify(Object.entries(localStorage))),
        session: read(() => JSON.stringify(Object.entries(sessionStorage))),
        cookie: read(() => document.cookie),
        referrer: document.referrer,
        url: location.href,
        sec: window.__sec,
      };
    };
    return { publisher: await page.evaluate(grab), stream: await frame.evaluate(grab) };
  };
  const snapshots = [await harvest()];

  // The stream reloads on its own: the host re-handshakes and re-sends the current token.
  const hellos = () =>
    page.evaluate(() => window.__sec.received.filter((r) => r.json === '{"$streamEmbed":1,"t":"hello"}').length);
  const hellosBefore = await hellos();
  await frame.evaluate(() => location.reload());
  await until(async () => (await hellos()) > hellosBefore, "a second hello");
  await waitAuth(frame, "signed-in", "alice");
  assert.equal(page.frames().length, 2, "one stream frame");
  const resent = await frame.evaluate(() => window.__sec.portReceived.map((r) => JSON.parse(r.json)));
  assert.ok(
    resent.some((m) => m.t === "config" && m.accessToken === t4),
    "the current token is re-sent on reconnect"
  );
  snapshots.push(await harvest());

  // Reload: the publisher supplies t1 again; then sign out.
  await page.reload();
  frame = await frameIn(page, "coral_thread");
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate(() => embed.logout());
  await waitAuth(frame, "signed-out");
  snapshots.push(await harvest());
  await Promise.all(pending);
  const state = await context.storageState({ indexedDB: true });
  const cookies = await context.cookies();

  // The instrumentation saw the SDK's traffic at all.
  assert.ok(rewrites["/embed.js"] >= 1 && rewrites["/stream/stream_client.js"] >= 1, JSON.stringify(rewrites));
  const posts = snapshots.flatMap((s) => [...s.publisher.sec.posts, ...s.stream.sec.posts]);
  assert.ok(
    posts.some((p) => p.kind === "window" && p.from === env.pages.origin && p.target === env.server.stream && p.ports === 1),
    "welcome + port to the pinned stream origin recorded"
  );
  assert.ok(posts.some((p) => p.kind === "port" && p.json.includes(t1)), "config with t1 over the port recorded");
  assert.ok(posts.some((p) => p.kind === "port" && p.json.includes(t2)), "login t2 over the port recorded");

  // postMessage: anything with a token on a window goes to the stream origin only.
  const windowPosts = posts.filter((p) => p.kind === "window");
  for (const p of windowPosts) {
    if (leak(p.json)) {
      assert.equal(p.target, env.server.stream, `token posted to ${p.target}: ${p.json.slice(0, 80)}`);
    }
    if (p.target === "*") {
      assert.equal(leak(p.json), undefined, "token posted with target *");
      assert.equal(p.from, env.server.stream, "only the stream posts to *");
      assert.deepEqual(JSON.parse(p.json), { $streamEmbed: 1, t: "hello" }, "only hello goes to *");
    }
  }
  assert.equal(windowPosts.filter((p) => leak(p.json)).length, 0, "tokens travel only over the port");
  // Nothing with a token arrived at window level in either frame.
  for (const s of snapshots) {
    for (const [who, snap] of Object.entries(s)) {
      for (const r of snap.sec.received) assert.equal(leak(r.json), undefined, `${who} got a token at window level`);
    }
  }

  // URLs (requests and frame navigations, fragments included) and Referer.
  assert.ok(requests.length > 5, "requests recorded");
  for (const u of [...requests.map((r) => r.url), ...frameURLs]) {
    assert.equal(leak(u), undefined, `token in URL ${u.slice(0, 120)}`);
  }
  for (const { url: u, headers } of requests) {
    for (const [name, value] of Object.entries(headers)) {
      if (name === "authorization" && new URL(u).origin === env.server.stream && new URL(u).pathname.startsWith("/api/")) {
        continue; // the one place a token belongs: Bearer to the stream's API
      }
      assert.equal(leak(value), undefined, `token in header ${name} of ${u}`);
    }
    if (headers.referer) assert.equal(leak(headers.referer), undefined, "token in Referer");
  }
  const bearer = requests.filter((r) => (r.headers.authorization || "").startsWith("Bearer "));
  assert.ok(bearer.length > 0, "the API saw bearer tokens");
  for (const r of bearer) assert.equal(new URL(r.url).origin, env.server.stream, "bearer sent off the stream origin");

  // Storage and cookies of both origins, and the frames' own view of them.
  for (const s of snapshots) {
    for (const [who, snap] of Object.entries(s)) {
      for (const k of ["local", "session", "cookie", "referrer", "url"]) {
        assert.equal(leak(snap[k]), undefined, `token in ${who} ${k}`);
      }
    }
  }
  assert.equal(leak(JSON.stringify(state)), undefined, "token in storageState (localStorage/IndexedDB/cookies)");
  assert.equal(leak(JSON.stringify(cookies)), undefined, "token in a cookie");

  // Console output of every frame, and the server's own output.
  assert.ok(consoleLog.length > 0);
  for (const l of consoleLog) assert.equal(leak(l.text), undefined, `token in console: ${l.text.slice(0, 80)}`);
  assert.equal(leak(env.server.output()), undefined, "token in server output");
  // Errors the SDK raises never contain the token they refuse.
  const expired = await mintToken(env.server, { user: "bob", expired: true });
  const refused = [t1.split(".").slice(0, 2).join("."), expired];
  for (const bad of refused) {
    const errText = await page.evaluate((t) => {
      try {
        embed.login(t);
        return "no throw";
      } catch (e) {
        return `${e.code} ${e.message} ${e.stack}`;
      }
    }, bad);
    assert.notEqual(errText, "no throw", "a malformed or expired token is refused by login()");
    for (const part of bad.split(".")) assert.ok(!errText.includes(part), `token echoed in an error: ${errText}`);
  }
  assert.equal(await authState(frame), "signed-out", "a refused login() leaves the session as it was");
  await context.close();
});
