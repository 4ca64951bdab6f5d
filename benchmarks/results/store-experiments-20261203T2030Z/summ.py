import sys, re, glob, os, statistics as st
D = sys.argv[1]
PATS = [('rps', r'Requests/sec:\s+(\S+)'), ('p50', r' 50%\s+(\S+)'), ('p99', r' 99%\s+(\S+)'), ('cpu/run', r'all threads\s+(\S+)'),
        ('fjp', r'ForkJoinPool-1-\s+(\S+)'), ('writer', r'graft-store-wri\s+(\S+)'), ('c2', r'C2_CompilerThre\s+(\S+)'), ('gc', r'GC_Thread##\s+(\S+)')]
for f in sorted(glob.glob(D + '/*-*.txt'), key=lambda p: (int(re.search(r'-(\d+)\.txt', p).group(1)), p)):
    b = os.path.basename(f)[:-4]; t = open(f).read()
    vals = []
    for name, pat in PATS:
        m = re.search(pat, t); vals.append(name + '=' + (m.group(1) if m else '-'))
    pauses = []
    gl = D + '/gc-' + b + '.log'
    if os.path.exists(gl):
        ev = [(float(m.group(1)), float(m.group(2))) for m in re.finditer(r'\[(\d+\.\d+)s\].*Pause Young.* (\d+\.\d+)ms', open(gl).read())]
        if ev:
            last = ev[-1][0]; pauses = [p for (tt, p) in ev if tt > last - 15]
    med = st.median(pauses) if pauses else 0
    print(b.ljust(8), ' '.join(vals), 'pauses=%d median=%.1fms' % (len(pauses), med))
