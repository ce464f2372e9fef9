#!/usr/bin/env bash
# Proves README's quick start on the embedded database: `npm start` with no DATABASE_URL on a clean
# data directory comes up with the Nizip sample data, answers a query per layer and a spatial
# filter, shuts down cleanly on SIGINT, and starts again from the same directory with the data.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL TEST_DATABASE_URL
export KBS_DATA_DIR="$(mktemp -d)/pglite"
export PORT="${SMOKE_PORT:-4517}"
log="$(mktemp)"

start() {
  npm start >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "npm start exited"; return 1; fi
    sleep 1
  done
  cat "$log"; echo "npm start did not answer within 180 s"; return 1
}

stop() {
  # npm start runs node under sh under npm: signal the whole process group, as Ctrl-C does.
  kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "did not stop on SIGINT"; return 1; fi
  grep -q '"msg":"stopped"' "$log" || { cat "$log"; echo "no clean shutdown"; return 1; }
}

# The log is JSON lines (stdout is not a terminal): the lifecycle lines, then an access line per request.
lifecycle() { grep '"msg":\|^\[kbs\]' "$log" | grep -v '"msg":"request' || true; }
access_logged() {
  grep '"url":"/health"' "$log" | grep -q '"msg":"request"' || { cat "$log"; echo "no access log line for /health"; return 1; }
}

set -m  # background jobs get their own process group, so SIGINT reaches npm and node alike
start
lifecycle
access_logged
node .ci/embedded-queries.js "http://127.0.0.1:$PORT/graphql"
bash .ci/gdal-check.sh "http://127.0.0.1:$PORT"
node .ci/browser-check.js "http://127.0.0.1:$PORT"
stop
echo "-- restart from the same data directory"
start
lifecycle
node .ci/embedded-queries.js "http://127.0.0.1:$PORT/graphql"
grep -q "loading the Nizip sample data" "$log" && { echo "sample data loaded twice"; exit 1; }
stop
echo "embedded path: ok"
