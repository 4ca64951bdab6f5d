package io.graft.core;

/** No agent is registered under the requested name. */
public final class AgentNotFoundException extends GraftException {
    private static final long serialVersionUID = 1L;

    public AgentNotFoundException(String name, java.util.Collection<String> known) {
        super("no agent named '" + name + "' (registered: " + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())) + ")");
    }
}
