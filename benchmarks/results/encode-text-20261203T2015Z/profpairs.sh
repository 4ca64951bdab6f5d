#!/usr/bin/env bash
# profpairs.sh OUT N: cpu and alloc profiles of head (/tmp/graft-head) and new (/work/main), interleaved
OUT=$1; N=${2:-1}; mkdir -p $OUT
for i in $(seq 1 $N); do for ev in cpu alloc; do for v in head new; do
  root=/work/main; [ $v = head ] && root=/tmp/graft-head
  ROOT=$root /tmp/s18/prof.sh $OUT/$v-$ev-$i.collapsed $ev > $OUT/$v-$ev-$i.wrk 2>&1
done; done; done
echo done > $OUT/DONE
