import os, time, sys
n = int(sys.argv[1]); path = sys.argv[2]
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
buf = b'x' * 65536
off = 0
out = []
for gb in range(n):
    t0 = time.process_time()
    for i in range(16384):
        os.pwrite(fd, buf, off); off += 65536
    out.append(f"{time.process_time()-t0:.2f}")
print(path, "cpu s per GB:", " ".join(out), flush=True)
os.close(fd)
