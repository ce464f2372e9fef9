#!/usr/bin/env bash
# Installs (if needed) and starts PostgreSQL 15 + PostGIS 3 from Debian's packages, then creates the
# role and databases kbs-graphql uses. Idempotent: safe to run again on a machine that has them.
#
#   sudo scripts/setup-postgis.sh            # role kbs / password kbs, databases kbs, kbs_test, kbs_bench
#   KBS_DB_USER=me KBS_DB_PASSWORD=secret KBS_DB_NAME=mine scripts/setup-postgis.sh
#
# Prints the DATABASE_URL and TEST_DATABASE_URL to use at the end.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
DB_USER="${KBS_DB_USER:-kbs}"
DB_PASSWORD="${KBS_DB_PASSWORD:-kbs}"
DB_NAME="${KBS_DB_NAME:-kbs}"
TEST_DB_NAME="${KBS_TEST_DB_NAME:-kbs_test}"
BENCH_DB_NAME="${KBS_BENCH_DB_NAME:-kbs_bench}"
DB_HOST="${KBS_DB_HOST:-127.0.0.1}"
DB_PORT="${KBS_DB_PORT:-5432}"

log() { printf '[setup-postgis] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! dpkg -s "postgresql-${PG_VERSION}-postgis-3" >/dev/null 2>&1; then
  log "installing postgresql-${PG_VERSION} and postgresql-${PG_VERSION}-postgis-3 from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "postgresql-${PG_VERSION}" "postgresql-${PG_VERSION}-postgis-3" >/dev/null
else
  log "postgresql-${PG_VERSION}-postgis-3 already installed"
fi

if [ ! -d "/etc/postgresql/${PG_VERSION}/main" ]; then
  log "creating cluster ${PG_VERSION}/main"
  $SUDO pg_createcluster "${PG_VERSION}" main
fi

# No systemd on CI machines or containers: start the cluster directly.
if ! $SUDO pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster ${PG_VERSION}/main"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "${PG_VERSION}" main start
fi

for _ in $(seq 1 30); do
  if $SUDO -u postgres pg_isready -q -p "$DB_PORT" 2>/dev/null || pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then break; fi
  sleep 1
done

psql_su() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $DB_PORT $*"
  else
    sudo -u postgres psql -v ON_ERROR_STOP=1 -qAt -p "$DB_PORT" "$@"
  fi
}

log "ensuring role ${DB_USER}"
psql_su "-c \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE \\\"${DB_USER}\\\" LOGIN PASSWORD '${DB_PASSWORD}';
  ELSE
    ALTER ROLE \\\"${DB_USER}\\\" LOGIN PASSWORD '${DB_PASSWORD}';
  END IF;
END \\\$\\\$;\""

for db in "$DB_NAME" "$TEST_DB_NAME" "$BENCH_DB_NAME"; do
  if [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname = '${db}'\"")" != "1" ]; then
    log "creating database ${db}"
    psql_su "-c 'CREATE DATABASE \"${db}\" OWNER \"${DB_USER}\"'"
  fi
  # PostGIS is not a trusted extension: a superuser creates it, once per database.
  psql_su "-d '${db}' -c 'CREATE EXTENSION IF NOT EXISTS postgis'"
  psql_su "-d '${db}' -c 'GRANT ALL ON SCHEMA public TO \"${DB_USER}\"'"
done

log "PostGIS $(psql_su "-d '${DB_NAME}' -c 'SELECT postgis_lib_version()'") ready"
echo "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}"
echo "TEST_DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${TEST_DB_NAME}"
