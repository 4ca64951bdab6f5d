#!/usr/bin/env bash
# pairs.sh OUT: prof2.sh for head (/tmp/graft-head) and new (/work/main), order head new new head
OUT=$1; mkdir -p $OUT
for who in head new new head; do
  root=/work/main; [ $who = head ] && root=/tmp/graft-head
  echo "== $who $(date +%H:%M:%S)" >> $OUT/pairs.txt
  ROOT=$root /tmp/s20/prof2.sh $OUT/x 90 >> $OUT/pairs.txt 2>&1
done
