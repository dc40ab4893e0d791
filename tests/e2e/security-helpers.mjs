// Shared setup and helpers of the security end-to-end tests (issue 5):
// three origins (publisher test pages on http://localhost:Q, the stream on
// http://127.0.0.1:S, a hostile third origin on http://127.0.0.1:H), the
// frame instrumentation and the page builders. Each security-*.test.mjs
// file calls `securityEnv()` once, at its top level.
import { after } from "node:test";
import { useStack, startThirdOrigin, recordConsole } from "./harness.mjs";

/** The running servers and browser of the test file (set by its `before` hook). */
export const env = { server: null, browser: null, hostile: null, pages: null };
/** Pages the hostile origin serves, by path (a test adds its own). */
export const evilPages = {};

/** Starts the three origins and Chromium before the file's tests, stops them after. */
export function securityEnv() {
  useStack(async (stack) => {
    Object.assign(env, stack);
    env.hostile = await startThirdOrigin(evilPages);
  });
  after(() => env.hostile?.stop());
  return env;
}

/**
 * Runs first in every frame of a context (publisher page, stream iframe,
 * hostile frames). Records uncaught errors and, with `messages`, every
 * postMessage call (window or port, target origin, JSON of the message),
 * every window-level message received and every message received on a
 * MessagePort. Kept on a non-enumerable `window.__sec`.
 */
function instrument({ messages }) {
  const sec = { posts: [], received: [], portReceived: [], errors: [] };
  Object.defineProperty(window, "__sec", { value: sec });
  const ser = (m) => {
    try {
      const s = JSON.stringify(m);
      return s === undefined ? String(m) : s;
    } catch {
      return "<unserializable>";
    }
  };
  // Uncaught exceptions only (resource load failures are plain Events).
  addEventListener("error", (e) => {
    if (e instanceof ErrorEvent) sec.errors.push(String(e.message || e.error));
  });
  addEventListener("unhandledrejection", (e) => sec.errors.push("unhandledrejection: " + String(e.reason)));
  if (!messages) {
    // Only count what arrives (recording 10,000 hostile messages would skew the heap).
    sec.count = 0;
    addEventListener("message", () => sec.count++, true);
    return;
  }
  const winPost = Window.prototype.postMessage;
  const portPost = MessagePort.prototype.postMessage;
  let inSpy = false;
  function record(kind, args) {
    const [msg, opt, transfer] = args;
    const target =
      kind === "port"
        ? null
        : typeof opt === "string"
          ? opt
          : opt && typeof opt === "object" && "targetOrigin" in opt
            ? String(opt.targetOrigin)
            : "/";
    const ports = (Array.isArray(transfer) ? transfer : (opt && opt.transfer) || []).length;
    sec.posts.push({ kind, from: location.origin, target, json: ser(msg), ports });
  }
  // Same-realm calls (ports, same-origin windows) go through the prototypes.
  Window.prototype.postMessage = function (...args) {
    if (!inSpy) record("window", args);
    return winPost.apply(this, args);
  };
  MessagePort.prototype.postMessage = function (...args) {
    if (!inSpy) record("port", args);
    return portPost.apply(this, args);
  };
  // Calls on a cross-origin WindowProxy (`iframe.contentWindow.postMessage`,
  // `parent.postMessage`) never reach this realm's Window.prototype, so the
  // SDK's scripts are served with `x.postMessage(` rewritten to
  // `__pmSpy(x).postMessage(` (see spyRoutes) and the spy records them.
  Object.defineProperty(window, "__pmSpy", {
    value: (target) => ({
      postMessage(...args) {
        record(target instanceof MessagePort ? "port" : "window", args);
        inSpy = true;
        try {
          return target.postMessage(...args);
        } finally {
          inSpy = false;
        }
      },
    }),
  });
  addEventListener(
    "message",
    (e) => sec.received.push({ origin: e.origin, json: ser(e.data), ports: e.ports.length }),
    true
  );
  const addEL = MessagePort.prototype.addEventListener;
  const seen = new WeakSet();
  MessagePort.prototype.addEventListener = function (type, fn, opts) {
    if (type === "message" && !seen.has(this)) {
      seen.add(this);
      addEL.call(this, "message", (e) => sec.portReceived.push({ json: ser(e.data) }));
    }
    return addEL.call(this, type, fn, opts);
  };
}

