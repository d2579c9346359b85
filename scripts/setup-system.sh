#!/usr/bin/env bash
# System packages the browser tests need: Debian's Chromium (never a downloaded browser), the fonts the content's
# scripts need (a Chinese title in the bibliography prints as empty boxes without a CJK font, and Chromium embeds
# only installed fonts in a PDF: the site loads no web font), and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PACKAGES=()
[ -x /usr/bin/chromium ] || PACKAGES+=(chromium fonts-dejavu-core)
# WenQuanYi Micro Hei (1.6 MB) covers the CJK ideographs our .bib uses; Noto CJK would be 56 MB for the same.
# fc-list decides, so a machine that already has any Chinese font installs nothing.
[ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || PACKAGES+=(fonts-wqy-microhei fontconfig)
if [ ${#PACKAGES[@]} -gt 0 ]; then
  echo "Installing from Debian: ${PACKAGES[*]}..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
  command -v fc-cache >/dev/null && fc-cache -f >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core from package-lock.json..."
  npm ci --no-audit --no-fund --silent
fi
