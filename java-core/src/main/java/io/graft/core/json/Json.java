package io.graft.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.graft.core.GraftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The shared, thread-safe mapper and the few conversions Graft needs everywhere. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {};

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * {@code value} as JSON text. Trees of maps, lists, strings, numbers, booleans and nulls (every
     * event, result and answer of the HTTP API) go straight to a streaming generator; anything else
     * in them is written by the mapper, exactly as {@code writeValueAsString} would. The mapper alone
     * looked up a serializer for every value and set up a serializer provider for every call: half the
     * CPU a run's events and answer cost.
     */
    public static String write(Object value) {
        BufferRecycler buffers = MAPPER.getFactory()._getBufferRecycler(); // as writeValueAsString does
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator g = MAPPER.createGenerator(out)) {
                writeValue(g, value);
            }
            return out.getAndClear();
        } catch (JsonProcessingException e) {
            throw new GraftException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a string writer does not fail
        } finally {
            buffers.releaseToPool();
        }
    }

    private static void writeValue(JsonGenerator g, @Nullable Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> map when stringKeys(map) -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeObject(value); // the mapper's serializers, with its modules and settings
        }
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a JSON object; {@code what} names the input in the error message. */
    public static Map<String, Object> readMap(String json, String what) {
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new GraftException(what + " is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON array; {@code what} names the input in the error message. */
    public static List<Object> readList(String json, String what) {
        try {
            return MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new GraftException(what + " is not a JSON array: " + e.getOriginalMessage(), e);
        }
    }
}
