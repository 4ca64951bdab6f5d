/**
 * Real LLM providers and the router in front of them: OpenAI-compatible and Anthropic clients on the
 * JDK's HTTP client, an OpenAI-compatible embedder, and {@link io.graft.core.provider.ProviderRouter},
 * a {@link io.graft.core.model.ChatModel} that picks a provider per call with failover, circuit
 * breakers, retries, concurrency limits, hedging, a response cache and per-provider metrics.
 */
@NullMarked
package io.graft.core.provider;

import org.jspecify.annotations.NullMarked;
