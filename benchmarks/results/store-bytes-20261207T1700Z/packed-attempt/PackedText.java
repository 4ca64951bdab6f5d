package io.graft.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.h2.compress.CompressLZF;
import org.h2.compress.Compressor;
import org.h2.tools.CompressTool;

/**
 * A run's largest texts (its result and its events) as the store keeps them: their UTF-8 bytes
 * compressed with LZF, in the format of H2's {@code COMPRESS} function, so SQL reads one back with
 * {@code utf8tostring(expand(column))}.
 *
 * <p>Every byte a run's row holds is written by the store's one writer, and more than once: H2
 * rewrites the last page of the runs table whole at every commit, and copying a commit into the
 * file's page cache was the largest cost of the writer, whose time per run bounds the server's
 * throughput. A run's JSON shrinks to under half; packing it costs the run's own thread about 5 us.
 *
 * <p>The format is one byte naming the algorithm ({@link Compressor#LZF}, or {@link Compressor#NO}
 * for a text that LZF does not shrink), the text's length in bytes as H2 writes a variable-length
 * int, then the data.
 */
final class PackedText {
    /**
     * LZF compressors with their 64 KB hash tables, reused: {@link CompressTool#compress} makes a
     * new one per call. A run takes one only while it packs, so there are about as many as runs
     * pack at once.
     */
    private static final ConcurrentLinkedQueue<Packer> PACKERS = new ConcurrentLinkedQueue<>();

    private PackedText() {}

    /**
     * {@code text}'s UTF-8 bytes, packed. {@link String#getBytes} turns a lone surrogate (never
     * part of valid text) into '?', one character for one, so the offsets {@link RunStore#encode}
     * keeps into a result still hold once it is read back.
     */
    static byte[] pack(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        Packer packer = PACKERS.poll();
        if (packer == null) {
            packer = new Packer();
        }
        try {
            return packer.pack(in);
        } finally {
            PACKERS.offer(packer);
        }
    }

    /** The text {@link #pack} packed. */
    static String unpack(byte[] packed) {
        return new String(CompressTool.getInstance().expand(packed), StandardCharsets.UTF_8);
    }

    private static final class Packer {
        private final CompressLZF lzf = new CompressLZF();
        private byte[] out = new byte[8192];

        byte[] pack(byte[] in) {
            // LZF grows incompressible input by at most one byte in 32; the header is up to 6 bytes
            int bound = in.length + in.length / 32 + 16;
            if (out.length < bound) {
                out = new byte[bound];
            }
            int start = 1 + CompressTool.writeVariableInt(out, 1, in.length);
            int end = in.length < 5 ? 0 : lzf.compress(in, 0, in.length, out, start);
            if (end <= 0 || end >= start + in.length) {
                out[0] = Compressor.NO;
                System.arraycopy(in, 0, out, start, in.length);
                end = start + in.length;
            } else {
                out[0] = Compressor.LZF;
            }
            return Arrays.copyOf(out, end);
        }
    }
}
