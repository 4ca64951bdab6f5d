package io.graft.python;

import io.graft.core.GraftException;
import io.graft.core.json.Json;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import org.graalvm.polyglot.HostAccess;

/**
 * A model response streamed to Python: {@code {"token": ...}} chunks, then {@code {"final": ...}},
 * then {@code null}. The model runs on a virtual thread; Python blocks in {@link #next()} (with
 * the GIL released) until the next chunk arrives.
 */
public final class TokenStream {
    private static final String END = "";
    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();

    private TokenStream() {}

    static TokenStream start(Function<Consumer<String>, Map<String, Object>> producer) {
        TokenStream stream = new TokenStream();
        Thread.ofVirtual().name("graft-token-stream").start(() -> {
            try {
                Map<String, Object> last = producer.apply(token -> stream.chunks.add(Json.write(Map.of("token", token))));
                stream.chunks.add(Json.write(last));
            } catch (GraftException e) {
                stream.chunks.add(WireCodec.error(e.getClass().getSimpleName(), e.getMessage()));
            } catch (RuntimeException e) {
                stream.chunks.add(WireCodec.error("GraftException", String.valueOf(e)));
            } finally {
                stream.chunks.add(END);
            }
        });
        return stream;
    }

    static TokenStream failed(String errorJson) {
        TokenStream stream = new TokenStream();
        stream.chunks.add(errorJson);
        stream.chunks.add(END);
        return stream;
    }

    /** The next chunk as JSON, or {@code null} at the end. */
    @HostAccess.Export
    public String next() {
        try {
            String chunk = chunks.take();
            return chunk.isEmpty() ? null : chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WireCodec.error("RunCancelledException", "interrupted while streaming");
        }
    }
}
