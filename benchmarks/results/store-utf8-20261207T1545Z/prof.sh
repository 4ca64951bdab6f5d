#!/usr/bin/env bash
# prof.sh OUT [EVENT] : start native server, warm 45s, profile 20s under load
set -euo pipefail
OUT="$1"; EVENT="${2:-cpu}"
ROOT=${ROOT:-/work/main}
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
PORT=18091
WORK="$(mktemp -d)"
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/agents"; cp -r "$ROOT/examples/native_react" "$WORK/agents/"
cat > "$WORK/run.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db" GRAFT_MAX_IN_FLIGHT=100000 \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  $JAVA_HOME/bin/java ${JOPTS:--Xmx1g} -Dgraft.home="$ROOT" -cp "$CP" io.graft.server.cli.Main serve --port $PORT > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
wrk -t2 -c32 -d12s -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null; curl -s http://127.0.0.1:$PORT/metrics >/dev/null; wrk -t2 -c32 -d40s -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null
$JAVA_HOME/bin/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=$EVENT,interval=${INTERVAL:-997us},threads\"" >/dev/null
wrk -t2 -c32 -d20s --latency -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" | grep -E "Requests/sec|50%|99%"
$JAVA_HOME/bin/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,file=$OUT,collapsed\"" >/dev/null
