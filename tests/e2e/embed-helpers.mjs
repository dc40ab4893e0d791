// Shared setup and helpers of the embedding end-to-end tests
// (embed.test.mjs, embed-loading.test.mjs): the host SDK on the publisher
// origin (http://localhost:P) against the real stream page on the stream
// origin (http://127.0.0.1:S), in headless Chromium.
import { after } from "node:test";
import { readFileSync } from "node:fs";
import { useStack, recordConsole } from "./harness.mjs";

/** The test file's servers and browser (a test may start `hostile`). */
export const env = { server: null, browser: null, hostile: null, pages: null };

/** Starts the publisher pages, the stream server and Chromium before the file's tests; stops them after. */
export function embedEnv() {
  useStack((stack) => Object.assign(env, stack));
  after(() => env.hostile?.stop());
  return env;
}

/** A publisher page at a fresh path on the publisher origin. */
let pageNo = 0;
export async function publisherPage(body, { onPage, headers } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const consoleLog = recordConsole(page);
  if (onPage) await onPage(page);
  const path = `/page-${++pageNo}.html`;
  env.pages.set(
    path,
    `<!doctype html><html><head><meta charset="utf-8"><title>e2e</title></head><body>
<h1>Article</h1>
${body}
</body></html>`,
    headers
  );
  await page.goto(env.pages.origin + path);
  return { page, context, requests, consoleLog };
}

export const script = () => `<script src="${env.server.stream}/embed.js"></script>`;
/** The built dist/embed/embed.js, for copies served from the page origin. */
export const builtEmbedJs = () => readFileSync(new URL("../../dist/embed/embed.js", import.meta.url));

/** Makes the page's browser refuse synchronous wasm compilation, as
 * browsers that cap it on the main thread (4 KB) do: embed.js then takes its
 * asynchronous path and queues calls until the wasm is instantiated. The
 * instantiation is held back 300 ms, so the page's next scripts reliably run
 * before it (a fast machine could otherwise finish it in between). */
export const asyncWasm = (page) =>
  page.addInitScript(() => {
    const { Module, instantiate } = WebAssembly;
    WebAssembly.Module = function () {
      throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB.");
    };
    WebAssembly.Module.prototype = Module.prototype;
    WebAssembly.instantiate = (...args) =>
      new Promise((resolve) => setTimeout(resolve, 300)).then(() => instantiate(...args));
    window.__asyncWasm = true;
  });

/** Counts asynchronous instantiations (none on embed.js's synchronous path). */
export const countAsync = (page) =>
  page.addInitScript(() => {
    const { instantiate } = WebAssembly;
    window.__asyncInstantiations = 0;
    WebAssembly.instantiate = (...args) => (window.__asyncInstantiations++, instantiate(...args));
  });

/** A browser without `Uint8Array.fromBase64` (before Chrome 140, Safari
 * 18.2): embed.js decodes its inlined wasm in JavaScript instead, and still
 * takes the synchronous path. */
export const noFromBase64 = async (page) => {
  await page.addInitScript(() => delete Uint8Array.fromBase64);
  await countAsync(page);
};

export async function authState(frame) {
  return (await frame.locator("#auth-state").textContent()).trim();
}
