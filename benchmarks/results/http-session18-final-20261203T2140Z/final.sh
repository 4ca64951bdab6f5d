#!/usr/bin/env bash
# final.sh OUT: benchmarks/http-load 15 32 2 native, head (/tmp/graft-head) and new (/work/main), order head new new head head new
OUT=$1; mkdir -p $OUT; i=0
for v in head new new head head new; do
  i=$((i+1)); root=/work/main; [ $v = head ] && root=/tmp/graft-head
  $root/benchmarks/http-load 15 32 2 native > $OUT/$v-$i.txt 2>&1
done
echo done > $OUT/DONE
