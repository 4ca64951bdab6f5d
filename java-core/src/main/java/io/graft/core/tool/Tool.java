package io.graft.core.tool;

import io.graft.core.model.ToolSpec;
import java.util.Map;

/**
 * A capability an agent can call, shared by every framework: native agents call it directly,
 * Python frameworks through the {@code graft.tools()} bridge.
 *
 * <p>Implementations are thread-safe. A tool reports bad arguments by throwing
 * {@link ToolException}; the message goes back to the model so it can correct itself.
 */
public interface Tool {

    ToolSpec spec();

    /** Runs the tool; returns text for the model. */
    String call(Map<String, Object> arguments);

    default String name() {
        return spec().name();
    }
}
