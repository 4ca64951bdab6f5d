package io.graft.server.http;

import io.graft.server.Graft;
import io.graft.server.http.Http.Route;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Health, Prometheus metrics, the OpenAPI document and the audit log. */
final class OpsApi implements Http.Resource {
    static final String OPENAPI = "openapi.yaml";

    private final Graft graft;
    private final PrometheusMeterRegistry prometheus;
    private final RunStore store;
    private final byte[] openapi;

    OpsApi(Graft graft, PrometheusMeterRegistry prometheus, RunStore store) {
        this.graft = graft;
        this.prometheus = prometheus;
        this.store = store;
        this.openapi = openapiDocument();
    }

    static byte[] openapiDocument() {
        try (InputStream in = OpsApi.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new io.graft.core.GraftException("the OpenAPI document " + OPENAPI + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(Method.GET, "/health/live", this::live),
                new Route(Method.GET, "/health/ready", this::ready),
                new Route(Method.GET, "/metrics", this::metrics),
                new Route(Method.GET, "/openapi.yaml", this::openapi),
                new Route(Method.GET, "/v1/audit", this::audit));
    }

    private void live(ServerRequest req, ServerResponse res) {
        Http.json(res, 200, Map.of("status", "UP"));
    }

    /** Ready when the Python pool (if anything started it) has every context warm. */
    private void ready(ServerRequest req, ServerResponse res) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = true;
        var pool = graft.pythonPool();
        if (pool.isPresent()) {
            var h = pool.get().health();
            up = h.ready();
            String detail = h.detail();
            var notWarm = graft.python().notWarmedUp();
            if (!notWarm.isEmpty()) {
                detail += "; not warmed up (their warm-up run failed, see the log): " + String.join(", ", notWarm);
            }
            checks.put("python", Map.of("status", h.ready() ? "UP" : "DOWN", "detail", detail));
        } else {
            checks.put("python", Map.of("status", "UP", "detail", "not started: no Python agent is loaded"));
        }
        checks.put("agents", Map.of("status", "UP", "detail", graft.runtime().agents().size() + " agents registered"));
        Http.json(res, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "checks", checks));
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(prometheus.scrape());
    }

    private void openapi(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
        res.send(openapi);
    }

    private void audit(ServerRequest req, ServerResponse res) {
        var admin = Http.admin(req);
        Http.json(res, 200, Map.of("records", store.auditRecords(admin.tenant(), 200)));
    }
}
