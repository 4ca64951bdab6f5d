#!/usr/bin/env bash
# old/new interleaved: benchmarks/http-load 30 32 2 native from each tree
OUT=/work/main/benchmarks/results/admission-check-20261208T0020Z
mkdir -p $OUT
for round in 1 2; do
  for tree in ${ORDER:-old new}; do
    ROOT=$([ $tree = old ] && echo /tmp/s23/old || echo /work/main)
    echo "== $tree round $round $(date -u +%H:%M:%S)" >> $OUT/${FILE:-pairs.txt}
    $ROOT/benchmarks/http-load 30 32 2 native 2>&1 | grep -E "^==|Requests/sec|  50%|  99%|server CPU|server bytes|not COMPLETED" >> $OUT/${FILE:-pairs.txt}
  done
done
echo done >> $OUT/${FILE:-pairs.txt}
