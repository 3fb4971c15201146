#!/usr/bin/env bash
# Smoke-runs every lab experiment in quick mode (fails if any experiment fails), then renders each report
# in headless Chromium and checks it is not blank and logs no JavaScript errors.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
dotnet run -c Release --project src/Dendrite.Cli -- lab run all --quick --out "$out"
bash scripts/check-reports.sh "$out"
rm -rf "$out"
