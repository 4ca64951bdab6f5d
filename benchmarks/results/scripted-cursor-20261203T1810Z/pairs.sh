#!/usr/bin/env bash
# pairs.sh N OUTDIR : N interleaved pairs of head (/tmp/graft-head) and new (/work/main), thread-cpu 40 15 32 with a GC log
N=$1; OUT=$2; mkdir -p $OUT
for i in $(seq 1 $N); do
  for v in head new; do
    root=/work/main; [ $v = head ] && root=/tmp/graft-head
    GRAFT_LOAD_JAVA_OPTS="-Xmx1g -Xlog:gc:file=$OUT/gc-$v-$i.log:uptime" /work/main/benchmarks/thread-cpu 40 15 32 $root > $OUT/$v-$i.txt 2>&1
  done
done
echo done > $OUT/DONE
