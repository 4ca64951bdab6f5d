package io.graft.bench;

import io.graft.nativecore.NativeApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The approximate-search corpus: synthetic clustered float32 vectors, generated deterministically,
 * so every run and every fork indexes the same data. {@value #CLUSTERS} Gaussian centres (unit
 * variance per dimension); each vector is a random centre plus Gaussian noise of standard deviation
 * {@value #SIGMA} per dimension, so clusters overlap (a vector is about as far from its own centre,
 * 11.3, as centres are from each other, 16). Queries are drawn the same way from a separate random
 * stream: near the centres, never copies of stored vectors.
 */
final class ClusteredCorpus {
    static final int N = 1_000_000;
    static final int DIM = 128;
    static final int CLUSTERS = 4096;
    static final double SIGMA = 1.0;
    static final int QUERIES = 1000;
    static final int K = 10;
    static final int BATCH = 10_000;
    static final int COSINE = 0;
    // One record: text "item" and no metadata (u32 length, bytes, u32 metadata count).
    private static final byte[] RECORD = {4, 0, 0, 0, 'i', 't', 'e', 'm', 0, 0, 0, 0};

    private final int dim;
    private final int clusters;
    private final float[] centres;

    /** The 1M x 128 corpus. */
    ClusteredCorpus() {
        this(DIM, CLUSTERS);
    }

    ClusteredCorpus(int dim, int clusters) {
        this.dim = dim;
        this.clusters = clusters;
        SplittableRandom random = new SplittableRandom(dim);
        centres = new float[clusters * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) random.nextGaussian();
        }
    }

    /** {@code n} vectors near random centres, drawn from {@code random}'s stream. */
    float[] draw(SplittableRandom random, int n) {
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(clusters);
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = (float) (centres[c * dim + j] + SIGMA * random.nextGaussian());
            }
        }
        return out;
    }

    float[] queries() {
        return draw(new SplittableRandom(4242), QUERIES);
    }

    /** The 1M-vector collection; see {@link #load(NativeApi, Path, long, int)}. */
    long load(NativeApi api, Path dir, long hnswThreshold) {
        return load(api, dir, hnswThreshold, N);
    }

    /**
     * Creates a cosine collection of {@code n} vectors in {@code dir} through the batch add of the C
     * ABI (up to {@value #BATCH} per durable batch); returns the open handle.
     */
    long load(NativeApi api, Path dir, long hnswThreshold, int n) {
        long handle = api.open(dir.toString(), dim, COSINE, true, hnswThreshold);
        byte[] records = new byte[RECORD.length * BATCH];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(RECORD, 0, records, i * RECORD.length, RECORD.length);
        }
        SplittableRandom random = new SplittableRandom(1_000_000);
        for (int start = 0; start < n; start += BATCH) {
            int count = Math.min(BATCH, n - start);
            api.add(handle, count, draw(random, count), Arrays.copyOf(records, count * RECORD.length));
        }
        return handle;
    }

    /** The exact top-k ids of every query, from the library's exact scan (one pass per 100 queries). */
    static long[][] exactTopK(NativeApi api, long handle, float[] queries, int dim) {
        int nq = queries.length / dim;
        long[][] truth = new long[nq][];
        for (int from = 0; from < nq; from += 100) {
            int n = Math.min(100, nq - from);
            float[] part = Arrays.copyOfRange(queries, from * dim, (from + n) * dim);
            NativeApi.Hits hits = api.search(handle, part, n, K, new byte[0], 1);
            for (int i = 0; i < n; i++) {
                truth[from + i] = Arrays.copyOfRange(hits.ids(), i * K, i * K + hits.counts()[i]);
            }
        }
        return truth;
    }

    /** The fraction of the true top-k that {@code found} contains. */
    static int overlap(long[] truth, long[] found, int foundCount) {
        int hits = 0;
        for (long t : truth) {
            for (int i = 0; i < foundCount; i++) {
                if (found[i] == t) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    /** This process's resident set size in bytes (Linux), or -1 where /proc is absent. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
