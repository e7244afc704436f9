#!/usr/bin/env bash
# Delivery engine benchmark: throughput on PostgreSQL against the simulator with no rate limit (and a
# one-Hangfire-job-per-call baseline in the same run), then budgets, fairness and latency with a flooding neighbour.
#   BENCH_POSTGRES   connection string (default: $HUB_TEST_POSTGRES, else the local integrationhub_test_delivery)
#   BENCH_CALLS      calls for the throughput run (default 20000)
#   BENCH_WINDOW_SECONDS  budget window (default 60: the production minute)
# The database's public and hangfire schemas are dropped and re-created.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_POSTGRES:-}" ] && [ -z "${HUB_TEST_POSTGRES:-}" ]; then
  db/ensure-postgres.sh integrationhub_test_delivery
fi
dotnet build bench/IntegrationHub.Bench.Delivery -c Release -v q -nologo >/dev/null
exec dotnet bench/IntegrationHub.Bench.Delivery/bin/Release/net10.0/IntegrationHub.Bench.Delivery.dll "$@"
