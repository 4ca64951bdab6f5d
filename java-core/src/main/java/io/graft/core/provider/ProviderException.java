package io.graft.core.provider;

import io.graft.core.model.ModelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A provider call failed. Says which provider, what kind of failure, the HTTP status when there was
 * one, and how long the provider asked to wait. Messages never contain API keys.
 */
public final class ProviderException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final ErrorKind kind;
    private final int status;
    private final @Nullable Duration retryAfter;
    private final boolean tokensEmitted;

    public ProviderException(String provider, ErrorKind kind, int status, Optional<Duration> retryAfter, String message,
            @Nullable Throwable cause) {
        this(provider, kind, status, retryAfter.orElse(null), false, message, cause);
    }

    private ProviderException(String provider, ErrorKind kind, int status, @Nullable Duration retryAfter, boolean tokensEmitted,
            String message, @Nullable Throwable cause) {
        super("provider '" + provider + "' " + kind.id() + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + message, cause);
        this.provider = provider;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.status = status;
        this.retryAfter = retryAfter;
        this.tokensEmitted = tokensEmitted;
    }

    public static ProviderException of(String provider, ErrorKind kind, String message) {
        return new ProviderException(provider, kind, 0, Optional.empty(), message, null);
    }

    public static ProviderException of(String provider, ErrorKind kind, String message, Throwable cause) {
        return new ProviderException(provider, kind, 0, Optional.empty(), message, cause);
    }

    /** The same failure, marked as having happened after some streamed text reached the caller. */
    public ProviderException afterTokens() {
        return new ProviderException(provider, kind, status, retryAfter, true, rawMessage(), getCause());
    }

    private String rawMessage() {
        String m = Objects.requireNonNullElse(getMessage(), "");
        int colon = m.indexOf(": ");
        return colon < 0 ? m : m.substring(colon + 2);
    }

    public String provider() {
        return provider;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when the failure was not an HTTP answer. */
    public int status() {
        return status;
    }

    /** How long the provider asked to wait before the next request ({@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether streamed text already reached the caller, so the call cannot be retried without repeating it. */
    public boolean tokensEmitted() {
        return tokensEmitted;
    }
}
