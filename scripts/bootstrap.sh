#!/usr/bin/env bash
# Installs whatever is missing on a machine that has only rustup/cargo and
# node/npm. Idempotent and quiet when everything is present.
#   --test  also makes sure Debian's chromium and chromium-driver are installed.
#   --bench what `npm run bench`'s server section needs: Debian's wrk and
#           postgresql (as root; without root the bench skips those rows and
#           says why) and the Node baseline's packages (bench/node-baseline).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'bootstrap: %s\n' "$*"; }

command -v cargo >/dev/null || { echo "bootstrap: cargo not found; install Rust with rustup first." >&2; exit 1; }
command -v npm >/dev/null || { echo "bootstrap: npm not found; install Node.js first." >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (pinned with `=`).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  say "installing wasm-bindgen-cli $want (had: ${have:-none}); this takes a few minutes"
  # Not --locked: the crates mirror lacks one of the CLI's pinned dependencies.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "bootstrap: run 'sudo apt-get install -y chromium chromium-driver' (needed for the browser tests)" >&2
      exit 1
    fi
    say "installing Debian chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # PostgreSQL for the server suite's second engine (scripts/pg.sh starts a
  # throwaway cluster). Without root the layer is skipped with one line.
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian postgresql (server tests on PostgreSQL)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq postgresql >/dev/null
    else
      say "PostgreSQL missing and not root: the PostgreSQL test layer will be skipped (sudo apt-get install postgresql)"
    fi
  fi
  # The README's "Keeping accounts in sync" examples run with curl (docs test).
  if ! command -v curl >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
      echo "bootstrap: run 'sudo apt-get install -y curl' (needed for the docs test)" >&2
      exit 1
    fi
    say "installing Debian curl"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null || {
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
    }
  fi
fi

if [ "${1:-}" = "--bench" ]; then
  missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian ${missing[*]} (server bench)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
        apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
      }
    else
      say "${missing[*]} missing and not root: the server bench skips what needs them (sudo apt-get install ${missing[*]})"
    fi
  fi
  if [ ! -d bench/node-baseline/node_modules ] || [ bench/node-baseline/package-lock.json -nt bench/node-baseline/node_modules/.package-lock.json ]; then
    say "installing the Node baseline's packages (bench/node-baseline; better-sqlite3 compiles SQLite: a few minutes)"
    (cd bench/node-baseline && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
