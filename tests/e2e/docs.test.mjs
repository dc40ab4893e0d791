// The README's snippets, run verbatim: every ```html / ```js block preceded
// by `<!-- e2e:NAME -->` is extracted, its placeholders (STREAM_HOST,
// SSO_TOKEN, TALK_TOKEN) are filled in, and it must work in Chromium.
// The ```sh blocks of "Keeping accounts in sync" (`<!-- e2e:sync-NAME -->`)
// run with bash against the server, its binary on PATH.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminEnv, gql, parseCsv, runSh, unzip } from "./admin-helpers.mjs";
import { CORAL_AND_TALK_ENV, ROOT, useStack, mintToken, streamFrame, recordConsole, waitAuth } from "./harness.mjs";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const snippets = {};
for (const m of readme.matchAll(/<!-- e2e:(\w+) -->\n```(?:html|js)\n([\s\S]*?)```/g)) snippets[m[1]] = m[2];
const shell = {};
for (const m of readme.matchAll(/<!-- e2e:(sync-[\w-]+) -->\n```sh\n([\s\S]*?)```/g)) shell[m[1]] = m[2];

let server, browser, pages;
useStack((stack) => ({ server, browser, pages } = stack), CORAL_AND_TALK_ENV);

function fill(code, tokens = {}) {
  let out = code.replaceAll("https://STREAM_HOST", server.stream).replaceAll("//STREAM_HOST", "//" + new URL(server.stream).host);
  for (const [k, v] of Object.entries(tokens)) out = out.replaceAll(k, v);
  assert.ok(!/STREAM_HOST|SSO_TOKEN|TALK_TOKEN/.test(out), "unfilled placeholder");
  return out;
}

let n = 0;
async function open(html, hash = "") {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const path = `/doc-${++n}.html`;
  pages.set(path, `<!doctype html><meta charset="utf-8"><title>doc</title>${html}`);
  await page.goto(pages.origin + path + hash);
  return { page, context, consoleLog };
}

const signedInAs = (frame, name) => waitAuth(frame, "signed-in", name);

test("README has every tagged snippet", () => {
  assert.deepEqual(Object.keys(snippets).sort(), ["callback", "counts", "embed", "esm", "events", "login", "refresh", "talk"]);
});

test("README: Embed on your site, then Single sign-on login()/logout()", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const alice = await mintToken(server, { user: "alice" });
  const { page, context } = await open(fill(snippets.embed, { SSO_TOKEN: bob }));
  const frame = await streamFrame(page, server);
  await signedInAs(frame, "bob");
  await page.evaluate(fill(snippets.login, { SSO_TOKEN: alice }));
  await signedInAs(frame, "alice");
  await context.close();
});

test("README: ES module", async () => {
  const { page, context } = await open(fill(snippets.esm));
  const frame = await streamFrame(page, server);
  await frame.waitForFunction(() => document.getElementById("auth-state").textContent.trim() === "signed-out");
  await context.close();
});

test("README: refreshAccessToken before exp", async () => {
  const soon = await mintToken(server, { user: "bob", expiresIn: 30 });
  pages.set("/sso-token", await mintToken(server, { user: "alice" }));
  const { page, context } = await open(fill(snippets.refresh, { SSO_TOKEN: soon }));
  const frame = await streamFrame(page, server);
  await signedInAs(frame, "alice");
  await context.close();
});

test("README: login callback, with this tab's nonce", async () => {
  const { page, context } = await open(fill(snippets.callback));
  // The stream's Sign in → loginPrompt → the publisher's login page, with a nonce.
  await (await streamFrame(page, server)).click("#sign-in");
  await page.waitForURL(/\/login\?return=/);
  const asked = new URL(page.url()).searchParams;
  assert.match(asked.get("nonce"), /^[0-9a-f-]{36}$/);
  // The issuer signs the nonce into the token and sends the reader back.
  const bob = await mintToken(server, { user: "bob", nonce: asked.get("nonce") });
  await page.goto(pages.origin + asked.get("return") + "#jwt=" + bob);
  const frame = await streamFrame(page, server);
  await signedInAs(frame, "bob");
  assert.ok(!page.url().includes(bob), "token left in the address bar");
  // The same link again (the nonce is spent), or crafted elsewhere: refused.
  const warned = [];
  page.on("console", (m) => warned.push(m.text()));
  await page.goto(pages.origin + asked.get("return") + "?again=1#jwt=" + bob);
  await waitAuth(await streamFrame(page, server), "signed-out");
  assert.ok(warned.some((w) => w.includes("login callback token ignored")), warned.join("\n"));
  assert.ok(!page.url().includes(bob), "token left in the address bar");
  await context.close();
});

