#!/usr/bin/env bash
# short.sh DIR SECS: server with db at DIR/db, wrk -c32 for SECS, then stop the server (keeps DIR)
DIR=$1; SECS=$2; ROOT=/work/main; PORT=18097; WORK=$DIR
mkdir -p $WORK/agents; cp -r $ROOT/examples/native_react $WORK/agents/
cat > $WORK/run.lua <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
CP="$ROOT/helidon-server/target/classes:$(cat "$ROOT/helidon-server/target/classpath.txt")"
GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db${URLX:-}" GRAFT_MAX_IN_FLIGHT=100000 GRAFT_ACCESS_LOG=stdout \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory" GRAFT_MODEL="scripted:$ROOT/examples/native_react/scripted.json" \
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ${JOPTS:--Xmx1g} -Dgraft.home="$ROOT" -cp "$CP" io.graft.server.cli.Main serve --port $PORT > $WORK/server.log 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -s -XPOST -H 'Content-Type: application/json' -d '{"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}' http://127.0.0.1:$PORT/v1/runs > $WORK/one.json
wrk -t2 -c32 -d${SECS}s -s $WORK/run.lua http://127.0.0.1:$PORT/v1/runs > $WORK/wrk.txt
kill $PID; wait $PID 2>/dev/null
