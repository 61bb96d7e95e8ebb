#!/usr/bin/env bash
# Sets up everything entegrator needs on a fresh Debian 12 machine with Python >= 3.11:
# the Debian packages (only those missing), a virtualenv in .venv and the package itself.
# Safe to run again: it only does what is not done yet.
#   ENTEGRATOR_SETUP_EXTRAS=test   also install the test tools (the test command sets it)
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  softhsm2 opensc          # the test HSM (PKCS#11) and its tools
  xmlsec1                  # independent signature verifier used by the tests
  chromium                 # browser tests (Playwright drives Debian's Chromium)
  poppler-utils            # pdftotext, to read rendered PDFs in tests
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core  # WeasyPrint
)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python_bin=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    python_bin="$candidate"; break
  fi
done
[ -n "$python_bin" ] || { echo "setup: Python >= 3.11 is required" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

extras="${ENTEGRATOR_SETUP_EXTRAS:-}"
target="."; [ -n "$extras" ] && target=".[$extras]"
stamp=".venv/.entegrator-installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
if [ ! -f "$stamp" ]; then
  echo "setup: installing entegrator ${extras:+with extras $extras} into .venv"
  .venv/bin/python -m pip install -q -e "$target"
  rm -f .venv/.entegrator-installed-*
  touch "$stamp"
fi
