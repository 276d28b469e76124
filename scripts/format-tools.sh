#!/usr/bin/env bash
# Independent readers for the output-format tests (test/io/formats.test.ts): pdftoppm (Debian's poppler-utils)
# renders the PDFs and Ghostscript (gs) the EPS files. Installs them with apt when missing and we are root (CI);
# idempotent. Exits non-zero (with a message) when they are missing and cannot be installed.
set -euo pipefail
need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "format-tools.sh: missing ${need[*]} and not root (no sudo): apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
echo "format-tools.sh: installing ${need[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >&2
command -v pdftoppm >/dev/null 2>&1 && command -v gs >/dev/null 2>&1
