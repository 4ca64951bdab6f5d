#!/usr/bin/env bash
# amp.sh NAME URLX RUNS GROUP
cd /tmp/s20/amp; rm -rf $1; mkdir $1
J=~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar; JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$JAVA $JOPT -cp $J Amp.java "jdbc:h2:file:/tmp/s20/amp/$1/db;WRITE_DELAY=0;CACHE_SIZE=2048$2" $3 $4
[ -n "$NODUMP" ] || $JAVA -cp $J org.h2.mvstore.MVStoreTool -dump $1/db.mv.db > $1/dump.txt 2>&1
echo "$1 file=$(stat -c %s $1/db.mv.db) chunks=$(grep -c chunkHeader $1/dump.txt)"
grep "^+" $1/dump.txt | awk -v r=$3 '{t=$2; m=$4; sub(",","",t); sub(",","",m); for(i=1;i<=NF;i++) if($i=="bytes,"||$i=="bytes") b=$(i-1); n[m" "t]++; e[m" "t]+=$5; s[m" "t]+=b; tot+=b} END {for(k in n) printf "%s pages=%d entries=%d bytes/run=%.0f\n", k, n[k], e[k], s[k]/r; printf "total bytes/run=%.0f\n", tot/r}' | sort -t= -k4 -n -r | head -8
