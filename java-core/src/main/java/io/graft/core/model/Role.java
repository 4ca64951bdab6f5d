package io.graft.core.model;

import io.graft.core.GraftException;
import java.util.Locale;

/** Who said a message. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL;

    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    public static Role fromId(String id) {
        return switch (id) {
            case "system" -> SYSTEM;
            case "user", "human" -> USER;
            case "assistant", "ai" -> ASSISTANT;
            case "tool" -> TOOL;
            default -> throw new GraftException("unknown message role '" + id + "', expected system, user, assistant or tool");
        };
    }
}
