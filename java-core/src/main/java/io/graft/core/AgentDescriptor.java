package io.graft.core;

import static io.graft.core.Checks.requireNonBlank;

/**
 * What the runtime knows about an agent without running it.
 *
 * @param name unique name the agent is registered under
 * @param framework what implements it
 * @param description one line for listings; may be empty
 * @param source where it was defined: a script path, or {@code java:<class>} for native agents
 */
public record AgentDescriptor(String name, Framework framework, String description, String source) {
    public AgentDescriptor {
        requireNonBlank(name, "agent name");
        java.util.Objects.requireNonNull(framework, "framework");
        java.util.Objects.requireNonNull(description, "description");
        java.util.Objects.requireNonNull(source, "source");
    }
}
