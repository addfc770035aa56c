#!/usr/bin/env bash
# report.sh - from the per-run results to the medians, the table, the ratios and the check against issue 9's
# targets, and the write-back into docs/BENCHMARKS.md. Sourced by bench/compare.sh.
#
# results.tsv, one line per client run (CPU in % of one core; "-" = not measured):
#   broker scenario rep rc send recv p50_us p99_us conf50_us rss_mb broker_pct client_pct other_pct broker_us_per_msg
#
#   report_medians RESULTS       prints summary.tsv: scenario broker ok/runs and the medians of columns 5-14 over
#                                the runs that succeeded (scenarios in first-seen order)
#   report_table SUMMARY         the table for people
#   report_targets SUMMARY       ratios FerryMQ / RabbitMQ per scenario, then PASS/FAIL per target; returns 1 when
#                                any target failed
#   report_write_docs DOC BLOCK  replaces what is between the compare markers in DOC with the file BLOCK; adds the
#                                section with the markers after the page's introduction when they are missing

REPORT_BEGIN='<!-- compare:begin -->'
REPORT_END='<!-- compare:end -->'

report_medians() {
  awk -F'\t' -v OFS='\t' '
    function median(list,   n, v, i, j, t) {
      n = split(substr(list, 2), v, ",")
      if (n == 0) return "-"
      for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    $1 == "broker" { next }
    {
      key = $2 OFS $1
      if (!(key in runs)) order[++keys] = key
      runs[key]++
      if ($4 != 0) next
      ok[key]++
      for (c = 5; c <= 14; c++) if ($c != "-" && $c != "") values[key, c] = values[key, c] "," $c
    }
    END {
      for (k = 1; k <= keys; k++) {
        key = order[k]; line = key OFS (ok[key] + 0) "/" runs[key]
        for (c = 5; c <= 14; c++) line = line OFS median(values[key, c])
        print line
      }
    }' "$1"
}

report_table() {
  awk -F'\t' '
    function n(v, digits) { return v == "-" ? "-" : sprintf("%." digits "f", v) }
    BEGIN {
      fmt = "%-6s %-9s %5s %9s %9s %8s %8s %8s %7s %6s %6s %6s %8s\n"
      printf fmt, "scen", "broker", "runs", "send/s", "recv/s", "p50 us", "p99 us", "conf50", "RSS MB", "brk%", "cli%",
        "other%", "brk us/m"
    }
    {
      if ($3 ~ /^0\//) { printf "%-6s %-9s %5s   all runs failed (see logs)\n", $1, $2, $3; next }
      printf fmt, $1, $2, $3, n($4, 0), n($5, 0), n($6, 0), n($7, 0), n($8, 0), n($9, 0), n($10, 0), n($11, 0),
        n($12, 0), n($13, 1)
    }' "$1"
  cat <<'NOTE'
medians over the runs that succeeded; latencies: PerfTest's whole-run histogram (rpc: round trips after the
warm-up), microseconds; conf50 = publisher-confirm latency p50; RSS = broker's max resident memory so far in the
run; brk%/cli% = CPU of broker/client (100 = one core) and other% = everything else on the host (noise), both
after the warm-up; brk us/m = broker CPU microseconds per received message (rpc: per round trip)
NOTE
}

report_targets() {
  awk -F'\t' '
    function ratio(a, b) { return (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) ? "-" : a / b }
    function r2(v) { return v == "-" ? "-" : sprintf("%.2f", v) }
    function check(label, value, op, limit,   ok) {
      ok = value != "-" && value != "" && (op == ">=" ? value + 0 >= limit : value + 0 <= limit)
      printf "%-4s %-42s %8s  (target %s %s)\n", ok ? "PASS" : "FAIL", label, r2(value), op, limit
      if (ok) pass++; else fail++
    }
    {
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      for (c = 4; c <= 13; c++) v[$1, $2, c] = $c
      if ($9 != "-" && $9 + 0 > rss[$2]) rss[$2] = $9 + 0
    }
    END {
      printf "%-6s %10s %10s %10s %12s %12s\n", "scen", "recv", "p50", "p99", "conf50", "brk us/m"
      for (i = 1; i <= n; i++) {
        s = order[i]
        printf "%-6s %10s %10s %10s %12s %12s\n", s, r2(ratio(v[s, "ferrymq", 5], v[s, "rabbitmq", 5])),
          r2(ratio(v[s, "ferrymq", 6], v[s, "rabbitmq", 6])), r2(ratio(v[s, "ferrymq", 7], v[s, "rabbitmq", 7])),
          r2(ratio(v[s, "ferrymq", 8], v[s, "rabbitmq", 8])), r2(ratio(v[s, "ferrymq", 13], v[s, "rabbitmq", 13]))
      }
      print "ratios are FerryMQ / RabbitMQ: above 1 is more for FerryMQ (throughput: better; latency, CPU: worse)"
      print ""
      for (i = 1; i <= n; i++) {
        s = order[i]
        if (s ~ /^[abce]$/) check(s ": recv msg/s ratio", ratio(v[s, "ferrymq", 5], v[s, "rabbitmq", 5]), ">=", 2)
        if (s == "d") {
          check("d: consumer latency p99 ratio", ratio(v[s, "ferrymq", 7], v[s, "rabbitmq", 7]), "<=", 0.5)
          c50 = v[s, "ferrymq", 8]
          check("d: FerryMQ confirm latency p50 (ms)", (c50 == "-" || c50 == "") ? "-" : c50 / 1000, "<=", 1)
        }
        if (s ~ /^[abcde]$/) {
          check(s ": broker CPU per message ratio", ratio(v[s, "ferrymq", 13], v[s, "rabbitmq", 13]), "<=", 0.5)
          check(s ": broker max RSS ratio", ratio(v[s, "ferrymq", 9], v[s, "rabbitmq", 9]), "<=", 1)
        }
      }
      check("max RSS over the run, FerryMQ / RabbitMQ", ratio(rss["ferrymq"], rss["rabbitmq"]), "<=", 1)
      printf "targets: %d PASS, %d FAIL\n", pass, fail
      exit (fail > 0 ? 1 : 0)
    }' "$1"
}

report_write_docs() {
  local doc=$1 block=$2 tmp
  tmp=$(mktemp "$doc.XXXXXX")
  if ! grep -qF "$REPORT_BEGIN" "$doc" || ! grep -qF "$REPORT_END" "$doc"; then
    # a new section before the first "## " heading, i.e. right after the page's introduction
    awk -v b="$REPORT_BEGIN" -v e="$REPORT_END" '
      !done && /^## / {
        print "## Peer comparison (bench/compare.sh)"; print ""; print b; print e; print ""; done = 1
      }
      { print }
      END { if (!done) { print ""; print "## Peer comparison (bench/compare.sh)"; print ""; print b; print e } }' \
      "$doc" > "$tmp" && cat "$tmp" > "$doc"
  fi
  awk -v b="$REPORT_BEGIN" -v e="$REPORT_END" -v blockfile="$block" '
    $0 == b { print; while ((getline line < blockfile) > 0) print line; skipping = 1; next }
    $0 == e { skipping = 0 }
    !skipping { print }' "$doc" > "$tmp" && cat "$tmp" > "$doc"
  rm -f "$tmp"
}
