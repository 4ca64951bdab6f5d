#!/usr/bin/env bash
# run.sh ROUNDS CALLERS CACHE... : one fresh database per value, interleaved
ROUNDS=$1 CALLERS=$2; shift 2
# from the repository root, after: javac -cp "$CP" -d /tmp/sb benchmarks/results/python-http-warmup-20261207T2335Z/sb/StoreBench.java
CP="/tmp/sb:./helidon-server/target/classes:$(cat ./helidon-server/target/classpath.txt)"
for r in $(seq 1 $ROUNDS); do for cache in "$@"; do
  D=$(mktemp -d /tmp/sbdb.XXXX)
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx1g -cp "$CP" StoreBench "jdbc:h2:file:$D/db;CACHE_SIZE=$cache" $CALLERS 10 15 2>&1 | grep callers
  rm -rf "$D"
done; done
