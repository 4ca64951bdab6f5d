package io.graft.core.provider;

import static io.graft.core.Checks.requireNonBlank;
import static io.graft.core.Checks.requirePositive;

import io.graft.core.Checks;
import io.graft.core.model.ChatModel;
import io.graft.core.model.Usage;
import java.util.Objects;

/**
 * One model at one provider, as the router sees it: the client that calls it and what the router
 * needs to choose it.
 *
 * @param id how policies name it: {@code provider/model}
 * @param provider the provider's name (metrics tag, breaker and concurrency limit are per target)
 * @param client the model client; any {@link ChatModel}, so an in-process model can take part
 * @param toolCalling whether the model supports tool calls
 * @param contextWindow the model's context size in tokens; 0 when unknown (then any request fits)
 * @param price what it costs
 * @param weight its share under weighted round robin
 * @param maxConcurrency calls in flight at once, beyond which the router looks elsewhere
 * @param breaker its circuit breaker's thresholds
 */
public record ProviderTarget(String id, String provider, ChatModel client, boolean toolCalling, int contextWindow, Price price,
        int weight, int maxConcurrency, CircuitBreaker.Settings breaker) {
    public ProviderTarget {
        requireNonBlank(id, "target id");
        requireNonBlank(provider, "provider");
        Objects.requireNonNull(client, "client");
        Checks.requireArgument(contextWindow >= 0, "contextWindow must not be negative, was " + contextWindow);
        Objects.requireNonNull(price, "price");
        requirePositive(weight, "weight");
        requirePositive(maxConcurrency, "maxConcurrency");
        Objects.requireNonNull(breaker, "breaker");
    }

    /** A target with tool calling, unknown context, no price, weight 1, 64 concurrent calls and the default breaker. */
    public static ProviderTarget of(String provider, String model, ChatModel client) {
        return new ProviderTarget(provider + "/" + model, provider, client, true, 0, Price.FREE, 1, 64, CircuitBreaker.Settings.DEFAULT);
    }

    public ProviderTarget withPrice(Price price) {
        return new ProviderTarget(id, provider, client, toolCalling, contextWindow, price, weight, maxConcurrency, breaker);
    }

    public ProviderTarget withWeight(int weight) {
        return new ProviderTarget(id, provider, client, toolCalling, contextWindow, price, weight, maxConcurrency, breaker);
    }

    public ProviderTarget withCapabilities(boolean toolCalling, int contextWindow) {
        return new ProviderTarget(id, provider, client, toolCalling, contextWindow, price, weight, maxConcurrency, breaker);
    }

    public ProviderTarget withLimits(int maxConcurrency, CircuitBreaker.Settings breaker) {
        return new ProviderTarget(id, provider, client, toolCalling, contextWindow, price, weight, maxConcurrency, breaker);
    }

    /** Prices in US dollars per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public static final Price FREE = new Price(0, 0);

        public Price {
            Checks.requireArgument(inputPerMillion >= 0 && outputPerMillion >= 0,
                    "prices must not be negative, were " + inputPerMillion + "/" + outputPerMillion);
        }

        public double cost(Usage usage) {
            return (usage.inputTokens() * inputPerMillion + usage.outputTokens() * outputPerMillion) / 1_000_000.0;
        }

        /** The ordering key of the cheapest policy: a typical call reads three tokens per one it writes. */
        double blended() {
            return 3 * inputPerMillion + outputPerMillion;
        }
    }
}
