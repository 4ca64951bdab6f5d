#!/usr/bin/env bash
# prof2.sh OUTPREFIX MIDSECONDS: native server; 20 s warm-up; profile 15 s (early); MIDSECONDS more load; profile 15 s (late)
set -uo pipefail
OUT="$1"; MID="${2:-120}"
ROOT=${ROOT:-/work/main}; JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; PORT=18091; WORK="$(mktemp -d)"
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/agents"; cp -r "$ROOT/examples/native_react" "$WORK/agents/"
cat > "$WORK/run.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db${URLX:-}" GRAFT_MAX_IN_FLIGHT=100000 \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  $JAVA_HOME/bin/java ${JOPTS:--Xmx1g} -Dgraft.home="$ROOT" -cp "$CP" io.graft.server.cli.Main serve --port $PORT > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
wtid() { for t in /proc/$PID/task/*; do [ "$(cat $t/comm)" = graft-store-wri ] && basename $t; done; }
phase() {
  local name=$1 W=$(wtid)
  local c0=$(awk '{print $14+$15}' /proc/$PID/stat) w0=$(awk '{print $14+$15}' /proc/$PID/task/$W/stat) s0=$(stat -c %s $WORK/db.mv.db) io0=$(awk '/^wchar/{print $2}' /proc/$PID/io)
  [ -n "${PROF:-}" ] && $JAVA_HOME/bin/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=cpu,interval=997us,threads\"" >/dev/null
  wrk -t2 -c32 -d15s --latency -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > $WORK/wrk.txt
  [ -n "${PROF:-}" ] && $JAVA_HOME/bin/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,file=$OUT-$name.collapsed,collapsed\"" >/dev/null
  local c1=$(awk '{print $14+$15}' /proc/$PID/stat) w1=$(awk '{print $14+$15}' /proc/$PID/task/$W/stat) s1=$(stat -c %s $WORK/db.mv.db) io1=$(awk '/^wchar/{print $2}' /proc/$PID/io)
  local runs=$(awk '/requests in/{print $1}' $WORK/wrk.txt)
  echo "$name: $(awk '/Requests\/sec/{print $2}' $WORK/wrk.txt) runs/s, p99 $(awk '/ 99%/{print $2}' $WORK/wrk.txt), server CPU/run $(( (c1-c0)*10000/runs )) us, writer CPU/run $(( (w1-w0)*10000/runs )) us, file $((s1/1048576)) MB, growth/run $(( (s1-s0)/runs )) B, wchar/run $(( (io1-io0)/runs )) B"
}
if [ -n "${TRIM:-}" ]; then ( while kill -0 $PID 2>/dev/null; do sleep $TRIM; dd if=/dev/null of=$WORK/db.mv.db oflag=nocache conv=notrunc count=0 status=none 2>/dev/null; done ) & fi
wrk -t2 -c32 -d20s -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null
phase early
wrk -t2 -c32 -d${MID}s -s "$WORK/run.lua" "http://127.0.0.1:$PORT/v1/runs" > /dev/null
phase late
