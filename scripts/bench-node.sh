#!/usr/bin/env bash
# Runs an engine benchmark (bench/NAME.ts and its arguments) on a Node the package supports (package.json
# "engines": 22.12 or later): the machine's own when it is one, else node@22 from the npm registry, installed
# once into .cache/node by scripts/other-nodes.sh. Timings on an older Node would measure a runtime users
# cannot run the package on (on this project's 2-core VM, Node 20 traced the horse at the bw preset 1.6× the
# Rust reference's time where Node 22 and 24 took 1.4×: an older V8, not the engine).
# VTRACER_BENCH_NODE=/path/to/node picks the binary instead.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="${VTRACER_BENCH_NODE:-}"
if [ -z "$node_bin" ]; then
  node_bin=$(command -v node)
  supported=$("$node_bin" -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 12)')
  if [ "$supported" != "true" ]; then
    echo "bench: Node $("$node_bin" --version) is older than the package supports; running on node@22" >&2
    node_bin=$(bash scripts/other-nodes.sh node 22)
  fi
fi
exec "$node_bin" --import tsx "$@"
