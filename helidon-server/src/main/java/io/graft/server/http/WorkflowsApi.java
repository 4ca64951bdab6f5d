package io.graft.server.http;

import io.graft.core.AgentDescriptor;
import io.graft.core.AgentRuntime;
import io.graft.core.json.Json;
import io.graft.core.workflow.WorkflowDefinitions;
import io.graft.server.http.Http.Route;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/workflows}: defines a workflow over registered agents. It is stored in the agents
 * directory as {@code NAME.json} and then runs like any agent ({@code POST /v1/runs}).
 */
final class WorkflowsApi implements Http.Resource {
    private static final Set<String> FIELDS = Set.of("type", "name", "description", "pattern", "agents", "aggregator",
            "judge", "rounds", "moderator", "router", "max_turns");

    private final AgentRuntime runtime;
    private final AgentCatalog catalog;
    private final Bodies bodies;
    private final RunStore store;
    private final Clock clock;

    WorkflowsApi(AgentRuntime runtime, AgentCatalog catalog, Bodies bodies, RunStore store, Clock clock) {
        this.runtime = runtime;
        this.catalog = catalog;
        this.bodies = bodies;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(Method.POST, "/v1/workflows", this::create));
    }

    private void create(ServerRequest req, ServerResponse res) {
        var admin = Http.admin(req);
        Bodies.Fields f = bodies.object(req, FIELDS);
        String name = f.requiredString("name");
        String type = f.string("type").orElse(WorkflowDefinitions.TYPE);
        if (!type.equals(WorkflowDefinitions.TYPE)) {
            throw ApiException.badField("type", "field 'type' must be 'workflow' (or left out), was '" + type + "'");
        }
        f.requiredString("pattern");
        // Agents must exist when the workflow is defined; a file in the directory may name agents that load later.
        for (String field : List.of("agents", "judge", "moderator", "router")) {
            List<String> named = field.equals("agents")
                    ? f.array("agents").stream().filter(n -> n.isTextual()).map(n -> n.textValue()).toList()
                    : f.string(field).stream().toList();
            List<String> missing = named.stream().filter(n -> runtime.find(n).isEmpty()).toList();
            if (!missing.isEmpty()) {
                throw new ApiException(422, "Unknown agent", "field '" + field + "' names agents that are not registered: "
                        + missing, Map.of("field", field));
            }
        }
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("type", WorkflowDefinitions.TYPE);
        f.node().properties().forEach(e -> definition.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class)));
        definition.put("type", WorkflowDefinitions.TYPE);
        boolean existed = runtime.find(name).isPresent();
        AgentDescriptor d = catalog.put(name, Json.write(definition), AgentCatalog.Kind.NATIVE);
        store.audit(clock.instant(), admin.tenant(), existed ? "workflow.replace" : "workflow.create", name,
                String.valueOf(definition.get("pattern")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", d.name());
        body.put("framework", d.framework().id());
        body.put("description", d.description());
        body.put("source", name + ".json");
        body.put("definition", definition);
        Http.json(res, existed ? 200 : 201, body);
    }
}
