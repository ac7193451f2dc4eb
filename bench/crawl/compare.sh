#!/bin/sh
# Side-by-side benchmark: stdlib/crawl vs Colly v2.3.0 on the same local
# 5,000-page site, alternating runs so both see the same machine load.
#   bench/crawl/compare.sh [pages] [rounds] [workers] [mem]
# With "mem", each round also runs stdlib/crawl on the in-memory
# SharedStore (-mem), the path several Collectors of one process share.
set -eu
cd "$(dirname "$0")/../.."
N=${1:-5000}
ROUNDS=${2:-3}
W=${3:-8}
MEM=${4:-}
TMP=$(mktemp -d)
trap 'kill $SITE 2>/dev/null || true; rm -rf "$TMP"' EXIT
go build -o "$TMP/crawlbench" ./bench/crawl
(cd bench/peers/colly && go build -o "$TMP/collybench" .)
"$TMP/crawlbench" -serve -n "$N" > "$TMP/url" &
SITE=$!
while [ ! -s "$TMP/url" ]; do sleep 0.1; done
URL=$(cat "$TMP/url")
for i in $(seq "$ROUNDS"); do
	"$TMP/collybench" -url "$URL" -parallel "$W"
	"$TMP/crawlbench" -url "$URL" -workers "$W"
	if [ "$MEM" = mem ]; then "$TMP/crawlbench" -url "$URL" -workers "$W" -mem; fi
done
