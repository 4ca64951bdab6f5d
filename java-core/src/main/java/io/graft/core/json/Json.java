package io.graft.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.graft.core.GraftException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** The shared, thread-safe mapper and the few conversions Graft needs everywhere. */
public final class Json {
    /**
     * Jackson's default keeps its buffers in a thread-local pool, which a virtual thread (one per
     * request and per run here) never finds again: each JSON text allocated fresh buffers, a tenth
     * of the server's allocations under load (async-profiler, alloc mode). A shared pool reuses them.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
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

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new GraftException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes one JSON value to a generator; {@link #text} gives it one. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The JSON text {@code body} writes with Jackson's streaming generator. It builds no maps and
     * looks up no serializers (the generator's {@code writeObject} still can, for values of any
     * type), so it suits small texts made many times per run, such as events.
     */
    public static String text(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new GraftException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
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
