#!/usr/bin/env bash
# rpc.sh - reading the output of the project's own request/reply benchmark (io.ferrymq.bench.RpcBenchmark in
# ferry-bench/target/benchmarks.jar: direct reply-to, one connection per client). Sourced by bench/compare.sh.
#
#   rpc_parse LOG   prints the same fields as perftest_parse: send recv p50_us p99_us confirm_p50_us steady_recv,
#                   where send = recv = steady_recv = round trips per second (measured after the warm-up) and
#                   there is no confirm latency ("-")

rpc_parse() {
  awk '
    /^round trips\/s / {
      for (i = 1; i < NF; i++) {
        if ($i == "trips/s") rate = $(i + 1)
        if ($i == "p50") p50 = $(i + 1) * 1000
        if ($i == "p99") p99 = $(i + 1) * 1000
      }
    }
    END {
      if (rate == "") exit 1
      printf "%s %s %.0f %.0f - %s\n", rate, rate, p50, p99, rate
    }' "$1"
}
