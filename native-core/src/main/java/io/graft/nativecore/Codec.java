package io.graft.nativecore;

import io.graft.core.memory.MemoryException;
import io.graft.core.memory.MetadataFilter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The C ABI's little-endian wire format for records, filters and fetched memories (see codec.rs). */
final class Codec {
    private Codec() {}

    /** A memory as the library returns it; the id is added by the caller. */
    record Fetched(String text, Map<String, String> metadata, float[] vector) {}

    private static final class Out extends ByteArrayOutputStream {
        Out u8(int v) {
            write(v);
            return this;
        }

        Out u32(int v) {
            write(v);
            write(v >>> 8);
            write(v >>> 16);
            write(v >>> 24);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            writeBytes(b);
            return this;
        }
    }

    static byte[] records(List<String> texts, List<Map<String, String>> metadata) {
        Out out = new Out();
        for (int i = 0; i < texts.size(); i++) {
            out.str(texts.get(i));
            Map<String, String> meta = new TreeMap<>(metadata.get(i));
            out.u32(meta.size());
            meta.forEach((k, v) -> out.str(k).str(v));
        }
        return out.toByteArray();
    }

    static byte[] filter(MetadataFilter filter) {
        if (filter instanceof MetadataFilter.All) {
            return new byte[0];
        }
        Out out = new Out();
        encode(filter, out);
        return out.toByteArray();
    }

    private static void encode(MetadataFilter f, Out out) {
        switch (f) {
            case MetadataFilter.All a -> out.u8(0);
            case MetadataFilter.Eq(String key, String value) -> out.u8(1).str(key).str(value);
            case MetadataFilter.In(String key, var values) -> {
                out.u8(2).str(key).u32(values.size());
                values.stream().sorted().forEach(out::str);
            }
            case MetadataFilter.And(var operands) -> {
                out.u8(3).u32(operands.size());
                operands.forEach(o -> encode(o, out));
            }
            case MetadataFilter.Or(var operands) -> {
                out.u8(4).u32(operands.size());
                operands.forEach(o -> encode(o, out));
            }
            case MetadataFilter.Not(MetadataFilter operand) -> {
                out.u8(5);
                encode(operand, out);
            }
            case MetadataFilter.Exists(String key) -> out.u8(6).str(key);
        }
    }

    static List<Optional<Fetched>> memories(byte[] bytes, int count, int dimension) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Optional<Fetched>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.get() == 0) {
                out.add(Optional.empty());
                continue;
            }
            String text = str(in);
            int n = in.getInt();
            Map<String, String> meta = HashMap.newHashMap(n);
            for (int j = 0; j < n; j++) {
                meta.put(str(in), str(in));
            }
            float[] vector = new float[dimension];
            in.asFloatBuffer().get(vector);
            in.position(in.position() + 4 * dimension);
            out.add(Optional.of(new Fetched(text, meta, vector)));
        }
        if (in.hasRemaining()) {
            throw new MemoryException("native library returned " + in.remaining() + " unexpected bytes");
        }
        return out;
    }

    private static String str(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
