#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium for the browser tests (test/web/).
# On a clean CI machine (running as root) it installs the `chromium` and `chromium-driver` packages with apt.
# Idempotent: does nothing when the browser is already there. Prints the browser's path on success.
set -euo pipefail
BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$BROWSER" ]; then
  echo "$BROWSER"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "chromium.sh: $BROWSER is missing and we are not root (no sudo): install the 'chromium' package" >&2
    exit 1
  fi
fi
echo "chromium.sh: installing chromium with apt-get (this takes a minute)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
if [ ! -x "$BROWSER" ]; then
  echo "chromium.sh: apt-get finished but $BROWSER is still missing" >&2
  exit 1
fi
echo "$BROWSER"
