package io.graft.core.provider;

import static io.graft.core.Checks.requirePositive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One provider's circuit breaker. Closed, it lets calls through and counts consecutive failures;
 * at {@code failureThreshold} it opens and refuses calls for {@code openFor}; then it lets
 * {@code halfOpenProbes} trial calls through (half-open): a success closes it, a failure opens it
 * again. Time comes from the injected clock, so tests drive it with a fake one.
 */
public final class CircuitBreaker {
    /** The breaker's state; {@link #level()} is the value of the breaker-state gauge. */
    public enum State {
        CLOSED(0), HALF_OPEN(1), OPEN(2);

        private final int level;

        State(int level) {
            this.level = level;
        }

        public int level() {
            return level;
        }
    }

    /** Thresholds of a breaker. */
    public record Settings(int failureThreshold, Duration openFor, int halfOpenProbes) {
        public static final Settings DEFAULT = new Settings(5, Duration.ofSeconds(30), 1);

        public Settings {
            requirePositive(failureThreshold, "failureThreshold");
            requirePositive(openFor, "openFor");
            requirePositive(halfOpenProbes, "halfOpenProbes");
        }
    }

    private final Settings settings;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    private int probes;
    private Instant openedAt = Instant.MIN;

    public CircuitBreaker(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Asks to make a call; a true answer must be followed by {@link #onSuccess()}, {@link #onFailure()} or {@link #onRelease()}. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED -> {
                return true;
            }
            case OPEN -> {
                if (clock.instant().isBefore(openedAt.plus(settings.openFor()))) {
                    return false;
                }
                state = State.HALF_OPEN;
                probes = 1;
                return true;
            }
            default -> {
                if (probes >= settings.halfOpenProbes()) {
                    return false;
                }
                probes++;
                return true;
            }
        }
    }

    public synchronized void onSuccess() {
        failures = 0;
        probes = 0;
        state = State.CLOSED;
    }

    public synchronized void onFailure() {
        if (state == State.HALF_OPEN || ++failures >= settings.failureThreshold()) {
            state = State.OPEN;
            openedAt = clock.instant();
            failures = 0;
            probes = 0;
        }
    }

    /** A call ended without saying anything about the provider's health (cancelled, bad request). */
    public synchronized void onRelease() {
        if (state == State.HALF_OPEN && probes > 0) {
            probes--;
        }
    }

    /** The state now; an open breaker whose wait is over reports half-open. */
    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(settings.openFor()))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** When an open breaker lets the next probe through; now for a closed one. */
    public synchronized Instant nextAttemptAt() {
        return state == State.OPEN ? openedAt.plus(settings.openFor()) : clock.instant();
    }
}
