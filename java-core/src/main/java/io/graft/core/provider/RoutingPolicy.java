package io.graft.core.provider;

import static io.graft.core.Checks.requireNonBlank;
import static io.graft.core.Checks.requirePositive;

import io.graft.core.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router chooses among targets for one call.
 *
 * @param name how agents, frameworks and requests refer to it
 * @param strategy the order in which targets are tried
 * @param targets the target ids it may use ({@code provider/model}), in priority order
 * @param requireTools only targets with tool calling (requests with tools ask for it anyway)
 * @param minContext only targets whose context window is at least this many tokens; 0 for any
 * @param maxAttempts calls in all, first one included, before the router gives up
 * @param hedgeAfter when set, a call still unanswered after this long (a stream: without its first
 *     token) is sent to the next target too; the first answer (or first token) wins
 */
public record RoutingPolicy(String name, Strategy strategy, List<String> targets, boolean requireTools, int minContext,
        int maxAttempts, Optional<Duration> hedgeAfter) {

    /** The order of targets. */
    public enum Strategy {
        /** In the order listed; the next one only when the earlier ones fail or are unavailable. */
        PRIORITY,
        /** Spread by weight (smooth weighted round robin); the others follow as failover. */
        WEIGHTED,
        /** Lowest observed latency first (moving average of successful calls; untried targets first). */
        LATENCY,
        /** Lowest price first among targets that meet the requirements. */
        CHEAPEST;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Strategy fromId(String id) {
            for (Strategy s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new io.graft.core.GraftException("unknown strategy '" + id + "', expected priority, weighted, latency or cheapest");
        }
    }

    public RoutingPolicy {
        requireNonBlank(name, "policy name");
        Objects.requireNonNull(strategy, "strategy");
        targets = List.copyOf(targets);
        Checks.requireArgument(!targets.isEmpty(), "policy '" + name + "' names no targets");
        Checks.requireArgument(minContext >= 0, "minContext must not be negative, was " + minContext);
        requirePositive(maxAttempts, "maxAttempts");
        Objects.requireNonNull(hedgeAfter, "hedgeAfter");
        hedgeAfter.ifPresent(d -> requirePositive(d, "hedgeAfter"));
    }

    /** A priority policy over {@code targets} with three attempts and no hedging. */
    public static RoutingPolicy priority(String name, List<String> targets) {
        return new RoutingPolicy(name, Strategy.PRIORITY, targets, false, 0, 3, Optional.empty());
    }

    public RoutingPolicy withStrategy(Strategy strategy) {
        return new RoutingPolicy(name, strategy, targets, requireTools, minContext, maxAttempts, hedgeAfter);
    }

    public RoutingPolicy withMaxAttempts(int maxAttempts) {
        return new RoutingPolicy(name, strategy, targets, requireTools, minContext, maxAttempts, hedgeAfter);
    }

    public RoutingPolicy withHedgeAfter(Duration after) {
        return new RoutingPolicy(name, strategy, targets, requireTools, minContext, maxAttempts, Optional.of(after));
    }

    public RoutingPolicy withRequirements(boolean tools, int minContext) {
        return new RoutingPolicy(name, strategy, targets, tools, minContext, maxAttempts, hedgeAfter);
    }
}
