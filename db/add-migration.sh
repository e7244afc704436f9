#!/usr/bin/env bash
# Adds a migration named $1 for every provider (one model, three migration sets), then regenerates db/ scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: db/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
dotnet build src/IntegrationHub.Web -v q -nologo >/dev/null
for provider in Sqlite Postgres SqlServer; do
  dotnet ef migrations add "$name" --no-build --project src/IntegrationHub.Web \
    --context "${provider}HubDbContext" --output-dir "Infrastructure/Data/Migrations/${provider}"
done
db/generate-scripts.sh
