package io.graft.server.http;

import io.graft.core.GraftException;
import java.util.Map;

/**
 * A request the API refuses, with the HTTP status and the RFC 9457 problem details to answer with.
 * {@code extra} adds members such as {@code field}, {@code file} or {@code line}.
 */
public final class ApiException extends GraftException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String title;
    private final transient Map<String, Object> extra;

    public ApiException(int status, String title, String detail, Map<String, Object> extra) {
        super(detail);
        this.status = status;
        this.title = title;
        this.extra = Map.copyOf(extra);
    }

    public static ApiException badField(String field, String detail) {
        return new ApiException(400, "Invalid request", detail, Map.of("field", field));
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Invalid request", detail, Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail, Map.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
