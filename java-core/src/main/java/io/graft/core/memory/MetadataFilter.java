package io.graft.core.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A condition on a memory's metadata, evaluated by the store during the search (so k hits come
 * back even when most memories do not match). Build one with the factories, or from the
 * Mongo-style map LangChain filters use with {@link #fromMap(Map)}.
 */
public sealed interface MetadataFilter {

    /** Matches every memory. */
    record All() implements MetadataFilter {}

    record Eq(String key, String value) implements MetadataFilter {
        public Eq {
            requireKey(key);
        }
    }

    record In(String key, Set<String> values) implements MetadataFilter {
        public In {
            requireKey(key);
            if (values.isEmpty()) {
                throw new MemoryException("filter 'in' on '" + key + "' needs at least one value");
            }
            values = Set.copyOf(values);
        }
    }

    record Exists(String key) implements MetadataFilter {
        public Exists {
            requireKey(key);
        }
    }

    record And(List<MetadataFilter> operands) implements MetadataFilter {
        public And {
            operands = requireOperands(operands, "and");
        }
    }

    record Or(List<MetadataFilter> operands) implements MetadataFilter {
        public Or {
            operands = requireOperands(operands, "or");
        }
    }

    record Not(MetadataFilter operand) implements MetadataFilter {}

    static MetadataFilter all() {
        return new All();
    }

    static MetadataFilter eq(String key, String value) {
        return new Eq(key, value);
    }

    static MetadataFilter in(String key, Set<String> values) {
        return new In(key, values);
    }

    static MetadataFilter and(MetadataFilter... operands) {
        return new And(List.of(operands));
    }

    static MetadataFilter or(MetadataFilter... operands) {
        return new Or(List.of(operands));
    }

    static MetadataFilter not(MetadataFilter operand) {
        return new Not(operand);
    }

    /**
     * Parses {@code {"kind": "fact"}}, {@code {"kind": {"$in": ["a", "b"]}}}, {@code {"$ne"}},
     * {@code {"$exists": true}}, {@code {"$and": [...]}}, {@code {"$or": [...]}} and
     * {@code {"$not": {...}}}; several keys in one map must all match. An empty map matches all.
     * Throws {@link MemoryException} naming the offending key or value.
     */
    static MetadataFilter fromMap(Map<String, ?> map) {
        List<MetadataFilter> parts = new ArrayList<>();
        for (var e : map.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            switch (key) {
                case "$and", "$or" -> {
                    if (!(value instanceof List<?> list) || list.isEmpty()) {
                        throw new MemoryException("filter '" + key + "' needs a non-empty list, was " + describe(value));
                    }
                    List<MetadataFilter> operands = list.stream().map(MetadataFilter::fromObject).toList();
                    parts.add(key.equals("$and") ? new And(operands) : new Or(operands));
                }
                case "$not" -> parts.add(new Not(fromObject(value)));
                default -> {
                    if (key.startsWith("$")) {
                        throw new MemoryException("unknown filter operator '" + key + "'");
                    }
                    parts.add(condition(key, value));
                }
            }
        }
        return parts.isEmpty() ? new All() : parts.size() == 1 ? parts.getFirst() : new And(parts);
    }

    private static MetadataFilter fromObject(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new MemoryException("filter operand must be a map, was " + describe(value));
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new MemoryException("filter key must be a string, was " + describe(k));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return fromMap(typed);
    }

    private static MetadataFilter condition(String key, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return new Eq(key, string(key, value));
        }
        if (!(value instanceof Map<?, ?> ops) || ops.size() != 1) {
            throw new MemoryException("filter value for '" + key + "' must be a string, number, boolean or one {$op: value}, was " + describe(value));
        }
        var op = ops.entrySet().iterator().next();
        Object arg = op.getValue();
        return switch (String.valueOf(op.getKey())) {
            case "$eq" -> new Eq(key, string(key, arg));
            case "$ne" -> new Not(new Eq(key, string(key, arg)));
            case "$in", "$nin" -> {
                if (!(arg instanceof List<?> list)) {
                    throw new MemoryException("filter '" + op.getKey() + "' on '" + key + "' needs a list, was " + describe(arg));
                }
                In in = new In(key, Set.copyOf(list.stream().map(v -> string(key, v)).toList()));
                yield op.getKey().equals("$in") ? in : new Not(in);
            }
            case "$exists" -> {
                if (!(arg instanceof Boolean b)) {
                    throw new MemoryException("filter '$exists' on '" + key + "' needs true or false, was " + describe(arg));
                }
                yield b ? new Exists(key) : new Not(new Exists(key));
            }
            default -> throw new MemoryException("unknown filter operator '" + op.getKey() + "' on '" + key + "'");
        };
    }

    /** Metadata is text; a number or boolean matches the text it is stored as ({@code 3}, {@code true}). */
    private static String string(String key, Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new MemoryException("filter value for '" + key + "' must be a string, number or boolean, was " + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    private static void requireKey(String key) {
        if (key.isEmpty()) {
            throw new MemoryException("filter key must not be empty");
        }
    }

    private static List<MetadataFilter> requireOperands(List<MetadataFilter> operands, String op) {
        if (operands.isEmpty()) {
            throw new MemoryException("filter '" + op + "' needs at least one operand");
        }
        return List.copyOf(operands);
    }
}
