#!/usr/bin/env bash
# profpairs.sh OUTDIR LABEL=ROOT ... : prof.sh once per LABEL=ROOT, in the order given (files LABEL-N.txt)
OUT=$1; shift; mkdir -p $OUT; i=0
for lr in "$@"; do i=$((i+1)); l=${lr%%=*}; r=${lr#*=}
  ROOT=$r /tmp/s19/prof.sh $OUT/$l-$i.txt cpu > $OUT/$l-$i.wrk 2>&1
done
