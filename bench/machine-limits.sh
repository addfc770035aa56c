#!/usr/bin/env bash
# machine-limits.sh - what this machine allows a broker at most (issue 9, item 6): the rate of synchronous 4 KiB
# writes to the data disk (one fsync each: the ceiling of confirms per second for one writer without group commit),
# the store's own durable appends with 1, 4 and 64 concurrent appenders (group commit: records per fsync), and the
# loopback TCP bandwidth of one connection.
#
# Usage: bench/machine-limits.sh [DATA_DIR]    (default ./data-limits, removed afterwards; put it on the broker's disk)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/data-limits}
mkdir -p "$DIR"
trap 'rm -rf "$DIR/fsync-probe"' EXIT

echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(java -version 2>&1 | head -1)"
echo "== fsync rate: 2000 x 4 KiB writes with O_DSYNC into $DIR"
dd if=/dev/zero of="$DIR/fsync-probe" bs=4k count=2000 oflag=dsync 2>&1 | tail -1 |
  awk '{ for (i = 1; i <= NF; i++) if ($i == "s,") secs = $(i - 1); printf "%.0f synchronous writes/s (%s s for 2000)\n", 2000 / secs, secs }'

(cd "$ROOT" && mvn -q -B -o package -pl ferry-bench -am -DskipTests 2>/dev/null || mvn -q -B package -pl ferry-bench -am -DskipTests)
JAR="$ROOT/ferry-bench/target/benchmarks.jar"
echo "== loopback"
java -cp "$JAR" io.ferrymq.bench.LoopbackBandwidth 4096
echo "== store appends (SYNC, 1,000-octet entries) by concurrent appenders"
for t in 1 4 64; do
  java -Djava.io.tmpdir="$DIR" -jar "$JAR" StoreAppendBenchmark -t "$t" -wi 1 -i 2 2>&1 |
    awk -v t="$t" '/records per fsync/ { rpf = $0; sub(/.*fsyncs, /, "", rpf); sub(/ records.*/, "", rpf) }
                   /^StoreAppendBenchmark/ { printf "%2d appenders: %8.0f appends/s, %s records per fsync\n", t, $4, rpf }'
done
