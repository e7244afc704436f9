#!/usr/bin/env bash
# The API benchmark in one command: builds the hub and the bench in Release, then measures, in one run on this
# machine, the bare-Kestrel ceiling, POST /api/v1/events on SQLite and on PostgreSQL (max and at half load) and
# the batch endpoint, and prints events/s, p50/p99 and the ratio to the ceiling.
#   bench/run.sh [--seconds 8] [--connections 32,64,256] [--rounds 3] [--hub-warmup 15] [--steady-max 90] [--postgres "Host=...;Database=..."] [--only sqlite|postgres]
# --connections: the closed-loop maximum of the ceiling and of the hub is each the best over these concurrency levels
# (every level is printed): the bare endpoint loses throughput to contention with many connections, the hub's group
# commit needs requests queued behind a commit.
# --rounds: each hub's maximum (every round between two ceiling measurements), its latency at half load and its batch
# rate are each measured this many times; the median round is reported, every round printed.
# --hub-warmup: seconds each hub is driven (single events, then batches) before anything is measured, so the
# JIT has tiered the hot path up; nothing of it is counted and it uses its own message ids.
# --steady-max: then each server (the ceiling too) is driven in 5 s windows until its rate stops rising (< 3 %
# over the best window before), at most this many seconds; the windows are printed.
# PostgreSQL: HUB_BENCH_POSTGRES or --postgres (default: the local hub role, database integrationhub_test_api);
# its public schema is dropped and recreated.
set -euo pipefail
cd "$(dirname "$0")/.."
# The default database on the local server is made ready (role, database) as the tests' is; a server given by
# --postgres or HUB_BENCH_POSTGRES is used as it is.
if [ -z "${HUB_BENCH_POSTGRES:-}" ] && [[ " $* " != *" --postgres "* ]]; then
  db/ensure-postgres.sh integrationhub_test_api
fi
dotnet build src/IntegrationHub.Web -c Release -v q -nologo
dotnet build bench/IntegrationHub.Bench -c Release -v q -nologo
exec dotnet bench/IntegrationHub.Bench/bin/Release/net10.0/IntegrationHub.Bench.dll run \
  --hub src/IntegrationHub.Web/bin/Release/net10.0/IntegrationHub.Web.dll "$@"
