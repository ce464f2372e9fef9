#!/usr/bin/env bash
# Installs Debian's Chromium when /usr/bin/chromium is missing: CI opens the map page at /map in a
# real headless browser (.ci/browser-check.js, driven by playwright-core). Idempotent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "[setup-chromium] $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
echo "[setup-chromium] $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
