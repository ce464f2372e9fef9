#!/usr/bin/env bash
# The independent references and real clients the test suite checks the API against, installed from
# Debian's packages when missing (each script is idempotent and quiet when all is there):
# GeographicLib and PROJ (geodesy), GDAL (ogrinfo reading the OGC API and its downloads), OWSLib
# (OGC API filtering), NetworkX (the network's routes, cuts and single points of failure), PyQGIS (QGIS reading the OGC API and the tiles with HTTP Basic) and Chromium
# (the map page and GraphiQL in a browser).
set -euo pipefail
cd "$(dirname "$0")"
bash setup-references.sh
bash setup-gdal.sh
bash setup-owslib.sh
bash setup-networkx.sh
bash setup-qgis.sh
bash setup-chromium.sh
