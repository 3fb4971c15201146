#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a Linux GPU machine that has no .NET and no network, into gpu-bundle/
# (gitignored), for a session that is lent such a machine to carry it along:
#   gpu-bundle/app/              framework-dependent build of the dendrite CLI, the bench and the device-check runner
#   gpu-bundle/dotnet.tar.xz     the .NET runtime (host + Microsoft.NETCore.App), without assemblies these programs
#                                never load (XML, networking, debugger support)
#   gpu-bundle/fashion-mnist/    the four Fashion-MNIST IDX files (for W4/W5)
#   gpu-bundle/reference/        the PyTorch parity cases (ops, optimizers, schedulers)
# Usage: bash scripts/gpu-pack.sh   (then carry gpu-bundle; it stays under 64 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
out=gpu-bundle
rm -rf "$out"
mkdir -p "$out/app" "$out/reference" "$out/fashion-mnist"

for project in src/Dendrite.Cli bench/Dendrite.Bench tests/Dendrite.DeviceCheck; do
  dotnet publish "$project" -c Release -o "$out/app" --no-self-contained -p:UseAppHost=false -v quiet -nologo >/dev/null
done
rm -f "$out"/app/*.pdb "$out"/app/*.xml
# ONNX Runtime's native libraries for every platform (about 300 MB) come with the tests' assembly; the GPU check runs no
# ONNX test, so none of them is needed.
rm -rf "$out/app/runtimes"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
framework=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -n 1)
stage=$(mktemp -d)
mkdir -p "$stage/shared/Microsoft.NETCore.App"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/"
cp -r "$framework" "$stage/shared/Microsoft.NETCore.App/"
fw="$stage/shared/Microsoft.NETCore.App/$(basename "$framework")"
( cd "$fw" && rm -f System.Private.Xml.dll System.Private.Xml.Linq.dll System.Xml.*.dll System.Data.dll System.Data.Common.dll \
    System.Private.DataContractSerialization.dll System.Net.Http.dll System.Net.Security.dll System.Net.Mail.dll System.Net.Requests.dll \
    System.Net.Quic.dll System.Net.HttpListener.dll System.Net.WebClient.dll Microsoft.VisualBasic.Core.dll System.Linq.Parallel.dll \
    System.Threading.Tasks.Dataflow.dll System.Transactions.Local.dll System.Text.Encoding.CodePages.dll \
    libmscordaccore.so libmscordbi.so libclrgcexp.so libclrgc.so libcoreclrtraceptprovider.so libSystem.Net.Security.Native.so createdump )
tar -cJf "$out/dotnet.tar.xz" -C "$stage" .
rm -rf "$stage"

fashion=${DENDRITE_DATA:-/usr/share/datasets/fashion-mnist}
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  cp "$fashion/$f" "$out/fashion-mnist/"
done
reference=${DENDRITE_REFERENCE_DIR:-../shared/reference}
cp "$reference"/*.jsonl "$out/reference/"
du -sh "$out" "$out"/*
