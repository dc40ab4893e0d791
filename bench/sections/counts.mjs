// 6. Comment counts: count.js size, and a front page with 100 count badges
// against the real reference server (target/debug/stream-server): requests
// to the stream origin and time until every badge is filled, for our
// count.js and for Coral's count.js algorithm (one JSONP request per
// element: coralproject/talk client/src/core/client/count/index.ts and
// injectJSONPCallback.ts, ported below as a page script) against the same
// server's Coral-shape endpoint /api/story/count.js.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startServer, startPageServer, mintToken } from "../../tests/e2e/harness.mjs";
import { ROOT } from "../server.mjs";
import { stats, shuffle } from "../lib.mjs";

export const COUNT_BUDGET = 2048;
const BADGES = 100;

/** Coral's count.js algorithm (v9), as a classic script: one JSONP per distinct ref. */
const coralCount = (origin) => `(function () {
  function ref(url) { return btoa(unescape(encodeURIComponent(url))); }
  function jsonp(args) {
    var s = document.createElement("script");
    s.src = "${origin}/api/story/count.js?callback=CoralCount.setCount";
    Object.keys(args).sort().forEach(function (k) { if (args[k] !== undefined) s.src += "&" + k + "=" + encodeURIComponent(args[k]); });
    document.body.appendChild(s);
  }
  window.CoralCount = {
    setCount: function (data) {
      document.querySelectorAll(".coral-count[data-coral-ref='" + data.ref + "']").forEach(function (el) {
        var html = data.countHtml.replace("COMMENT_COUNT", String(data.count));
        el.innerHTML = el.dataset.coralNotext === "true" ? html : html + " " + data.textHtml;
        el.dataset.coralCount = String(data.count);
      });
    },
  };
  var map = {};
  document.querySelectorAll(".coral-count").forEach(function (el) {
    var url = el.dataset.coralUrl || location.href;
    var r = (el.dataset.coralRef = ref(url));
    if (!(r in map)) map[r] = { id: el.dataset.coralId, url: url, ref: r };
  });
  Object.keys(map).forEach(function (r) { jsonp(map[r]); });
})();`;

/** Records when every badge has data-coral-count (ms since navigation start). */
const PROBE = `<script>
new MutationObserver(function (_, obs) {
  var all = document.querySelectorAll(".coral-count");
  if (all.length && [].every.call(all, function (e) { return e.hasAttribute("data-coral-count"); })) {
    window.__filled = performance.now();
    obs.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-coral-count"] });
</script>`;

export async function runCounts(browser, { loads = 10, log = () => {} } = {}) {
  const file = readFileSync(join(ROOT, "dist/count/count.js"));
  const size = { raw: file.length, gzip: gzipSync(file, { level: 9 }).length, budget: COUNT_BUDGET };
  const pages = await startPageServer();
  const server = await startServer({}, { allowOrigins: [pages.origin] });
  try {
    const token = await mintToken(server, { user: "bob" });
    const url = (i) => `https://news.example/section/story-${i}.html`;
    for (let i = 0; i < BADGES; i += 2) {
      await fetch(server.stream + "/api/comments", {
        method: "POST",
        headers: { authorization: "Bearer " + token, "content-type": "application/json" },
        body: JSON.stringify({ storyURL: url(i), body: "x" }),
      });
    }
    // Coral's docs ask front pages for data-coral-url on every badge.
    const body = Array.from({ length: BADGES }, (_, i) => `<p><a href="#">Headline ${i}</a> <span class="coral-count" data-coral-url="${url(i)}"></span></p>`).join("\n");
    pages.set("/coral-count.js", coralCount(server.stream), { "content-type": "text/javascript" });
    pages.set("/ours.html", `<!doctype html><head>${PROBE}<script class="coral-script" src="${server.stream}/assets/js/count.js" defer></script></head><body>${body}</body>`);
    pages.set("/coral.html", `<!doctype html><head>${PROBE}<script src="/coral-count.js" defer></script></head><body>${body}</body>`);
    const samples = { ours: { ms: [], requests: [] }, coral: { ms: [], requests: [] } };
    for (let round = 0; round < loads; round++) {
      for (const k of shuffle(["ours", "coral"])) {
        const context = await browser.newContext();
        const page = await context.newPage();
        let requests = 0;
        page.on("request", (r) => r.url().startsWith(server.stream) && requests++);
        await page.goto(`${pages.origin}/${k}.html`);
        await page.waitForFunction(() => window.__filled, null, { timeout: 30000 });
        samples[k].ms.push(await page.evaluate(() => window.__filled));
        samples[k].requests.push(requests);
        await context.close();
      }
      log(`  counts round ${round + 1}/${loads}`);
    }
    const sum = (k) => ({ ms: stats(samples[k].ms), requests: stats(samples[k].requests) });
    return { badges: BADGES, loads, size, ours: sum("ours"), coral: sum("coral") };
  } finally {
    await server.stop();
    await pages.stop();
  }
}
