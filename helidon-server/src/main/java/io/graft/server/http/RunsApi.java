package io.graft.server.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.graft.server.http.Http.Route;
import io.graft.server.http.RunService.RunRequest;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code /v1/runs} and {@code /v1/threads}: start, wait, list, cancel, stream; a thread's history. */
final class RunsApi implements Http.Resource {
    private static final Set<String> RUN_FIELDS = Set.of("agent", "input", "inputs", "thread", "timeout_seconds",
            "deadline", "wait", "metadata", "stream", "continue_on_disconnect");
    private static final Set<String> STATUSES = Set.of("RUNNING", "COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED",
            RunStore.INTERRUPTED);
    /** How often an idle stream gets a comment line, which is also how soon a client that left is noticed. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final io.helidon.http.HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final RunService runs;
    private final RunStore store;
    private final Bodies bodies;
    private final Duration maxTimeout;
    private final Clock clock;

    RunsApi(RunService runs, RunStore store, Bodies bodies, Duration maxTimeout, Clock clock) {
        this.runs = runs;
        this.store = store;
        this.bodies = bodies;
        this.maxTimeout = maxTimeout;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(Method.POST, "/v1/runs", this::start),
                new Route(Method.GET, "/v1/runs", this::list),
                new Route(Method.GET, "/v1/runs/{id}", this::get),
                new Route(Method.POST, "/v1/runs/{id}/cancel", this::cancel),
                new Route(Method.GET, "/v1/runs/{id}/events", this::events),
                new Route(Method.GET, "/v1/threads/{id}", this::thread));
    }

    private void start(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        Bodies.Fields f = bodies.object(req, RUN_FIELDS);
        String agent = f.requiredString("agent");
        String input = f.string("input").orElse("");
        Map<String, Object> inputs = f.object("inputs");
        String thread = f.string("thread").orElse("");
        if (thread.length() > 200 || (f.string("thread").isPresent() && thread.isBlank())) {
            throw ApiException.badField("thread", "field 'thread' must be 1-200 characters");
        }
        Duration timeout = timeout(f);
        boolean wait = f.bool("wait").orElse(false);
        boolean stream = f.bool("stream").orElse(false);
        boolean detach = f.bool("continue_on_disconnect").orElse(false);
        if (wait && stream) {
            throw ApiException.badField("stream", "give either 'wait' or 'stream', not both");
        }
        RunRequest request = new RunRequest(agent, input, inputs, thread, timeout, f.strings("metadata"));
        // Stored with its audit record before anyone learns its id: at once for a stream or a 202,
        // at the latest with its end for a waited run.
        StoredRun run = runs.start(caller.tenant(), request, wait);
        res.header(HeaderNames.LOCATION, "/v1/runs/" + run.id());
        if (stream) {
            // A client that leaves a stream it started stops the run, unless it asked the run to continue.
            stream(res, runs.events(run, 0), () -> {
                if (!detach) {
                    runs.cancel(caller.tenant(), run.id());
                }
            });
            return;
        }
        if (!wait) {
            Http.json(res, 202, view(run, false));
            return;
        }
        // The run as it was stored at its end (no read needed: it completes only once stored), or
        // else as the store has it now.
        StoredRun now = null;
        var stored = runs.stored(caller.tenant(), run.id());
        if (stored.isPresent()) {
            // No timeout of its own: the runtime ends the run at its deadline, and the run's end
            // completes this whether or not it could be stored. (A timed wait cost a timer task
            // per run on the virtual-thread scheduler, about a tenth of the server's CPU.)
            try {
                now = stored.get().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // answered below with the run as it stands
            }
        }
        if (now == null) {
            now = runs.find(caller.tenant(), run.id()).orElse(run);
        }
        Http.json(res, now.status().equals(RunStore.RUNNING) ? 202 : 200, view(now, true));
    }

    private Duration timeout(Bodies.Fields f) {
        Optional<Double> seconds = f.number("timeout_seconds");
        Optional<String> deadline = f.string("deadline");
        if (seconds.isPresent() && deadline.isPresent()) {
            throw ApiException.badField("deadline", "give either 'timeout_seconds' or 'deadline', not both");
        }
        if (seconds.isPresent()) {
            double s = seconds.get();
            // At least a millisecond: a smaller value rounded to no time at all, refused later without the field's name.
            if (!(s >= 0.001) || s > maxTimeout.toSeconds()) {
                throw ApiException.badField("timeout_seconds", "field 'timeout_seconds' must be at least 0.001 and at most "
                        + maxTimeout.toSeconds() + ", was " + s);
            }
            return Duration.ofNanos((long) (s * 1e9));
        }
        if (deadline.isPresent()) {
            Instant at;
            try {
                at = Instant.parse(deadline.get());
            } catch (DateTimeParseException e) {
                throw ApiException.badField("deadline", "field 'deadline' must be an RFC 3339 UTC instant such as "
                        + "2030-01-01T12:00:00Z, was '" + deadline.get() + "'");
            }
            Duration left = Duration.between(clock.instant(), at);
            if (!left.isPositive() || left.compareTo(maxTimeout) > 0) {
                throw ApiException.badField("deadline", "field 'deadline' must be in the future and at most "
                        + maxTimeout.toSeconds() + " s away, was " + deadline.get());
            }
            return left;
        }
        return maxTimeout;
    }

    private void list(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        var q = req.query();
        String status = q.first("status").orElse("");
        if (!status.isEmpty() && !STATUSES.contains(status)) {
            throw ApiException.badField("status", "query parameter 'status' must be one of " + STATUSES.stream().sorted().toList()
                    + ", was '" + status + "'");
        }
        int limit = intParam(q.first("limit").asOptional(), "limit", 50, 1, 500);
        int offset = intParam(q.first("offset").asOptional(), "offset", 0, 0, Integer.MAX_VALUE);
        var found = runs.list(caller.tenant(), new RunStore.RunQuery(q.first("agent").orElse(""), status,
                q.first("thread").orElse(""), limit + 1, offset));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", found.stream().limit(limit).map(r -> view(r, false)).toList());
        body.put("next_offset", found.size() > limit ? offset + limit : null);
        Http.json(res, 200, body);
    }

    private static int intParam(Optional<String> text, String name, int fallback, int min, int max) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.get());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badField(name, "query parameter '" + name + "' must be a whole number from " + min + " to "
                    + max + ", was '" + text.get() + "'");
        }
    }

    private StoredRun owned(ServerRequest req) {
        String id = Http.param(req, "id");
        // Another tenant's run answers exactly like a run that does not exist.
        return runs.find(Http.caller(req).tenant(), id).orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Http.json(res, 200, view(owned(req), true));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        StoredRun run = owned(req);
        if (!runs.cancel(run.tenant(), run.id())) {
            throw new ApiException(409, "Run not in progress", "run '" + run.id() + "' has already ended with status "
                    + runs.find(run.tenant(), run.id()).orElse(run).status(), Map.of());
        }
        store.audit(clock.instant(), run.tenant(), "run.cancel", run.id(), "");
        // The run as stored at its end, once the agent has stopped; or else as it stands.
        StoredRun now = null;
        var stored = runs.stored(run.tenant(), run.id());
        if (stored.isPresent()) {
            try {
                now = stored.get().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // answered below with the run as it stands
            }
        }
        if (now == null) {
            now = runs.find(run.tenant(), run.id()).orElse(run);
        }
        Http.json(res, 202, view(now, true));
    }

    private void events(ServerRequest req, ServerResponse res) {
        StoredRun run = owned(req);
        long after = lastEventId(req);
        stream(res, runs.events(run, after), () -> { });
    }

    /** Writes a feed as Server-Sent Events until it ends; {@code onDisconnect} runs if the client leaves first. */
    private static void stream(ServerResponse res, RunService.Feed feed, Runnable onDisconnect) {
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            while (true) {
                Optional<StoredEvent> next = feed.next(HEARTBEAT);
                if (next.isEmpty()) {
                    break;
                }
                StoredEvent e = next.get();
                if (e.seq() < 0) {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                } else {
                    sink.emit(SseEvent.builder().id(Long.toString(e.seq())).name(e.type()).data(e.data()).build());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The client went away (the write failed); the events stay stored for a later resume.
            onDisconnect.run();
        }
    }

    private static long lastEventId(ServerRequest req) {
        Optional<String> header = req.headers().first(LAST_EVENT_ID);
        Optional<String> text = header.isPresent() ? header : req.query().first("after").asOptional();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(text.get().trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badField(header.isPresent() ? "Last-Event-ID" : "after",
                    "the last event id must be a whole number of at least 0, was '" + text.get() + "'");
        }
    }

    private void thread(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        String id = Http.param(req, "id");
        Instant created = store.threadCreated(caller.tenant(), id)
                .orElseThrow(() -> ApiException.notFound("no thread with id '" + id + "'"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("created_at", created.toString());
        body.put("messages", runs.thread(caller.tenant(), id).stream()
                .map(m -> Map.of("role", m.role(), "content", m.content(), "run_id", m.runId())).toList());
        Http.json(res, 200, body);
    }

    static Map<String, Object> view(StoredRun r, boolean withResult) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("agent", r.agent());
        m.put("framework", r.framework());
        m.put("status", r.status());
        m.put("thread", r.thread().isEmpty() ? null : r.thread());
        m.put("input", r.input());
        m.put("created_at", r.createdAt().toString());
        m.put("finished_at", r.finishedAt().map(Instant::toString).orElse(null));
        if (withResult) {
            // Stored as the JSON that Json.write made of it: sent as it is rather than parsed and written again.
            m.put("result", r.result().map(RawValue::new).orElse(null));
        }
        m.put("links", Map.of("self", "/v1/runs/" + r.id(), "events", "/v1/runs/" + r.id() + "/events",
                "cancel", "/v1/runs/" + r.id() + "/cancel"));
        return m;
    }
}
