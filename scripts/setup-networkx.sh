#!/usr/bin/env bash
# Installs NetworkX (Debian's python3-networkx) for Debian's own Python when it is missing: the
# network tests (test/network-graph.test.ts, test/network-operations.test.ts) compare routes,
# cut-off sets, articulation points, bridges and independent-route counts with it. Idempotent;
# waits for another apt-get to finish.
set -euo pipefail
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import networkx' >/dev/null 2>&1; then
  echo "[setup-networkx] NetworkX $("$PY" -c 'import networkx; print(networkx.__version__)')"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3 python3-networkx >/dev/null
echo "[setup-networkx] NetworkX $("$PY" -c 'import networkx; print(networkx.__version__)')"
