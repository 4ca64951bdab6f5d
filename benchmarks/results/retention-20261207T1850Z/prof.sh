#!/usr/bin/env bash
# series.sh 1m 150 (256 KB rewrite steps) with async-profiler (cpu, per thread) from 95 s to 140 s.
SERIES_JAVA_OPTS=-Dgraft.rewriteStep=262144 /tmp/s21/load/series.sh 1m 150 > /tmp/s21/load/series-prof.txt 2>&1 &
sleep 95
PID=$(pgrep -f "Main serve --port 18090")
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
$J/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=cpu,interval=997us,threads\""
sleep 45
$J/jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,file=/tmp/s21/load/prof-256k.collapsed,collapsed,threads\""
wait
