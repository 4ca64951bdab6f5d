#!/usr/bin/env bash
# http-pairs.sh N OUTDIR: benchmarks/http-load 15 32 2 native, alternating head (/tmp/graft-head) and new (/work/main)
N=$1; OUT=$2; mkdir -p $OUT
for i in $(seq 1 $N); do
  for v in head new; do
    root=/work/main; [ $v = head ] && root=/tmp/graft-head
    $root/benchmarks/http-load 15 32 2 native > $OUT/$v-$i.txt 2>&1
  done
done
echo done > $OUT/DONE
