#!/usr/bin/env bash
# Every test: native (cargo test), browser unit tests (wasm-bindgen-test in
# headless Chromium) and end-to-end (playwright-core against the server on
# two origins). Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
status=0
mkdir -p target && rm -f target/*-tests.log
# Each step's wall time, so a slow layer shows in CI's log (full run goal: 15 min).
t0=$SECONDS; t=$SECONDS
lap() { [ -n "${name:-}" ] && printf '=== %s: %d s\n' "$name" $((SECONDS - t)); t=$SECONDS; }
step() { lap; name=$1; printf '\n=== %s\n' "$*"; }

step "lint: cargo fmt --check, cargo clippy -D warnings"
cargo fmt --all --check || status=1
# Per package, not --workspace: the server's feature set then matches
# `cargo build -p stream-server` (scripts/build.sh), so its dependencies'
# build scripts and macros are not compiled a second time.
cargo clippy --quiet -p stream-server --all-targets -- -D warnings || status=1
cargo clippy --quiet -p stream-embed -p stream-client --all-targets -- -D warnings || status=1
cargo clippy --quiet --target wasm32-unknown-unknown -p stream-embed --no-default-features --features host -- -D warnings || status=1

step "native: cargo test (server; SDK and stream client)"
# The server alone first: its dependencies are the ones scripts/build.sh
# built (a --workspace run unifies features with the wasm crates' test
# dependencies and compiled them all again, about 4 min of CPU).
if ! { cargo test -p stream-server --quiet && cargo test -p stream-embed -p stream-client --quiet; } >target/native-tests.log 2>&1; then
  status=1
  tail -n 80 target/native-tests.log
fi
grep -E '^(test result|failures:|---- )|panicked|^error' target/native-tests.log

step "server suite again on PostgreSQL (throwaway cluster: scripts/pg.sh)"
rm -f target/pg-tests.log
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/stream-pg.XXXXXX")
if pgurl=$(bash scripts/pg.sh start "$pgdir" 2>target/pg-start.log); then
  if ! STREAM_TEST_DATABASE_URL="$pgurl" cargo test -p stream-server --quiet >target/pg-tests.log 2>&1; then
    status=1
    tail -n 80 target/pg-tests.log
  fi
  grep -E '^(test result|failures:|---- )|panicked|^error' target/pg-tests.log
  bash scripts/pg.sh stop "$pgdir"
else
  echo "SKIPPED: PostgreSQL layer: $(tail -n 1 target/pg-start.log)"
  rm -rf "$pgdir"
fi

step "browser: wasm-bindgen-test in headless Chromium"
# Rust's origins against the browser's (tests/web.rs), and every scenario
# of the state machine again on its wasm32 build (tests/machine_*.rs).
# The runner's default 20 s for the whole suite is too short on a loaded 2-core machine.
if ! WASM_BINDGEN_TEST_TIMEOUT=120 cargo test --target wasm32-unknown-unknown -p stream-embed --test web \
  --test machine_bridge --test machine_coral --test machine_events --test machine_hostile --test machine_lifecycle \
  --test machine_session >target/browser-tests.log 2>&1; then
  status=1
  tail -n 80 target/browser-tests.log
fi
grep -E '^(test |test result)|panicked|^error' target/browser-tests.log

step "end-to-end: playwright-core + /usr/bin/chromium, two origins"
node --test --test-concurrency=1 tests/e2e/ 2>&1 | tee target/e2e-tests.log
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "end-to-end again, third-party cookies blocked: embedding, loading, SSO, docs snippets"
STREAM_E2E_BLOCK_THIRD_PARTY_COOKIES=1 node --test --test-concurrency=1 tests/e2e/embed.test.mjs \
  tests/e2e/embed-loading.test.mjs tests/e2e/server.test.mjs tests/e2e/docs.test.mjs 2>&1 | tee target/e2e-3pc-tests.log
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "types: tsc on the published .d.ts"
node_modules/.bin/tsc -p tests/types && echo "types ok" || status=1

step "size budget"
node scripts/size.mjs || status=1

# One closing line over every runner: cargo's "N passed; N failed" and
# node's "# pass N" / "# fail N". A failing layer without counts (lint,
# types, size) still makes the failed count non-zero.
read -r passed failed < <(cat target/native-tests.log target/pg-tests.log target/browser-tests.log \
  target/e2e-tests.log target/e2e-3pc-tests.log 2>/dev/null | awk '
  /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^# pass [0-9]+$/ { p += $3 } /^# fail [0-9]+$/ { f += $3 }
  END { print p + 0, f + 0 }')
[ "$status" != 0 ] && [ "$failed" = 0 ] && failed=1
lap
echo "test layers took $((SECONDS - t0)) s"
[ "$status" = 0 ] && echo "all test layers passed" || echo "SOME TESTS FAILED"
echo "$passed passed, $failed failed"
exit $status
