// Puts the wasm's bytes into the bundled loader in place of its "@WASM@"
// placeholder, as a string literal of one character per byte, and prepends a
// UTF-8 BOM so the script decodes as UTF-8 on any page (BOM sniffing wins
// over the Content-Type charset and the page's encoding). The literal goes
// first, in a block-scoped `let` (no global): gzip -9 then costs about the
// sum of the two parts, 0.27 kB less than with the literal inside the code.
// The loader decodes it synchronously, and the block then drops it.
// Usage: node scripts/inline-wasm.mjs WASM JS_IN JS_OUT
// `extractWasm` reads the bytes back (bench, tests).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const NAME = "$wasm$";
// Only these four need escaping inside a double-quoted literal; U+2028/9
// cannot occur (every character is ≤ U+00FF).
const ESC = { 0x0a: "\\n", 0x0d: "\\r", 0x22: '\\"', 0x5c: "\\\\" };
const UNESC = { n: 0x0a, r: 0x0d, '"': 0x22, "\\": 0x5c };

/** The loader `js` with `bytes` inlined: the text of embed.js. The loader's
 * placeholder length 1234567890 becomes the wasm's (its check that the file
 * was decoded as UTF-8). */
export function inlineWasm(bytes, js) {
  const len = js.split("1234567890");
  if (len.length !== 2) throw new Error(`expected one length placeholder, found ${len.length - 1}`);
  js = len.join(String(bytes.length));
  const parts = js.split('"@WASM@"');
  if (parts.length !== 2) throw new Error(`expected one "@WASM@" placeholder, found ${parts.length - 1}`);
  if (js.includes(NAME)) throw new Error(`the loader already uses ${NAME}`);
  let lit = '"';
  for (const b of bytes) lit += ESC[b] || String.fromCharCode(b);
  lit += '"';
  // The loader reads the literal once, synchronously; dropping it afterwards
  // keeps its closures from retaining the 46 kB string.
  return `\uFEFF{let ${NAME}=${lit};${parts[0]}${NAME}${parts[1].trimEnd()}\n${NAME}=null}\n`;
}

/** The wasm bytes inlined in embed.js (a Buffer of its UTF-8 text). */
export function extractWasm(file) {
  const text = file.toString("utf8");
  const head = `\uFEFF{let ${NAME}="`;
  if (!text.startsWith(head)) throw new Error("embed.js does not start with an inlined wasm");
  const out = [];
  for (let i = head.length; ; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    out.push(c === 0x5c ? UNESC[text[++i]] : c);
    if (i >= text.length || out[out.length - 1] === undefined) throw new Error("embed.js: bad wasm literal");
  }
  return Buffer.from(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [wasm, input, output] = process.argv.slice(2);
  writeFileSync(output, inlineWasm(readFileSync(wasm), readFileSync(input, "utf8")), "utf8");
  const back = extractWasm(readFileSync(output));
  if (!back.equals(readFileSync(wasm))) throw new Error(`${output}: the inlined wasm does not read back`);
}
