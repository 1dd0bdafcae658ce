#!/usr/bin/env bash
# Regenerates the public-API approval file after an intended API change: runs the approval test, then copies what it
# received over the approved file. Review the diff (git diff tests/Cilium.Sdk.Tests/PublicApi) before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test --project tests/Cilium.Sdk.Tests -c Release -- --filter-class "*PublicApiTests" >/dev/null 2>&1 || true
received=tests/Cilium.Sdk.Tests/PublicApi/Cilium.Sdk.received.txt
if [ -f "$received" ]; then
  mv "$received" tests/Cilium.Sdk.Tests/PublicApi/Cilium.Sdk.approved.txt
  echo "approved the new public API; review: git diff tests/Cilium.Sdk.Tests/PublicApi"
else
  echo "public API unchanged"
fi
