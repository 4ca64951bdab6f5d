#!/usr/bin/env bash
N=$1; OUT=$2; mkdir -p $OUT
for i in $(seq 1 $N); do
  for v in def c8m c2m; do
    o=""; [ $v = c8m ] && o=";CACHE_SIZE=8192"; [ $v = c2m ] && o=";CACHE_SIZE=2048"
    DBOPTS="$o" GRAFT_LOAD_JAVA_OPTS="-Xmx1g -Xlog:gc:file=$OUT/gc-$v-$i.log:uptime" /tmp/graft-logs/tc-db.sh 40 15 32 /work/main > $OUT/$v-$i.txt 2>&1
  done
done
echo done > $OUT/DONE
