#!/usr/bin/env bash
# The whole test suite: type-check (whole project, then the engine alone without Node types to keep it pure),
# build (the CLI tests run the built bin), then every test file with node's test runner, then the library,
# CLI and service tests on the other supported Node majors.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== type-check"
npx tsc -p tsconfig.json --noEmit
npx tsc -p src/engine/tsconfig.json
echo "== build"
npm run build --silent
echo "== services (PostgreSQL and Redis for test/distributed, stopped on exit)"
# Exported under test-only names: DATABASE_URL/REDIS_URL would switch every embedded test's server to the
# distributed mode. Without the services, the distributed tests skip locally and fail in CI (CI=true).
if services_env=$(bash scripts/services.sh start); then
  eval "$services_env"
  trap 'bash scripts/services.sh stop "$VTRACER_SERVICES_DIR"' EXIT
  export VTRACER_TEST_DATABASE_URL="$DATABASE_URL" VTRACER_TEST_REDIS_URL="$REDIS_URL"
  unset DATABASE_URL REDIS_URL
else
  echo "services: PostgreSQL/Redis could not be started; the distributed tests will $([ "${CI:-}" = true ] && echo FAIL || echo be skipped)" >&2
fi
echo "== format tools (pdftoppm, gs: the output-format tests' independent readers)"
bash scripts/format-tools.sh
echo "== tests (Node $(node --version))"
mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 "${files[@]}"

# The library, CLI and service tests again on the other supported Node majors (engines: >=22.12), from the
# npm registry's node@N packages. VTRACER_OTHER_NODES="" skips this step.
bash scripts/other-nodes.sh test
