#!/usr/bin/env bash
# Starts the reference stream server: the publisher demo on one origin and
# the stream on another. It prints both URLs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --quiet -p stream-server
