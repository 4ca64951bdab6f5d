package io.graft.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who makes a model call and under which limits, so a router can choose per agent, framework or
 * request without parsing provider options. {@code RunContext} fills it in for every call of a run.
 *
 * @param agent the agent (or crew member) making the call; empty when unknown
 * @param framework the framework id of the run's agent ({@code native}, {@code langchain}, ...); empty when unknown
 * @param policy a routing policy asked for by the request; empty to let the router decide
 * @param deadline when the caller stops waiting; no attempt or retry may run past it
 * @param cacheable the caller marks the call deterministic, so an identical earlier answer may be reused
 */
public record CallScope(String agent, String framework, String policy, Optional<Instant> deadline, boolean cacheable) {
    /** A call nobody described: no agent, no deadline, router defaults. */
    public static final CallScope NONE = new CallScope("", "", "", Optional.empty(), false);

    public CallScope {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(deadline, "deadline");
    }

    public CallScope withDeadline(Instant deadline) {
        return new CallScope(agent, framework, policy, Optional.of(deadline), cacheable);
    }

    public CallScope withPolicy(String policy) {
        return new CallScope(agent, framework, policy, deadline, cacheable);
    }

    public CallScope withCacheable(boolean cacheable) {
        return new CallScope(agent, framework, policy, deadline, cacheable);
    }
}
