#!/usr/bin/env bash
# ferrymq.sh - a throw-away FerryMQ node for the comparison, run from this checkout with ./ferry and its default
# JVM options. Sourced by bench/compare.sh.
#
#   ferry_start ROOT AMQP_PORT HTTP_PORT DATA_DIR LOG   start it in the background, wait for its ready line;
#                                                       FERRY_PID is the broker JVM's pid (./ferry execs java)
#   ferry_stop                                          SIGTERM, up to 60 s for a clean stop, then SIGKILL

FERRY_PID=""

ferry_start() {
  local root=$1 port=$2 http_port=$3 dir=$4 log=$5
  "$root/ferry" server --amqp-port "$port" --http-port "$http_port" --data-dir "$dir" > "$log" 2>&1 &
  FERRY_PID=$!
  local deadline=$((SECONDS + ${FERRY_START_WAIT_S:-180}))   # a first start may build the jar
  until grep -q "ready: amqp://" "$log" 2>/dev/null; do
    if ! kill -0 "$FERRY_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "FerryMQ did not start; its output:" >&2
      tail -30 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

ferry_stop() {
  [ -n "$FERRY_PID" ] || return 0
  if kill -0 "$FERRY_PID" 2>/dev/null; then
    kill -TERM "$FERRY_PID" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$FERRY_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$FERRY_PID" 2>/dev/null; then
      echo "FerryMQ (pid $FERRY_PID) did not stop within 60 s; killing it" >&2
      kill -KILL "$FERRY_PID" 2>/dev/null || true
    fi
  fi
  wait "$FERRY_PID" 2>/dev/null || true
  FERRY_PID=""
}
