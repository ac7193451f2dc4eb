#!/bin/sh
# Side-by-side NMF benchmark: gonbml's bench/nmf against scikit-learn
# (bench/peers/nmf_sklearn.py, Debian's /usr/bin/python3 + python3-sklearn)
# on the same Matrix Market file from the same NNDSVDA start, alternating
# the two so machine load hits both alike. Prints each run's JSON line and,
# per solver, the median time-per-iteration ratio gonbml/scikit-learn and
# the relative difference of the final ‖X − WH‖_F.
#
#   bench/nmf/compare.sh FILE.mtx[.gz] [K] [ITERS] [ROUNDS] [SOLVERS] [-dense]
#   e.g. bench/nmf/compare.sh ~/.cache/gonbml/bench/spam.mtx 20 200 3 "mu cd"
# WORKERS=N sets gonbml's goroutines (default 0: GOMAXPROCS).
set -eu
mtx=$1
k=${2:-20}
iters=${3:-200}
rounds=${4:-3}
solvers=${5:-"mu cd"}
dense=${6:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3

cd "$here"
go build -o "$work/gonmf" ./bench/nmf
"$work/gonmf" -make init -mtx "$mtx" -k "$k" -out "$work/init"
for s in $solvers; do
	for r in $(seq "$rounds"); do
		"$work/gonmf" -mtx "$mtx" -k "$k" -solver "$s" -iters "$iters" -tol 0 -seed 0 -workers "${WORKERS:-0}" \
			-init-w "$work/init.W.mtx" -init-h "$work/init.H.mtx" $dense | tee -a "$work/go.$s"
		$py bench/peers/nmf_sklearn.py -mtx "$mtx" -k "$k" -solver "$s" -iters "$iters" -tol 0 -seed 0 \
			-init-w "$work/init.W.mtx" -init-h "$work/init.H.mtx" $dense | tee -a "$work/sk.$s"
	done
	$py - "$work/go.$s" "$work/sk.$s" <<'PY'
import json, statistics, sys
go = [json.loads(l) for l in open(sys.argv[1])]
sk = [json.loads(l) for l in open(sys.argv[2])]
g = statistics.median(r["seconds_per_iter"] for r in go)
s = statistics.median(r["seconds_per_iter"] for r in sk)
e = abs(go[-1]["recon_err"] - sk[-1]["recon_err"]) / sk[-1]["recon_err"]
print(json.dumps({"solver": go[0]["solver"], "gonbml_ms_per_iter": round(g * 1e3, 3),
                  "sklearn_ms_per_iter": round(s * 1e3, 3), "ratio": round(g / s, 3),
                  "recon_err_rel_diff": e}))
PY
done
