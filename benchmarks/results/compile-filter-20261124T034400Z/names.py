import sys,re,collections
ms=collections.Counter(); cnt=collections.Counter(); src={}
for l in open(sys.argv[1],errors="replace"):
    m=re.match(r"\[engine\] opt (done|failed)\s+engine=\d+\s+id=\d+\s+(.*?)\s*\|.*?Time\s+(\d+)",l)
    if not m: continue
    name=re.sub(r" at [0-9a-f]+>",">",m.group(2)); s=re.search(r"\|Src (\S+)",l)
    ms[name]+=int(m.group(3)); cnt[name]+=1
tot=sum(ms.values()); print("total compile ms",tot, "targets",len(ms))
for k,v in ms.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40): print(f"{v:7d} ms {cnt[k]:3d}x {k}")
