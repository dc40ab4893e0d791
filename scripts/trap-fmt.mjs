// Takes core::fmt out of the host wasm. The SDK never formats anything, but
// one path still reaches `core::fmt`: the allocation-failure handler
// (`alloc::alloc::__rdl_alloc_error_handler`, "memory allocation of {}
// bytes failed"), which puts `<usize as Display>::fmt` in the function
// table; from there `Formatter::pad_integral`, `str::count` and the digit
// table stay in the module (about 1 kB gz). Stable Rust has no way to
// replace that handler (`#[alloc_error_handler]` is unstable), and our
// allocator traps before it could run (src/lib.rs), as does the panic
// handler. So, before wasm-bindgen, this script
//   1. replaces the bodies of the panic/formatting entry points below with
//      `unreachable` (what they end in anyway), and
//   2. points table entries that name a `core::fmt` function at the first
//      of those traps (nothing calls them: only a formatted panic message
//      would),
// and wasm-opt then drops the unreferenced formatting code. It fails if it
// finds none of the entry points, so a toolchain change cannot silently
// bring the code back. Usage: node scripts/trap-fmt.mjs IN.wasm OUT.wasm
import { readFileSync, writeFileSync } from "node:fs";
import { leb } from "./zero-panic-data.mjs";

const TRAPS = [/__rdl_alloc_error_handler$/, /core9panicking9panic_fmt$/, /core9panicking18panic_nounwind_fmt$/];
const FMT = /^_RNv\w*4core3fmt/;

function uleb(n) {
  const out = [];
  do {
    let x = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) x |= 0x80;
    out.push(x);
  } while (n);
  return out;
}

const [input, output] = process.argv.slice(2);
const b = readFileSync(input);
const sections = [];
for (let i = 8; i < b.length; ) {
  const id = b[i];
  const [size, j] = leb(b, i + 1);
  sections.push({ id, start: j, end: j + size, raw: b.subarray(i, j + size) });
  i = j + size;
}

// Imported functions come first in the function index space.
let imported = 0;
for (const s of sections.filter((s) => s.id === 2)) {
  let [n, i] = leb(b, s.start);
  for (let k = 0; k < n; k++) {
    let len;
    [len, i] = leb(b, i);
    i += len;
    [len, i] = leb(b, i);
    i += len;
    const kind = b[i++];
    if (kind === 0) [, i] = leb(b, i), imported++;
    else if (kind === 1 || kind === 2) {
      if (kind === 1) i++; // reference type
      const flags = b[i++];
      [, i] = leb(b, i);
      if (flags & 1) [, i] = leb(b, i);
    } else if (kind === 3) i += 2;
    else throw new Error("trap-fmt: unknown import kind " + kind);
  }
}

// Function names (the "name" custom section, subsection 1).
const names = new Map();
for (const s of sections.filter((s) => s.id === 0)) {
  let [len, i] = leb(b, s.start);
  if (b.toString("latin1", i, i + len) !== "name") continue;
  i += len;
  while (i < s.end) {
    const sub = b[i];
    let size;
    [size, i] = leb(b, i + 1);
    const end = i + size;
    if (sub === 1) {
      let n;
      [n, i] = leb(b, i);
      for (let k = 0; k < n; k++) {
        let idx, l;
        [idx, i] = leb(b, i);
        [l, i] = leb(b, i);
        names.set(idx, b.toString("latin1", i, i + l));
        i += l;
      }
    }
    i = end;
  }
}
const traps = new Set([...names].filter(([, n]) => TRAPS.some((re) => re.test(n))).map(([i]) => i));
if (!traps.size) throw new Error("trap-fmt: found none of the panic entry points (no name section?)");
const trap = Math.min(...traps);

const parts = [b.subarray(0, 8)];
let retargeted = 0;
for (const s of sections) {
  if (s.id === 10) {
    // Code: one body per defined function.
    let [n, i] = leb(b, s.start);
    const out = [uleb(n)];
    for (let k = 0; k < n; k++) {
      let size;
      const at = i;
      [size, i] = leb(b, i);
      out.push(traps.has(imported + k) ? [3, 0, 0x00, 0x0b] : [...b.subarray(at, i + size)]);
      i += size;
    }
    const body = Buffer.from(out.flat());
    parts.push(Buffer.from([10, ...uleb(body.length)]), body);
  } else if (s.id === 9) {
    // Elements: only the plain form rustc emits (flags 0: table 0, an
    // offset expression, function indices).
    let [n, i] = leb(b, s.start);
    const out = [...uleb(n)];
    for (let k = 0; k < n; k++) {
      let flags;
      [flags, i] = leb(b, i);
      if (flags !== 0) throw new Error("trap-fmt: unexpected element segment form " + flags);
      const e = i;
      while (b[i++] !== 0x0b);
      out.push(0, ...b.subarray(e, i));
      let m;
      [m, i] = leb(b, i);
      out.push(...uleb(m));
      for (let f = 0; f < m; f++) {
        let idx;
        [idx, i] = leb(b, i);
        if (FMT.test(names.get(idx) || "")) (idx = trap), retargeted++;
        out.push(...uleb(idx));
      }
    }
    const body = Buffer.from(out);
    parts.push(Buffer.from([9, ...uleb(body.length)]), body);
  } else parts.push(s.raw);
}
writeFileSync(output, Buffer.concat(parts));
console.log(`  trapped ${traps.size} panic entry points, retargeted ${retargeted} core::fmt table entries`);
