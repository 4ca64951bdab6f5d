import sys, re, glob, os
D = sys.argv[1]
for f in sorted(glob.glob(D + '/*-*.txt'), key=lambda p: (int(re.search(r'-(\d+)\.txt', p).group(1)), p)):
    t = open(f).read()
    parts = t.split('== ')
    base = next((p for p in parts if p.startswith('baseline')), '')
    nat = next((p for p in parts if p.startswith('native') and 'stored' in p.split('\n')[0]), '')
    def g(s, pat):
        m = re.search(pat, s); return m.group(1) if m else '-'
    print(os.path.basename(f)[:-4].ljust(7), 'native rps=%s p50=%s p99=%s cpu=%s us | health rps=%s p99=%s cpu=%s us | not completed: %s' % (
        g(nat, r'Requests/sec:\s+(\S+)'), g(nat, r' 50%\s+(\S+)'), g(nat, r' 99%\s+(\S+)'), g(nat, r'server CPU per request: (\d+)'),
        g(base, r'Requests/sec:\s+(\S+)'), g(base, r' 99%\s+(\S+)'), g(base, r'server CPU per request: (\d+)'), g(nat, r'runs not COMPLETED: (\d+ of \d+)')))
