import sys, collections
# children.py FILE FRAME [LEVELS]: samples under FRAME, split by the frames below it (LEVELS deep)
f, target = sys.argv[1], sys.argv[2]; lv = int(sys.argv[3]) if len(sys.argv) > 3 else 1
c = collections.Counter(); tot = 0; under = 0
for line in open(f):
    stack, _, n = line.rstrip().rpartition(' '); n = int(n); tot += n
    fr = stack.split(';')
    idx = [i for i, x in enumerate(fr) if target in x]
    if not idx: continue
    i = idx[0]; under += n
    c[' > '.join(x.split('/')[-1] for x in fr[i+1:i+1+lv]) or '(self)'] += n
print(f'{100*under/tot:5.1f}% under {target}')
for k, n in c.most_common(int(__import__('os').environ.get('TOP', '20'))): print(f'{100*n/tot:5.2f}% {k}')
