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
binding=node_modules/better-sqlite3/build/Release/better_sqlite3.node
# Puts back the installed better-sqlite3 build if a run on another Node was interrupted.
restore_binding() { if [ -f "$binding.installed" ]; then mv -f "$binding.installed" "$binding"; fi; }
restore_binding
trap restore_binding EXIT
echo "== services (PostgreSQL and Redis for test/distributed, stopped on exit)"
# Exported under test-only names: DATABASE_URL/REDIS_URL would switch every embedded test's server to the
# distributed mode. Without the services, the distributed tests skip locally and fail in CI (CI=true).
if services_env=$(bash scripts/services.sh start); then
  eval "$services_env"
  trap 'restore_binding; bash scripts/services.sh stop "$VTRACER_SERVICES_DIR"' EXIT
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
# npm registry's node@N packages (scripts/other-nodes.sh). VTRACER_OTHER_NODES="" skips this step.
other_majors=${VTRACER_OTHER_NODES-22 24}
current_major=$(node -p 'process.versions.node.split(".")[0]')
for major in $other_majors; do
  [ "$major" = "$current_major" ] && continue
  other=$(bash scripts/other-nodes.sh node "$major")
  sqlite=$(bash scripts/other-nodes.sh sqlite "$other")
  echo "== library, CLI and service tests on Node $("$other" --version)"
  cp "$binding" "$binding.installed"
  cp "$sqlite" "$binding"
  set +e
  "$other" --import tsx --test --test-concurrency=2 test/engine/options.test.ts test/engine/svg-format.test.ts \
    test/engine/progress.test.ts test/io/*.test.ts test/parallel/*.test.ts test/cli/*.test.ts \
    test/server/api.test.ts test/server/store.test.ts test/server/security.test.ts test/packaging/*.test.ts
  status=$?
  set -e
  restore_binding
  [ "$status" = 0 ] || exit "$status"
done
