package io.graft.bench;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryException;
import io.graft.core.memory.MemoryHit;
import io.graft.core.memory.MemoryQuery;
import io.graft.core.memory.Namespace;
import io.graft.nativecore.NativeApi;
import io.graft.nativecore.NativeBinding;
import io.graft.nativecore.NativeMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one-off figures of approximate search over {@link ClusteredCorpus} (1M x 128): load time
 * (durable batches), index build time, resident memory per vector, and for a sweep of ef_search
 * the recall@10 against the exact scan with single-thread latency percentiles (each query timed
 * alone, after a warm-up pass), the exact scan's latency measured in the same process as the
 * baseline. Finally the collection is reopened through {@link NativeMemoryStore} (the public
 * {@code MemoryStore} path, which also fetches the hits' memories) for its recall and latency.
 * Prints one JSON object per line. Run: {@code java -cp ... io.graft.bench.ApproximateSearchProbe}.
 */
public final class ApproximateSearchProbe {
    private static final int[] EF = {16, 24, 32, 48, 64, 96, 128};

    private ApproximateSearchProbe() {}

    public static void main(String[] args) throws Exception {
        NativeApi api = NativeApi.of(NativeBinding.FFM);
        ClusteredCorpus corpus = new ClusteredCorpus();
        Path root = Files.createTempDirectory("graft-ann");
        Path dir = root.resolve("bench").resolve("ann");
        try {
            long t0 = System.nanoTime();
            long h = corpus.load(api, dir, Long.MAX_VALUE);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            api.close(h);
            System.gc();

            long rss0 = ClusteredCorpus.rssBytes();
            t0 = System.nanoTime();
            h = api.open(dir.toString(), ClusteredCorpus.DIM, ClusteredCorpus.COSINE, false, Long.MAX_VALUE);
            double openExact = (System.nanoTime() - t0) / 1e9;
            long rssExact = ClusteredCorpus.rssBytes() - rss0;
            api.close(h);
            System.gc();

            rss0 = ClusteredCorpus.rssBytes();
            t0 = System.nanoTime();
            h = api.open(dir.toString(), ClusteredCorpus.DIM, ClusteredCorpus.COSINE, false, NativeMemoryStore.DEFAULT_HNSW_THRESHOLD);
            double openIndexed = (System.nanoTime() - t0) / 1e9;
            long rssIndexed = ClusteredCorpus.rssBytes() - rss0;
            print("{\"n\":%d,\"dim\":%d,\"load_s\":%.1f,\"open_exact_s\":%.1f,\"open_indexed_s\":%.1f,\"build_s\":%.1f,"
                    + "\"rss_exact_bytes_per_vector\":%.0f,\"rss_indexed_bytes_per_vector\":%.0f,\"index_bytes_per_vector\":%.0f,\"cores\":%d}",
                    ClusteredCorpus.N, ClusteredCorpus.DIM, loadSeconds, openExact, openIndexed, openIndexed - openExact,
                    rssExact / (double) ClusteredCorpus.N, rssIndexed / (double) ClusteredCorpus.N,
                    (rssIndexed - rssExact) / (double) ClusteredCorpus.N, Runtime.getRuntime().availableProcessors());

            float[] queries = corpus.queries();
            t0 = System.nanoTime();
            long[][] truth = ClusteredCorpus.exactTopK(api, h, queries, ClusteredCorpus.DIM);
            print("{\"ground_truth_s\":%.1f,\"queries\":%d}", (System.nanoTime() - t0) / 1e9, truth.length);

            double[] exact = latencies(api, h, queries, 200, 1, 1, null);
            print("{\"mode\":\"exact\",\"p50_ms\":%.3f,\"p99_ms\":%.3f}", pct(exact, 0.5), pct(exact, 0.99));
            for (int ef : EF) {
                api.efSearch(h, ef);
                int[] found = new int[1];
                double[] lat = latencies(api, h, queries, truth.length, 2, 0, (i, hits) -> found[0] +=
                        ClusteredCorpus.overlap(truth[i], hits.ids(), hits.counts()[0]));
                print("{\"mode\":\"hnsw\",\"ef_search\":%d,\"recall_at_10\":%.4f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"exact_over_hnsw_p50\":%.0f}",
                        ef, found[0] / (double) (truth.length * ClusteredCorpus.K), pct(lat, 0.5), pct(lat, 0.99),
                        pct(exact, 0.5) / pct(lat, 0.5));
            }
            api.close(h);

            throughStore(root, queries, truth);
        } finally {
            TempDirs.delete(root);
        }
    }

    /** Reopens the collection as namespace bench/ann of a store: open time, recall and latency. */
    private static void throughStore(Path root, float[] queries, long[][] truth) {
        long t0 = System.nanoTime();
        try (NativeMemoryStore store = NativeMemoryStore.builder(root, new VectorsOnly()).binding(NativeBinding.FFM).open()) {
            Namespace ns = new Namespace("bench", "ann");
            long count = store.count(ns);
            double open = (System.nanoTime() - t0) / 1e9;
            int d = ClusteredCorpus.DIM;
            int found = 0;
            double[] lat = new double[truth.length];
            for (int pass = 0; pass < 2; pass++) {
                found = 0;
                for (int i = 0; i < truth.length; i++) {
                    MemoryQuery q = MemoryQuery.vector(Arrays.copyOfRange(queries, i * d, (i + 1) * d));
                    long s = System.nanoTime();
                    List<MemoryHit> hits = store.search(ns, q, ClusteredCorpus.K);
                    lat[i] = (System.nanoTime() - s) / 1e6;
                    long[] ids = hits.stream().mapToLong(x -> Long.parseUnsignedLong(x.memory().id())).toArray();
                    found += ClusteredCorpus.overlap(truth[i], ids, ids.length);
                }
            }
            print("{\"mode\":\"store\",\"count\":%d,\"open_with_rebuild_s\":%.1f,\"ef_search\":%d,\"recall_at_10\":%.4f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}",
                    count, open, NativeMemoryStore.DEFAULT_EF_SEARCH, found / (double) (truth.length * ClusteredCorpus.K),
                    pct(lat, 0.5), pct(lat, 0.99));
        }
    }

    interface OnHits {
        void accept(int query, NativeApi.Hits hits);
    }

    /**
     * Per-query latency in ms over {@code n} queries in a search mode (0 auto, 1 exact); the last
     * of {@code passes} passes is kept.
     */
    private static double[] latencies(NativeApi api, long h, float[] queries, int n, int passes, int mode, OnHits onHits) {
        int d = ClusteredCorpus.DIM;
        double[] lat = new double[n];
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < n; i++) {
                float[] q = Arrays.copyOfRange(queries, i * d, (i + 1) * d);
                long s = System.nanoTime();
                NativeApi.Hits hits = api.search(h, q, 1, ClusteredCorpus.K, new byte[0], mode);
                lat[i] = (System.nanoTime() - s) / 1e6;
                if (onHits != null && pass == passes - 1) {
                    onHits.accept(i, hits);
                }
            }
        }
        return lat;
    }

    private static double pct(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.round((v.length - 1) * p)];
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** The corpus brings its own vectors; nothing here needs text embedded. */
    static final class VectorsOnly implements Embedder {
        @Override
        public String name() {
            return "vectors-only";
        }

        @Override
        public int dimension() {
            return ClusteredCorpus.DIM;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            throw new MemoryException("the approximate-search benchmark supplies every vector; asked to embed " + texts.size() + " texts");
        }
    }
}
