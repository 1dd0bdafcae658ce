#!/usr/bin/env bash
# Regenerates the public-API approval file after an intended API change: runs the approval test, then copies what it
# received over the approved file. Review the diff (git diff tests/Cilium.Sdk.Tests/PublicApi) before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test --project tests/Cilium.Sdk.Tests -c Release -- --filter-class "*PublicApiTests" >/dev/null 2>&1 || true
changed=0
for name in Cilium.Sdk CrdKit; do
  received=tests/Cilium.Sdk.Tests/PublicApi/$name.received.txt
  if [ -f "$received" ]; then
    mv "$received" tests/Cilium.Sdk.Tests/PublicApi/$name.approved.txt
    echo "approved the new public API of $name; review: git diff tests/Cilium.Sdk.Tests/PublicApi"
    changed=1
  fi
done
if [ "$changed" -eq 0 ]; then
  echo "public API unchanged"
fi
