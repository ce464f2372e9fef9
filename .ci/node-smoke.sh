#!/usr/bin/env bash
# A smoke test of the Node.js first on PATH (CI runs it under `bash scripts/with-node.sh 24`):
# the type check, then `npm start` as a newcomer runs it (build, embedded database on a clean data
# directory, sample data), a query per layer through HTTP (.ci/embedded-queries.js), a GET query,
# the IDE page and the index, and a clean stop on SIGINT.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL TEST_DATABASE_URL
export KBS_DATA_DIR="$(mktemp -d)/pglite"
export PORT="${SMOKE_PORT:-4518}"
base="http://127.0.0.1:$PORT"
log="$(mktemp)"
echo "[node-smoke] node $(node --version), npm $(npm --version 2>/dev/null)"

npm run typecheck --silent

set -m  # npm start gets its own process group, so SIGINT reaches npm and node alike
npm start >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 180); do
  if curl -sf "$base/health" >/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "[node-smoke] npm start exited"; exit 1; fi
  sleep 1
done
curl -sf "$base/health" >/dev/null || { cat "$log"; echo "[node-smoke] no answer within 180 s"; exit 1; }

node .ci/embedded-queries.js "$base/graphql"
get="$(curl -sf -G "$base/graphql" -H 'apollo-require-preflight: true' --data-urlencode 'query={ orgUnits { code } }')"
grep -q '"orgUnits"' <<<"$get" || { echo "[node-smoke] GET query: $get"; exit 1; }
echo "ok: a GET query"
curl -sf "$base/graphql" -H 'accept: text/html' | grep -q '/graphql/ide/graphiql.js' || { echo "[node-smoke] no IDE page at GET /graphql"; exit 1; }
curl -sf -o /dev/null "$base/graphql/ide/graphiql.js" || { echo "[node-smoke] the IDE bundle is not served"; exit 1; }
echo "ok: the IDE page and its bundle"
curl -sf "$base/" -H 'accept: application/json' | grep -q '"version"' || { echo "[node-smoke] no index at GET /"; exit 1; }
echo "ok: the index"

kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid"
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "[node-smoke] did not stop on SIGINT"; exit 1; fi
grep -q '"msg":"stopped"' "$log" || { cat "$log"; echo "[node-smoke] no clean shutdown"; exit 1; }
echo "[node-smoke] node $(node --version): ok"
