// 2. Time to stream, cold cache (a new browser context per load): from the
// start of the embed script (a mark just before its <script> tag) to the
// stream iframe being in the DOM, and to the stream's `ready`.
import { html, shuffle, stats } from "../lib.mjs";

const PROBE = `<script>
window.__r = {};
new MutationObserver(function (recs, mo) {
  if (document.querySelector("#coral_thread iframe")) { __r.iframe = performance.now() - __r.t0; mo.disconnect(); }
}).observe(document.getElementById("coral_thread"), { childList: true, subtree: true });
function __ready() { if (__r.done) return; __r.ready = performance.now() - __r.t0; __r.done = true; }
__r.t0 = performance.now();
</script>`;

export const VARIANTS = {
  sdk: (S) => `<script src="${S}/embed.js"></script>
<script>
Coral.ready.then(function () {
  __r.coralReady = performance.now() - __r.t0;
  performance.getEntriesByType("resource").forEach(function (e) {
    var n = e.name.split("?")[0];
    if (n.slice(-9) === "/embed.js") __r.scriptEnd = e.responseEnd - __r.t0;
  });
});
Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${S}", storyID: "story-1", autoRender: true,
  events: function (e) { e.on("ready", __ready); } });
</script>`,
  // Same, but autoRender:false + render(): skips the lazy IntersectionObserver
  // wait. Marks: embed.js run (fetched, parsed, wasm decoded, compiled and
  // instantiated), createStreamEmbed returned, render() returned.
  sdkEager: (S) => `<script src="${S}/embed.js"></script>
<script>
__r.loaded = performance.now() - __r.t0;
var embed = Coral.createStreamEmbed({ id: "coral_thread", rootURL: "${S}", storyID: "story-1",
  events: function (e) { e.on("ready", __ready); } });
__r.created = performance.now() - __r.t0;
embed.render();
__r.rendered = performance.now() - __r.t0;
</script>`,
  plain: (S) => `<script src="${S}/bench/plain-embed.js"></script>
<script>PlainEmbed.create({ id: "coral_thread", rootURL: "${S}", storyID: "story-1", onReady: __ready });</script>`,
  pym: (S) => `<script src="${S}/peers/pym.v1.min.js"></script>
<script>
var pymParent = new pym.Parent("coral_thread", "${S}/bench/pym-child.html?storyID=story-1", { title: "Comments" });
pymParent.onMessage("height", __ready);
</script>`,
};

export async function runTts(browser, srv, { loads = 30, warmup = 2, log = () => {} } = {}) {
  const kinds = Object.keys(VARIANTS);
  for (const k of kinds)
    srv.set(`/tts-${k}.html`, html("Article", "", `<div id="coral_thread"></div>\n${PROBE}\n${VARIANTS[k](srv.stream)}`));
  const samples = Object.fromEntries(kinds.map((k) => [k, { iframe: [], ready: [] }]));
  const phases = { scriptEnd: [], coralReady: [] }; // SDK only: where the time goes
  const eagerPhases = { loaded: [], created: [], rendered: [] }; // the same, with render()
  let failures = 0;
  for (let i = -warmup; i < loads; i++) {
    for (const k of shuffle(kinds)) {
      const context = await browser.newContext(); // fresh profile: cold HTTP and code caches
      try {
        const page = await context.newPage();
        await page.goto(`${srv.publisher}/tts-${k}.html`);
        await page.waitForFunction(() => window.__r && window.__r.done, null, { timeout: 20000 });
        const r = await page.evaluate(() => window.__r);
        if (i >= 0) {
          samples[k].iframe.push(r.iframe);
          samples[k].ready.push(r.ready);
          if (k === "sdk") for (const p of Object.keys(phases)) phases[p].push(r[p]);
          if (k === "sdkEager") for (const p of Object.keys(eagerPhases)) eagerPhases[p].push(r[p]);
        }
      } catch (e) {
        failures++;
        log(`  tts ${k}: ${String(e.message).split("\n")[0]}`);
      } finally {
        await context.close();
      }
    }
    if (i >= 0 && (i + 1) % 10 === 0) log(`  time to stream: ${i + 1}/${loads} loads per variant`);
  }
  const out = { loads, warmup, failures, samples, stats: {}, sdkPhases: {}, eagerPhases: {} };
  for (const p of Object.keys(phases)) out.sdkPhases[p] = stats(phases[p]);
  for (const p of Object.keys(eagerPhases)) out.eagerPhases[p] = stats(eagerPhases[p]);
  for (const k of kinds) out.stats[k] = { iframe: stats(samples[k].iframe), ready: stats(samples[k].ready) };
  return out;
}
