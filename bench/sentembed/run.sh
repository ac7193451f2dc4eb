#!/bin/sh
# Reproduces RESULTS.md: trains FastSent, FastSent+AE and skip-thought on Moby
# Dick's sentences in reading order (package defaults, 2 workers), one after
# the other in the same session, and evaluates each by kNN on SpamAssassin.
set -e
dir=${1:-/tmp/sentembed}
mkdir -p "$dir"
go build -o "$dir/sentembed" ./bench/sentembed
go build -o "$dir/docembed" ./bench/docembed
[ -f "$dir/moby_sents.txt" ] || "$dir/sentembed" -export-mobydick "$dir"
[ -f "$dir/spam_docs.txt" ] || "$dir/docembed" -export-spamassassin "$dir"
for m in fastsent fastsent-ae skipthought; do
	"$dir/sentembed" -method $m -workers 2 -in "$dir/moby_sents.txt" -eval "$dir/spam_docs.txt" -labels "$dir/spam_labels.txt"
done
