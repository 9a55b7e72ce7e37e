#!/usr/bin/env bash
# Set up dvk on a fresh Debian machine: system libraries (ICU headers + a C++ compiler to
# build PyICU, the collation library), a virtualenv in .venv, and
# (with --test) what the test suite needs: Chromium, poppler-utils, Java + vnu-jar,
# axe-core and Lighthouse (npm, into .cache/node).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig libicu-dev pkg-config g++)
if [ "$mode" = "--test" ]; then
  apt_packages+=(chromium poppler-utils)
  command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> python3 -m venv .venv"
  python3 -m venv .venv
fi
extras="book"
[ "$mode" = "--test" ] && extras="book,test"
echo "==> pip install -e .[$extras]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]" 2>&1 | grep -v "^WARNING: Location" || true

if [ "$mode" = "--test" ] && [ ! -f .cache/node/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "==> npm install vnu-jar (Nu Html Checker)"
  mkdir -p .cache/node
  npm install --silent --no-audit --no-fund --prefix .cache/node vnu-jar >/dev/null
fi
# axe-core (accessibility rules, injected into pages by the browser tests) and Lighthouse
# (run against Debian's chromium). Lighthouse 12: 13 needs Node 22, Debian has 20.
if [ "$mode" = "--test" ] && { [ ! -f .cache/node/node_modules/axe-core/axe.min.js ] || [ ! -f .cache/node/node_modules/lighthouse/cli/index.js ]; }; then
  echo "==> npm install axe-core lighthouse"
  mkdir -p .cache/node
  npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@4 lighthouse@12 >/dev/null
fi
echo "==> dvk đã sẵn sàng: .venv/bin/dvk --help"
