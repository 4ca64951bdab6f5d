package io.graft.server.http;

import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentNotFoundException;
import io.graft.core.GraftException;
import io.graft.core.RuntimeOverloadedException;
import io.graft.core.json.Json;
import io.graft.core.memory.MemoryException;
import io.graft.nativecore.NativeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps every exception a handler throws to one RFC 9457 problem+json answer, in one place. Input
 * problems are 4xx naming what was wrong; only the server's own failures are 5xx.
 */
final class Errors {
    private static final System.Logger LOG = System.getLogger(Errors.class.getName());
    private final Duration retryAfter;

    Errors(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    void handle(ServerRequest req, ServerResponse res, Throwable error) {
        if (res.isSent()) {
            return;
        }
        send(req, res, problem(error, res));
    }

    static void send(ServerRequest req, ServerResponse res, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        body.put("instance", req.path().path());
        body.putAll(e.extra());
        res.status(Status.create(e.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.send(Json.write(body));
    }

    private ApiException problem(Throwable error, ServerResponse res) {
        return switch (error) {
            case ApiException e -> e;
            case AgentNotFoundException e -> new ApiException(404, "Unknown agent", e.getMessage(), Map.of("field", "agent"));
            case RuntimeOverloadedException e -> {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
                yield new ApiException(429, "Too many runs", e.getMessage(), Map.of());
            }
            case AgentDefinitionException e -> {
                Map<String, Object> where = new LinkedHashMap<>();
                where.put("file", e.source());
                e.line().ifPresent(l -> where.put("line", l));
                yield new ApiException(422, "Agent definition does not load", e.getMessage(), where);
            }
            case StoreException e -> {
                LOG.log(System.Logger.Level.ERROR, "run database failed", e);
                yield new ApiException(503, "Run database unavailable", e.getMessage(), Map.of());
            }
            case io.helidon.http.HttpException e -> new ApiException(e.status().code(), e.status().reasonPhrase(),
                    e.getMessage(), Map.of());
            case MemoryException e -> memoryProblem(e);
            case GraftException e -> new ApiException(400, "Invalid request", e.getMessage(), Map.of());
            case UncheckedIOException e -> new ApiException(400, "Unreadable request", e.getMessage(), Map.of());
            default -> {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure", error);
                yield new ApiException(500, "Internal error", error.getClass().getSimpleName() + ": " + error.getMessage(),
                        Map.of());
            }
        };
    }

    /**
     * The memory store refuses bad input with a plain {@link MemoryException} (or the native library's
     * INVALID_ARGUMENT / NOT_FOUND); one that carries another failure (I/O, a damaged file, a store
     * or model that does not open) is the server's problem, not the caller's.
     */
    private static ApiException memoryProblem(MemoryException e) {
        NativeException n = e instanceof NativeException ne ? ne : e.getCause() instanceof NativeException ne ? ne : null;
        if (n != null && n.status() == NativeException.NOT_FOUND) {
            return ApiException.notFound(e.getMessage());
        }
        boolean input = n != null ? n.status() == NativeException.INVALID_ARGUMENT : e.getCause() == null;
        if (input) {
            return new ApiException(400, "Invalid request", e.getMessage(), Map.of());
        }
        LOG.log(System.Logger.Level.ERROR, "memory store failed", e);
        return new ApiException(503, "Memory store unavailable", e.getMessage(), Map.of());
    }
}
