package io.graft.server.http;

import io.graft.core.AgentRuntime;
import io.graft.core.json.Json;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatModels;
import io.graft.core.model.ScriptedChatModel;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import io.graft.server.http.ApiKeys.Principal;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code graft serve}: the runtime, the agents directory, the run store and the Helidon WebServer,
 * assembled from {@link ServerSettings} and stopped together.
 */
public final class GraftServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GraftServer.class.getName());

    private final Graft graft;
    private final RunStore store;
    private final AgentCatalog catalog;
    private final RunService runs;
    private final PrometheusMeterRegistry prometheus;
    private final List<Http.Resource> resources;
    private final int interrupted;
    private final WebServer server;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final @Nullable AccessLog accessLog;

    private GraftServer(ServerSettings settings, Path home, Clock clock) {
        this.accessLog = AccessLog.open(settings.accessLog()); // first: a bad path fails before anything is opened
        AgentRuntime.Builder builder = AgentRuntime.builder(ChatModels.fromSpec(settings.model(), home))
                .maxInFlight(settings.maxInFlight())
                .clock(clock);
        if (settings.memoryEnabled()) {
            builder.memory(Graft.defaultMemory(settings.memoryDir()));
        }
        AgentRuntime runtime = builder.build();
        this.graft = new Graft(runtime, () -> PythonSettings.fromSystem().withPoolSize(settings.pythonPoolSize())
                .withFiles(settings.pythonFiles(), settings.pythonReadable()).withQueuePerContext(settings.pythonQueuePerContext()));
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        gc.bindTo(prometheus);
        graft.bindTo(prometheus);
        this.store = new RunStore(settings.databaseUrl(), "sa", "");
        store.bindTo(prometheus);
        this.interrupted = store.markInterrupted(clock.instant());
        if (interrupted > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} runs were in progress when the server last stopped; marked INTERRUPTED",
                    interrupted);
        }
        settings.runRetention().ifPresent(keep -> {
            store.deleteRunsAfter(keep, clock);
            LOG.log(System.Logger.Level.INFO, "runs are deleted {0} after they end (runs.retention)",
                    ServerSettings.text(keep));
        });
        // Edits of the directory are audited as the system's; uploads and deletes, by the admin who made them (AgentsApi).
        this.catalog = new AgentCatalog(graft, settings.agentsDir(), change -> store.audit(clock.instant(), RunStore.SYSTEM_TENANT,
                change.action(), String.join(",", change.agents()), change.file()));
        catalog.loadAll();
        if (graft.pythonPool().isPresent()) {
            graft.python().warmUp(warmUpModel(settings, runtime.model(), home), settings.pythonWarmUp());
        }
        if (settings.watch()) {
            catalog.watch();
        }
        this.runs = new RunService(runtime, store, clock, prometheus);
        Bodies bodies = new Bodies(settings.maxBodyBytes());
        this.resources = List.of(
                new OpsApi(graft, prometheus, store),
                new UsageApi(store, clock),
                new AgentsApi(runtime, catalog, bodies, store, clock),
                new RunsApi(runs, store, bodies, settings.maxTimeout(), clock),
                new WorkflowsApi(runtime, catalog, bodies, store, clock),
                new MemoryApi(runtime.memory(), bodies, store, clock));
        Errors errors = new Errors(settings.retryAfter());
        ApiKeys keys = new ApiKeys(settings.apiKeys());
        this.server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // No Helidon payload bound: its refusal is not problem+json. The API checks every body
                // it reads against the limit (declared length first, then what it reads).
                .shutdownHook(false)
                .routing(r -> routing(r, keys, errors))
                .build()
                .start();
    }

    /** The model of warm-up runs: as configured, else the server's own if scripted, else a one-turn answer. */
    private static ChatModel warmUpModel(ServerSettings settings, ChatModel serving, Path home) {
        if (!settings.pythonWarmUpModel().isBlank()) {
            return ChatModels.fromSpec(settings.pythonWarmUpModel(), home);
        }
        return serving instanceof ScriptedChatModel ? serving
                : new ScriptedChatModel("warm-up", List.of(new ScriptedChatModel.Turn("Warm-up answer.", List.of())));
    }

    /** Starts a server; relative paths in the settings resolve against {@code home}. */
    public static GraftServer start(ServerSettings settings, Path home) {
        return start(settings, home, Clock.systemUTC());
    }

    /** As {@link #start(ServerSettings, Path)}, with the clock that dates runs (tests set it back). */
    static GraftServer start(ServerSettings settings, Path home, Clock clock) {
        return new GraftServer(settings, home, clock);
    }

    private void routing(HttpRouting.Builder r, ApiKeys keys, Errors errors) {
        r.addFilter(this::accessLog);
        r.addFilter((chain, req, res) -> authenticate(chain, req, res, keys));
        resources.forEach(r::register);
        r.any((req, res) -> {
            throw ApiException.notFound("no route " + req.prologue().method().text() + " " + req.path().path());
        });
        r.error(Throwable.class, errors::handle);
    }

    /**
     * The API needs a key once keys are configured; so does {@code /metrics}, an admin key, because
     * its usage meters name every tenant with its tokens and cost. Health and the OpenAPI document
     * stay open.
     */
    private static void authenticate(FilterChain chain, RoutingRequest req, RoutingResponse res, ApiKeys keys) {
        String path = req.path().path();
        boolean metrics = path.equals("/metrics") && !keys.open();
        if (!path.startsWith("/v1/") && !metrics) {
            chain.proceed();
            return;
        }
        var principal = keys.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        if (principal.isEmpty()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            Errors.send(req, res, new ApiException(401, "Unauthorized",
                    "send an API key as 'Authorization: Bearer KEY'", Map.of()));
            return;
        }
        if (metrics && !principal.get().admin()) {
            Errors.send(req, res, new ApiException(403, "Forbidden",
                    "the metrics need an admin key: they show every tenant's usage", Map.of()));
            return;
        }
        req.context().register(principal.get());
        chain.proceed();
    }

    /** One JSON line per request, and a request timer by method and status. */
    private void accessLog(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - t0;
            int status = res.status().code();
            String method = req.prologue().method().text();
            Timer.builder("graft.http.requests").tags("method", method, "status", Integer.toString(status))
                    .register(prometheus).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (accessLog != null) {
                String tenant = req.context().get(Principal.class).map(Principal::tenant).orElse(null);
                accessLog.add(Json.text(g -> {
                    g.writeStartObject();
                    g.writeStringField("ts", java.time.Instant.now().toString());
                    g.writeStringField("method", method);
                    g.writeStringField("path", req.path().path());
                    g.writeNumberField("status", status);
                    g.writeNumberField("ms", nanos / 1e6);
                    g.writeStringField("tenant", tenant);
                    g.writeStringField("remote", req.remotePeer().host());
                    g.writeEndObject();
                }));
            }
        }
    }

    public int port() {
        return server.port();
    }

    public Graft graft() {
        return graft;
    }

    /** How many runs were found cut off (still RUNNING) when this server started. */
    public int interruptedAtStart() {
        return interrupted;
    }

    /** Every route the API serves, as the OpenAPI document must list them. */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        resources.forEach(res -> res.routes().forEach(r -> out.add(r.method().text() + " " + r.path())));
        return out;
    }

    @Override
    public void close() {
        server.stop();
        catalog.close();
        runs.cancelAll();
        graft.close();
        store.close();
        if (accessLog != null) {
            accessLog.close();
        }
        gc.close();
        prometheus.close();
    }
}
