#!/usr/bin/env bash
# compare.sh - FerryMQ against RabbitMQ on this machine, same tool (RabbitMQ PerfTest), same run.
#
# Usage: bench/compare.sh [peer-compare options...]     e.g. bench/compare.sh -d 60 -s a,c,e
#
# Builds FerryMQ, starts it on 127.0.0.1:${FERRY_BENCH_PORT:-5682} with a throw-away data dir,
# installs (Debian package, first use only) and starts RabbitMQ on 127.0.0.1:${RABBIT_BENCH_PORT:-5672},
# runs the workplace's PerfTest driver (peer-compare.sh) against both, interleaved, and stops
# both brokers on exit, whatever happens. The table is printed and kept under the output dir.
# Needs root for the RabbitMQ install. PerfTest runs in its own JVM, never on the broker's classpath.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
FERRY_PORT=${FERRY_BENCH_PORT:-5682}
FERRY_HTTP_PORT=${FERRY_BENCH_HTTP_PORT:-15682}
RABBIT_PORT=${RABBIT_BENCH_PORT:-5672}
OUT=${OUT:-/tmp/ferry-compare/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

[ -f "$SHARED_BENCH/peer-compare.sh" ] || { echo "compare.sh: $SHARED_BENCH/peer-compare.sh not found" >&2; exit 2; }

ferry_pid=""
rabbit_started=0
cleanup() {
  if [ -n "$ferry_pid" ] && kill -0 "$ferry_pid" 2>/dev/null; then
    kill -TERM "$ferry_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$ferry_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$ferry_pid" 2>/dev/null || true
  fi
  if [ "$rabbit_started" = 1 ]; then
    RABBITMQ_NODE_PORT=$RABBIT_PORT bash "$SHARED_BENCH/rabbitmq-up.sh" stop >/dev/null 2>&1 || true
  fi
  rm -rf "$OUT/ferry-data"
}
trap cleanup EXIT INT TERM

echo "== building FerryMQ"
(cd "$ROOT" && mvn -q -B -DskipTests -pl ferry-server -am package)

echo "== starting RabbitMQ on 127.0.0.1:$RABBIT_PORT"
RABBITMQ_NODE_PORT=$RABBIT_PORT bash "$SHARED_BENCH/rabbitmq-up.sh" start
rabbit_started=1

echo "== starting FerryMQ on 127.0.0.1:$FERRY_PORT"
"$ROOT/ferry" server --amqp-port "$FERRY_PORT" --http-port "$FERRY_HTTP_PORT" --data-dir "$OUT/ferry-data" \
  > "$OUT/ferry.log" 2>&1 &
ferry_pid=$!
for _ in $(seq 1 150); do
  grep -q "ready: amqp://" "$OUT/ferry.log" 2>/dev/null && break
  kill -0 "$ferry_pid" 2>/dev/null || { cat "$OUT/ferry.log" >&2; exit 1; }
  sleep 0.2
done
grep -q "ready: amqp://" "$OUT/ferry.log" || { echo "FerryMQ did not start" >&2; cat "$OUT/ferry.log" >&2; exit 1; }

echo "== running PerfTest scenarios (results in $OUT)"
bash "$SHARED_BENCH/peer-compare.sh" -o "$OUT/results" "$@" \
  --pid "ferrymq=$ferry_pid" \
  "ferrymq=amqp://guest:guest@127.0.0.1:$FERRY_PORT" \
  "rabbitmq=amqp://guest:guest@127.0.0.1:$RABBIT_PORT"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
