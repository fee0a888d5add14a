#!/usr/bin/env bash
# The test command: type-check, then every test file listed explicitly (Node 20's runner finds no .ts by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' | sort)
# A test that hangs fails after 5 minutes. (Not --test-force-exit: on Node 20 it can end a file while an
# async describe is still adding tests, so tests would silently not run.) The whole run is bounded too.
exec timeout --signal=TERM 45m node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${files[@]}"
