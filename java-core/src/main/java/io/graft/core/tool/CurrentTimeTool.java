package io.graft.core.tool;

import io.graft.core.model.ToolSpec;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Tells the current date and time in UTC, from an injectable clock. */
public final class CurrentTimeTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec("current_time", "The current date and time in UTC (ISO-8601).",
            Map.of("type", "object", "properties", Map.of()));
    private final Clock clock;

    public CurrentTimeTool(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> arguments) {
        return ZonedDateTime.now(clock.withZone(java.time.ZoneOffset.UTC)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
