package io.graft.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads request bodies within the size limit and checks JSON fields one by one, naming the field that is wrong. */
final class Bodies {
    // Duplicate keys are refused rather than silently resolved to the last one, and so is anything
    // after the object (`{...} ]`, two objects): Jackson would otherwise read the first value and stop.
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long maxBytes;

    Bodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** The body as text; 413 when it is larger than the limit, whether or not it declared its length. */
    String text(ServerRequest req) {
        Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() > maxBytes) {
            throw tooLarge(declared.get());
        }
        if (!req.content().hasEntity()) {
            return "";
        }
        // A declared length is read as it is: asking for up to the limit made the stream allocate a
        // 16 KB buffer for every body, 15% of the server's allocations under load.
        long expected = declared.map(length -> length + 1).orElse(maxBytes + 1);
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, expected));
            if (bytes.length > maxBytes) {
                throw tooLarge(bytes.length);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private ApiException tooLarge(long size) {
        return new ApiException(413, "Request body too large",
                "the request body has " + (size > maxBytes + 1 ? size : "more than " + maxBytes) + " bytes; the limit is "
                        + maxBytes, Map.of("limit", maxBytes));
    }

    /** The body as a JSON object whose fields are all in {@code allowed}. */
    Fields object(ServerRequest req, Set<String> allowed) {
        String media = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json");
        if (!media.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "Unsupported media type",
                    "expected a JSON body (Content-Type: application/json), got '" + media + "'", Map.of());
        }
        String text = text(req);
        if (text.isBlank()) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            Map<String, Object> where = new LinkedHashMap<>();
            if (loc != null) {
                where.put("line", loc.getLineNr());
                where.put("column", loc.getColumnNr());
            }
            throw new ApiException(400, "Malformed JSON", "the request body is not valid JSON: " + e.getOriginalMessage(), where);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object, was " + kind(node));
        }
        ObjectNode obj = (ObjectNode) node;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badField(name, "unknown field '" + name + "'; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
        return new Fields(obj);
    }

    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Typed access to the fields of a JSON object; each wrong value is a 400 naming its field. */
    record Fields(ObjectNode node) {
        Optional<String> string(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isTextual()) {
                throw ApiException.badField(field, "field '" + field + "' must be a string, was " + kind(v));
            }
            return Optional.of(v.textValue());
        }

        String requiredString(String field) {
            String s = string(field).orElseThrow(() -> ApiException.badField(field, "field '" + field + "' is required"));
            if (s.isBlank()) {
                throw ApiException.badField(field, "field '" + field + "' must not be blank");
            }
            return s;
        }

        Optional<Boolean> bool(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isBoolean()) {
                throw ApiException.badField(field, "field '" + field + "' must be true or false, was " + kind(v));
            }
            return Optional.of(v.booleanValue());
        }

        Optional<Double> number(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isNumber()) {
                throw ApiException.badField(field, "field '" + field + "' must be a number, was " + kind(v));
            }
            return Optional.of(v.doubleValue());
        }

        Map<String, Object> object(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Map.of();
            }
            if (!v.isObject()) {
                throw ApiException.badField(field, "field '" + field + "' must be a JSON object, was " + kind(v));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : v.properties()) {
                out.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
            }
            // Map.copyOf (in AgentTask) refuses null values; a JSON null input is left out instead.
            out.values().removeIf(java.util.Objects::isNull);
            return out;
        }

        Map<String, String> strings(String field) {
            Map<String, Object> raw = object(field);
            Map<String, String> out = new LinkedHashMap<>();
            raw.forEach((k, value) -> {
                if (!(value instanceof String s)) {
                    throw ApiException.badField(field + "." + k, "field '" + field + "." + k + "' must be a string");
                }
                out.put(k, s);
            });
            return out;
        }

        java.util.List<JsonNode> array(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return java.util.List.of();
            }
            if (!v.isArray()) {
                throw ApiException.badField(field, "field '" + field + "' must be a JSON array, was " + kind(v));
            }
            java.util.List<JsonNode> out = new java.util.ArrayList<>();
            v.forEach(out::add);
            return out;
        }
    }
}
