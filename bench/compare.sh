#!/usr/bin/env bash
# compare.sh - FerryMQ next to RabbitMQ on this machine: same load tool, same run, interleaved per scenario.
#
# Usage: bench/compare.sh [-d SECONDS] [-l SECONDS] [-n REPS] [-s LIST] [-o DIR] [--write]
#   -d SECONDS  length of every client run, 5..600 (default 30; the first WARMUP s are not measured for CPU)
#   -l SECONDS  length of scenario d's runs, 5..600 (default three times -d, at most 600): d is judged by its p99
#               over PerfTest's whole run, and PerfTest's own JVM warming up puts its first second's messages at
#               5-10 ms with either broker; over 30 s that second alone held more than 1% of the messages, so the
#               p99 measured the client's start, not the broker (docs/BENCHMARKS.md, "Scenario d's length")
#   -n REPS     repetitions of every scenario, 1..20 (default 1); the table shows medians
#   -s LIST     comma list of scenarios (default a,b,c,d,e); all take 1000-byte bodies:
#                 a    transient, auto-ack, 1 producer / 1 consumer
#                 b    persistent on a durable queue, confirms (100 in flight), manual ack (prefetch 200, one
#                      multiple-ack per 50), 1P/1C
#                 c    as b with 4 producers, 4 consumers, 4 queues
#                 d    as b at a fixed publish rate (PERFTEST_RATE, default 2000 msg/s): latency
#                 e    fanout, 1 producer -> 10 queues with a consumer each; transient, auto-ack, confirms
#                 rpc  request/reply with direct reply-to (ferry-bench's RpcBenchmark), 1 and 8 clients
#                 tx   PerfTest with transactions of 1, 10 and 100 persistent messages, 1P/1C
#   -o DIR      where logs and results go (default /tmp/ferry-compare/<date-time>)
#   --write     when every run succeeded, write the report into docs/BENCHMARKS.md between the
#               <!-- compare:begin --> and <!-- compare:end --> markers (without it, nothing in the checkout changes)
#
# One command on a fresh Debian machine: builds FerryMQ (ferry-server, ferry-bench) with Maven, fetches RabbitMQ's
# PerfTest with Maven, installs rabbitmq-server with apt-get when missing (needs root), starts both brokers on
# loopback with throw-away data directories, runs the scenarios, prints the table, the ratios and PASS/FAIL per
# target of issue 9, and on exit, however it exits, stops both brokers and removes their data. Needs: bash 5, Java
# 17+, Maven, iproute2 (ss), and root or an installed rabbitmq-server. Every client run is bounded by a watchdog.
#
# Environment: FERRY_BENCH_PORT (5682), FERRY_BENCH_HTTP_PORT (15682), RABBIT_BENCH_PORT (5672; RabbitMQ also
# takes this + 20000 for its inter-node port), PERFTEST_VERSION (2.22.1), PERFTEST_RATE (2000),
# CLIENT_JAVA_OPTS ("-Xms512m -Xmx1g", the client JVMs), WARMUP (5 s), COMPARE_CACHE (~/.cache/ferry-compare).
# Exit status: 0 when every run succeeded and every target passed, 1 when a target failed, 2 for bad usage or an
# environment that cannot run the comparison, 3 when runs failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$ROOT/bench/lib"
for lib in sample client perftest rpc rabbitmq ferrymq report; do
  # shellcheck source=/dev/null
  . "$LIB/$lib.sh"
done

COMMAND_LINE="bench/compare.sh${*:+ $*}"
DURATION=30
LATENCY_DURATION=""
REPS=1
SCENARIOS=a,b,c,d,e
OUT=""
WRITE=0
FERRY_PORT=${FERRY_BENCH_PORT:-5682}
FERRY_HTTP_PORT=${FERRY_BENCH_HTTP_PORT:-15682}
RABBIT_PORT=${RABBIT_BENCH_PORT:-5672}
WARMUP=${WARMUP:-5}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:--Xms512m -Xmx1g}
CACHE=${COMPARE_CACHE:-$HOME/.cache/ferry-compare}

die() { echo "compare.sh: $*" >&2; exit 2; }
usage() { sed -n '4,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
is_number() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

while [ $# -gt 0 ]; do
  case "$1" in
    -d) DURATION=${2:-}; shift 2 || die "-d needs a value" ;;
    -l) LATENCY_DURATION=${2:-}; shift 2 || die "-l needs a value" ;;
    -n) REPS=${2:-}; shift 2 || die "-n needs a value" ;;
    -s) SCENARIOS=${2:-}; shift 2 || die "-s needs a value" ;;
    -o) OUT=${2:-}; shift 2 || die "-o needs a value" ;;
    --write) WRITE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
