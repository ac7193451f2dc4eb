#!/bin/sh
# Side-by-side figures for bench/datasets/RESULTS.md: Go loaders and TF-IDF
# against the Python peers, in one run so both see the same machine load.
set -e
cd "$(dirname "$0")/../.."
tgz=$(go run ./bench/datasets/spamdocs -path)
go test -run XXX -bench . -benchtime 3x ./stdlib/datasets ./stdlib/text
/usr/bin/python3 bench/datasets/spam_python.py "$tgz"
docs=$(mktemp)
go run ./bench/datasets/spamdocs > "$docs"
/usr/bin/python3 bench/peers/tfidf_sklearn.py time "$docs"
rm -f "$docs"
uptime
