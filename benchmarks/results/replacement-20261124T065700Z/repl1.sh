#!/bin/bash
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 V=$HOME/.cache/graft/graalpy-venv-23155eb65ac6ce6c
FLAGS="-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=/work/main/benchmarks/target/graal-compiler --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss4m -Dgraft.home=/work/main -Dgraft.python.venv=$V"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
v=$1
$JAVA_HOME/bin/java $FLAGS -Dgraft.python.notCompiled=$v -cp $CP io.graft.bench.WarmupCurve lcel_chain 330 1 120 > /tmp/s13/repl-$v.log 2>&1
