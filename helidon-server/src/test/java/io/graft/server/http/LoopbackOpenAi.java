package io.graft.server.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions server on loopback that answers every request with
 * "It is 395." and a usage of 12 prompt and 4 completion tokens, plus the providers file that
 * routes to it (model {@code local/tiny}, priced 1 and 2 US dollars per million tokens).
 */
final class LoopbackOpenAi implements AutoCloseable {
    static final long INPUT_TOKENS = 12;
    static final long OUTPUT_TOKENS = 4;
    /** The price of one call: 12 tokens at $1/M plus 4 at $2/M. */
    static final double COST_PER_CALL = 12e-6 + 8e-6;

    final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;

    LoopbackOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = """
                    {"id": "c1", "object": "chat.completion", "model": "tiny",
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": "It is 395."},
                                  "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}
                    """.formatted(INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Writes the providers file into {@code dir}; answers its path. */
    Path providersFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  local:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    models:
                      tiny:
                        context_window: 8192
                        price: {input: 1.0, output: 2.0}
                policies:
                  only:
                    strategy: priority
                    targets: [local/tiny]
                """.formatted(server.getAddress().getPort()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