const SPY_RE = /([A-Za-z_$][\w$]*)\.postMessage\(/g;
const SPIED = ["/embed.js", "/stream/stream_client.js"];

/** Serves the SDK's two scripts with their postMessage calls routed through `__pmSpy`. */
async function spyRoutes(context) {
  const rewrites = {};
  await context.route(
    (url) => url.origin === env.server.stream && SPIED.includes(url.pathname),
    async (route) => {
      const res = await route.fetch();
      const body = await res.text();
      const path = new URL(route.request().url()).pathname;
      rewrites[path] = (body.match(SPY_RE) || []).length;
      await route.fulfill({ response: res, body: body.replace(SPY_RE, "__pmSpy($1).postMessage(") });
    }
  );
  return rewrites;
}

export async function newContext({ messages = false, ...options } = {}) {
  const context = await env.browser.newContext(options);
  await context.addInitScript(instrument, { messages });
  const rewrites = messages ? await spyRoutes(context) : {};
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  const consoleURLs = [];
  page.on("console", (m) => consoleURLs.push({ type: m.type(), text: m.text(), url: m.location().url }));
  return { context, page, consoleLog, consoleURLs, rewrites };
}

let pageNo = 0;
/** Puts `body` on a fresh path of the publisher test origin; returns its URL. */
export function publisherURL(body) {
  const path = `/security-${++pageNo}.html`;
  env.pages.set(
    path,
    `<!doctype html><html><head><meta charset="utf-8"><title>security e2e</title></head><body>
<h1>Article</h1>
${body}
</body></html>`
  );
  return env.pages.origin + path;
}

export const sdk = () => `<script src="${env.server.stream}/embed.js"></script>`;

/**
 * A publisher page with one embed in `#coral_thread` (autoRender, story
 * `story`, signed in with `token`) whose event names go to `window.__events`;
 * returns its URL.
 */
export function embedPage(story, token) {
  return publisherURL(`
<div id="coral_thread"></div>
${sdk()}
<script>
window.__events = [];
var embed = Coral.createStreamEmbed({
  id: "coral_thread", autoRender: true, rootURL: "${env.server.stream}", storyID: "${story}",
  accessToken: "${token}",
  events: function (ev) { ev.onAny(function (name) { __events.push(name); }); }
});
</script>`);
}

/** The stream Frame inside `#containerId`'s iframe, once loaded. */
export async function frameIn(page, containerId) {
  const handle = await page.waitForSelector(`#${containerId} iframe`, { state: "attached", timeout: 10000 });
  const deadline = Date.now() + 10000;
  for (;;) {
    const f = await handle.contentFrame();
    if (f && f.url().startsWith(env.server.stream + "/embed/stream")) {
      await f.waitForLoadState("load");
      return f;
    }
    if (Date.now() > deadline) throw new Error(`no stream frame in #${containerId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitAuth(frame, state, username) {
  await frame.waitForFunction(
    ([s, u]) =>
      document.getElementById("auth-state").textContent.trim() === s &&
      (u === null || document.getElementById("username").textContent.trim() === u),
    [state, username ?? null],
    { timeout: 10000 }
  );
}

export const authState = async (frame) => (await frame.locator("#auth-state").textContent()).trim();
export const username = async (frame) => (await frame.locator("#username").textContent()).trim();

/** Polls `fn` until it returns a truthy value. */
export async function until(fn, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Used JS heap (bytes) after a forced GC, through CDP, of `target` (page or OOPIF frame). */
export async function heapUsed(context, page, target) {
  let cdp;
  try {
    cdp = await context.newCDPSession(target);
  } catch {
    cdp = await context.newCDPSession(page); // same process as the page
  }
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return metrics.find((m) => m.name === "JSHeapUsedSize").value;
}

/** Own enumerable and inherited junk on the built-in prototypes of a frame. */
export const pollutionProbe = () => {
  const out = [];
  for (const [n, p] of [
    ["Object", Object.prototype],
    ["Array", Array.prototype],
    ["Function", Function.prototype],
  ]) {
    for (const k of Object.keys(p)) out.push(`${n}.prototype.${k}`);
  }
  if ({}.polluted !== undefined || {}.isAdmin !== undefined) out.push("{}.polluted/isAdmin");
  return out;
};
