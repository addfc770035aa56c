#!/usr/bin/env bash
# sample.sh - resident memory and CPU time of a broker and of a client process, read from /proc once a second,
# and a summary over a time window. Sourced by bench/compare.sh.
#
#   sample_loop BROKER_PID CLIENT_PID FILE [CLOCK_COMMAND...]   runs until killed (run it in the background);
#       one line a second: clock broker_rss_kb broker_ticks client_ticks host_total_ticks host_idle_ticks
#       where clock is what CLOCK_COMMAND prints (the client's own idea of how long it has been measuring,
#       so that a slow JVM start on a busy machine does not shift the window), or seconds since the start
#   sample_summary FILE FROM_S TO_S          prints: rss_max_mb broker_pct client_pct other_pct
#       over the samples whose clock is between FROM_S and TO_S (CPU in % of one core, so 2 cores = 200;
#       other = the rest of the host's busy time: other processes, i.e. noise). "-" where nothing was measured.

# utime + stime of a process in clock ticks; empty when the process is gone.
sample_cpu_ticks() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 0
  # the command name (field 2) may hold spaces: count fields after its closing parenthesis
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

sample_rss_kb() {
  [ -n "$1" ] && [ -r "/proc/$1/status" ] || return 0
  awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# All CPU time of the host and its idle part (idle + iowait), in ticks.
sample_host_ticks() {
  awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; idle = $5 + $6; print busy + idle, idle; exit }' /proc/stat
}

sample_loop() {
  local broker=$1 client=$2 file=$3 start=$EPOCHREALTIME now
  shift 3
  while :; do
    if [ $# -gt 0 ]; then now=$("$@"); else now=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'); fi
    printf '%s %s %s %s %s\n' "${now:-0}" \
      "$(sample_rss_kb "$broker")" "$(sample_cpu_ticks "$broker")" "$(sample_cpu_ticks "$client")" \
      "$(sample_host_ticks)" >> "$file"
    sleep 1
  done
}

sample_summary() {
  local file=$1 from=$2 to=$3
  awk -v from="$from" -v to="$to" -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" '
    NF == 6 && $2 > rss { rss = $2 }
    NF == 6 && $1 >= from && $1 <= to + 0.5 {
      if (!n++) { t0 = $1; b0 = $3; c0 = $4; h0 = $5; i0 = $6 }
      t1 = $1; b1 = $3; c1 = $4; h1 = $5; i1 = $6
    }
    END {
      mb = rss > 0 ? sprintf("%.0f", rss / 1024) : "-"
      if (n < 2 || t1 <= t0) { print mb, "-", "-", "-"; exit }
      dt = t1 - t0
      b = (b1 - b0) / hz / dt * 100; c = (c1 - c0) / hz / dt * 100
      host = (h1 > h0) ? (1 - (i1 - i0) / (h1 - h0)) * cores * 100 : 0
      other = host - b - c; if (other < 0) other = 0
      printf "%s %.0f %.0f %.0f\n", mb, b, c, other
    }' "$file"
}
