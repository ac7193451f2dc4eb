#!/bin/sh
# The shared crawl through Redis against the in-memory crawler, on the same
# local site, alternating runs so all see the same machine load.
#   bench/crawl/redis.sh [pages] [rounds] [page delay] [fsync]
# Each round: the in-memory crawler (8 workers), then 1, 2 and 4 worker
# processes (8 workers each) sharing one crawl through a redis-server
# started for the run (AOF on, appendfsync as given).
set -eu
cd "$(dirname "$0")/../.."
N=${1:-5000}
ROUNDS=${2:-3}
DELAY=${3:-20ms}
FSYNC=${4:-always}
TMP=$(mktemp -d)
trap 'kill $SITE 2>/dev/null || true; rm -rf "$TMP"' EXIT
go build -o "$TMP/crawlbench" ./bench/crawl
"$TMP/crawlbench" -serve -n "$N" -delay "$DELAY" > "$TMP/url" &
SITE=$!
while [ ! -s "$TMP/url" ]; do sleep 0.1; done
URL=$(cat "$TMP/url")
for i in $(seq "$ROUNDS"); do
	"$TMP/crawlbench" -url "$URL" -workers 8 -out "$TMP/mem.jsonl"
	for P in 1 2 4; do
		"$TMP/crawlbench" -url "$URL" -workers 8 -redis local -fsync "$FSYNC" -procs "$P"
	done
done
