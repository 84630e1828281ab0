#!/bin/sh
# The crash test with more kills than `npm test` runs: test/crash/stress.sh [cycles] (default 200).
# Needs a build (npm run build); run from the repository root.
set -e
CRASH_CYCLES="${1:-200}" exec node --test --test-timeout=0 dist/test/crash/
