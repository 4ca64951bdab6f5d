package io.graft.core;

import java.util.Optional;

/** An agent definition (a script, a descriptor) could not be loaded; names the file and line where known. */
public final class AgentDefinitionException extends GraftException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    public AgentDefinitionException(String source, int line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    public AgentDefinitionException(String source, String message) {
        this(source, 0, message);
    }

    public String source() {
        return source;
    }

    /** The 1-based line the problem is on, if the loader could tell. */
    public Optional<Integer> line() {
        return line > 0 ? Optional.of(line) : Optional.empty();
    }
}
