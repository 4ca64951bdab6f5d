#!/usr/bin/env bash
# exploratory: LCEL over HTTP, per-thread CPU and compilations per window
set -euo pipefail
ROOT=/work/main OUT="$1" WINDOWS="${2:-6}" CONN="${3:-4}" AGENT="${AGENT:-one-sentence-lcel}"
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
WORK=$(mktemp -d); PORT=18095; URL=http://127.0.0.1:$PORT
mkdir -p "$WORK/agents" "$OUT"
cp -r $ROOT/examples/native_react $ROOT/examples/lcel_chain $ROOT/examples/langgraph_prebuilt "$WORK/agents/"
cat > "$WORK/scripted.json" <<'JSON'
[
  {"tool_calls": [{"name": "calculator", "args": {"expression": "17 * 23 + 4"}}]},
  {"content": "17 * 23 + 4 = 395."},
  {"content": "17 * 23 is 391, plus 4 is 395. APPROVED"}
]
JSON
export GRAFT_AGENTS_DIR="$WORK/agents" GRAFT_DATABASE_URL="jdbc:h2:file:$WORK/db" GRAFT_MAX_IN_FLIGHT=100000 \
  GRAFT_AGENTS_WATCH=false GRAFT_MEMORY_DIR="$WORK/memory"
GRAFT_PYTHON_WARMUP_SECONDS="${SWARM:-120}" GRAFT_MODEL="scripted:$WORK/scripted.json" \
  GRAFT_JAVA_OPTS="-Xmx6g -Dgraft.python.warm=langchain ${EXTRA:-}" \
  $ROOT/graft serve --port $PORT > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 1800); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 0.5; done
echo "ready after $SECONDS s"
cat > "$WORK/run.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent": "$AGENT", "input": "What is 17 * 23 + 4?", "wait": true}'
LUA
snapshot() {
  for t in /proc/"$PID"/task/*; do
    name=$(tr ' ' '_' < "$t/comm" 2>/dev/null) && stat=$(cat "$t/stat" 2>/dev/null) || continue
    echo "$name $(echo "$stat" | sed 's/.*) //' | awk '{print $12 + $13, $13}')"
  done | awk '{sub(/[0-9]+$/, "#", $1); ticks[$1] += $2; sys[$1] += $3} END {for (k in ticks) print k, ticks[k], sys[k]}' | sort
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
for w in $(seq 1 "$WINDOWS"); do
  snapshot > "$WORK/before"
  out=$(wrk -t2 -c"$CONN" -d20s --timeout 60s --latency -s "$WORK/run.lua" "$URL/v1/runs")
  snapshot > "$WORK/after"
  runs=$(echo "$out" | awk '/requests in/{print $1}')
  { echo "== window $w at $SECONDS s: $(echo "$out" | grep -E 'Requests/sec') p50 $(echo "$out" | awk '/ 50%/{print $2}') p99 $(echo "$out" | awk '/ 99%/{print $2}') runs $runs"
    join "$WORK/before" "$WORK/after" | awk -v n="$runs" -v t="$TICK_US" '
      {us = ($4 - $2) * t / n; total += us; if (us >= 20) printf "  %-28s %8.0f us/run\n", $1, us}
      END {printf "  %-28s %8.0f us/run\n", "all threads", total}' | sort -k2 -rn
  } | tee -a "$OUT/windows.txt"
done
