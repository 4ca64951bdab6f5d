#!/usr/bin/env bash
# storebench.sh OUT LABEL=ROOT ...: RunStoreBenchmark (start=queued, 2,000-character result) of each checkout, in the order given
OUT=$1; shift; mkdir -p $OUT; i=0
for lr in "$@"; do i=$((i+1)); l=${lr%%=*}; r=${lr#*=}
  (cd $r && eval "$(./graft env | sed 's/^/export /')" && benchmarks/run RunStoreBenchmark.storeRun -p start=queued -p resultChars=2000) > $OUT/$l-$i.txt 2>&1
done
echo done > $OUT/DONE
