#!/usr/bin/env bash
# Native runs over HTTP, the build before (usage rows per run, /tmp/s22/old at e6ca9aa) and after
# (usage summed per minute, /tmp/s22/new), interleaved in one sitting; retention off, then 1m.
set -u
for ret in off; do
  for round in 1 2; do
    for build in old new; do
      root=/tmp/s22/new; [ "$build" = old ] && root=/tmp/s22/old
      echo "=== $build retention=$ret round $round $(date -u +%H:%M:%S)"
      GRAFT_RUN_RETENTION=$ret GRAFT_LOAD_NATIVE_WARMUP=${WARMUP:-60} "$root/benchmarks/http-load" 30 32 2 native 2>&1 \
        | grep -E "^==|Requests/sec|99%|50%|CPU per|bytes written|not COMPLETED"
    done
  done
done
