package io.graft.core.provider;

/** What went wrong in a provider call; the router decides on retries and failover by it. */
public enum ErrorKind {
    /** HTTP 429: the provider asks to slow down, often with a {@code Retry-After}. */
    RATE_LIMITED(true, false),
    /** HTTP 5xx (and 529 "overloaded"). */
    SERVER_ERROR(true, true),
    /** No answer (or no next streamed event) within the timeout. */
    TIMEOUT(true, true),
    /** The connection could not be made or broke before the response began. */
    CONNECTION(true, true),
    /** The connection broke while a streamed answer was arriving. */
    STREAM_DROPPED(true, true),
    /** The provider answered with JSON (or SSE) that does not parse or lacks required fields. */
    MALFORMED_RESPONSE(true, true),
    /** HTTP 401/403: the key is missing, wrong or lacks permission; retrying the same provider is useless. */
    AUTH(false, true),
    /** HTTP 400/404/413/422: the request itself is wrong, so no provider will accept it. */
    BAD_REQUEST(false, false),
    /** The router refused locally: every provider's breaker is open or its concurrency limit is reached. */
    UNAVAILABLE(true, false),
    /** The caller's deadline passed, or waiting for a retry would pass it. */
    DEADLINE_EXCEEDED(false, false);

    private final boolean retryable;
    private final boolean breakerFailure;

    ErrorKind(boolean retryable, boolean breakerFailure) {
        this.retryable = retryable;
        this.breakerFailure = breakerFailure;
    }

    /** Whether the same request may succeed later or elsewhere. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the failure counts against the provider's circuit breaker (a rate limit does not: the provider is healthy). */
    public boolean breakerFailure() {
        return breakerFailure;
    }

    /** The lower-case id used in metric tags, e.g. {@code rate_limited}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
