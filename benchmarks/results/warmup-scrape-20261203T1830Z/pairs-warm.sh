#!/usr/bin/env bash
# pairs-warm.sh N OUTDIR: the same build (/work/main), old warm-up (one wrk run) vs new (two, with a scrape)
N=$1; OUT=$2; mkdir -p $OUT
for i in $(seq 1 $N); do
  /tmp/graft-head/benchmarks/thread-cpu 60 15 32 /work/main > $OUT/old-$i.txt 2>&1
  /work/main/benchmarks/thread-cpu 60 15 32 /work/main > $OUT/new-$i.txt 2>&1
done
echo done > $OUT/DONE
