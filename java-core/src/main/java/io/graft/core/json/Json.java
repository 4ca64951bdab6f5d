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
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

    /** The value's JSON as UTF-8, such as an HTTP body: no String is made on the way. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
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
        TextWriter out = new TextWriter();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new GraftException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.text();
    }

    /**
     * What a generator writes, as a String. The generator fills a pooled buffer of its own and hands
     * it over when it closes, in one piece for any text that fits (2,000 characters), so the text
     * is copied once, into its String. A {@code StringWriter} copied it twice more (into its
     * buffer, growing it, and out again), a tenth of the server's allocations under load.
     */
    private static final class TextWriter extends Writer {
        private String first = "";
        private @Nullable StringBuilder more;

        @Override
        public void write(char[] chars, int offset, int length) {
            if (more == null && first.isEmpty()) {
                first = new String(chars, offset, length);
            } else {
                rest().append(chars, offset, length);
            }
        }

        @Override
        public void write(String text, int offset, int length) {
            if (more == null && first.isEmpty()) {
                first = text.substring(offset, offset + length);
            } else {
                rest().append(text, offset, offset + length);
            }
        }

        @Override
        public void write(int c) {
            rest().append((char) c);
        }

        private StringBuilder rest() {
            if (more == null) {
                more = new StringBuilder(first.length() + 256).append(first);
            }
            return more;
        }

        String text() {
            return more == null ? first : more.toString();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
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
