#!/bin/bash
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
for v in filter none; do
  GRAFT_LOAD_JAVA_OPTS="-Xmx6g -Dgraft.python.notCompiled=$([ $v = filter ] && echo load-time || echo none)" GRAFT_LOAD_SERVER_WARMUP=180 GRAFT_LOAD_PYTHON_WARMUP=60 \
    benchmarks/http-load 20 32 2 langchain > /tmp/s13/http-$v.log 2>&1
done
echo done > /tmp/s13/http.done
