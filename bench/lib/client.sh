#!/usr/bin/env bash
# client.sh - run one load-generating client (a PerfTest or RpcBenchmark JVM) with a hard time limit while the
# broker and the client are sampled (sample.sh). Sourced by bench/compare.sh.
#
#   client_run LIMIT_S BROKER_PID SAMPLES_FILE LOG_FILE CLOCK command [args...]
#       appends the command's output to LOG_FILE and returns its exit status; CLOCK ("-" for none) is the
#       sampler's clock (sample_loop), called with LOG_FILE as its argument; after LIMIT_S seconds the
#       watchdog stops it (TERM, then KILL 5 s later) and the status is 124. A client that hangs on a broker
#       that stopped answering therefore costs at most LIMIT_S + 5 seconds.

# shellcheck disable=SC2034  # CLIENT_RUN_PIDS is read by the caller's exit trap
client_run() {
  local limit=$1 broker=$2 samples=$3 log=$4 clock=$5; shift 5
  "$@" >> "$log" 2>&1 &
  local client=$!
  if [ "$clock" = - ]; then
    sample_loop "$broker" "$client" "$samples" &
  else
    sample_loop "$broker" "$client" "$samples" "$clock" "$log" &
  fi
  local sampler=$!
  CLIENT_RUN_PIDS="$client $sampler"   # for the caller's exit trap, should it be interrupted
  local deadline=$((SECONDS + limit)) timed_out=0
  while kill -0 "$client" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      timed_out=1
      echo "# watchdog: client still running after ${limit}s, stopping pid $client" >> "$log"
      kill -TERM "$client" 2>/dev/null || true
      for _ in 1 2 3 4 5; do kill -0 "$client" 2>/dev/null || break; sleep 1; done
      kill -KILL "$client" 2>/dev/null || true
      break
    fi
    sleep 1
  done
  local rc=0
  wait "$client" || rc=$?
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  CLIENT_RUN_PIDS=""
  [ "$timed_out" = 0 ] || rc=124
  return "$rc"
}
