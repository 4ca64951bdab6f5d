#!/usr/bin/env bash
# One pair at the file's plateau: retention 1m, then off; 240 s of native load first, then 30 s measured.
cd /work/main
for r in 1m off; do
  echo "=== retention $r $(date -u +%H:%M:%S)"
  GRAFT_RUN_RETENTION=$r GRAFT_LOAD_NATIVE_WARMUP=240 benchmarks/http-load 30 32 2 native 2>&1
done
