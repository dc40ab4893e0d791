// Shared setup and helpers of the hostile-page attack tests (issue 13;
// attacks.test.mjs, attacks-page.test.mjs), against the shipped dist/embed/
// build in headless Chromium. Origins: publisher test pages on
// http://localhost:Q, the stream on http://127.0.0.1:S, and an attacker on
// http://127.0.0.1:H that serves an impostor stream page (it says hello
// like the real one and records whatever it is sent) and logs every
// request it gets.
import { after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { useStack, freePort, recordConsole } from "./harness.mjs";

/** The test file's servers and browser (`evil` is the attacker). */
export const env = { server: null, browser: null, pages: null, evil: null };

/** Starts the three origins and Chromium before the file's tests; stops them after. */
export function attackEnv() {
  useStack(async (stack) => {
    Object.assign(env, stack);
    env.evil = await startAttacker();
  });
  after(() => env.evil?.stop());
  return env;
}

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

export let pagesOpened = 0;
/** Opens `html` as a publisher page (optionally with a CSP and a URL suffix). */
export async function open(html, { csp, suffix = "", path, init } = {}) {
  const context = await env.browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  path = path || `/attack-${++pagesOpened}.html`;
  const headers = csp ? { "content-security-policy": csp } : {};
  env.pages.set(path, `<!doctype html><meta charset="utf-8"><title>attack</title>${html}`, headers);
  await page.goto(env.pages.origin + path + suffix);
  return { page, context, consoleLog };
}

/** What the attacker learnt: impostor frames' messages and its request log. */
export async function attackerGot(page) {
  const got = [];
  for (const f of page.frames().filter((f) => f.url().startsWith(env.evil.origin)))
    got.push(...(await f.evaluate(() => window.__got || []).catch(() => [])));
  return got;
}

/** Asserts nothing of `token` reached the attacker, and no frame is its. */
export async function assertNothingLeaked(page, token) {
  await page.waitForTimeout(300);
  const got = await attackerGot(page);
  const sig = token.split(".")[2];
  assert.ok(!got.some((m) => m.includes(sig)), "the token reached the attacker: " + got.join(" "));
  assert.deepEqual(
    page.frames().filter((f) => f.url().startsWith(env.evil.origin + "/embed/")).map((f) => f.url()),
    [],
    "a stream iframe points at the attacker"
  );
  assert.ok(!env.evil.requests.some((r) => r.includes("/embed/stream")), "the attacker was asked for a stream page");
}

export const embedScript = () => `<script src="${env.server.stream}/embed.js"></script>`;
export const iframeSrc = async (page) => {
  await page.waitForSelector("iframe", { state: "attached", timeout: 10000 });
  return page.evaluate(() => document.querySelector("iframe").src);
};
