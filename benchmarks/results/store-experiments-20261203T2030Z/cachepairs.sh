#!/usr/bin/env bash
# cachepairs.sh OUT N KB...: thread-cpu 40 15 32 with CACHE_SIZE=KB, interleaved, with GC logs
OUT=$1; N=$2; shift 2; mkdir -p $OUT
for i in $(seq 1 $N); do for kb in "$@"; do
  DBOPTS=";CACHE_SIZE=$kb" GRAFT_LOAD_JAVA_OPTS="-Xmx1g -Xlog:gc:file=$OUT/gc-c$kb-$i.log:uptime" /tmp/s18/tc 40 15 32 > $OUT/c$kb-$i.txt 2>&1
done; done
echo done > $OUT/DONE
