// Zeroes the parts of the host wasm's data section that only a panic
// message could read: source paths of panic locations (`…/x.rs`) and the
// messages of core/alloc panics. The shipped build never formats a panic
// (its handler traps, src/lib.rs), so these bytes are never read; zeroed,
// they compress to almost nothing (about 0.4 kB gz). Lengths and offsets
// are unchanged. Usage: node scripts/zero-panic-data.mjs WASM (in place).
import { readFileSync, writeFileSync } from "node:fs";

/** Unsigned LEB128 at `i`: [value, next index]. */
export function leb(b, i) {
  let v = 0, s = 0, x;
  do {
    x = b[i++];
    v += (x & 0x7f) * 2 ** s;
    s += 7;
  } while (x & 0x80);
  return [v, i];
}

/** Every active data segment: file range [start, end) and memory address. */
export function dataSegments(b) {
  let i = 8;
  while (i < b.length) {
    const id = b[i];
    let size;
    [size, i] = leb(b, i + 1);
    const end = i + size;
    if (id === 11) {
      const out = [];
      let n;
      [n, i] = leb(b, i);
      for (let k = 0; k < n; k++) {
        let flags, addr = null;
        [flags, i] = leb(b, i);
        if (flags === 2) [, i] = leb(b, i); // memory index
        if (flags !== 1) {
          if (b[i] === 0x41) [addr] = sleb(b, i + 1); // i32.const
          while (b[i++] !== 0x0b); // end of the offset expression
        }
        let len;
        [len, i] = leb(b, i);
        if (addr !== null) out.push({ start: i, end: i + len, addr });
        i += len;
      }
      return out;
    }
    i = end;
  }
  return [];
}

/** Signed LEB128 at `i`. */
function sleb(b, i) {
  let v = 0, s = 0, x;
  do {
    x = b[i++];
    v |= (x & 0x7f) << s;
    s += 7;
  } while (x & 0x80);
  if (s < 32 && x & 0x40) v |= -1 << s;
  return [v, i];
}

// Panic messages of core, alloc and wasm-bindgen that can be linked in.
const MESSAGES = [
  "internal error: entered unreachable code",
  "memory allocation of ",
  " bytes failed",
  "reentrant init",
  "closure invoked recursively or after being dropped",
  "Tried to shrink to a larger capacity",
  "capacity overflow",
  "LazyCell instance has previously been poisoned",
  "RefCell already mutably borrowed",
  "RefCell already borrowed",
  "insertion index (is ",
  ") should be <= len (is ",
  // core::fmt's decimal digit pairs: only integer formatting reads them,
  // and scripts/trap-fmt.mjs takes that out (it only ever formatted panic
  // messages).
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0")).join(""),
];

/**
 * Zeroes the panic-only bytes of `b` in place; returns how many. File names
 * are found through the `core::panic::Location` records that point at them
 * (wasm32: file pointer, file length, line, column; 4 bytes each), so their
 * exact bounds are known; the messages above are matched whole.
 */
export function zeroPanicData(b) {
  const segs = dataSegments(b);
  const at = (addr) => segs.find((s) => addr >= s.addr && addr < s.addr + (s.end - s.start));
  const u32 = (i) => b.readUInt32LE(i);
  const ranges = [];
  for (const s of segs) {
    for (let i = s.start; i + 16 <= s.end; i += 4) {
      const [ptr, len, line, col] = [u32(i), u32(i + 4), u32(i + 8), u32(i + 12)];
      const seg = len > 3 && len < 512 && line > 0 && line < 1e6 && col < 1e4 && at(ptr);
      if (!seg || ptr + len > seg.addr + (seg.end - seg.start)) continue;
      const from = seg.start + (ptr - seg.addr);
      const name = b.toString("latin1", from, from + len);
      if (/^[\x21-\x7e]+\.rs$/.test(name)) ranges.push([from, len]);
    }
    const text = b.toString("latin1", s.start, s.end);
    for (const msg of MESSAGES)
      for (let k = text.indexOf(msg); k >= 0; k = text.indexOf(msg, k + 1)) ranges.push([s.start + k, msg.length]);
  }
  let zeroed = 0;
  for (const [from, len] of ranges) {
    for (let k = from; k < from + len; k++) if (b[k]) (b[k] = 0), zeroed++;
  }
  return zeroed;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const file = process.argv[2];
  const b = readFileSync(file);
  const n = zeroPanicData(b);
  writeFileSync(file, b);
  console.log(`  zeroed ${n} bytes of panic-only data`);
}
