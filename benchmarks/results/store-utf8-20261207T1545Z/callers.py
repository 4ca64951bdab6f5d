import sys, collections
# callers.py FILE FRAME [DEPTH]: who calls FRAME (self samples), DEPTH frames up
f, target = sys.argv[1], sys.argv[2]; depth = int(sys.argv[3]) if len(sys.argv) > 3 else 3
c = collections.Counter(); tot = 0
for line in open(f):
    stack, _, n = line.rstrip().rpartition(' '); n = int(n); tot += n
    fr = stack.split(';')
    if target in fr[-1]:
        c[' <- '.join(x.split('/')[-1] for x in reversed(fr[-1-depth:-1]))] += n
for k, n in c.most_common(15): print(f'{100*n/tot:5.2f}% {k}')
