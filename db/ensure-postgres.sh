#!/usr/bin/env bash
# Makes the local PostgreSQL ready for the tests, benchmarks and drills on a fresh machine: installs Debian's
# package if missing, starts the cluster, creates the login role hub (password hub) and each database named.
#   db/ensure-postgres.sh [DATABASE ...]
# Needs root (it acts as the postgres system user), as on the build machines; does nothing that is already done.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_ctlcluster 15 main start 2>/dev/null || service postgresql start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='hub'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role hub login createdb password 'hub'\""
for database in "$@"; do
  [[ "$database" =~ ^[a-z0-9_]+$ ]] || { echo "ensure-postgres: not a plain database name: $database" >&2; exit 2; }
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='$database'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database $database owner hub'"
done
