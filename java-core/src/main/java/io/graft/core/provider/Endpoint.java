package io.graft.core.provider;

import static io.graft.core.Checks.requireNonBlank;
import static io.graft.core.Checks.requirePositive;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach one provider.
 *
 * @param name the provider's name in config, metrics and errors ({@code openai}, {@code local})
 * @param baseUri the API root, e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}
 * @param apiKey the key, absent for local servers that need none
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one call may take in all (a caller's earlier deadline wins)
 * @param streamIdleTimeout how long a stream may stay silent before it counts as dropped
 * @param headers extra headers sent with every request (an organisation id, a proxy token)
 */
public record Endpoint(String name, URI baseUri, Optional<ApiKey> apiKey, Duration connectTimeout, Duration requestTimeout,
        Duration streamIdleTimeout, Map<String, String> headers) {
    public Endpoint {
        requireNonBlank(name, "provider name");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(apiKey, "apiKey");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(streamIdleTimeout, "streamIdleTimeout");
        headers = Map.copyOf(headers);
        String path = baseUri.getPath() == null ? "" : baseUri.getPath();
        if (path.endsWith("/")) {
            baseUri = URI.create(baseUri.toString().replaceAll("/+$", ""));
        }
    }

    /** An endpoint with default timeouts (5 s to connect, 120 s per call, 30 s of stream silence) and no key. */
    public static Endpoint of(String name, URI baseUri) {
        return new Endpoint(name, baseUri, Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(120),
                Duration.ofSeconds(30), Map.of());
    }

    public Endpoint withApiKey(ApiKey key) {
        return new Endpoint(name, baseUri, Optional.of(key), connectTimeout, requestTimeout, streamIdleTimeout, headers);
    }

    public Endpoint withTimeouts(Duration connect, Duration request, Duration streamIdle) {
        return new Endpoint(name, baseUri, apiKey, connect, request, streamIdle, headers);
    }

    public URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    @Override
    public String toString() {
        return "Endpoint[" + name + " " + baseUri + (apiKey.isPresent() ? " with key" : "") + "]";
    }
}
