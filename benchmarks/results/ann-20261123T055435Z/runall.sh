#!/usr/bin/env bash
set -x
cd /work/wt-native
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
OLDCP=$(cat /tmp/wt-native-scratch/oldcp/cp.txt)
OUT=benchmarks/results/ann-20261123T055435Z
uptime > $OUT/uptime.txt
# 1. the previous library (hnsw_rs), main's benchmark classes: the 20k x 384 cases
$J --enable-native-access=ALL-UNNAMED -cp "$OLDCP" org.openjdk.jmh.Main -jvmArgsAppend -Dgraft.native.library=/tmp/wt-native-scratch/libgraft_native-main.so -rf json -rff $OUT/ops-hnsw_rs.json 'MemoryOpsBenchmark.search' > $OUT/ops-hnsw_rs.txt 2>&1
uptime >> $OUT/uptime.txt
# 2. this branch, same benchmark
$J --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main -rf json -rff $OUT/ops.json 'MemoryOpsBenchmark' > $OUT/ops.txt 2>&1
uptime >> $OUT/uptime.txt
# 3. threshold
$J --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main -rf json -rff $OUT/threshold.json 'IndexThresholdBenchmark' > $OUT/threshold.txt 2>&1
uptime >> $OUT/uptime.txt
# 4. 1M x 128 latency, JMH
$J --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$CP" org.openjdk.jmh.Main -rf json -rff $OUT/ann.json 'ApproximateSearchBenchmark' > $OUT/ann.txt 2>&1
uptime >> $OUT/uptime.txt
# 5. 1M x 128 build, memory, ef sweep
$J --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$CP" io.graft.bench.ApproximateSearchProbe > $OUT/probe.jsonl 2>&1
uptime >> $OUT/uptime.txt
echo done >> $OUT/uptime.txt
