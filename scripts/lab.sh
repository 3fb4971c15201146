#!/usr/bin/env bash
# Runs the lab. Installs Debian's Fashion-MNIST package first when it is missing (as root, or through sudo).
# Usage: scripts/lab.sh                 every experiment with the full textbook settings (about 1-2 minutes)
#        scripts/lab.sh --quick         every experiment in reduced form (about 20 seconds)
#        scripts/lab.sh <lab run args>  e.g. scripts/lab.sh moons-mlp cnn --seed 1
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s dataset-fashion-mnist >/dev/null 2>&1 && [ -z "${DENDRITE_DATA:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) \
      || echo "lab: could not install dataset-fashion-mnist; Fashion-MNIST experiments will be skipped" >&2
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get install -y dataset-fashion-mnist \
      || echo "lab: could not install dataset-fashion-mnist; Fashion-MNIST experiments will be skipped" >&2
  fi
fi
if [ $# -eq 0 ]; then set -- all; elif [ "$1" = "--quick" ]; then set -- all "$@"; fi
exec dotnet run -c Release --project src/Dendrite.Cli -- lab run "$@"
