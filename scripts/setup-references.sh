#!/usr/bin/env bash
# Installs the independent references the geodesy tests compare the API with, when missing: PROJ's
# command-line tools (Debian's proj-bin: cs2cs, projinfo) and GeographicLib's (geographiclib-tools:
# GeodSolve, Planimeter). Idempotent.
set -euo pipefail
missing=()
command -v cs2cs >/dev/null 2>&1 && command -v projinfo >/dev/null 2>&1 || missing+=(proj-bin)
command -v GeodSolve >/dev/null 2>&1 && command -v Planimeter >/dev/null 2>&1 || missing+=(geographiclib-tools)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "[setup-references] PROJ $(projinfo 2>&1 | sed -n 's/^Rel\. \([0-9.]*\).*/\1/p' | head -1) (cs2cs, projinfo); GeographicLib $(GeodSolve --version 2>&1 | awk '{print $NF}') (GeodSolve, Planimeter)"
