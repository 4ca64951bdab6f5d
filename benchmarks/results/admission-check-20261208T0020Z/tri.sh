#!/usr/bin/env bash
OUT=/work/main/benchmarks/results/admission-check-20261208T0020Z
for round in 1 2; do
  for tree in mid new old; do
    case $tree in old) ROOT=/tmp/s23/old;; mid) ROOT=/tmp/s23/mid;; new) ROOT=/work/main;; esac
    echo "== $tree round $round $(date -u +%H:%M:%S) free $(free -m | awk '/Mem/{print $4}') MB" >> $OUT/three-way.txt
    $ROOT/benchmarks/http-load 30 32 2 native 2>&1 | grep -E "^==|Requests/sec|  50%|  99%|server CPU|server bytes|not COMPLETED" >> $OUT/three-way.txt
  done
done
echo done >> $OUT/three-way.txt
