#!/usr/bin/env bash
N=$1; OUT=$2; mkdir -p $OUT
for i in $(seq 1 $N); do
  for v in x1g x6g; do
    h=1g; [ $v = x6g ] && h=6g
    GRAFT_LOAD_JAVA_OPTS="-Xmx$h -Xlog:gc:file=$OUT/gc-$v-$i.log:uptime" /work/main/benchmarks/thread-cpu 40 15 32 /work/main > $OUT/$v-$i.txt 2>&1
  done
done
echo done > $OUT/DONE
