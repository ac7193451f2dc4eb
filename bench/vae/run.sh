#!/bin/sh
# Side-by-side VAE benchmark: gonbml (bench/vae) and PyTorch
# (bench/peers/vae_torch.py) on the same MNIST split, the same thread count,
# one after the other in one run. Prints one JSON line per implementation.
# Usage: bench/vae/run.sh [extra flags shared by both, e.g. -epochs 20]
set -eu
cd "$(dirname "$0")/../.."
threads=${THREADS:-1}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
go build -o "$data/vaebench" ./bench/vae
"$data/vaebench" -export "$data" "$@"
"$data/vaebench" -workers "$threads" "$@"
pyflags=$(echo "$@" | sed 's/-\([a-z]\)/--\1/g')
OMP_NUM_THREADS=$threads /usr/bin/python3 bench/peers/vae_torch.py --data "$data" --threads "$threads" $pyflags
