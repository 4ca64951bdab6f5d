#!/usr/bin/env bash
# jfr.sh NAME ROOT: one http-load native run with a JFR recording of its measured window
OUT=/work/main/benchmarks/results/admission-check-20261208T0020Z
GRAFT_LOAD_JAVA_OPTS="-Xmx1g -XX:StartFlightRecording=delay=95s,duration=25s,settings=profile,filename=/tmp/s23/$1.jfr" \
  $2/benchmarks/http-load 30 32 2 native 2>&1 | grep -E "Requests/sec|server CPU" | sed "s/^/$1 /" >> $OUT/jfr-runs.txt
