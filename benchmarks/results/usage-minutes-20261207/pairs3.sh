#!/usr/bin/env bash
# As pairs.sh, with the machine's other work (the GraalPy venv build) paused (SIGSTOP) for the
# whole sitting: retention off twice each, old/new/new/old (60 s warm-up), then retention 1m
# new/old after 150 s of warm-up (deletion under way).
set -u
for spec in off:60:old off:60:new off:60:new off:60:old 1m:150:new 1m:150:old; do
  IFS=: read -r ret warm build <<< "$spec"
  root=/tmp/s22/new; [ "$build" = old ] && root=/tmp/s22/old
  echo "=== $build retention=$ret warm-up=${warm}s $(date -u +%H:%M:%S)"
  GRAFT_RUN_RETENTION=$ret GRAFT_LOAD_NATIVE_WARMUP=$warm "$root/benchmarks/http-load" 30 32 2 native 2>&1 \
    | grep -E "^==|Requests/sec|99%|50%|CPU per|bytes written|not COMPLETED"
done
