package io.graft.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side every provider client shares: one JDK {@link HttpClient} per endpoint, JSON posts
 * bounded by a deadline, server-sent-event streams with an idle timeout, and the mapping of every
 * failure to an {@link ErrorKind}. Texts that reach error messages have the API key masked.
 */
final class ProviderHttp {
    private static final int ERROR_BODY_CHARS = 300;

    private final Endpoint endpoint;
    private final HttpClient client;
    private final Clock clock;

    ProviderHttp(Endpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(endpoint.connectTimeout());
        // Local servers (llama.cpp, Ollama, vLLM) speak HTTP/1.1; an h2c upgrade attempt only costs them time.
        if ("http".equalsIgnoreCase(endpoint.baseUri().getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        this.client = b.build();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    Clock clock() {
        return clock;
    }

    /** The earlier of the caller's deadline and this endpoint's request timeout. */
    Instant until(Optional<Instant> deadline) {
        Instant own = clock.instant().plus(endpoint.requestTimeout());
        return deadline.filter(d -> d.isBefore(own)).orElse(own);
    }

    HttpRequest.Builder request(String path, Map<String, String> auth, Object body, Instant until) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(positive(left(until)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        endpoint.headers().forEach(b::header);
        auth.forEach(b::header);
        return b;
    }

    /** Sends a JSON request and returns the parsed JSON answer; any failure is a classified {@link ProviderException}. */
    JsonNode postJson(HttpRequest request, Instant until) {
        Duration left = left(until);
        if (!left.isPositive()) {
            throw ProviderException.of(endpoint.name(), ErrorKind.DEADLINE_EXCEEDED, "the deadline passed before the request was sent");
        }
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = f.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw ProviderException.of(endpoint.name(), ErrorKind.TIMEOUT, "no answer within " + left.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderException.of(endpoint.name(), ErrorKind.TIMEOUT, "interrupted while waiting for the answer", e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), false);
        }
        checkStatus(response.statusCode(), response.headers(), response.body());
        return parse(response.body());
    }

    JsonNode parse(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed("expected a JSON object, got: " + excerpt(body), null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed("answer is not JSON (" + e.getOriginalMessage() + "): " + excerpt(body), e);
        }
    }

    ProviderException malformed(String message, @Nullable Throwable cause) {
        return new ProviderException(endpoint.name(), ErrorKind.MALFORMED_RESPONSE, 0, Optional.empty(), mask(message), cause);
    }

    void checkStatus(int status, HttpHeaders headers, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        ErrorKind kind = switch (status) {
            case 429 -> ErrorKind.RATE_LIMITED;
            case 401, 403 -> ErrorKind.AUTH;
            case 408 -> ErrorKind.TIMEOUT;
            default -> status >= 500 ? ErrorKind.SERVER_ERROR : ErrorKind.BAD_REQUEST;
        };
        throw new ProviderException(endpoint.name(), kind, status, retryAfter(headers, clock), excerpt(body), null);
    }

    /** Reads {@code retry-after-ms} (OpenAI), else {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        try {
            if (ms.isPresent()) {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(ms.get().strip())));
            }
            Optional<String> v = headers.firstValue("retry-after");
            if (v.isEmpty()) {
                return Optional.empty();
            }
            String s = v.get().strip();
            if (s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(s) * 1000)));
            }
            Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (RuntimeException e) {
            // A header we cannot read is as good as none: the router falls back to its own backoff.
            return Optional.empty();
        }
    }

    ProviderException transportFailure(@Nullable Throwable cause, boolean midStream) {
        Throwable c = cause;
        while (c != null && c.getCause() != null && !(c instanceof IOException)) {
            c = c.getCause();
        }
        String what = c == null ? "unknown failure" : c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        ErrorKind kind;
        if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException) {
            kind = ErrorKind.CONNECTION;
        } else if (c instanceof HttpTimeoutException) {
            kind = ErrorKind.TIMEOUT;
        } else {
            kind = midStream ? ErrorKind.STREAM_DROPPED : ErrorKind.CONNECTION;
        }
        return new ProviderException(endpoint.name(), kind, 0, Optional.empty(), mask(what), cause);
    }

    String excerpt(String body) {
        String s = body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "..." : body;
        return mask(s.replaceAll("\\s+", " ").strip());
    }

    /** Replaces the key wherever a provider echoed it back. */
    String mask(String text) {
        return endpoint.apiKey().map(k -> text.replace(k.reveal(), "****")).orElse(text);
    }

    private Duration left(Instant until) {
        return Duration.between(clock.instant(), until);
    }

    private static Duration positive(Duration d) {
        return d.isPositive() ? d : Duration.ofMillis(1);
    }

    /**
     * Opens a server-sent-event stream and hands each {@code data:} payload to {@code onData} until it
     * returns false (the provider's end marker) or the stream ends. A silence longer than the idle
     * timeout, a stream that ends without the end marker, or the deadline ends the call with a
     * classified failure; the connection is then cancelled.
     *
     * @return the answer when the server ignored the stream request and sent one JSON document
     *     (some proxies and older local servers do); empty after a stream
     */
    Optional<JsonNode> stream(HttpRequest request, Instant until, java.util.function.Predicate<String> onData) {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        LineSubscriber lines = new LineSubscriber(queue);
        HttpResponse.BodyHandler<Void> handler = info -> {
            queue.add(new Head(info.statusCode(), info.headers()));
            return BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, null);
        };
        CompletableFuture<HttpResponse<Void>> f = client.sendAsync(request, handler);
        f.whenComplete((r, e) -> {
            if (e != null) {
                queue.add(new Failed(e));
            }
        });
        try {
            Item first = next(queue, until, until, f, lines, false);
            if (!(first instanceof Head head)) {
                throw failure(first, false);
            }
            if (head.status() < 200 || head.status() >= 300) {
                StringBuilder body = new StringBuilder();
                for (Item i = next(queue, until, until, f, lines, false); i instanceof Line l; i = next(queue, until, until, f, lines, false)) {
                    body.append(l.text()).append('\n');
                }
                checkStatus(head.status(), head.headers(), body.toString());
            }
            if (head.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
                StringBuilder body = new StringBuilder();
                for (Item i = next(queue, until, until, f, lines, false); ; i = next(queue, until, until, f, lines, false)) {
                    if (i instanceof Line l) {
                        body.append(l.text()).append('\n');
                    } else if (i instanceof End) {
                        return Optional.of(parse(body.toString()));
                    } else {
                        throw failure(i, false);
                    }
                }
            }
            while (true) {
                Instant idle = clock.instant().plus(endpoint.streamIdleTimeout());
                Item item = next(queue, idle.isBefore(until) ? idle : until, until, f, lines, true);
                if (item instanceof Line(String text)) {
                    if (text.startsWith("data:")) {
                        if (!onData.test(text.substring(5).strip())) {
                            lines.cancel();
                            return Optional.empty();
                        }
                    }
                } else if (item instanceof End) {
                    throw ProviderException.of(endpoint.name(), ErrorKind.STREAM_DROPPED, "the stream ended before its end marker");
                } else {
                    throw failure(item, true);
                }
            }
        } catch (RuntimeException e) {
            lines.cancel();
            f.cancel(true);
            throw e;
        }
    }

    private Item next(BlockingQueue<Item> queue, Instant wait, Instant until, CompletableFuture<?> f, LineSubscriber lines,
            boolean midStream) {
        Duration left = Duration.between(clock.instant(), wait);
        Item item;
        try {
            item = left.isPositive() ? queue.poll(left.toNanos(), TimeUnit.NANOSECONDS) : queue.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(endpoint.name(), ErrorKind.TIMEOUT, "interrupted while streaming", e);
        }
        if (item != null) {
            return item;
        }
        boolean deadline = !wait.isBefore(until);
        throw ProviderException.of(endpoint.name(), ErrorKind.TIMEOUT, deadline
                ? (midStream ? "the stream did not finish" : "no answer") + " before the deadline"
                : "the stream was silent for " + endpoint.streamIdleTimeout().toMillis() + " ms");
    }

    private ProviderException failure(Item item, boolean midStream) {
        if (item instanceof Failed(Throwable error)) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            return transportFailure(cause, midStream);
        }
        return ProviderException.of(endpoint.name(), ErrorKind.STREAM_DROPPED, "the stream ended unexpectedly");
    }

    private sealed interface Item permits Head, Line, End, Failed {}

    private record Head(int status, HttpHeaders headers) implements Item {}

    private record Line(String text) implements Item {}

    private record End() implements Item {}

    private record Failed(Throwable error) implements Item {}

    /** Moves lines from the HTTP client's threads to the caller's queue. */
    private static final class LineSubscriber implements Flow.Subscriber<String> {
        private final BlockingQueue<Item> queue;
        private volatile Flow.@Nullable Subscription subscription;

        LineSubscriber(BlockingQueue<Item> queue) {
            this.queue = queue;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            queue.add(new Line(line));
        }

        @Override
        public void onError(Throwable t) {
            queue.add(new Failed(t));
        }

        @Override
        public void onComplete() {
            queue.add(new End());
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

}
