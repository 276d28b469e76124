#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium for the browser tests (test/web/).
# On a clean CI machine it installs the `chromium` and `chromium-driver` packages with apt (scripts/lib/apt.sh:
# as root, or through sudo). Idempotent: does nothing when the browser is already there. Prints the browser's
# path on success.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"
BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"
apt_want chromium chromium-driver fonts-dejavu-core -- test -x "$BROWSER"
apt_install_wanted chromium.sh
if [ ! -x "$BROWSER" ]; then
  echo "chromium.sh: apt-get finished but $BROWSER is still missing" >&2
  exit 1
fi
echo "$BROWSER"
