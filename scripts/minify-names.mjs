// Shortens the wasm's import/export names (wasm-bindgen's are long and end
// in random hex, which gzip cannot compress) and rewrites the JS glue to
// match. Usage: node scripts/minify-names.mjs WASM_IN WASM_OUT GLUE_JS
// (GLUE_JS is rewritten in place). Runs binaryen's
// --minify-imports-and-exports-and-modules, which prints the mapping.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, glue] = process.argv.slice(2);
const flags = process.env.WASM_OPT_FLAGS.split(" ").filter(Boolean);
const out = execFileSync(
  "node_modules/.bin/wasm-opt",
  [...flags, "--minify-imports-and-exports-and-modules", input, "-o", output],
  { encoding: "utf8" }
);
const map = JSON.parse(out.slice(out.indexOf("{")));
let js = readFileSync(glue, "utf8");
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const count = (re) => (js.match(re) || []).length;

// Imports: `name: function (…)` keys of the import object, one module.
const modules = new Set();
for (const [mod, name, short] of map.imports) {
  modules.add(mod);
  const re = new RegExp(`(^|[^\\w$])${esc(name)}(?=:)`, "g");
  if (count(re) !== 1) throw new Error(`import ${name}: expected one definition in the glue`);
  js = js.replace(re, `$1${short}`);
}
if (modules.size !== 1) throw new Error("expected one import module, got " + [...modules]);
const [mod] = modules;
const modKey = new RegExp(`"${esc(mod)}":`, "g");
if (count(modKey) !== 1) throw new Error("import module key not found once");
js = js.replace(modKey, '"a":');

// Exports: every `wasm.name` use.
for (const [name, short] of map.exports) {
  const re = new RegExp(`\\bwasm\\.${esc(name)}\\b`, "g");
  js = js.replace(re, `wasm.${short}`);
}
for (const [name] of map.exports) {
  if (new RegExp(`\\bwasm\\.${esc(name)}\\b`).test(js)) throw new Error("export left: " + name);
}
writeFileSync(glue, js);
console.log(`  minified ${map.imports.length} import and ${map.exports.length} export names`);
