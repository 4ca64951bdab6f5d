#!/usr/bin/env bash
# pairs.sh N OUTDIR NAME=DBOPTS... : hl 15 32 2 native for each variant, interleaved
N=$1; OUT=$2; shift 2; mkdir -p $OUT
for i in $(seq 1 $N); do
  for v in "$@"; do
    name=${v%%=*}; opts=${v#*=}
    DBOPTS="$opts" /tmp/s18/hl 15 32 2 native > $OUT/$name-$i.txt 2>&1
  done
done
echo done > $OUT/DONE
