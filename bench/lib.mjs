// Small helpers shared by the bench sections.

/** Sorted-sample statistics: median (mean of the middle two) and p95 (nearest rank). */
export function stats(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  const rank = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median, p95: rank(0.95), min: s[0], max: s[n - 1], mean: s.reduce((a, b) => a + b, 0) / n };
}

export const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

export const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
export const fmtB = (x) => (x === undefined ? "–" : Math.round(x).toLocaleString("en-US"));
export const ratio = (a, b) => (b ? a / b : NaN);

/** A markdown table from a header row and rows of cells. */
export function table(head, rows) {
  const line = (cells) => "| " + cells.map((c) => String(c)).join(" | ") + " |";
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A verdict line: `met`/`MISSED` with the margin. */
export function verdict(met, what, detail) {
  return { met, text: `${met ? "met" : "MISSED"}: ${what} — ${detail}` };
}

/** Script that records every wasm memory instantiated in the page (window.__wasmMemories). */
export const WASM_PROBE = `<script>
window.__wasmMemories = [];
(function () {
  // Export names are minified: any exported Memory counts.
  function keep(r) {
    var inst = r && (r.instance || r), ex = (inst && inst.exports) || {};
    for (var k in ex) if (ex[k] instanceof WebAssembly.Memory) __wasmMemories.push(ex[k]);
    return r;
  }
  // embed.js instantiates synchronously where it can.
  var I = WebAssembly.Instance;
  WebAssembly.Instance = function (m, imports) { return keep(new I(m, imports)); };
  WebAssembly.Instance.prototype = I.prototype;
  var s = WebAssembly.instantiateStreaming, i = WebAssembly.instantiate;
  if (s) WebAssembly.instantiateStreaming = function () { return s.apply(this, arguments).then(keep); };
  WebAssembly.instantiate = function () { return i.apply(this, arguments).then(keep); };
})();
</script>`;

export function html(title, head, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>
<h1>${title}</h1><p>An article paragraph.</p>
${body}
</body></html>`;
}

/** A JWT-shaped HS256 token (the SDK and stream client treat it as an opaque string). */
export async function makeToken(sub) {
  const { createHmac } = await import("node:crypto");
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const h = b64({ alg: "HS256", typ: "JWT" });
  const p = b64({
    jti: "bench-" + sub,
    iat: now,
    exp: now + 3600,
    user: { id: "user-" + sub, email: sub + "@example.com", username: "Bench " + sub },
  });
  const sig = createHmac("sha256", "bench-secret").update(h + "." + p).digest("base64url");
  return `${h}.${p}.${sig}`;
}
