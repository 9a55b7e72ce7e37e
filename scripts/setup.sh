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
# dvk's own modules compiled once: pip compiles the installed packages, but not an editable
# project's, and with PYTHONDONTWRITEBYTECODE set (usual in containers) every dvk command
# compiled all of generator/ again (0.15 s of each build)
.venv/bin/python -m compileall -q generator >/dev/null || true

if [ "$mode" = "--test" ] && [ ! -f .cache/node/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "==> npm install vnu-jar (Nu Html Checker)"
  mkdir -p .cache/node
  npm install --silent --no-audit --no-fund --prefix .cache/node vnu-jar >/dev/null
fi
# Web editor (/admin/, dvk edit): Decap CMS, pinned. `npm pack` fetches only the package
# (its dist/ is a self-contained bundle), not its ~1,500 build dependencies; decap-server
# is the local backend of `dvk edit`. Without npm the site still builds, /admin/ then says
# how to install it.
DECAP_CMS_VERSION=3.16.3
DECAP_SERVER_VERSION=3.11.3
if command -v npm >/dev/null 2>&1; then
  mkdir -p .cache/node
  if [ "$(cat .cache/node/decap-cms/.version 2>/dev/null)" != "$DECAP_CMS_VERSION" ]; then
    echo "==> npm pack decap-cms@$DECAP_CMS_VERSION (trình soạn nội dung web /admin/)"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "decap-cms@$DECAP_CMS_VERSION" >/dev/null)
    rm -rf .cache/node/decap-cms && mkdir -p .cache/node/decap-cms
    tar -xzf "$tmp"/decap-cms-*.tgz -C .cache/node/decap-cms --strip-components=1
    rm -rf "$tmp"
    echo "$DECAP_CMS_VERSION" > .cache/node/decap-cms/.version
  fi
  if [ ! -f .cache/node/node_modules/decap-server/dist/index.js ]; then
    echo "==> npm install decap-server@$DECAP_SERVER_VERSION (soạn nội dung trên máy: dvk edit)"
    npm install --silent --no-audit --no-fund --prefix .cache/node "decap-server@$DECAP_SERVER_VERSION" >/dev/null
  fi
else
  echo "==> không có npm: bỏ qua trình soạn nội dung web (/admin/, dvk edit); cài Node.js rồi chạy lại"
fi
# axe-core (accessibility rules, injected into pages by the browser tests) and Lighthouse
# (run against Debian's chromium). Lighthouse 12: 13 needs Node 22, Debian has 20.
if [ "$mode" = "--test" ] && { [ ! -f .cache/node/node_modules/axe-core/axe.min.js ] || [ ! -f .cache/node/node_modules/lighthouse/cli/index.js ]; }; then
  echo "==> npm install axe-core lighthouse"
  mkdir -p .cache/node
  npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@4 lighthouse@12 >/dev/null
fi
echo "==> dvk đã sẵn sàng: .venv/bin/dvk --help"
