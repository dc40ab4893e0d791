// The host wasm's boundary: the four exports of src/wire/export.rs (`n`, `t`:
// room for an input's numbers and UTF-8 text; `s`: run it; `l`: the length
// of the effects' JSON it returns). Hand-written instead of wasm-bindgen's
// glue, which cost more bytes on every publisher page (README "Size"). It
// decides nothing.
var wasm;
var encoder = new TextEncoder();
var decoder = new TextDecoder();

/** The import object: the host wasm imports nothing. */
export function imports() {
  return {};
}

/** Keeps the instance's exports. */
export function finish(instance) {
  wasm = instance.exports;
}

/** One input (`nums`, `text`) in, its effects' JSON text out. */
export function step(nums, text) {
  var bytes = encoder.encode(text);
  var n = wasm.n(nums.length);
  var t = wasm.t(bytes.length);
  // Views after both calls: either may have grown the memory.
  new Float64Array(wasm.memory.buffer, n, nums.length).set(nums);
  new Uint8Array(wasm.memory.buffer, t, bytes.length).set(bytes);
  var out = wasm.s();
  return decoder.decode(new Uint8Array(wasm.memory.buffer, out, wasm.l()));
}
