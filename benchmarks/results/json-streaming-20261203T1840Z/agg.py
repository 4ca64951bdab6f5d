import sys, collections
f = sys.argv[1]; pats = sys.argv[2:]
tot = 0; thr = collections.Counter(); inc = collections.Counter(); self_ = collections.Counter()
for line in open(f):
    stack, _, n = line.rstrip().rpartition(' '); n = int(n); tot += n
    frames = stack.split(';')
    t = frames[0]
    import re
    t = re.sub(r'[-#]?\d+\]?$', '', t.strip('[]'))
    thr[t] += n
    for p in pats:
        if any(p in fr for fr in frames): inc[p] += n
    self_[frames[-1]] += n
print('total', tot)
for t, n in thr.most_common(12): print(f'{100*n/tot:5.1f}% thread {t}')
for p in pats: print(f'{100*inc[p]/tot:5.1f}% incl {p}')
print('-- top self')
for fr, n in self_.most_common(int(__import__("os").environ.get("TOP","30"))): print(f'{100*n/tot:5.1f}% {fr}')
