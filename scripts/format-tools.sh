#!/usr/bin/env bash
# Independent readers for the output-format tests (test/io/formats.test.ts): pdftoppm (Debian's poppler-utils)
# renders the PDFs and Ghostscript (gs) the EPS files. Installs them with apt when missing (scripts/lib/apt.sh:
# as root, or through sudo); idempotent. Exits non-zero (with a message) when they are missing and cannot be
# installed.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"
apt_want poppler-utils -- command -v pdftoppm
apt_want ghostscript -- command -v gs
apt_install_wanted format-tools.sh
command -v pdftoppm >/dev/null 2>&1 && command -v gs >/dev/null 2>&1
