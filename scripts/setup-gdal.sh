#!/usr/bin/env bash
# Installs GDAL's command-line tools (Debian's gdal-bin) when ogrinfo is missing: CI reads every
# OGC API collection with GDAL's OAPIF driver, as QGIS does. Idempotent.
set -euo pipefail
if command -v ogrinfo >/dev/null 2>&1; then
  echo "[setup-gdal] $(ogrinfo --version)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq gdal-bin >/dev/null
echo "[setup-gdal] $(ogrinfo --version)"
