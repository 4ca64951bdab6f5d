import sys, collections
def load(f):
    self_=collections.Counter(); incl=collections.Counter(); tot=0; all_=0
    for line in open(f):
        stack, n = line.rstrip().rsplit(' ', 1); n = int(n); all_ += n
        frames = stack.split(';')
        if 'graft-store-writer' not in frames[0]: continue
        tot += n; self_[frames[-1]] += n
        for fr in set(frames): incl[fr] += n
    return self_, incl, tot, all_
for f in sys.argv[1:]:
    s, i, t, a = load(f)
    print(f"== {f}: writer {t} of {a} samples ({100*t/a:.1f}%)")
    print(" -- self"); [print(f"  {100*n/t:5.1f}% {k[:110]}") for k, n in s.most_common(14)]
    print(" -- inclusive (h2/kernel)"); [print(f"  {100*n/t:5.1f}% {k[:110]}") for k, n in i.most_common(60) if ('h2' in k or '_[k]' in k or 'pwrite' in k.lower()) ][:0]
    for k, n in i.most_common(45):
        if 'org/h2' in k or 'ksys' in k or 'copy' in k or 'alloc' in k.lower(): print(f"  {100*n/t:5.1f}% {k[:110]}")
