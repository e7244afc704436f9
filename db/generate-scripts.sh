#!/usr/bin/env bash
# Regenerates the idempotent SQL scripts an operator runs against a server database:
#   db/postgres/migrations.sql and db/sqlserver/migrations.sql
# With --check, regenerates into a temporary folder and fails if the committed scripts differ (CI uses this),
# and fails if the EF model has changes that no migration captures.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true
dotnet tool restore >/dev/null
config=${CONFIGURATION:-Debug}
dotnet build src/IntegrationHub.Web -c "$config" -v q -nologo >/dev/null

out=db
$check && out=$(mktemp -d)
mkdir -p "$out/postgres" "$out/sqlserver"

script() { # provider folder
  dotnet ef migrations script --idempotent --no-build --configuration "$config" --project src/IntegrationHub.Web \
    --context "$1HubDbContext" --output "$out/$2/migrations.sql" >/dev/null
}
script Postgres postgres
script SqlServer sqlserver

if $check; then
  status=0
  for provider in Sqlite Postgres SqlServer; do
    if ! dotnet ef migrations has-pending-model-changes --no-build --configuration "$config" --project src/IntegrationHub.Web --context "${provider}HubDbContext" >/dev/null 2>&1; then
      echo "db: the EF model has changes without a ${provider} migration (run db/add-migration.sh NAME)." >&2
      status=1
    fi
  done
  for folder in postgres sqlserver; do
    if ! diff -q "$out/$folder/migrations.sql" "db/$folder/migrations.sql" >/dev/null 2>&1; then
      echo "db: db/$folder/migrations.sql is out of date (run db/generate-scripts.sh)." >&2
      status=1
    fi
  done
  rm -rf "$out"
  [ $status -eq 0 ] && echo "db: migration scripts match the model."
  exit $status
fi
echo "db: scripts written to db/postgres and db/sqlserver."
