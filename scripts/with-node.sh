#!/usr/bin/env bash
# Runs a command with Node.js of another major version first on PATH, e.g.
#   bash scripts/with-node.sh 22 npm test -- test/schema.test.ts
# The binary comes from the `node` npm package (node@22 ships Node 22's official Linux build; npm
# keeps it in its npx cache, so later runs start at once). npm itself stays the one installed. argon2
# is N-API (one build loads in every Node version). GeoPackage (SQLite) uses Node's own node:sqlite on
# Node 22.16+ and 24; only on Node 20 does it need better-sqlite3, an optional dependency compiled for
# the Node that ran npm ci (src/common/sqlite.ts).
set -euo pipefail
if [ $# -lt 2 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: bash scripts/with-node.sh <major version> <command> [arguments...]" >&2
  exit 2
fi
major="$1"
shift
node_bin="$(npm exec --yes --package="node@${major}" -- node -p 'process.execPath' 2>/dev/null | tail -n 1)"
if [ ! -x "$node_bin" ]; then
  echo "[with-node] could not get Node.js ${major} from the node@${major} npm package" >&2
  exit 1
fi
export PATH="$(dirname "$node_bin"):$PATH"
version="$(node --version)"
if [[ "$version" != "v${major}."* ]]; then
  echo "[with-node] expected Node.js ${major}, PATH gives ${version}" >&2
  exit 1
fi
echo "[with-node] node ${version} (${node_bin})" >&2
exec "$@"
