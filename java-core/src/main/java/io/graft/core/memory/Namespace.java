package io.graft.core.memory;

import java.util.regex.Pattern;

/**
 * Where a collection of memories lives: one per tenant and agent. Both parts are 1 to 64 characters
 * of letters, digits, {@code .}, {@code _} or {@code -} (not {@code .} or {@code ..}), so a
 * namespace maps safely onto a directory.
 */
public record Namespace(String tenant, String agent) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Namespace {
        check(tenant, "tenant");
        check(agent, "agent");
    }

    /** Parses {@code tenant/agent}, the form {@link io.graft.core.AgentTask#memoryNamespace()} uses. */
    public static Namespace parse(String value) {
        int slash = value.indexOf('/');
        if (slash < 0 || slash != value.lastIndexOf('/')) {
            throw new MemoryException("namespace must be tenant/agent, was '" + value + "'");
        }
        return new Namespace(value.substring(0, slash), value.substring(slash + 1));
    }

    private static void check(String part, String what) {
        if (!PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
            throw new MemoryException(what + " must be 1 to 64 of [A-Za-z0-9._-] and not . or .., was '" + part + "'");
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + agent;
    }
}
