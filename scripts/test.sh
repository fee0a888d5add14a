#!/usr/bin/env bash
# The test command: type-check, then every test file listed explicitly (Node 20's runner finds no .ts by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' | sort)
# A test that hangs fails after 5 minutes instead of holding the whole run; open handles do not keep it alive.
exec node --import tsx --test --test-concurrency=2 --test-timeout=300000 --test-force-exit "${files[@]}"
