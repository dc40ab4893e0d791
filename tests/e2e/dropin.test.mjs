// End-to-end: Coral's own embed code and docs, verbatim with the host
// replaced, against the reference server (issue 14). Sources, from
// coralproject/talk at 8bf2ad7 (v9.11.8): the admin panel's embed code
// (client/src/core/client/admin/routes/Configure/sections/Sites/EmbedCode.tsx,
// rendered for a Coral at ORIGIN without a static URI), docs/docs/cms.md,
// docs/docs/events.md and docs/docs/sso.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useStack, startThirdOrigin, mintToken, streamFrame, recordConsole, waitAuth } from "./harness.mjs";

let server, browser, pages, host;

useStack(async (stack) => {
  ({ server, browser, pages } = stack);
  host = new URL(server.stream).host;
});

// ---------------------------------------------------------------- Coral's texts

/** EmbedCode.tsx's template, as the admin panel shows it (ORIGIN = the Coral's origin). */
const ADMIN_EMBED_CODE = `<div id="coral_thread"></div>
<script type="text/javascript">
  (function() {
      var d = document, s = d.createElement('script');
      s.src = 'ORIGIN/assets/js/embed.js';
      s.async = false;
      s.defer = true;
      s.onload = function() {
          Coral.createStreamEmbed({
              id: "coral_thread",
              autoRender: true,
              rootURL: 'ORIGIN',
              // Uncomment these lines and replace with the ID of the
              // story's ID and URL from your CMS to provide the
              // tightest integration. Refer to our documentation at
              // https://docs.coralproject.net for all the configuration
              // options.
              // storyID: '\${storyID}',
              // storyURL: '\${storyURL}',
          });
      };
      (d.head || d.body).appendChild(s);
  })();
</script>`;

/** docs/docs/cms.md, "Integrating on your site" (its stray "`;" line included). */
const CMS_MD = `<div id="coral_thread"></div>
<script type="text/javascript">
  (function () {
    var d = document,
      s = d.createElement("script");
    var URL = "{{ CORAL_DOMAIN_NAME }}";
    s.src = "//" + URL + "/assets/js/embed.js";
    s.async = false;
    s.defer = true;
    s.onload = function () {
      Coral.createStreamEmbed({
        id: "coral_thread",
        autoRender: true,
        rootURL: "//" + URL,
      });
    };
    (d.head || d.body).appendChild(s);
  })();
</script>
\`;`;

/** docs/docs/events.md, "Analytics Tool Integration". */
const EVENTS_MD = `<script>
  const CoralStreamEmbed = Coral.createStreamEmbed({
    events: function (events) {
      events.onAny(function (eventName, data) {
        console.log(eventName, data);
        if (eventName === "createComment.success") {
          my_event_tracker.send("createComment", data);
        }
      });
    },
  });
</script>`;

/** docs/docs/sso.md: the three snippets. */
const SSO_ACCESS_TOKEN = `Coral.createStreamEmbed({
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
  accessToken: "{{ SSO_TOKEN }}",
});`;
const SSO_LOGIN_LOGOUT = `var embed = Coral.createStreamEmbed({
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
});

// Login the current embed with the generated SSO token.
embed.login("{{ SSO_TOKEN }}");

// Logout the user.
embed.logout();`;
const SSO_LOGIN_PROMPT = `var embed = Coral.createStreamEmbed({
  // Don't forget to include the parameters from the
  // "Embed On Your Site" section.
  events: function (events) {
    events.on("loginPrompt", function () {
      // Redirect user to a login page.
      location.href = "http://example.com/login";
    });
  },
});`;

/** What sso.md's comment asks for: the admin embed code's parameters. */
const embedParams = () => `id: "coral_thread",
  autoRender: true,
  rootURL: '${server.stream}',`;
const withParams = (snippet) =>
  snippet.replace(`// Don't forget to include the parameters from the\n  // "Embed On Your Site" section.`, embedParams());

// ---------------------------------------------------------------- helpers

