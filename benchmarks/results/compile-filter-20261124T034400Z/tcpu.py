import os,sys,time,re,collections
pid=sys.argv[1]; s=float(sys.argv[2])
def snap():
    d={}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            st=open(f"/proc/{pid}/task/{t}/stat").read()
            name=st[st.index("(")+1:st.rindex(")")]
            f=st[st.rindex(")")+2:].split()
            d[t]=(name,int(f[11])+int(f[12]))
        except OSError: pass
    return d
a=snap(); time.sleep(s); b=snap()
agg=collections.Counter()
for t,(n,v) in b.items():
    agg[re.sub(r"[0-9]+$","#",n)]+=(v-a.get(t,(n,0))[1])/os.sysconf("SC_CLK_TCK")
for k,v in agg.most_common(12): print(f"{k:30s} {v:7.2f} s")
print("total",round(sum(agg.values()),2),"s over",s,"s")
