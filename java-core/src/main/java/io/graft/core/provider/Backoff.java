package io.graft.core.provider;

import static io.graft.core.Checks.requirePositive;

import io.graft.core.Checks;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between retry rounds: {@code initial * multiplier^round}, capped
 * at {@code max}, then spread by up to {@code ±jitter} of itself so callers that failed together do
 * not come back together.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2);

    public Backoff {
        requirePositive(initial, "initial backoff");
        requirePositive(max, "max backoff");
        Checks.requireArgument(multiplier >= 1, "backoff multiplier must be at least 1, was " + multiplier);
        Checks.requireArgument(jitter >= 0 && jitter <= 1, "backoff jitter must be within 0..1, was " + jitter);
    }

    /** The wait before retry round {@code round} (0 for the first retry). */
    public Duration delay(int round) {
        double base = Math.min(max.toNanos(), initial.toNanos() * Math.pow(multiplier, Math.min(round, 62)));
        double spread = jitter == 0 ? 1 : 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos((long) Math.min(max.toNanos(), base * spread));
    }
}