let n = 0;
async function open(html) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const path = `/dropin-${++n}.html`;
  pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>Article</title></head><body><h1>Article</h1>\n${html}\n</body></html>`);
  await page.goto(pages.origin + path);
  return { page, context, consoleLog, url: pages.origin + path };
}

const visible = (page) =>
  page.waitForFunction(() => {
    const f = document.querySelector("#coral_thread iframe, #coral-embed-stream iframe");
    return f && getComputedStyle(f).visibility !== "hidden" && f.getBoundingClientRect().height > 50;
  });

async function postComment(frame, text) {
  await frame.fill("#comment-body", text);
  await frame.click("#post-comment");
  await frame.waitForSelector(`.comment-body:text-is("${text}")`);
}

// ---------------------------------------------------------------- tests

test("Coral's admin embed code: dynamic insertion (async=false, defer=true), createStreamEmbed in onload, /assets/js/embed.js", async () => {
  const { page, context, consoleLog, url } = await open(ADMIN_EMBED_CODE.replaceAll("ORIGIN", server.stream));
  const frame = await streamFrame(page, server);
  await visible(page);
  await waitAuth(frame, "signed-out");
  const script = await page.$eval(`script[src="${server.stream}/assets/js/embed.js"]`, (s) => [s.async, s.defer, s.parentNode.nodeName]);
  assert.deepEqual(script, [false, true, "HEAD"]);
  // No storyID or storyURL: the story is the page (origin + path), as in Coral.
  assert.equal(new URL(frame.url()).searchParams.get("storyURL"), url);
  assert.deepEqual(consoleLog.filter((l) => l.type === "error"), []);
  await context.close();
});

test("the amp option is accepted and ignored: no warning, the stream renders", async () => {
  const { page, context, consoleLog } = await open(`<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, rootURL: "${server.stream}", amp: true });</script>`);
  const frame = await streamFrame(page, server);
  await visible(page);
  await waitAuth(frame, "signed-out");
  assert.deepEqual(consoleLog.filter((l) => l.type === "warning" || l.type === "error"), []);
  await context.close();
});

test("docs/events.md: onAny sees createComment.success with Coral's payload after a comment is posted", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`<div id="coral-embed-stream"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>window.my_event_tracker = { sent: [], send: function (name, data) { this.sent.push([name, data]); } };</script>
${EVENTS_MD}
<script>CoralStreamEmbed.render(); CoralStreamEmbed.login(${JSON.stringify(token)});</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await postComment(frame, "tracked");
  await page.waitForFunction(() => my_event_tracker.sent.length === 1);
  const [[name, data]] = await page.evaluate(() => my_event_tracker.sent);
  const id = await frame.getAttribute("#comments > li.comment", "data-id");
  assert.equal(name, "createComment");
  assert.deepEqual({ ...data, rtt: typeof data.rtt }, { storyID: null, body: "tracked", rtt: "number", success: { id, status: "NONE" } });
  await context.close();
});

test("docs/sso.md: accessToken in the options signs the reader in", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>${withParams(SSO_ACCESS_TOKEN).replace("{{ SSO_TOKEN }}", token)}</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "bob");
  await context.close();
});

test("docs/sso.md: embed.login() then embed.logout(), and the embed signs in again later", async () => {
  const token = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>${withParams(SSO_LOGIN_LOGOUT).replace("{{ SSO_TOKEN }}", token)}</script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await page.evaluate((t) => embed.login(t), token);
  await waitAuth(frame, "signed-in", "bob");
  await context.close();
});

test("docs/sso.md: the loginPrompt handler redirects to the publisher's login page", async () => {
  const { page, context } = await open(`<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>${withParams(SSO_LOGIN_PROMPT)}</script>`);
  await page.route("http://example.com/login", (r) => r.fulfill({ status: 200, contentType: "text/html", body: "<title>login</title>" }));
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-out");
  await Promise.all([page.waitForURL("http://example.com/login"), frame.click("#sign-in")]);
  await context.close();
});

test(
  "docs/cms.md verbatim: scheme-relative script src and rootURL",
  async () => {
    const { page, context, consoleLog } = await open(CMS_MD.replace("{{ CORAL_DOMAIN_NAME }}", host));
    const frame = await streamFrame(page, server);
    await visible(page);
    await waitAuth(frame, "signed-out");
    assert.deepEqual(consoleLog.filter((l) => l.type === "error"), []);
    await context.close();
  }
);

