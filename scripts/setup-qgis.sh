#!/usr/bin/env bash
# Installs PyQGIS (Debian's python3-qgis, with qgis-providers for the OGC API Features and vector
# tile providers) when it is missing: test/qgis.test.ts loads every OGC API collection and the
# vector tiles in QGIS itself, with a Basic authentication configuration, as a QGIS user does.
# Without recommends: no desktop application, no Qt designer, no documentation. Idempotent.
# PyQGIS is Debian's: it imports in /usr/bin/python3 only (another python3 may come first on PATH).
set -euo pipefail
have_qgis() {
  /usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 && dpkg -s qgis-providers >/dev/null 2>&1
}
if ! have_qgis; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers >/dev/null
fi
echo "[setup-qgis] QGIS $(QT_QPA_PLATFORM=offscreen /usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)' 2>/dev/null) (python3-qgis, qgis-providers)"