in_range() { is_number "$1" && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
in_range "$DURATION" 5 600 || die "-d must be 5..600 seconds"
LATENCY_DURATION=${LATENCY_DURATION:-$(( DURATION * 3 > 600 ? 600 : DURATION * 3 ))}
in_range "$LATENCY_DURATION" 5 600 || die "-l must be 5..600 seconds"
in_range "$REPS" 1 20 || die "-n must be 1..20"
is_number "$WARMUP" || die "WARMUP must be a number of seconds"
[ "$WARMUP" -lt "$DURATION" ] || WARMUP=$((DURATION / 3))

# How long one client run of a scenario takes.
run_seconds() { if [ "$1" = d ]; then echo "$LATENCY_DURATION"; else echo "$DURATION"; fi; }

# rpc and tx stand for several runs each
RUNS=()
IFS=',' read -r -a requested <<< "$SCENARIOS"
for s in "${requested[@]}"; do
  case "$s" in
    a | b | c | d | e) RUNS+=("$s") ;;
    rpc) RUNS+=(rpc1 rpc8) ;;
    tx) RUNS+=(tx1 tx10 tx100) ;;
    *) die "unknown scenario '$s' (a, b, c, d, e, rpc, tx)" ;;
  esac
done
[ ${#RUNS[@]} -gt 0 ] || die "no scenario given"

# Another comparison (or anything else) on our ports would be measured instead of our brokers: refuse early.
port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
command -v ss >/dev/null || die "ss (iproute2) not found"
for p in "$FERRY_PORT" "$FERRY_HTTP_PORT" "$RABBIT_PORT" $((RABBIT_PORT + 20000)); do
  ! port_busy "$p" || die "port $p is in use; choose free ones with FERRY_BENCH_PORT, FERRY_BENCH_HTTP_PORT, RABBIT_BENCH_PORT"
done

OUT=${OUT:-/tmp/ferry-compare/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/logs" "$OUT/samples" || die "cannot create $OUT"
DATA=$(mktemp -d /tmp/ferry-compare-data.XXXXXX)
chmod 755 "$DATA"   # the RabbitMQ node runs as the rabbitmq user and keeps its data in here
CLIENT_RUN_PIDS=""

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local pid
  for pid in $CLIENT_RUN_PIDS; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  ferry_stop
  rabbit_stop
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Offline first: a machine that has built before needs no network; a fresh one falls back to fetching.
maven() { (cd "$ROOT" && { mvn -o "$@" || mvn "$@"; }); }

echo "== building FerryMQ"
modules=ferry-server
case " ${RUNS[*]} " in *" rpc"*) modules=ferry-server,ferry-bench ;; esac
maven -q -B -DskipTests -pl "$modules" -am package > "$OUT/build.log" 2>&1 ||
  { tail -30 "$OUT/build.log" >&2; die "the build failed (log: $OUT/build.log)"; }

PERFTEST_CP=""
case " ${RUNS[*]} " in *" "[abcde]" "* | *" tx"*)
  echo "== PerfTest $PERFTEST_VERSION"
  PERFTEST_CP=$(perftest_classpath "$CACHE") || die "PerfTest is not available" ;;
esac
command -v java >/dev/null || die "java not found"

echo "== RabbitMQ on 127.0.0.1:$RABBIT_PORT"
rabbit_install || die "cannot install rabbitmq-server"
rabbit_start "$RABBIT_PORT" "$DATA/rabbitmq" || die "RabbitMQ did not start"
RABBIT_PID=$(rabbit_pid) || true
echo "== FerryMQ on 127.0.0.1:$FERRY_PORT"
ferry_start "$ROOT" "$FERRY_PORT" "$FERRY_HTTP_PORT" "$DATA/ferrymq" "$OUT/logs/ferrymq-server.log" ||
  die "FerryMQ did not start"

declare -A BROKER_URI=([ferrymq]="amqp://guest:guest@127.0.0.1:$FERRY_PORT"
  [rabbitmq]="amqp://guest:guest@127.0.0.1:$RABBIT_PORT")
declare -A BROKER_PID=([ferrymq]="$FERRY_PID" [rabbitmq]="${RABBIT_PID:-}")

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit (with local changes)"
VERSIONS="FerryMQ $commit; $(rabbit_versions); PerfTest $PERFTEST_VERSION; $(java -version 2>&1 | head -1)"
MACHINE="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)),\
 $(awk '$1 == "MemTotal:" { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
STARTED=$(date -u +%Y-%m-%dT%H:%MZ)
{
  echo "date:     $STARTED"
  echo "command:  $COMMAND_LINE"
  echo "machine:  $MACHINE"
  echo "versions: $VERSIONS"
  total=0; for r in "${RUNS[@]}"; do total=$(( total + $(run_seconds "$r") + 8 )); done
  echo "runs:     ${RUNS[*]} x $REPS rep(s) x 2 brokers, ${DURATION}s each, d ${LATENCY_DURATION}s (about $(( total * REPS * 2 / 60 + 1 )) min)"
  echo "out:      $OUT"
} | tee "$OUT/header.txt"

RESULTS="$OUT/results.tsv"
printf 'broker\tscenario\trep\trc\tsend\trecv\tp50_us\tp99_us\tconf50_us\trss_mb\tbroker_pct\tclient_pct\tother_pct\tbroker_us_per_msg\n' > "$RESULTS"

# One client run against one broker; appends a line to results.tsv.
run_one() {
  local broker=$1 scenario=$2 rep=$3
  local uri=${BROKER_URI[$broker]} log="$OUT/logs/$broker.$scenario.$rep.log"
  local samples="$OUT/samples/$broker.$scenario.$rep.txt" cmd parse clock=-
  local duration; duration=$(run_seconds "$scenario")
  local java_opts; read -r -a java_opts <<< "$CLIENT_JAVA_OPTS"
  if [[ $scenario == rpc* ]]; then
    cmd=(java "${java_opts[@]}" -cp "$ROOT/ferry-bench/target/benchmarks.jar" io.ferrymq.bench.RpcBenchmark
      "$uri" "${scenario#rpc}" $((duration - WARMUP)) "$WARMUP" 1000)
    parse=(rpc_parse "$log")
  else
    local args; read -r -a args <<< "$(perftest_args "$scenario" "$scenario-$rep-$$")"
    cmd=(java "${java_opts[@]}" -cp "$PERFTEST_CP" com.rabbitmq.perf.PerfTest -h "$uri" -z "$duration" "${args[@]}")
    parse=(perftest_parse "$log" "$WARMUP" "$duration")
    clock=perftest_clock
  fi
  echo "# $(date -Is) $broker $scenario rep $rep broker pid ${BROKER_PID[$broker]:-?}: ${cmd[*]}" > "$log"
  local rc=0
  client_run $((duration + 45)) "${BROKER_PID[$broker]}" "$samples" "$log" "$clock" "${cmd[@]}" || rc=$?
  local send=- recv=- p50=- p99=- conf=- steady=- rss=- brk=- cli=- other=- per_msg=-
  read -r send recv p50 p99 conf steady < <("${parse[@]}" || echo "- - - - - -") || true
  [ "$rc" != 0 ] || [ "$recv" != - ] || rc=99   # the client ended without its summary
  read -r rss brk cli other < <(sample_summary "$samples" "$WARMUP" "$duration") || true
  if [ "$brk" != - ] && [ "$steady" != - ] && [ "${steady%.*}" -gt 0 ]; then
    per_msg=$(awk -v b="$brk" -v r="$steady" 'BEGIN { printf "%.2f", b / 100 * 1e6 / r }')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$broker" "$scenario" "$rep" "$rc" "$send" \
    "$recv" "$p50" "$p99" "$conf" "$rss" "$brk" "$cli" "$other" "$per_msg" >> "$RESULTS"
  printf '  %-8s %-5s rep %s rc=%s recv=%s/s p50=%sus p99=%sus conf50=%sus rss=%sMB brk=%s%% cli=%s%% other=%s%% brk_us/msg=%s\n' \
    "$broker" "$scenario" "$rep" "$rc" "$recv" "$p50" "$p99" "$conf" "$rss" "$brk" "$cli" "$other" "$per_msg"
}

for rep in $(seq 1 "$REPS"); do
  # interleaved so that noise on the machine falls on both brokers alike; who goes first alternates per rep
  if [ $((rep % 2)) = 1 ]; then brokers=(ferrymq rabbitmq); else brokers=(rabbitmq ferrymq); fi
  for scenario in "${RUNS[@]}"; do
    for broker in "${brokers[@]}"; do
      run_one "$broker" "$scenario" "$rep"
      sleep 2
    done
  done
done

report_medians "$RESULTS" > "$OUT/summary.tsv"
targets_rc=0
{
  echo
  report_table "$OUT/summary.tsv"
  echo
  report_targets "$OUT/summary.tsv" || targets_rc=$?
} > "$OUT/report.txt"
cat "$OUT/report.txt"

failed_runs=$(awk -F'\t' 'NR > 1 && $4 != 0' "$RESULTS" | wc -l)
if [ "$failed_runs" -gt 0 ]; then
  echo "$failed_runs client run(s) failed: see $OUT/logs"
fi

if [ "$WRITE" = 1 ]; then
  if [ "$failed_runs" -gt 0 ]; then
    echo "not writing docs/BENCHMARKS.md: the run is incomplete"
  else
    {
      echo "Last run: $STARTED, \`$COMMAND_LINE\`"
      echo
      echo "- machine: $MACHINE"
      echo "- versions: $VERSIONS"
      echo
      echo '```'
      sed '1{/^$/d}' "$OUT/report.txt"
      echo '```'
    } > "$OUT/docs-block.md"
    report_write_docs "$ROOT/docs/BENCHMARKS.md" "$OUT/docs-block.md"
    echo "written to docs/BENCHMARKS.md (section \"Peer comparison (bench/compare.sh)\")"
  fi
fi
echo "results: $OUT"
[ "$failed_runs" = 0 ] || exit 3
exit "$targets_rc"
