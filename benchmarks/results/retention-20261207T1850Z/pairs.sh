#!/usr/bin/env bash
# Interleaved: retention off, 1m, 1m, off. 150 s of native load first, then 30 s measured.
cd /work/main
for r in off 1m 1m off; do
  echo "=== retention $r $(date -u +%H:%M:%S)"
  GRAFT_RUN_RETENTION=$r GRAFT_LOAD_NATIVE_WARMUP=150 benchmarks/http-load 30 32 2 native 2>&1
done
