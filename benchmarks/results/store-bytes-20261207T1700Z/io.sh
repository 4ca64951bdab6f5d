#!/usr/bin/env bash
# memdb.sh OUT URL: the native example with GRAFT_DATABASE_URL=URL, wrk -c32: 30 s warm-up, then 15 s measured, server CPU per run
OUT=$1; URL=$2; ROOT=/work/main; PORT=18097; WORK=$(mktemp -d)
mkdir -p $WORK/agents; cp -r $ROOT/examples/native_react $WORK/agents/
cat > $WORK/run.lua <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="${URL//WORK/$WORK}" GRAFT_MAX_IN_FLIGHT=100000 GRAFT_ACCESS_LOG=stdout \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ${JOPTS:--Xmx1g} -Dgraft.home="$ROOT" -cp "$CP" io.graft.server.cli.Main serve --port $PORT > $WORK/server.log 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
wrk -t2 -c32 -d30s -s $WORK/run.lua http://127.0.0.1:$PORT/v1/runs > /dev/null
t0=$(awk '{print $14+$15}' /proc/$PID/stat); cat /proc/$PID/io > $WORK/io0; s0=$(du -b $WORK/db.mv.db | cut -f1)
wrk -t2 -c32 -d15s --latency -s $WORK/run.lua http://127.0.0.1:$PORT/v1/runs > $WORK/wrk.txt
t1=$(awk '{print $14+$15}' /proc/$PID/stat); cat /proc/$PID/io > $WORK/io1; s1=$(du -b $WORK/db.mv.db | cut -f1)
runs=$(awk '/requests in/{print $1}' $WORK/wrk.txt)
{ echo "URL=$URL JOPTS=${JOPTS:--Xmx1g}"; grep -E "Requests/sec| 50%| 99%" $WORK/wrk.txt; echo "server CPU per run: $(( (t1 - t0) * 10000 / runs )) us"; paste $WORK/io0 $WORK/io1 | awk -v r=$runs '{printf "%s per run: %.1f\n", $1, ($4-$2)/r}'; echo "file growth per run: $(( (s1 - s0) / runs ))"; } > $OUT
kill $PID; wait $PID 2>/dev/null; rm -rf $WORK
