#!/usr/bin/env bash
# thread-cpu.sh - where FerryMQ's CPU per message goes, by thread: runs one PerfTest scenario against a FerryMQ
# started from this checkout (./ferry server, default JVM options unless FERRY_JAVA_OPTS is set) and prints, for a
# window in the middle of the run, each thread group's CPU microseconds and voluntary context switches (sleeps and
# wake-ups) per received message. FerryMQ alone, no RabbitMQ: for profiling, not for the comparison.
#
#   bench/thread-cpu.sh                      scenario d after a warm-up of a,b,c (20 s each), 30 s run
#   bench/thread-cpu.sh -s b -w "" -d 40     scenario b, no warm-up, 40 s run
#
# Options: -s SCENARIO (as in bench/compare.sh: a b c d e tx1 ...; default d), -w WARM-UP SCENARIOS (comma
# separated, default a,b,c: JIT compilation settles, as it has by scenario d of a comparison), -W SECONDS per
# warm-up (20), -d SECONDS of the measured run (30; the window is 8 s after its start to 7 s before its end).
# Environment: FERRY_BENCH_PORT (5790), FERRY_BENCH_HTTP_PORT (15790), COMPARE_CACHE (~/.cache/ferry-compare).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for lib in perftest ferrymq; do
  # shellcheck source=/dev/null
  . "$ROOT/bench/lib/$lib.sh"
done

SCENARIO=d WARM=a,b,c WARM_S=20 DURATION=30
while getopts "s:w:W:d:h" opt; do
  case "$opt" in
    s) SCENARIO=$OPTARG ;;
    w) WARM=$OPTARG ;;
    W) WARM_S=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 20 ]] || { echo "-d must be at least 20 seconds" >&2; exit 2; }
perftest_args "$SCENARIO" probe > /dev/null || exit 2

PORT=${FERRY_BENCH_PORT:-5790}
HTTP_PORT=${FERRY_BENCH_HTTP_PORT:-15790}
CACHE=${COMPARE_CACHE:-$HOME/.cache/ferry-compare}
OUT=$(mktemp -d /tmp/ferry-thread-cpu.XXXXXX)
FROM=8
TO=$((DURATION - 7))

cleanup() {
  ferry_stop
  rm -rf "$OUT/data"
}
trap cleanup EXIT

CP=$(perftest_classpath "$CACHE")
ferry_start "$ROOT" "$PORT" "$HTTP_PORT" "$OUT/data" "$OUT/ferrymq-server.log"
URI="amqp://guest:guest@127.0.0.1:$PORT"

perftest() {
  local scenario=$1 seconds=$2 log=$3 args
  read -r -a args <<< "$(perftest_args "$scenario" "t$RANDOM")"
  timeout $((seconds + 45)) java -Xms512m -Xmx1g -cp "$CP" com.rabbitmq.perf.PerfTest -h "$URI" -z "$seconds" \
    "${args[@]}" > "$log" 2>&1
}

# One line per thread: tid name cpu_ticks voluntary_context_switches (names with spaces joined by '_').
snapshot() {
  local task name stat ticks switches
  for task in /proc/"$FERRY_PID"/task/*; do
    name=$(tr ' ' '_' < "$task/comm" 2>/dev/null) || continue
    stat=$(sed 's/^.*) //' "$task/stat" 2>/dev/null) || continue
    read -r -a f <<< "$stat"
    ticks=$((f[11] + f[12]))
    switches=$(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "$task/status" 2>/dev/null)
    echo "${task##*/} $name $ticks ${switches:-0}"
  done | LC_ALL=C sort
}

wait_for_clock() {
  local log=$1 at=$2 pid=$3
  while kill -0 "$pid" 2>/dev/null; do
    awk -v t="$(perftest_clock "$log")" -v at="$at" 'BEGIN { exit !(t >= at) }' && return 0
    sleep 0.2
  done
  return 1
}

IFS=, read -r -a warmups <<< "$WARM"
for w in "${warmups[@]}"; do
  [ -n "$w" ] || continue
  echo "warm-up: scenario $w, $WARM_S s" >&2
  perftest "$w" "$WARM_S" "$OUT/warm-$w.log" || echo "warm-up $w failed (see $OUT/warm-$w.log)" >&2
done

echo "measuring: scenario $SCENARIO, $DURATION s, window $FROM..$TO s" >&2
perftest "$SCENARIO" "$DURATION" "$OUT/run.log" &
client=$!
wait_for_clock "$OUT/run.log" "$FROM" "$client" || { echo "PerfTest ended early: $OUT/run.log" >&2; exit 3; }
snapshot > "$OUT/before"
wait_for_clock "$OUT/run.log" "$TO" "$client" || { echo "PerfTest ended early: $OUT/run.log" >&2; exit 3; }
snapshot > "$OUT/after"
wait "$client" || { echo "PerfTest failed: $OUT/run.log" >&2; exit 3; }

read -r _ recv _ p99 conf50 steady < <(perftest_parse "$OUT/run.log" "$FROM" "$TO")
echo "scenario $SCENARIO: received $recv msg/s (window mean $steady), consumer p99 $p99 us, confirm p50 $conf50 us"
LC_ALL=C join "$OUT/before" "$OUT/after" | awk -v hz="$(getconf CLK_TCK)" -v rate="$steady" \
    -v seconds=$((TO - FROM)) '
  # join: tid name ticks switches name ticks switches
  {
    group = $2; sub(/-[0-9]+$/, "", group)
    if (group ~ /^C[12]_CompilerThre/) group = "JIT compiler"
    else if (group ~ /^(GC_Thread|G1_)/) group = "GC"
    else if (group ~ /^ferry-amqp-io/) group = "ferry-amqp-io (event loops)"
    cpu[group] += ($6 - $3) * 1e6 / hz; switches[group] += $7 - $4
  }
  END {
    messages = rate * seconds
    if (messages <= 0) { print "no messages in the window"; exit 1 }
    for (g in cpu) if (cpu[g] > 0 || switches[g] > 0) {
      printf "%8.1f us/msg %6.2f switches/msg  %s\n", cpu[g] / messages, switches[g] / messages, g
      total += cpu[g]; all += switches[g]
    }
    printf "%8.1f us/msg %6.2f switches/msg  %s\n", total / messages, all / messages, "TOTAL"
  }' | sort -rn
echo "(logs: $OUT)"
