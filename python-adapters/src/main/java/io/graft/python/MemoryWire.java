package io.graft.python;

import io.graft.core.GraftException;
import io.graft.core.memory.AgentMemory;
import io.graft.core.memory.Memory;
import io.graft.core.memory.MemoryHit;
import io.graft.core.memory.MemoryQuery;
import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.MetadataFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory operations of {@code graft.memory()} as JSON: one request map in, one answer map out.
 * Vectors travel as JSON arrays of numbers; hits leave them out unless asked, since a 384-float
 * vector is most of a hit's size and retrievers only need the text.
 */
final class MemoryWire {
    private MemoryWire() {}

    static Map<String, Object> handle(AgentMemory memory, String op, Map<String, Object> req) {
        return switch (op) {
            case "info" -> Map.of("namespace", memory.namespace().toString(), "dimension", memory.embedder().dimension(),
                    "embedder", memory.embedder().name());
            case "add" -> Map.of("ids", memory.addAll(WireCodec.list(req.get("items")).stream()
                    .map(item -> record(WireCodec.map(item))).toList()));
            case "search" -> Map.of("hits", memory.search(query(req), intOf(req, "k", 4), filter(req)).stream()
                    .map(h -> hit(h, Boolean.TRUE.equals(req.get("with_vectors")))).toList());
            case "get" -> {
                List<Object> found = new ArrayList<>();
                for (Object id : WireCodec.list(req.get("ids"))) {
                    found.add(memory.get(String.valueOf(id)).map(m -> memory(m, true)).orElse(null));
                }
                yield Map.of("memories", found);
            }
            case "list" -> {
                Object after = req.get("after");
                yield Map.of("memories", memory.list(filter(req), intOf(req, "limit", 100),
                                Optional.ofNullable(after).map(String::valueOf)).stream()
                        .map(m -> memory(m, Boolean.TRUE.equals(req.get("with_vectors")))).toList());
            }
            case "update" -> {
                memory.update(WireCodec.string(req.get("id")), record(req));
                yield Map.of();
            }
            case "delete" -> Map.of("deleted", WireCodec.list(req.get("ids")).stream()
                    .filter(id -> memory.delete(String.valueOf(id))).count());
            case "count" -> Map.of("count", memory.count());
            case "embed" -> Map.of("vectors", memory.embedder().embed(WireCodec.list(req.get("texts")).stream()
                    .map(String::valueOf).toList()).stream().map(MemoryWire::numbers).toList());
            default -> throw new GraftException("unknown memory operation '" + op + "'");
        };
    }

    private static MemoryRecord record(Map<String, Object> item) {
        return new MemoryRecord(WireCodec.string(item.get("text")), vector(item.get("vector")), metadata(item.get("metadata")));
    }

    private static MemoryQuery query(Map<String, Object> req) {
        Optional<float[]> vector = vector(req.get("vector"));
        return vector.isPresent() ? MemoryQuery.vector(vector.get()) : MemoryQuery.text(WireCodec.string(req.get("query")));
    }

    private static MetadataFilter filter(Map<String, Object> req) {
        Map<String, Object> filter = WireCodec.map(req.get("filter"));
        return filter.isEmpty() ? MetadataFilter.all() : MetadataFilter.fromMap(filter);
    }

    private static int intOf(Map<String, Object> req, String key, int otherwise) {
        Object v = req.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new GraftException(key + " must be an integer, was " + v);
    }

    private static Optional<float[]> vector(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        List<Object> numbers = WireCodec.list(value);
        float[] v = new float[numbers.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(numbers.get(i) instanceof Number n)) {
                throw new GraftException("vector component " + i + " must be a number, was " + numbers.get(i));
            }
            v[i] = n.floatValue();
        }
        return Optional.of(v);
    }

    private static Map<String, String> metadata(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        WireCodec.map(value).forEach((k, v) -> {
            // Metadata is flat text (what the store filters on); numbers and booleans keep their JSON text.
            if (v == null || v instanceof Map || v instanceof List) {
                throw new GraftException("metadata '" + k + "' must be a string, number or boolean, was " + v);
            }
            out.put(k, String.valueOf(v));
        });
        return out;
    }

    private static Map<String, Object> hit(MemoryHit h, boolean withVector) {
        Map<String, Object> out = memory(h.memory(), withVector);
        out.put("score", h.score());
        return out;
    }

    private static Map<String, Object> memory(Memory m, boolean withVector) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("text", m.text());
        out.put("metadata", m.metadata());
        if (withVector) {
            out.put("vector", numbers(m.vector()));
        }
        return out;
    }

    private static List<Float> numbers(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }
}
