#!/usr/bin/env bash
# One server under wrk load for SECONDS with GRAFT_RUN_RETENTION=$1; every 15 s: runs/s, server CPU
# per run, bytes written per run, the database file's size and runs deleted so far.
#   series.sh RETENTION SECONDS
set -euo pipefail
ROOT=/work/main; RET="$1"; SECS="$2"; PORT=18090
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
WORK="$(mktemp -d)"; mkdir -p "$WORK/agents"; cp -r "$ROOT/examples/native_react" "$WORK/agents/"
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_RUN_RETENTION="$RET" GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db" GRAFT_MAX_IN_FLIGHT=100000 \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_ACCESS_LOG=off \
  GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  "$JAVA_HOME/bin/java" -Xmx1g ${SERIES_JAVA_OPTS:-} -Dgraft.home="$ROOT" -cp "$CP" io.graft.server.cli.Main serve --port "$PORT" > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; cp "$WORK/server.log" "/tmp/s21/load/server-$RET.log"; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.5; done
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
wrk.headers["Content-Type"] = "application/json"
LUA
wrk -t2 -c32 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/v1/runs" > "$WORK/wrk.txt" &
WRK=$!
runs() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^graft_runs_total\{/ {s += $2} END {printf "%d", s}'; }
deleted() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^graft_store_runs_deleted_total/ {printf "%d", $2}'; }
cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
wchar() { awk '/^wchar/ {print $2}' /proc/$PID/io; }
TICK=$(getconf CLK_TCK)
r0=$(runs); c0=$(cpu); w0=$(wchar); t0=$(date +%s.%N); start=$t0
echo "t_s runs_per_s cpu_us_per_run written_B_per_run file_MB deleted"
while kill -0 $WRK 2>/dev/null; do
  sleep 15
  r1=$(runs); c1=$(cpu); w1=$(wchar); t1=$(date +%s.%N)
  size=$(stat -c %s "$WORK/db.mv.db")
  awk -v t="$t1" -v s="$start" -v r0=$r0 -v r1=$r1 -v c0=$c0 -v c1=$c1 -v w0=$w0 -v w1=$w1 -v t0=$t0 -v tick=$TICK -v f=$size -v d="$(deleted)" \
    'BEGIN { n = r1 - r0; if (n < 1) n = 1; printf "%.0f %.0f %.0f %.0f %.0f %s\n", t - s, n / (t - t0), (c1 - c0) / tick * 1e6 / n, (w1 - w0) / n, f / 1e6, d }'
  r0=$r1; c0=$c1; w0=$w1; t0=$t1
done
grep -E "Requests/sec|99%|50%" "$WORK/wrk.txt"
