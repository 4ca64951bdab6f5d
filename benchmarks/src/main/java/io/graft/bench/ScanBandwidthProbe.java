package io.graft.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The exact scan's share of the single-core read bandwidth, measured in pairs: each round times
 * one {@link ExactSearchBenchmark#memoryBandwidth()} pass and one FFM exact search over the same
 * 100,000 x 384 corpus back to back (alternating which goes first), so both see the same
 * background load and their ratio cancels most of it; separate JMH forks minutes apart do not.
 * Prints the median and quartiles of the per-round ratio (scan bandwidth / read bandwidth =
 * pass time / search time) as one JSON line. Run with
 * {@code --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED}.
 */
public final class ScanBandwidthProbe {
    private ScanBandwidthProbe() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ExactSearchBenchmark b = new ExactSearchBenchmark();
        b.setUp();
        try {
            double[] pass = new double[rounds];
            double[] scan = new double[rounds];
            double[] ratio = new double[rounds];
            float sink = 0;
            for (int warm = 0; warm < 50; warm++) {
                sink += b.memoryBandwidth() + b.ffmExactSearch();
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                if (r % 2 == 0) {
                    sink += b.memoryBandwidth();
                    long t1 = System.nanoTime();
                    sink += b.ffmExactSearch();
                    long t2 = System.nanoTime();
                    pass[r] = t1 - t0;
                    scan[r] = t2 - t1;
                } else {
                    sink += b.ffmExactSearch();
                    long t1 = System.nanoTime();
                    sink += b.memoryBandwidth();
                    long t2 = System.nanoTime();
                    scan[r] = t1 - t0;
                    pass[r] = t2 - t1;
                }
                ratio[r] = pass[r] / scan[r];
            }
            // Bytes per nanosecond are GB/s.
            double mb = (double) ExactSearchBenchmark.N * ExactSearchBenchmark.DIM * 4 / 1e6;
            System.out.println(String.format(Locale.ROOT,
                    "{\"rounds\":%d,\"corpus_mb\":%.1f,\"pass_p50_ms\":%.2f,\"scan_p50_ms\":%.2f,\"read_gbps_p50\":%.1f,"
                            + "\"scan_gbps_p50\":%.1f,\"scan_over_read_p25\":%.2f,\"scan_over_read_p50\":%.2f,\"scan_over_read_p75\":%.2f,\"sink\":%s}",
                    rounds, mb, pct(pass, 0.5) / 1e6, pct(scan, 0.5) / 1e6, mb * 1e6 / pct(pass, 0.5), mb * 1e6 / pct(scan, 0.5),
                    pct(ratio, 0.25), pct(ratio, 0.5), pct(ratio, 0.75), sink != 0 ? "1" : "0"));
        } finally {
            b.tearDown();
        }
    }

    private static double pct(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.round((v.length - 1) * p)];
    }
}
