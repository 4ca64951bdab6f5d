package io.graft.server.http;

import io.graft.core.AgentDescriptor;
import io.graft.core.AgentRuntime;
import io.graft.server.http.Http.Route;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /v1/agents}: list, describe, upload or replace, delete. */
final class AgentsApi implements Http.Resource {
    private final AgentRuntime runtime;
    private final AgentCatalog catalog;
    private final Bodies bodies;
    private final RunStore store;
    private final Clock clock;

    AgentsApi(AgentRuntime runtime, AgentCatalog catalog, Bodies bodies, RunStore store, Clock clock) {
        this.runtime = runtime;
        this.catalog = catalog;
        this.bodies = bodies;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(Method.GET, "/v1/agents", this::list),
                new Route(Method.GET, "/v1/agents/{name}", this::describe),
                new Route(Method.PUT, "/v1/agents/{name}", this::put),
                new Route(Method.DELETE, "/v1/agents/{name}", this::delete));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Http.caller(req);
        List<Map<String, Object>> problems = catalog.problems().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", relative(p.file()));
            p.line().ifPresent(l -> m.put("line", l));
            m.put("message", p.message().replace(catalog.dir() + java.io.File.separator, ""));
            return m;
        }).toList();
        Http.json(res, 200, Map.of("agents", runtime.agents().stream().map(this::summary).toList(), "problems", problems));
    }

    private void describe(ServerRequest req, ServerResponse res) {
        Http.caller(req);
        String name = Http.param(req, "name");
        AgentDescriptor d = runtime.find(name).orElseThrow(() -> ApiException.notFound("no agent named '" + name + "'"))
                .descriptor();
        Http.json(res, 200, view(d));
    }

    private void put(ServerRequest req, ServerResponse res) {
        var admin = Http.admin(req);
        String name = Http.param(req, "name");
        String media = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("text/x-python").toLowerCase(Locale.ROOT);
        AgentCatalog.Kind kind = media.startsWith("application/json") ? AgentCatalog.Kind.NATIVE : AgentCatalog.Kind.PYTHON;
        String body = bodies.text(req);
        if (body.isBlank()) {
            throw ApiException.badRequest("the request body is empty; send the agent script (or native definition) as the body");
        }
        boolean existed = runtime.find(name).isPresent();
        AgentDescriptor d = catalog.put(name, body, kind);
        store.audit(clock.instant(), admin.tenant(), existed ? "agent.replace" : "agent.create", name,
                relative(d.source()));
        Http.json(res, existed ? 200 : 201, view(d));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        var admin = Http.admin(req);
        String name = Http.param(req, "name");
        if (!catalog.delete(name)) {
            throw ApiException.notFound("no agent named '" + name + "'");
        }
        store.audit(clock.instant(), admin.tenant(), "agent.delete", name, "");
        res.status(204).send();
    }

    /** An agent as listed: what it is, without its input schema (which can run to pages for a LangChain chain). */
    private Map<String, Object> summary(AgentDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("framework", d.framework().id());
        m.put("description", d.description());
        m.put("source", relative(d.source()));
        return m;
    }

    /** An agent as described: its summary and, where known, the schema of the run fields it reads. */
    private Map<String, Object> view(AgentDescriptor d) {
        Map<String, Object> m = summary(d);
        if (!d.inputSchema().isEmpty()) {
            m.put("input_schema", d.inputSchema());
        }
        return m;
    }

    /** Sources inside the agents directory are shown relative to it, so paths of the host do not leak. */
    private String relative(String source) {
        try {
            Path p = Path.of(source).toAbsolutePath().normalize();
            return p.startsWith(catalog.dir()) ? catalog.dir().relativize(p).toString() : source;
        } catch (java.nio.file.InvalidPathException e) {
            return source;
        }
    }
}
