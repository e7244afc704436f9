#!/usr/bin/env bash
# Crash, fault and scale-out drills against hub processes on PostgreSQL (see README "Drills").
#   bench/drills/run.sh all                       two-nodes, crash (20 cycles) and faults
#   bench/drills/run.sh crash --cycles 50         one drill, with options (run without arguments for the usage)
#   bench/drills/run.sh postgres-stop --yes-stop-postgres   REALLY stops the local cluster: by hand only
# DRILL_POSTGRES: connection string to the server (default $HUB_TEST_POSTGRES, else local hub/hub).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DRILL_POSTGRES:-}" ] && [ -z "${HUB_TEST_POSTGRES:-}" ]; then
  db/ensure-postgres.sh
fi
dotnet build bench/IntegrationHub.Drills -c Release -v q -nologo >/dev/null
exec dotnet bench/IntegrationHub.Drills/bin/Release/net10.0/IntegrationHub.Drills.dll "$@"
