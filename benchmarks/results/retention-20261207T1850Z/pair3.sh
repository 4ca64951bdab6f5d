#!/usr/bin/env bash
# At the file's plateau: retention 1m, off, 1m; 240 s of native load first, then 30 s measured.
cd /work/main
for r in 1m off 1m; do
  echo "=== retention $r $(date -u +%H:%M:%S)"
  GRAFT_RUN_RETENTION=$r GRAFT_LOAD_NATIVE_WARMUP=240 benchmarks/http-load 30 32 2 native 2>&1
done
