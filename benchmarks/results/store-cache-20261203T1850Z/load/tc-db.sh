#!/usr/bin/env bash
# Where a stored native run's server CPU goes, per thread: starts the server on the native example
# agent (as benchmarks/http-load does), loads it with wrk for WARMUP seconds (not counted), then
# measures MEASURE seconds and prints runs/s, latency and each thread group's CPU per run, read from
# /proc/PID/task/*/stat, with the store's writes and commits over the window.
#   benchmarks/thread-cpu [WARMUP] [MEASURE] [CONNECTIONS] [ROOT]
# ROOT is the checkout whose built classes run (default: this one), so two versions can be compared.
# The server logs as `graft serve` does by default (access log on standard output, into a file here);
# GRAFT_LOAD_JAVA_OPTS replaces the JVM options (default -Xmx1g).
set -euo pipefail
WARMUP="${1:-60}" MEASURE="${2:-15}" CONNECTIONS="${3:-32}"
ROOT="${4:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
command -v wrk >/dev/null || { echo "thread-cpu: needs wrk (apt-get install wrk)" >&2; exit 1; }
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
PORT="${GRAFT_LOAD_PORT:-18090}"
WORK="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/agents"
cp -r "$ROOT/examples/native_react" "$WORK/agents/"
cat > "$WORK/run.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db${DBOPTS:-}" GRAFT_MAX_IN_FLIGHT=100000 \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  "$JAVA_HOME/bin/java" ${GRAFT_LOAD_JAVA_OPTS:--Xmx1g} -Dgraft.home="$ROOT" -cp "$CP" \
  io.graft.server.cli.Main serve --port "$PORT" > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null || { cat "$WORK/server.log"; exit 1; }

# The warm-up is two wrk runs with a /metrics scrape between them, as benchmarks/http-load's is: the
# first switch of connections and the first scrape reach code C2 had not seen, and the recompiles
# that follow would otherwise fall into the measured window.
wrk -t2 -c"$CONNECTIONS" -d"$((WARMUP / 4))s" -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null
curl -s "http://127.0.0.1:$PORT/metrics" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$((WARMUP - WARMUP / 4))s" -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null
# CPU ticks per thread group (thread names with their numbers cut off): user + system, then system
# alone; and the store's counters.
snapshot() {
  # utime and stime are fields 14 and 15 of stat, counted after the name in parentheses, which may hold spaces
  # (a thread that ends while it is read is left out)
  for t in /proc/"$PID"/task/*; do
    name=$(tr ' ' '_' < "$t/comm" 2>/dev/null) && stat=$(cat "$t/stat" 2>/dev/null) || continue
    echo "$name $(echo "$stat" | sed 's/.*) //' | awk '{print $12 + $13, $13}')"
  done |
    awk '{sub(/[0-9]+$/, "#", $1); ticks[$1] += $2; sys[$1] += $3} END {for (k in ticks) print k, ticks[k], sys[k]}' | sort
}
store() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^graft_store_(commits|writes)_total/{printf "%s ", $2}'; }
store_before=$(store); snapshot > "$WORK/before"
out=$(wrk -t2 -c"$CONNECTIONS" -d"${MEASURE}s" --latency -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs")
snapshot > "$WORK/after"; store_after=$(store)
runs=$(echo "$out" | awk '/requests in/{print $1}')
echo "$out" | grep -E "Requests/sec|  50%|  99%"
echo "runs: $runs; store commits and writes, before: $store_before after: $store_after"
TICK_US=$((1000000 / $(getconf CLK_TCK)))
join "$WORK/before" "$WORK/after" | awk -v n="$runs" -v t="$TICK_US" '
  {us = ($4 - $2) * t / n; sys = ($5 - $3) * t / n; total += us; totalsys += sys
   if (us >= 1) printf "%-28s %7.1f us/run (system %.1f)\n", $1, us, sys}
  END {printf "%-28s %7.1f us/run (system %.1f)\n", "all threads", total, totalsys}' | sort -k2 -rn
