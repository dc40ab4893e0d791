#!/usr/bin/env bash
# Builds everything a page downloads: dist/embed/ (publisher page) and
# dist/stream/ (page inside the iframe). cargo → wasm-bindgen → wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
BIN=node_modules/.bin
OUT=dist
TMP=target/wasm-build
WASM=target/wasm32-unknown-unknown/release
OPT=(-Oz --strip-debug --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int
     --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue)

# The host SDK is built alone so no std-using crate turns `std` back on.
# Its stack is 64 KiB instead of Rust's default 1 MiB: the wasm memory a
# page holds drops from 1.1 MiB to about 0.1 MiB. The stack comes first in
# memory, so an overflow traps instead of overwriting data.
cargo rustc --quiet --release --target wasm32-unknown-unknown -p stream-embed --lib --no-default-features --features host \
  -- -C link-arg=-zstack-size=65536
cargo build --quiet --release --target wasm32-unknown-unknown -p stream-client --lib
cargo build --quiet -p stream-server
rm -rf "$OUT" "$TMP" && mkdir -p "$OUT/embed" "$OUT/stream" "$TMP/embed"

# Host SDK: the wasm's four exports (src/wire/export.rs) and js/glue.js, bundled
# with the loader and the executor into one classic script by esbuild. No
# wasm-bindgen on the publisher page: its glue and runtime cost 0.98 kB gz
# more (README "Size"); the stream client keeps it.
# core::fmt out of the module first (the allocation-failure handler's
# message is its only user; scripts/trap-fmt.mjs says why and how).
node scripts/trap-fmt.mjs "$WASM/stream_embed.wasm" "$TMP/stream_embed.wasm"
"$BIN/wasm-opt" "${OPT[@]}" "$TMP/stream_embed.wasm" -o "$TMP/embed/opt.wasm"
# A second round: flattening and re-running the relooper, then -Oz twice,
# finds code the first round left (about 0.35 kB gz; measured, as is the
# absence of gains from further rounds).
"$BIN/wasm-opt" "${OPT[@]:1}" --flatten --rereloop -Oz -Oz "$TMP/embed/opt.wasm" -o "$TMP/embed/opt.wasm"
# Panic locations' file names and core's panic messages are never read (the
# panic handler traps): zeroed, they cost 0.35 kB gz less.
node scripts/zero-panic-data.mjs "$TMP/embed/opt.wasm"
for f in loader executor tape builtins glue; do
  sed -e 's|"@glue"|"./glue.js"|' "js/$f.js" > "$TMP/embed/$f.js"
done
# esbuild bundles; terser minifies (3 compress passes: −0.1 kB gz against
# esbuild's --minify). The inlining placeholders become free globals while
# terser runs, so it cannot fold "@WASM@".length into the UTF-8 check.
"$BIN/esbuild" --log-level=warning --bundle --format=iife --target=es2020 \
  "$TMP/embed/loader.js" --outfile="$TMP/embed/bundle.js"
sed -e 's/"@WASM@"/__WASM__/; s/1234567890/__WASM_LEN__/' "$TMP/embed/bundle.js" > "$TMP/embed/held.js"
"$BIN/terser" "$TMP/embed/held.js" --ecma 2020 -c passes=3,toplevel=true -m toplevel=true -o "$TMP/embed/min.js"
sed -e 's/__WASM__/"@WASM@"/; s/__WASM_LEN__/1234567890/' "$TMP/embed/min.js" > "$TMP/embed/embed.js"
# Inline the wasm: one request instead of two, and a wasm the loader can
# compile synchronously. One character per byte (U+0000–U+00FF) in a string
# literal; a UTF-8 BOM makes every page decode it as UTF-8, whatever charset
# the page or a CDN declares. gzip: +0.7 kB against the bare wasm.
node scripts/inline-wasm.mjs "$TMP/embed/opt.wasm" "$TMP/embed/embed.js" "$OUT/embed/embed.js"
"$BIN/terser" js/embed.mjs --module -c -m -o "$OUT/embed/embed.mjs"
mkdir -p "$OUT/types" && cp js/embed.d.ts "$OUT/types/"

# Stream client: an ES module for the page inside the iframe.
wasm-bindgen --target web --out-dir "$TMP/stream" "$WASM/stream_client.wasm"
"$BIN/wasm-opt" "${OPT[@]}" "$TMP/stream/stream_client_bg.wasm" -o "$OUT/stream/stream_client_bg.wasm"
cp "$TMP/stream/stream_client.js" "$TMP/stream/stream_client.d.ts" "$OUT/stream/"

# Count script: Coral's count.js for pages that show comment counts without
# the stream (served at /assets/js/count.js). Plain JS, minified; its own
# budget in scripts/size.mjs.
mkdir -p "$OUT/count"
"$BIN/esbuild" --log-level=warning --minify --target=es2017 js/count.js --outfile="$OUT/count/count.js"

total=0
for f in "$OUT"/embed/*; do
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '  %-36s %7d B  %6d B gzip -9\n' "$f" "$(wc -c <"$f")" "$gz"
done
echo "host payload (dist/embed/*, gzip -9): $total B"
echo "subresource integrity (sha384):"
node -e '
  const { createHash } = require("crypto"), fs = require("fs");
  for (const f of process.argv.slice(1))
    console.log("  " + f.split("/").pop().padEnd(36) + " sha384-" + createHash("sha384").update(fs.readFileSync(f)).digest("base64"));
' "$OUT"/embed/*
echo "count script (dist/count/count.js): $(wc -c <"$OUT/count/count.js") B, $(gzip -9c "$OUT/count/count.js" | wc -c) B gzip -9"
node -e '
  const { createHash } = require("crypto"), fs = require("fs"), f = process.argv[1];
  console.log("  count.js".padEnd(38) + " sha384-" + createHash("sha384").update(fs.readFileSync(f)).digest("base64"));
' "$OUT/count/count.js"
