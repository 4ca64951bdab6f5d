package io.graft.core;

import java.util.Arrays;
import java.util.Locale;

/** The kind of code that implements an agent. */
public enum Framework {
    NATIVE,
    LANGCHAIN,
    LANGGRAPH,
    CREWAI,
    AUTOGEN,
    /** A plain Python callable {@code (task) -> str | dict}. */
    PYTHON;

    /** The lower-case name used on the wire and in metrics tags. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Framework fromId(String id) {
        return Arrays.stream(values())
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new GraftException("unknown framework '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Framework::id).toList()));
    }
}
