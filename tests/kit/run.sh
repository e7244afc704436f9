#!/usr/bin/env bash
# CrispKit tests: checks the served build matches the source, then runs the Node unit tests
# (node's built-in runner, no packages, no network). Exits non-zero on any failure.
#   tests/kit/run.sh            spec output + summary
#   KIT_TEST_REPORTER=tap tests/kit/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

node src/IntegrationHub.Kit/build.mjs --check
echo "kit build output matches src/IntegrationHub.Kit/crisp-kit.mjs"

exec node --test --test-reporter="${KIT_TEST_REPORTER:-spec}" tests/kit/
