#!/usr/bin/env bash
# Builds and runs the whole test suite (unit, gradient-check, PyTorch parity, training, CLI and GPU-backend tests) in
# Release, then the PyTorch parity cases once more on ilgpu-cpu (the GPU backend on the CPU).
# Prints a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test Dendrite.slnx -c Release 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
echo "== PyTorch parity on ilgpu-cpu =="
DENDRITE_TEST_DEVICE=ilgpu-cpu dotnet test tests/Dendrite.Tests -c Release --no-build --filter "FullyQualifiedName~OpsParityTests" 2>&1 | tee -a "$log"
rc2=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
rm -f "$log"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$rc" -ne 0 ] && exit "$rc"
exit "$rc2"
