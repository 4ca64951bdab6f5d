package io.graft.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a run did not complete.
 *
 * @param type the exception type, e.g. {@code ValueError} or {@code GraftException}
 * @param message what went wrong
 * @param traceback the Python traceback (or Java stack) where there is one; empty otherwise
 */
public record AgentError(String type, String message, String traceback) {
    public AgentError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(traceback, "traceback");
    }

    public static AgentError of(Throwable t) {
        return new AgentError(t.getClass().getSimpleName(), String.valueOf(t.getMessage()), "");
    }

    public Optional<String> tracebackText() {
        return traceback.isEmpty() ? Optional.empty() : Optional.of(traceback);
    }
}
