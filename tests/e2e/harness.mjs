// Shared end-to-end harness: starts the reference server on free ports
// (publisher on http://localhost:P, stream on http://127.0.0.1:S), a third
// "hostile" origin, and headless Debian Chromium through playwright-core.
import { before, after } from "node:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts target/debug/stream-server (built by `npm run build`) with a fresh
 * database. Resolves to { publisher, stream, secret, output(), stop() }.
 */
export async function startServer(env = {}, { allowOrigins = [] } = {}) {
  const bin = join(ROOT, "target", "debug", "stream-server");
  if (!existsSync(bin)) throw new Error("stream-server not built: run `npm run build`");
  const [pub, str] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "stream-e2e-"));
  const child = spawn(bin, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      PUBLISHER_PORT: String(pub),
      STREAM_PORT: String(str),
      DATABASE_PATH: join(dataDir, "db.sqlite3"),
      ...(allowOrigins.length
        ? { ALLOWED_ORIGINS: [`http://localhost:${pub}`, ...allowOrigins].join(",") }
        : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("server did not start:\n" + out)), 20000);
    const check = () => {
      if (/^stream: /m.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
    check();
  });
  const secret = (out.match(/^dev secret: \w+=(\S+)/m) || [])[1];
  return {
    publisher: `http://localhost:${pub}`,
    stream: `http://127.0.0.1:${str}`,
    secret,
    dataDir,
    output: () => out,
    async stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Server env enabling the Coral SSO and Talk v4 profiles together. */
export const CORAL_AND_TALK_ENV = {
  CORAL_SSO_SECRET: "c".repeat(40),
  TALK_JWT_SECRET: "t".repeat(40),
  TALK_JWT_ISSUER: "talk-token-example",
  TALK_JWT_AUDIENCE: "talk",
};

/** A third origin (http://127.0.0.1:H) serving the given routes { path: html }. */
export async function startThirdOrigin(routes) {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    const body = routes[new URL(req.url, "http://x").pathname];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8" });
    res.end(body ?? "not found");
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Headless Debian Chromium with a fresh profile. With
 * STREAM_E2E_BLOCK_THIRD_PARTY_COOKIES=1 (a second pass of `npm test`),
 * third-party cookies and storage are blocked.
 */
export function launchBrowser(extraArgs = []) {
  const block = process.env.STREAM_E2E_BLOCK_THIRD_PARTY_COOKIES === "1";
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...(block ? ["--test-third-party-cookie-phaseout"] : []), ...extraArgs],
  });
}

/**
 * A static page server on http://localhost:Q (bound to 127.0.0.1 and ::1)
 * for test publisher pages: `pages.set(path, html[, headers])` then load
 * `pages.origin + path`. Pages must come from a loopback server (not request
 * interception) so Chromium's local-network-access rules treat them as
 * local, as a real publisher page on a loopback demo would be.
 */
export async function startPageServer() {
  const port = await freePort();
  const routes = new Map();
  const handler = (req, res) => {
    const route = routes.get(new URL(req.url, "http://x").pathname);
    res.writeHead(route === undefined ? 404 : 200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...(route?.headers || {}),
    });
    res.end(route?.body ?? "not found");
  };
  const servers = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const s = http.createServer(handler);
    try {
      await new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(port, host, resolve);
      });
      servers.push(s);
    } catch (e) {
      if (host === "127.0.0.1") throw e; // no IPv6 loopback: fine
    }
  }
  return {
    origin: `http://localhost:${port}`,
    set: (path, body, headers) => routes.set(path, { body, headers }),
    stop: () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))),
  };
}

/** Serves `html` at `url` through request interception (for non-loopback URLs). */
export async function routePage(page, url, html) {
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html })
  );
}

/** Mints a token through the dev server's POST /dev/token. */
export async function mintToken(server, body = {}) {
  const res = await fetch(`${server.publisher}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`/dev/token ${res.status}: ${await res.text()}`);
  return (await res.json()).token;
}

/** The stream iframe's Frame, once its page has loaded. */
export async function streamFrame(page, server, index = 0) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const frames = page.frames().filter((f) => f.url().startsWith(server.stream + "/embed/stream"));
    if (frames[index]) {
      await frames[index].waitForLoadState("load");
      return frames[index];
    }
    if (Date.now() > deadline) throw new Error("no stream frame");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Collects console messages and page errors of `page` (and its frames). */
export function recordConsole(page) {
  const log = [];
  page.on("console", (m) => log.push({ type: m.type(), text: m.text() }));
  page.on("pageerror", (e) => log.push({ type: "pageerror", text: String(e) }));
  return log;
}

/** Waits until the stream page's `#auth-state` reads `state` (and, if given, `#username` is `username`). */
export async function waitAuth(frame, state, username) {
  await frame.waitForFunction(
    ([s, u]) =>
      document.getElementById("auth-state")?.textContent.trim() === s &&
      (u === undefined || document.getElementById("username").textContent.trim() === u),
    [state, username],
    { timeout: 10000 }
  );
}

/**
 * The usual e2e stack: a page server on the publisher origin (with a
 * favicon, so Chromium logs no 404), the stream server allowing it (`env`
 * added to its environment) and a browser. `stop()` closes all three.
 */
export async function startStack(env = {}) {
  const pages = await startPageServer();
  pages.set("/favicon.ico", "", { "content-type": "image/x-icon" });
  let server;
  try {
    server = await startServer(env, { allowOrigins: [pages.origin] });
    const browser = await launchBrowser();
    return {
      pages,
      server,
      browser,
      async stop() {
        await browser.close();
        await server.stop();
        await pages.stop();
      },
    };
  } catch (e) {
    await server?.stop();
    await pages.stop();
    throw e;
  }
}

/**
 * `startStack(env)` before the file's tests and its `stop()` after them;
 * `onStart(stack)` runs once it is up (a file takes `server`, `browser`,
 * `pages` from it and does its own setup).
 */
export function useStack(onStart, env = {}) {
  let stack;
  before(async () => {
    stack = await startStack(env);
    await onStart(stack);
  });
  after(() => stack?.stop());
}

