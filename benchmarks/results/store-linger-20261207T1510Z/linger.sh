#!/usr/bin/env bash
# linger.sh OUT L1 L2 ... : thread-cpu 40 15 32 per linger value (us), in the order given
OUT=$1; shift; mkdir -p $OUT
for l in "$@"; do
  GRAFT_LOAD_JAVA_OPTS="-Xmx1g -Dgraft.store.linger-us=$l" /work/main/benchmarks/thread-cpu 40 15 32 > $OUT/linger-$l-$(date +%H%M%S).txt 2>&1
done
