package io.graft.server.http;

import io.graft.server.http.Http.Route;
import io.graft.server.http.RunStore.Usage;
import io.graft.server.http.RunStore.UsageGroup;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/usage}: the caller's tenant's model calls, tokens and cost over a time range,
 * in total and per agent, provider or day. Summed from the run store, so it survives restarts.
 * The store keeps usage per minute, so a range is widened to whole minutes, and the answer's
 * {@code from} and {@code to} are the widened range.
 */
final class UsageApi implements Http.Resource {
    private static final List<String> GROUPS = Arrays.stream(UsageGroup.values())
            .filter(g -> g != UsageGroup.TOTAL).map(g -> g.name().toLowerCase(Locale.ROOT)).toList();

    private final RunStore store;
    private final Clock clock;

    UsageApi(RunStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(Method.GET, "/v1/usage", this::usage));
    }

    private void usage(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        var q = req.query();
        Instant to = instant(q.first("to").asOptional(), "to").orElse(clock.instant());
        Instant from = instant(q.first("from").asOptional(), "from").orElse(to.minus(30, ChronoUnit.DAYS));
        if (!from.isBefore(to)) {
            throw ApiException.badField("from", "query parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        String by = q.first("by").orElse("");
        if (!by.isEmpty() && !GROUPS.contains(by)) {
            throw ApiException.badField("by", "query parameter 'by' must be one of " + GROUPS + ", was '" + by + "'");
        }
        // Usage is kept per minute: the answer counts the minutes the range touches, and says so.
        from = RunStore.minuteStart(from);
        to = RunStore.minuteEnd(to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", caller.tenant());
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("total", view(store.usage(caller.tenant(), from, to, UsageGroup.TOTAL).getFirst()));
        if (!by.isEmpty()) {
            body.put("by", by);
            UsageGroup group = UsageGroup.valueOf(by.toUpperCase(Locale.ROOT));
            body.put("groups", store.usage(caller.tenant(), from, to, group).stream().map(u -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(by, u.key());
                row.putAll(view(u));
                return row;
            }).toList());
        }
        Http.json(res, 200, body);
    }

    private static Map<String, Object> view(Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", u.runs());
        m.put("llm_calls", u.calls());
        m.put("input_tokens", u.inputTokens());
        m.put("output_tokens", u.outputTokens());
        m.put("cost_usd", u.costUsd());
        return m;
    }

    private static Optional<Instant> instant(Optional<String> text, String name) {
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ApiException.badField(name, "query parameter '" + name + "' must be an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z, was '" + text.orElseThrow() + "'");
        }
    }
}
