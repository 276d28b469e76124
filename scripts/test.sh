#!/usr/bin/env bash
# The whole test suite: type-check (whole project, then the engine alone without Node types to keep it pure),
# build (the CLI tests run the built bin), then every test file with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== type-check"
npx tsc -p tsconfig.json --noEmit
npx tsc -p src/engine/tsconfig.json
echo "== build"
npm run build --silent
echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 "${files[@]}"
