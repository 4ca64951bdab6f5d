package io.graft.python;

import io.graft.core.GraftException;
import io.graft.core.RunContext;
import io.graft.core.json.Json;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.tool.ToolRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.HostAccess;

/**
 * The Java object Python's {@code graft} package calls: model calls, tool specs, tool calls, memory.
 *
 * <p>One bridge per context. The pool binds the run the context is serving, so every call is
 * recorded on that run. Every method answers JSON and reports failures as
 * {@code {"error": {...}}} instead of throwing, so no Java exception crosses into framework code.
 */
public final class GraftBridge {
    private final ToolRegistry tools;
    private final AtomicReference<RunContext> run = new AtomicReference<>();

    GraftBridge(ToolRegistry tools) {
        this.tools = tools;
    }

    void bind(RunContext context) {
        run.set(context);
    }

    void unbind() {
        run.set(null);
    }

    Optional<RunContext> current() {
        return Optional.ofNullable(run.get());
    }

    @HostAccess.Export
    public String chat(String agent, String requestJson) {
        try {
            RunContext ctx = requireRun("a chat model call");
            ChatResponse response = ctx.chat(agentName(ctx, agent), WireCodec.request(requestJson));
            return Json.write(WireCodec.response(response));
        } catch (GraftException e) {
            return WireCodec.error(e.getClass().getSimpleName(), e.getMessage());
        }
    }

    @HostAccess.Export
    public TokenStream stream(String agent, String requestJson) {
        try {
            RunContext ctx = requireRun("a chat model call");
            ChatRequest request = WireCodec.request(requestJson);
            return TokenStream.start(sink -> {
                ChatResponse response = ctx.chat(agentName(ctx, agent), request, sink);
                return Map.of("final", WireCodec.response(response));
            });
        } catch (GraftException e) {
            return TokenStream.failed(WireCodec.error(e.getClass().getSimpleName(), e.getMessage()));
        }
    }

    @HostAccess.Export
    public String toolSpecs(String namesJson) {
        try {
            List<String> names = Json.readList(namesJson, "tool names").stream().map(String::valueOf).toList();
            return Json.write(Map.of("tools", tools.specs(names).stream().map(WireCodec::spec).toList()));
        } catch (GraftException e) {
            return WireCodec.error(e.getClass().getSimpleName(), e.getMessage());
        }
    }

    @HostAccess.Export
    public String callTool(String agent, String callJson) {
        try {
            RunContext ctx = requireRun("a tool call");
            var outcome = ctx.callTool(agentName(ctx, agent), WireCodec.toolCall(Json.readMap(callJson, "tool call")));
            return Json.write(Map.of("text", outcome.text(), "error", outcome.error()));
        } catch (GraftException e) {
            return WireCodec.error(e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * One memory operation ({@link MemoryWire}) on the run's memory, or on {@code collection} of the
     * run's tenant when it is not empty.
     */
    @HostAccess.Export
    public String memory(String collection, String op, String requestJson) {
        try {
            RunContext ctx = requireRun("memory");
            var memory = collection.isEmpty() ? ctx.memory() : ctx.memory(collection);
            return Json.write(MemoryWire.handle(memory, op, Json.readMap(requestJson, "memory request")));
        } catch (GraftException e) {
            return WireCodec.error(e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private RunContext requireRun(String what) {
        RunContext ctx = run.get();
        if (ctx == null) {
            throw new GraftException(what + " needs a running task: call the model and tools inside the agent, "
                    + "not while the script is being imported");
        }
        return ctx;
    }

    private static String agentName(RunContext ctx, String agent) {
        return agent.isEmpty() ? ctx.task().agent() : agent;
    }
}