test(
  "a wildcard listener (EventEmitter2 `createComment.*`) sees createComment.success after a comment is posted",
  async () => {
    const token = await mintToken(server, { user: "bob" });
    const { page, context } = await open(`<div id="coral_thread"></div>
<script src="${server.stream}/assets/js/embed.js"></script>
<script>
window.__wild = [];
var embed = Coral.createStreamEmbed({ ${embedParams()} accessToken: ${JSON.stringify(token)},
  events: function (events) { events.on("createComment.*", function (data) { __wild.push([this.event, data.body]); }); } });
</script>`);
    const frame = await streamFrame(page, server);
    await waitAuth(frame, "signed-in");
    await postComment(frame, "wild");
    await page.waitForFunction(() => __wild.length === 1, null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => __wild), [["createComment.success", "wild"]]);
    await context.close();
  }
);

/** docs/docs/amp.md, "How to integrate". */
const AMP_MD = `<amp-iframe
  width=600 height=360
  layout="responsive"
  sandbox="allow-scripts allow-same-origin allow-modals allow-popups allow-forms"
  resizable
  src="https://{{ CORAL_DOMAIN_NAME }}/embed/stream/amp?storyURL={{ CORAL_STORY_URL }}">
  <div placeholder></div>
  <div overflow tabindex=0 role=button aria-label="Read more">Read more</div>
</amp-iframe>`;

test("docs/amp.md: the amp-iframe's page lists the story read only and sends AMP embed-size messages, from any origin", async () => {
  const token = await mintToken(server, { user: "bob" });
  const storyURL = "https://news.example/amp-story";
  for (const body of ["one", "two", "three"]) {
    const res = await fetch(server.stream + "/api/comments", {
      method: "POST",
      headers: { authorization: "Bearer " + token, "content-type": "application/json" },
      body: JSON.stringify({ storyURL, body }),
    });
    assert.equal(res.status, 201);
  }
  const snippet = AMP_MD.replace("https://{{ CORAL_DOMAIN_NAME }}", server.stream).replace("{{ CORAL_STORY_URL }}", storyURL);
  // What the AMP runtime makes of <amp-iframe>: an iframe with its src and
  // sandbox that resizes on embed-size (the runtime itself is not loaded here).
  const src = snippet.match(/src="([^"]+)"/)[1];
  const sandbox = snippet.match(/sandbox="([^"]+)"/)[1];
  const amp = await startThirdOrigin({
    "/amp.html": `<!doctype html><script>window.__sizes = []; addEventListener("message", function (e) {
      if (e.data && e.data.sentinel === "amp") __sizes.push([e.origin, e.data.type, e.data.height]); });</script>
      <iframe src="${src}" sandbox="${sandbox}" width="600" height="360"></iframe>`,
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(amp.origin + "/amp.html");
    const frame = await (async () => {
      for (;;) {
        const f = page.frames().find((f) => f.url().startsWith(server.stream + "/embed/stream/amp"));
        if (f) return f;
        await page.waitForTimeout(50);
      }
    })();
    await frame.waitForSelector('.comment-body:text-is("one")');
    assert.deepEqual(await frame.$$eval(".comment-body", (ps) => ps.map((p) => p.textContent)), ["three", "two", "one"]);
    assert.equal(await frame.isVisible("#comment-form"), false);
    assert.equal(await frame.isVisible("#sign-in"), false);
    assert.deepEqual(await frame.$eval("#amp-article", (a) => [a.href, a.target]), [storyURL, "_blank"]);
    await page.waitForFunction(() => __sizes.length > 0);
    const height = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    await page.waitForFunction((h) => __sizes.some((s) => s[2] === Math.max(100, h)), height);
    assert.ok((await page.evaluate(() => __sizes)).every(([origin, type, h]) => origin === server.stream && type === "embed-size" && h >= 100));
    await context.close();
  } finally {
    await amp.stop();
  }
});
