#!/usr/bin/env bash
# Reads a `dotnet test` (Microsoft.Testing.Platform) log and prints "N passed, N failed, N skipped" from the
# platform's own final summary. Exits 1 when no summary exists (the build or the run failed before any test).
set -euo pipefail
log=$1
count() { grep -E "^\s+$1:" "$log" | tail -n 1 | grep -Eo '[0-9]+' || true; }
total=$(count total)
if [ -z "$total" ] || [ "$total" -eq 0 ]; then
  echo "No test summary found in $log: the build or the test run failed before any test ran." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "$(count succeeded) passed, $(count failed) failed, $(count skipped) skipped"
[ "$(count failed)" -eq 0 ]
