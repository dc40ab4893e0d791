// 1. Payload: gzip -9 of dist/embed/* next to the peers, the wasm inlined in
// embed.js, and the largest wasm functions of a name-section build of the
// same host wasm.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, PEERS } from "../server.mjs";
import { extractWasm } from "../../scripts/inline-wasm.mjs";

// Same gzip as scripts/size.mjs (the size check in `npm test`): zlib level 9.
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
// And the gzip CLI, as scripts/build.sh prints it (its header carries the file name).
const gzCli = (path) => {
  try {
    return execFileSync("gzip", ["-9c", path]).length;
  } catch {
    return undefined;
  }
};

// Coral's embed.js budgets, as quoted in issue 7 (kB = 1024 B, as in the
// 15,360 B target = 15 kB).
export const CORAL_LINES = [
  { name: "Coral v5 (iframe era) embed budget, 15 kB", bytes: 15 * 1024 },
  { name: "Coral budget line, 17 kB", bytes: 17 * 1024 },
  { name: "Coral embed.js budget today, 30.05 kB", bytes: Math.round(30.05 * 1024) },
];
export const TARGET = 15360;

// The enable flags of scripts/build.sh (read from it, so they stay in sync).
function buildFlags() {
  const src = readFileSync(join(ROOT, "scripts/build.sh"), "utf8");
  return [...new Set(src.match(/--enable-[a-z0-9-]+/g) || [])];
}

function wasmTop(n = 15) {
  const input = join(ROOT, "target/wasm32-unknown-unknown/release/stream_embed.wasm");
  if (!existsSync(input)) return { error: "target/wasm32-unknown-unknown/release/stream_embed.wasm missing (npm run build)" };
  const opt = join(ROOT, "node_modules/.bin/wasm-opt");
  const tmp = mkdtempSync(join(tmpdir(), "bench-wasm-"));
  const flags = buildFlags();
  try {
    // Name-section build: rustc's output keeps its symbol names; -Oz -g.
    execFileSync(opt, ["-Oz", "-g", ...flags, input, "-o", join(tmp, "named.wasm")]);
    const out = execFileSync("python3", [join(ROOT, "scripts/wasm-top.py"), join(tmp, "named.wasm"), String(n)], { encoding: "utf8" });
    const lines = out.trim().split("\n");
    const funcs = lines.slice(1).map((l) => {
      const m = l.match(/^\s*(\d+)\s+(.*)$/);
      return { bytes: +m[1], name: m[2] };
    });
    return { header: lines[0], funcs, flags };
  } catch (e) {
    return { error: String(e.message || e).split("\n")[0] };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function runPayload(snapshotDir) {
  const dir = join(snapshotDir, "embed");
  const files = readdirSync(dir)
    .sort()
    .map((f) => {
      const b = readFileSync(join(dir, f));
      return { file: f, raw: b.length, gzip: gz(b), gzipCli: gzCli(join(dir, f)) };
    });
  const total = files.reduce((a, f) => a + f.gzip, 0);
  const totalCli = files.reduce((a, f) => a + (f.gzipCli ?? NaN), 0);
  // What a script-tag page fetches: embed.js, the wasm inlined (embed.mjs is the ES-module door).
  const scriptTag = files.filter((f) => !f.file.endsWith(".mjs")).reduce((a, f) => a + f.gzip, 0);
  const wasm = extractWasm(readFileSync(join(dir, "embed.js")));
  const inlined = { raw: wasm.length, gzip: gz(wasm) };
  const peers = Object.entries(PEERS)
    .filter(([k]) => k !== "eventemitter2.js")
    .map(([name, path]) => {
      const b = readFileSync(join(ROOT, path));
      const pkg = JSON.parse(readFileSync(join(ROOT, path.split("/dist/")[0].replace(/\/index\.umd\.js$/, ""), "package.json"), "utf8"));
      return { name: `${pkg.name}@${pkg.version} (${path.replace(/^node_modules\//, "")})`, raw: b.length, gzip: gz(b), gzipCli: gzCli(join(ROOT, path)) };
    });
  const ee2 = readFileSync(join(ROOT, PEERS["eventemitter2.js"]));
  return { files, total, totalCli, scriptTag, inlined, peers, eventemitter2: { raw: ee2.length, gzip: gz(ee2) }, coral: CORAL_LINES, target: TARGET, wasmTop: wasmTop(15) };
}
