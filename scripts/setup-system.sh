#!/usr/bin/env bash
# System packages the browser tests need: Debian's Chromium (never a downloaded browser) and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core from package-lock.json..."
  npm ci --no-audit --no-fund --silent
fi
