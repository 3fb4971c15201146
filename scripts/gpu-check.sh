#!/usr/bin/env bash
# The GPU check, for a Linux machine with an NVIDIA GPU and no .NET or network: run from the repository root with the
# gpu-bundle/ that scripts/gpu-pack.sh made (carried along). In about 3-5 minutes it prints nvidia-smi and
# `dendrite devices`, runs every PyTorch parity case, the gradient checks and the training tests on cuda, trains W4 (MLP) and W5
# (LeNet) of the reference workloads for one epoch on cuda, times float32 GEMM for n = 1024 ... 8192, runs the same
# with PyTorch on CUDA (TF32 off) when python3 has it, and ends with a side-by-side table. Results also go to
# $OUT/gpu-check/ when OUT is set.
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=${GPU_BUNDLE:-gpu-bundle}
device=${DEVICE:-cuda}
epochs=${EPOCHS:-1}
steps=${STEPS:+--steps $STEPS --test-samples 500}   # STEPS=2: a dry run of the script (e.g. DEVICE=ilgpu-cpu)
[ -d "$bundle/app" ] || { echo "gpu-check: $bundle/app is missing; run scripts/gpu-pack.sh on a machine with the .NET SDK first" >&2; exit 2; }
results=${OUT:-/tmp}/gpu-check
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-runtimes 2>/dev/null | grep -q "Microsoft.NETCore.App 10"; then
  export DOTNET_ROOT=/tmp/dendrite-dotnet
  if [ ! -x "$DOTNET_ROOT/dotnet" ]; then
    mkdir -p "$DOTNET_ROOT" && tar -xJf "$bundle/dotnet.tar.xz" -C "$DOTNET_ROOT"
  fi
  export PATH="$DOTNET_ROOT:$PATH"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DENDRITE_DATA="$bundle" FASHION_MNIST_DIR="$bundle/fashion-mnist"
app="$bundle/app"
step() { echo; echo "== $* =="; }

step "nvidia-smi"
nvidia-smi 2>&1 | tee "$results/nvidia-smi.txt" || echo "(nvidia-smi failed)"

step "dendrite devices"
dotnet "$app/Dendrite.Cli.dll" devices 2>&1 | tee "$results/devices.txt"

step "PyTorch parity cases on $device"
DENDRITE_TEST_DEVICE=$device DENDRITE_REFERENCE_DIR="$bundle/reference" timeout 600 \
  dotnet "$app/Dendrite.DeviceCheck.dll" --class Parity 2>&1 | tee "$results/parity.txt" | tail -n 25

step "gradient checks and training tests on $device"
DENDRITE_TEST_DEVICE=$device timeout 900 dotnet "$app/Dendrite.DeviceCheck.dll" --class GradCheckTests --class TrainingOnDeviceTests 2>&1 \
  | tee "$results/gpu-tests.txt" | tail -n 15

step "float32 GEMM on $device (Dendrite)"
# shellcheck disable=SC2086
dotnet "$app/Dendrite.Bench.dll" gpu-gemm --device "$device" --n ${GEMM_SIZES:-1024 2048 4096 8192} 2>/dev/null | tee "$results/dendrite-gemm.jsonl"

step "W4 and W5, $epochs epoch(s) on $device (Dendrite)"
for w in w4 w5; do
  # shellcheck disable=SC2086
  dotnet "$app/Dendrite.Bench.dll" "$w" --child --threads 1 --epochs "$epochs" $steps --device "$device" 2>/dev/null | tail -n 1 | tee "$results/dendrite-$w.json"
done

step "PyTorch on CUDA (TF32 off)"
if python3 -c "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  python3 bench/gpu/torch_cuda.py --fashion "$bundle/fashion-mnist" --epochs "$epochs" 2>&1 | tee "$results/torch.jsonl"
else
  echo "python3 has no PyTorch with CUDA here: no side-by-side numbers" | tee "$results/torch.jsonl"
fi

step "side by side"
python3 bench/gpu/summarize.py "$results" 2>&1 | tee "$results/summary.md"
