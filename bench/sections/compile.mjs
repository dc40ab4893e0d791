// 2b. Compiling the host wasm, cold (a new browser context per sample): what
// `new WebAssembly.Module` + `new WebAssembly.Instance` cost with V8's
// default lazy compilation (each function is compiled on its first call,
// so the rest is paid inside `createStreamEmbed` and `render()`), and with
// every function compiled up front (a second browser launched with
// `--js-flags=--no-wasm-lazy-compilation`). The second figure is what the
// module's code costs to compile in all; it grows with the code size.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser } from "../../tests/e2e/harness.mjs";
import { extractWasm } from "../../scripts/inline-wasm.mjs";
import { html, stats } from "../lib.mjs";

async function sample(browser, url, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url);
      out.push(await page.evaluate(() => window.compile()));
    } finally {
      await context.close();
    }
  }
  return stats(out);
}

export async function runCompile(browser, srv, { samples = 15, log = () => {} } = {}) {
  const wasm = extractWasm(readFileSync(join(srv.snapshot, "embed/embed.js")));
  // The bytes travel in the page as base64 (decoded before the clock starts).
  srv.set(
    "/compile.html",
    html(
      "compile",
      "",
      `<script>
var bytes = Uint8Array.from(atob(${JSON.stringify(wasm.toString("base64"))}), function (c) { return c.charCodeAt(0); });
window.compile = function () {
  var t = performance.now();
  new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return performance.now() - t;
};
</script>`
    ),
    { isolated: true }
  );
  const url = `${srv.publisher}/compile.html`;
  const lazy = await sample(browser, url, samples);
  const eagerBrowser = await launchBrowser(["--js-flags=--no-wasm-lazy-compilation"]);
  let eager;
  try {
    eager = await sample(eagerBrowser, url, samples);
  } finally {
    await eagerBrowser.close();
  }
  log(`  wasm compile: ${samples} samples × 2 done`);
  return { samples, wasmBytes: wasm.length, lazyMs: lazy, eagerMs: eager };
}
