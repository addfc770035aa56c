#!/usr/bin/env bash
# perftest.sh - RabbitMQ's PerfTest: fetch it, the arguments of each scenario, and reading its output.
# Sourced by bench/compare.sh.
#
#   perftest_classpath CACHE_DIR   prints PerfTest's classpath; resolves com.rabbitmq:perf-test:$PERFTEST_VERSION
#                                  with Maven on first use (offline first, from the network if that fails) and
#                                  keeps the classpath in CACHE_DIR
#   perftest_args SCENARIO TAG     prints the PerfTest arguments of one scenario (TAG makes queue names unique)
#   perftest_clock LOG             prints how long PerfTest has been running by its own account (0 before its
#                                  first report line)
#   perftest_parse LOG FROM_S TO_S prints: send recv p50_us p99_us confirm_p50_us steady_recv
#                                  (steady_recv: mean received msg/s of the per-second lines in FROM_S..TO_S)

PERFTEST_VERSION=${PERFTEST_VERSION:-2.22.1}
PERFTEST_RATE=${PERFTEST_RATE:-2000}   # scenario d's fixed publish rate, msg/s

perftest_classpath() {
  local cache=$1 pom
  pom="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/perftest-pom.xml"
  local cp_file="$cache/perftest-$PERFTEST_VERSION.classpath"
  if ! perftest_classpath_complete "$cp_file"; then
    mkdir -p "$cache"
    echo "resolving com.rabbitmq:perf-test:$PERFTEST_VERSION with Maven ..." >&2
    local mvn_args=(-q -B -f "$pom" -Dperftest.version="$PERFTEST_VERSION" dependency:build-classpath
      -Dmdep.outputFile="$cp_file")
    timeout 300 mvn -o "${mvn_args[@]}" > "$cache/mvn.log" 2>&1 ||
      timeout 900 mvn "${mvn_args[@]}" >> "$cache/mvn.log" 2>&1 ||
      { tail -20 "$cache/mvn.log" >&2; echo "could not resolve PerfTest (log: $cache/mvn.log)" >&2; return 1; }
    perftest_classpath_complete "$cp_file" || { echo "PerfTest classpath incomplete: $cp_file" >&2; return 1; }
  fi
  cat "$cp_file"
}

perftest_classpath_complete() {
  [ -s "$1" ] || return 1
  local jars jar
  IFS=':' read -r -a jars < "$1"
  for jar in "${jars[@]}"; do [ -f "$jar" ] || return 1; done
}

# Every scenario: 1000-byte bodies. "Durable" = persistent messages (PerfTest then declares its queues durable),
# publisher confirms with at most 100 in flight, manual acks with prefetch 200, one ack for every 50 messages.
perftest_args() {
  local scenario=$1 tag=$2
  local durable="-f persistent -c 100 -q 200 -A 50"
  case "$scenario" in
    a) echo "-s 1000 -x 1 -y 1 -a" ;;
    b) echo "-s 1000 -x 1 -y 1 $durable" ;;
    c) echo "-s 1000 -x 4 -y 4 $durable -qp cmp-c-$tag-%d -qpf 1 -qpt 4" ;;
    d) echo "-s 1000 -x 1 -y 1 $durable -r $PERFTEST_RATE" ;;
    e) echo "-s 1000 -x 1 -y 10 -a -c 100 -t fanout -e cmp.fanout" ;;
    tx*) echo "-s 1000 -x 1 -y 1 -f persistent -m ${scenario#tx} -u cmp-tx-$tag -ad false" ;;
    *) echo "perftest_args: unknown scenario $scenario" >&2; return 1 ;;
  esac
}

perftest_clock() {
  awk '/ time [0-9.]+ s, sent: / { t = $0 } END { sub(/.*, time /, "", t); sub(/ .*/, "", t); print t + 0 }' "$1"
}

perftest_parse() {
  awk -v from="$2" -v to="$3" '
    function after(line, marker) { sub(".*" marker " *", "", line); sub(/ .*/, "", line); return line }
    / time [0-9.]+ s, sent: / {
      t = after($0, ", time"); r = after($0, "received:")
      if (t + 0 >= from && t + 0 <= to + 0.5) { sum += r; n++ }
    }
    /sending rate avg:/ { send = after($0, "sending rate avg:") }
    /receiving rate avg:/ { recv = after($0, "receiving rate avg:") }
    /consumer latency min\/median\/75th\/95th\/99th [0-9]/ { split(after($0, "99th"), lat, "/") }
    /confirm latency min\/median\/75th\/95th\/99th [0-9]/ { split(after($0, "99th"), conf, "/") }
    END {
      if (send == "" || recv == "") exit 1
      printf "%s %s %s %s %s %s\n", send, recv, (lat[2] == "" ? "-" : lat[2]), (lat[5] == "" ? "-" : lat[5]),
        (conf[2] == "" ? "-" : conf[2]), (n ? sprintf("%.0f", sum / n) : "-")
    }' "$1"
}
