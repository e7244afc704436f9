#!/usr/bin/env bash
# The project's one entry point for builds and tests.
#   ./build.sh test    start what the tests need (PostgreSQL, Chromium), build with warnings as errors,
#                      check the db/ scripts match the model, run every test project.
#   ./build.sh build   build only.
set -euo pipefail
cd "$(dirname "$0")"

: "${HUB_TEST_POSTGRES:=Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=integrationhub_test}"
export HUB_TEST_POSTGRES
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '\n== %s\n' "$*"; }

ensure_postgres() {
  log "PostgreSQL"
  db/ensure-postgres.sh integrationhub_test
  echo "PostgreSQL is up; tests use: Host=127.0.0.1 Database=integrationhub_test"
}

ensure_chromium() {
  log "Chromium (browser tests)"
  if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  /usr/bin/chromium --version
}

# The kit tests run on Node.js (its built-in test runner, no packages): Debian's nodejs where none is installed.
ensure_node() {
  log "Node.js (kit tests)"
  if ! command -v node >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs >/dev/null
  fi
  node --version
}

# One closing line over every runner: 'N passed, N failed'.
summarise() {
  local passed failed
  passed=$(( $(awk '$1 == "Passed:" && NF == 2 { s += $2 } END { print s + 0 }' artifacts/dotnet-tests.log) \
           + $(awk '$2 == "pass" && NF == 3 { s += $3 } END { print s + 0 }' artifacts/kit-tests.log) ))
  failed=$(( $(awk '$1 == "Failed:" && NF == 2 { s += $2 } END { print s + 0 }' artifacts/dotnet-tests.log) \
           + $(awk '$2 == "fail" && NF == 3 { s += $3 } END { print s + 0 }' artifacts/kit-tests.log) ))
  echo
  echo "tests: $passed passed, $failed failed"
}

# A run can fail with every test passed (a fixture's clean-up threw, a test host crashed): say why just before the
# summary line, where a reader of the tail looks. Log lines (JSON, one per line) are left out.
explain_failure() {
  log "Why the test run failed"
  grep -v '^{' artifacts/dotnet-tests.log \
    | grep -n -i -E -A 12 'Test Run (Failed|Aborted)|\[FAIL\]|Cleanup Failure|Catastrophic|crashed|aborted|error( message)?:|Exception:' \
    | grep -v '^[0-9]*[-:]  Passed ' | head -200 || true
}

build() {
  log "Build (warnings are errors)"
  dotnet tool restore >/dev/null
  dotnet build IntegrationHub.sln -c Release -nologo -v q -warnaserror
}

case "${1:-test}" in
  build)
    build
    ;;
  test)
    ensure_postgres
    ensure_chromium
    ensure_node
    build
    log "Database scripts"
    CONFIGURATION=Release db/generate-scripts.sh --check
    mkdir -p artifacts
    log "Frontend kit tests (node)"
    set +e
    tests/kit/run.sh 2>&1 | tee artifacts/kit-tests.log
    kit_status=${PIPESTATUS[0]}
    log "Tests"
    dotnet test IntegrationHub.sln -c Release --no-build -nologo --logger "console;verbosity=normal" --results-directory artifacts/test-results \
      2>&1 | tee artifacts/dotnet-tests.log
    dotnet_status=${PIPESTATUS[0]}
    set -e
    [ "$dotnet_status" -eq 0 ] || explain_failure
    summarise
    [ "$kit_status" -eq 0 ] && [ "$dotnet_status" -eq 0 ]
    ;;
  *)
    echo "usage: ./build.sh [build|test]" >&2
    exit 2
    ;;
esac