test("README: Events", async () => {
  const { page, context, consoleLog } = await open(
    `<div id="coral_thread"></div><script src="${server.stream}/embed.js"></script><script>${fill(snippets.events)}</script>`
  );
  const frame = await streamFrame(page, server);
  await frame.click("#sign-in");
  const deadline = Date.now() + 10000;
  while (!consoleLog.some((l) => l.text.startsWith("stream event loginPrompt")) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(consoleLog.some((l) => l.text.startsWith("stream event ready")));
  assert.ok(consoleLog.some((l) => l.text.startsWith("stream event loginPrompt")));
  await context.close();
});

test("README: Migrating from Talk v4", async () => {
  const tess = await mintToken(server, { user: "tess" });
  const { page, context } = await open(fill(snippets.talk, { TALK_TOKEN: tess }));
  const frame = await streamFrame(page, server);
  await signedInAs(frame, "tess");
  await context.close();
});

test("README: Comment counts", async () => {
  const bob = await mintToken(server, { user: "bob" });
  for (const story of [{ storyID: "story-1" }, { storyURL: "https://news.example/tides" }, { storyURL: "https://news.example/tides" }]) {
    const res = await fetch(server.stream + "/api/comments", {
      method: "POST",
      headers: { authorization: "Bearer " + bob, "content-type": "application/json" },
      body: JSON.stringify({ ...story, body: "counted" }),
    });
    assert.equal(res.status, 201);
  }
  const { page, context, consoleLog } = await open(fill(snippets.counts));
  await page.waitForFunction(() => document.querySelectorAll(".coral-count[data-coral-count]").length === 2);
  const html = await page.$$eval(".coral-count", (els) => els.map((e) => e.innerHTML));
  assert.match(html[0], /^<span class="coral-count-number">\d+<\/span> <span class="coral-count-text">Comments?<\/span>$/);
  assert.equal(html[1], '<span class="coral-count-number">2</span>');
  assert.deepEqual(consoleLog.filter((l) => l.type === "error" || l.type === "warning"), []);
  await context.close();
});

test("README: Keeping accounts in sync, every example run with bash", async () => {
  assert.deepEqual(Object.keys(shell).sort(), [
    "sync-archive", "sync-bootstrap", "sync-deactivate", "sync-delete", "sync-download",
    "sync-email", "sync-token", "sync-username", "sync-users",
  ]);
  const dir = mkdtempSync(join(tmpdir(), "stream-docs-sync-"));
  const env = adminEnv(server);
  const run = (name) => {
    const code = shell[name].replaceAll("https://STREAM_HOST", server.stream);
    assert.ok(!code.includes("STREAM_HOST"), "unfilled placeholder");
    const r = runSh(code, env, dir);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    return r.stdout;
  };
  const json = (name) => {
    const out = JSON.parse(run(name));
    assert.equal(out.errors, undefined, `${name}: ${JSON.stringify(out.errors)}`);
    return out.data;
  };
  try {
    env.STREAM_ADMIN_TOKEN = run("sync-bootstrap").match(/^token: (stpat_\S+)$/m)[1];
    const bob = await mintToken(server, { user: "bob" });
    const posted = await fetch(server.stream + "/api/comments", {
      method: "POST",
      headers: { authorization: "Bearer " + bob, "content-type": "application/json" },
      body: JSON.stringify({ storyURL: "https://news.example/sync", body: "Kept, \"quoted\"" }),
    });
    assert.equal(posted.status, 201);
    const bobID = "628bdc61-6616-4add-bfec-dd79156715d4";

    const users = json("sync-users").users.nodes;
    assert.deepEqual(users.map((u) => [u.id, u.email]), [[bobID, "bob@example.com"]]);
    assert.equal(json("sync-username").updateUserUsername.user.username, "Robert");
    assert.equal(json("sync-email").updateUserEmail.user.email, "robert@example.com");

    env.ARCHIVE_URL = json("sync-download").requestUserCommentsDownload.archiveURL;
    assert.ok(env.ARCHIVE_URL.startsWith(server.stream + "/api/user/download?token="));
    run("sync-archive");
    const files = unzip(readFileSync(join(dir, "comments.zip")));
    const rows = parseCsv(files.get("comments-export/my_comments.csv").toString("utf8"));
    assert.deepEqual(rows[0], ["Comment ID", "Published Timestamp", "Article URL", "Comment URL", "Comment Text", "Media"]);
    const mine = rows.filter((r) => r[2] === "https://news.example/sync");
    assert.deepEqual(mine.map((r) => [r[3], r[4]]), [[`https://news.example/sync?commentID=${mine[0][0]}`, 'Kept, "quoted"']]);

    const created = json("sync-token").createToken;
    env.TOKEN_ID = created.token.id;
    assert.equal((await gql(server, created.signedToken, "{ viewer { id } }")).status, 200);
    assert.equal(json("sync-deactivate").deactivateToken.token.name, "sync-job-2");
    const revoked = await gql(server, created.signedToken, "{ viewer { id } }");
    assert.equal(revoked.body.errors[0].extensions.code, "TOKEN_REVOKED");

    assert.match(json("sync-delete").deleteUser.user.deletedAt, /^\d{4}-/);
    const session = await fetch(server.stream + "/api/session", { method: "POST", headers: { authorization: "Bearer " + bob } });
    assert.equal((await session.json()).code, "TOKEN_USER_DELETED");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
