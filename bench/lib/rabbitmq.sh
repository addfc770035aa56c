#!/usr/bin/env bash
# rabbitmq.sh - a throw-away RabbitMQ node for the comparison: Debian's rabbitmq-server, its own node name, port
# and data directory, started without systemd and stopped again. Sourced by bench/compare.sh.
#
#   rabbit_install             apt-get install rabbitmq-server when it is missing (needs root)
#   rabbit_start PORT DIR      start node compare-PORT@<host> on 127.0.0.1:PORT (inter-node port PORT + 20000),
#                              keeping everything (database, logs) in DIR; waits until it accepts connections
#   rabbit_pid                 OS pid of the running node's VM
#   rabbit_versions            "RabbitMQ x.y.z, Erlang/OTP n"
#   rabbit_stop                shut the node down and wait for its VM to exit; stops epmd too when rabbit_start
#                              had to start it. Safe to call when nothing was started.
# RABBIT_START_WAIT_S (default 120) and RABBIT_STOP_WAIT_S (default 300: a node with a persistent backlog
# takes a while to shut down) bound the waits.

RABBIT_NODE=""
RABBIT_OWNS_EPMD=0

rabbit_install() {
  dpkg -s rabbitmq-server >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || { echo "rabbitmq-server is not installed and installing it needs root" >&2; return 1; }
  echo "installing rabbitmq-server (Debian package) ..." >&2
  apt-get update -qq || return 1
  # in a container the package's own service start may be refused; the node is started by rabbit_start anyway
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server > /tmp/ferry-compare-apt.log 2>&1 ||
    { tail -20 /tmp/ferry-compare-apt.log >&2; return 1; }
  # the package may have started its default node: this script runs only its own
  rabbitmqctl -q shutdown >/dev/null 2>&1 || true
}

# rabbitmqctl against our node, bounded: a node that stopped answering must not hang the run.
rabbit_ctl() {
  timeout 60 rabbitmqctl -n "$RABBIT_NODE" -q "$@"
}

rabbit_start() {
  local port=$1 dir=$2
  RABBIT_NODE="compare-$port@$(hostname -s)"
  epmd -names >/dev/null 2>&1 || RABBIT_OWNS_EPMD=1
  if rabbit_ctl ping >/dev/null 2>&1; then
    echo "a node $RABBIT_NODE is already running (another comparison?); not touching it" >&2
    RABBIT_NODE=""
    return 1
  fi
  mkdir -p "$dir/mnesia" "$dir/log"
  echo "[]." > "$dir/enabled_plugins"   # no plugins: no management listener to collide with another node's
  local env=(RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port"
    RABBITMQ_DIST_PORT=$((port + 20000)) RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins")
  # open files for the node: 65536, or the hard limit when that is lower
  local nofile; nofile=$(ulimit -Hn)
  if [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ]; then nofile=65536; fi
  if [ "$(id -u)" = 0 ] && id -u rabbitmq >/dev/null 2>&1; then
    # as Debian's wrapper does, run the node as the rabbitmq user (its Erlang cookie is the one rabbitmqctl
    # uses); the limit is raised inside su, whose PAM session would reset one raised here
    chown -R rabbitmq: "$dir"
    su rabbitmq -s /bin/sh -c "cd $(printf '%q' "$dir") || exit 1; ulimit -n $nofile 2>/dev/null;
      exec env $(printf '%q ' "${env[@]}") /usr/lib/rabbitmq/bin/rabbitmq-server -detached" ||
      { echo "rabbitmq-server did not start" >&2; return 1; }
  else
    (cd "$dir" && ulimit -n "$nofile" 2>/dev/null; env "${env[@]}" rabbitmq-server -detached) ||
      { echo "rabbitmq-server did not start" >&2; return 1; }
  fi
  local deadline=$((SECONDS + ${RABBIT_START_WAIT_S:-120}))
  until rabbit_ctl await_startup --timeout 10 >/dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "RabbitMQ node $RABBIT_NODE did not come up; logs in $dir/log" >&2
      return 1
    fi
    sleep 2
  done
}

rabbit_pid() {
  rabbit_ctl eval 'os:getpid().' | tr -d '"[:space:]'
}

rabbit_versions() {
  local rabbit erlang
  rabbit=$(rabbit_ctl eval 'rabbit_misc:version().' | tr -d '"[:space:]')
  erlang=$(rabbit_ctl eval 'erlang:system_info(otp_release).' | tr -d '"[:space:]')
  echo "RabbitMQ ${rabbit:-?}, Erlang/OTP ${erlang:-?}"
}

rabbit_stop() {
  [ -n "$RABBIT_NODE" ] || return 0
  local pid; pid=$(rabbit_pid 2>/dev/null) || true
  # shutdown (unlike stop) returns only once the node's OS process has exited
  timeout "${RABBIT_STOP_WAIT_S:-300}" rabbitmqctl -n "$RABBIT_NODE" -q shutdown >/dev/null 2>&1 || true
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "RabbitMQ node $RABBIT_NODE (pid $pid) did not shut down; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  RABBIT_NODE=""
  # epmd refuses -kill while any node is still registered, so another user's node keeps its epmd
  if [ "$RABBIT_OWNS_EPMD" = 1 ]; then epmd -kill >/dev/null 2>&1 || true; fi
}
