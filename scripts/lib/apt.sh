# Sourced by the scripts that install Debian packages the tests need (chromium.sh, format-tools.sh, services.sh):
# one way to check, install and report, so that each script names only its packages and how to tell they are there.
#
#   apt_want PACKAGE... -- COMMAND...
#                                 the PACKAGEs are needed unless COMMAND succeeds (its output is discarded)
#   apt_install_wanted NAME       installs the needed packages with apt-get, or says they are all there already;
#                                 NAME prefixes the messages (stderr; stdout is left to the calling script)
#
# apt-get waits up to 10 minutes for the dpkg lock (another install on the machine) rather than failing at once.
# Not root: through `sudo -n` (never a password prompt) when that works, else a message and status 1.

APT_NEED=()
APT_HAVE=()

apt_want() {
  local packages=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do packages+=("$1"); shift; done
  shift
  if "$@" >/dev/null 2>&1; then APT_HAVE+=("${packages[@]}"); else APT_NEED+=("${packages[@]}"); fi
}

apt_install_wanted() {
  local name=$1
  if [ ${#APT_NEED[@]} -eq 0 ]; then
    echo "$name: ${APT_HAVE[*]} already installed" >&2
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "$name: missing ${APT_NEED[*]} and not root (no password-less sudo): apt-get install ${APT_NEED[*]}" >&2
      return 1
    fi
  fi
  echo "$name: installing ${APT_NEED[*]} with apt-get" >&2
  # `env` carries DEBIAN_FRONTEND through sudo, which resets the environment.
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  "${apt[@]}" update -qq >&2
  "${apt[@]}" install -y -qq --no-install-recommends "${APT_NEED[@]}" >&2
}
