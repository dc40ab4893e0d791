// 4. Scale: 1, 10 and 50 embeds on one page (time to all-ready, JS heap of
// the publisher page after GC, wasm memory), next to the plain-JS baseline;
// and 1,000 create/remove cycles (heap growth after GC, leftover iframes,
// leftover window listeners).
import { html, stats, WASM_PROBE } from "../lib.mjs";

const scaleBody = (S, kind, n) => `<div id="c"></div>
<script>window.__r = { t0: performance.now() };</script>
${kind === "sdk" ? `<script src="${S}/embed.js"></script>` : `<script src="${S}/bench/plain-embed.js"></script>`}
<script>
(function () {
  var n = ${n}, left = n;
  function one() { if (--left === 0) { __r.allReady = performance.now() - __r.t0; __r.done = true; } }
  if (!n) { __r.done = true; return; }
  for (var i = 0; i < n; i++) {
    var d = document.createElement("div");
    d.id = "t" + i;
    document.getElementById("c").appendChild(d);
    ${
      kind === "sdk"
        ? `Coral.createStreamEmbed({ id: d.id, rootURL: "${S}", storyID: "story-" + i, autoRender: true,
      events: function (e) { e.on("ready", one); } });`
        : `PlainEmbed.create({ id: d.id, rootURL: "${S}", storyID: "story-" + i, onReady: one });`
    }
  }
})();
</script>`;

const cyclesBody = (S) => `<div id="c"></div>
<script src="${S}/embed.js"></script>
<script>
window.__S = "${S}";
window.cycles = async function (k) {
  var t0 = performance.now();
  for (var i = 0; i < k; i++) {
    var e;
    await new Promise(function (resolve) {
      e = Coral.createStreamEmbed({ id: "c", rootURL: "${S}", storyID: "story-" + i, autoRender: true,
        events: function (ev) {
          ev.on("ready", resolve);
          ev.on("loginPrompt", function () {});
          ev.onAny(function () {});
        } });
    });
    e.remove();
  }
  return performance.now() - t0;
};
</script>`;

async function gcHeap(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  return (await cdp.send("Runtime.getHeapUsage")).usedSize;
}

async function windowListeners(cdp) {
  const { result } = await cdp.send("Runtime.evaluate", { expression: "window", objectGroup: "bench" });
  const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
  await cdp.send("Runtime.releaseObjectGroup", { objectGroup: "bench" });
  const byType = {};
  for (const l of listeners) byType[l.type] = (byType[l.type] || 0) + 1;
  return { total: listeners.length, byType };
}

const wasmBytes = (page) =>
  page.evaluate(() => (window.__wasmMemories || []).reduce((a, m) => a + m.buffer.byteLength, 0));

export async function runScale(browser, srv, { counts = [1, 10, 50], reps = 3, cycles = 1000, log = () => {} } = {}) {
  const kinds = ["sdk", "plain"];
  const all = [0, ...counts];
  for (const k of kinds)
    for (const n of all) srv.set(`/scale-${k}-${n}.html`, html("Article", WASM_PROBE, scaleBody(srv.stream, k, n)));
  const raw = {};
  for (let r = 0; r < reps; r++) {
    for (const n of all) {
      for (const k of kinds) {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await page.goto(`${srv.publisher}/scale-${k}-${n}.html`);
          await page.waitForFunction(() => window.__r && window.__r.done, null, { timeout: 60000, polling: 20 });
          const allReady = await page.evaluate(() => window.__r.allReady);
          const heap = await gcHeap(cdp);
          const wasm = await wasmBytes(page);
          const iframes = await page.evaluate(() => document.querySelectorAll("iframe").length);
          (raw[`${k}-${n}`] ||= []).push({ allReady, heap, wasm, iframes });
        } catch (e) {
          log(`  scale ${k} ${n}: ${String(e.message).split("\n")[0]}`);
        } finally {
          await context.close();
        }
      }
    }
    log(`  scale: repetition ${r + 1}/${reps} done`);
  }
  const scale = {};
  for (const k of kinds)
    for (const n of all) {
      const xs = raw[`${k}-${n}`] || [];
      scale[`${k}-${n}`] = {
        kind: k,
        n,
        allReady: n ? stats(xs.map((x) => x.allReady)) : { n: 0 },
        heap: stats(xs.map((x) => x.heap)),
        wasm: stats(xs.map((x) => x.wasm)),
        iframes: xs.map((x) => x.iframes),
      };
    }

  // Create/remove cycles, each waiting for `ready` (full handshake), with
  // fresh listeners (on, onAny) per embed, as a publisher page would.
  srv.set("/cycles.html", html("Article", WASM_PROBE, cyclesBody(srv.stream)));
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${srv.publisher}/cycles.html`);
  await page.evaluate(() => Coral.ready.then(() => 0));
  await page.evaluate(() => window.cycles(20)); // warm-up: JIT, allocator, renderer processes
  const before = {
    heap: await gcHeap(cdp),
    wasm: await wasmBytes(page),
    listeners: await windowListeners(cdp),
    iframes: await page.evaluate(() => document.querySelectorAll("iframe").length),
  };
  // The probe sees the SDK's listeners: one embed mounted and ready.
  const mounted = await page.evaluate(
    () => new Promise((resolve) => {
      window.__probe = Coral.createStreamEmbed({ id: "c", rootURL: window.__S, storyID: "probe",
        autoRender: true, events: (ev) => ev.on("ready", resolve) });
    })
  ).then(() => windowListeners(cdp));
  await page.evaluate(() => { window.__probe.remove(); window.__probe = null; });
  const chunk = 100;
  const cycleMs = [];
  const heapTrail = [before.heap];
  for (let done = 0; done < cycles; done += chunk) {
    cycleMs.push((await page.evaluate((k) => window.cycles(k), Math.min(chunk, cycles - done))) / chunk);
    heapTrail.push(await gcHeap(cdp));
    if ((done + chunk) % 500 === 0) log(`  create/remove: ${done + chunk}/${cycles} cycles`);
  }
  const after = {
    heap: await gcHeap(cdp),
    wasm: await wasmBytes(page),
    listeners: await windowListeners(cdp),
    iframes: await page.evaluate(() => document.querySelectorAll("iframe").length),
  };
  await context.close();
  return {
    reps,
    counts,
    raw,
    scale,
    cycles: { n: cycles, before, after, listenersWhileMounted: mounted, heapGrowth: after.heap - before.heap, wasmGrowth: after.wasm - before.wasm, heapTrail, msPerCycle: stats(cycleMs) },
  };
}
