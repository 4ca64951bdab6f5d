#!/usr/bin/env bash
# agg.sh DIR: dump DIR/db.mv.db, bytes per stored run by map and page type
J=~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar; JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$JAVA -cp $J org.h2.mvstore.MVStoreTool -dump $1/db.mv.db > $1/dump.txt 2>&1
size=$(stat -c %s $1/db.mv.db)
runs=$($JAVA -cp $J /tmp/s20/Q.java "jdbc:h2:file:$(realpath $1)/db" "select count(*) from runs" 2>&1 | awk '{print $1}')
echo "runs=$runs file=$size chunks=$(grep -c chunkHeader $1/dump.txt)"
grep "^+" $1/dump.txt | awk -v r=$runs '{t=$2; m=$4; sub(",","",t); sub(",","",m); for(i=1;i<=NF;i++) if($i=="bytes,"||$i=="bytes") b=$(i-1); n[m" "t]++; s[m" "t]+=b; tot+=b} END {for(k in n) printf "%s pages=%d bytes/run=%.0f\n", k, n[k], s[k]/r; printf "total bytes/run=%.0f\n", tot/r}' | sort -t= -k3 -n -r | head -14
