#!/usr/bin/env bash
# Regenerates src/Dendrite.Onnx/Proto/OnnxProto.g.cs from src/Dendrite.Onnx/Proto/onnx.proto with protoc from the
# Google.Protobuf.Tools NuGet package (restored into the NuGet cache on first use). The generated types are internal
# to Dendrite.Onnx. Run from anywhere: bash scripts/onnx-protogen.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=3.36.2
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
tools="$cache/google.protobuf.tools/$version/tools"
if [[ ! -x "$tools/linux_x64/protoc" && ! -f "$tools/linux_x64/protoc" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Google.Protobuf.Tools" Version="$version" /></ItemGroup>
</Project>
XML
  dotnet restore "$tmp/restore.csproj" >/dev/null
fi
case "$(uname -m)" in
  x86_64) arch=linux_x64 ;;
  aarch64) arch=linux_aarch64 ;;
  *) echo "onnx-protogen: no protoc in Google.Protobuf.Tools for $(uname -m)" >&2; exit 1 ;;
esac
protoc="$tools/$arch/protoc"
chmod +x "$protoc" 2>/dev/null || true
proto="$root/src/Dendrite.Onnx/Proto"
out="$(mktemp -d)"
"$protoc" --proto_path="$proto" --csharp_out="$out" --csharp_opt=internal_access,file_extension=.g.cs "$proto/onnx.proto"
mv "$out/Onnx.g.cs" "$proto/OnnxProto.g.cs"
rm -rf "$out"
echo "wrote $proto/OnnxProto.g.cs"
