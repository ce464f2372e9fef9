#!/usr/bin/env bash
# Installs OWSLib (Debian's python3-owslib) for Debian's own Python when it is missing: the OGC API
# filter tests (test/ogc-filter.test.ts) read collections, queryables and filtered pages through
# it, as a Python client would. Idempotent; waits for another apt-get to finish.
set -euo pipefail
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import owslib' >/dev/null 2>&1; then
  echo "[setup-owslib] OWSLib $("$PY" -c 'import owslib; print(owslib.__version__)')"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3 python3-owslib >/dev/null
echo "[setup-owslib] OWSLib $("$PY" -c 'import owslib; print(owslib.__version__)')"
