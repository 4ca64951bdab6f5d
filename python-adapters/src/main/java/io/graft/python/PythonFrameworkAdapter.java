package io.graft.python;

import io.graft.core.Admission;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentError;
import io.graft.core.AgentFailedException;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.FrameworkAdapter;
import io.graft.core.Health;
import io.graft.core.RunContext;
import io.graft.core.Step;
import io.graft.core.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs agents of one Python framework. The framework-specific conversions happen in the Python
 * adapter classes ({@code graft.adapters}); this side turns the task into their JSON input and
 * their JSON answer into an {@link AgentResult}, recording the framework's messages as steps.
 */
final class PythonFrameworkAdapter implements FrameworkAdapter<String, String> {
    private final Framework framework;
    private final PythonPool pool;
    private final Function<String, ScriptRef> scripts;

    PythonFrameworkAdapter(Framework framework, PythonPool pool, Function<String, ScriptRef> scripts) {
        this.framework = framework;
        this.pool = pool;
        this.scripts = scripts;
    }

    @Override
    public Framework framework() {
        return framework;
    }

    @Override
    public String convertTask(AgentDescriptor agent, AgentTask task) {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("id", task.id());
        wire.put("agent", agent.name());
        wire.put("input", task.input());
        wire.put("inputs", task.inputs());
        wire.put("history", task.history().stream().map(WireCodec::message).toList());
        wire.put("metadata", task.metadata());
        return Json.write(wire);
    }

    @Override
    public Admission admission() {
        return pool.admission();
    }

    @Override
    public String execute(AgentDescriptor agent, String input, RunContext run) {
        return pool.withContext(run, context -> executeOn(context, agent, input, run));
    }

    /** Runs the agent in {@code context}, which serves {@code run}, importing its script there first if needed. */
    String executeOn(PythonContext context, AgentDescriptor agent, String input, RunContext run) {
        ScriptRef script = scripts.apply(agent.name());
        try {
            context.ensureImported(script);
            run.checkActive();
            return context.call(host -> host.run(agent.name(), input));
        } catch (PythonContext.ContextStoppedException e) {
            run.checkActive();
            throw new PythonException("Python execution of '" + agent.name() + "' in context " + context.id()
                    + " was stopped unexpectedly (" + e.getCause().getMessage() + ")", e);
        }
    }

    @Override
    public AgentResult convertResult(AgentDescriptor agent, AgentTask task, String output, RunContext run) {
        Map<String, Object> answer = Json.readMap(output, "result of agent '" + agent.name() + "'");
        if (answer.get("error") instanceof Map<?, ?> error) {
            throw new AgentFailedException(new AgentError(String.valueOf(error.get("type")),
                    String.valueOf(error.get("message")), String.valueOf(error.get("traceback"))));
        }
        for (Object m : WireCodec.list(answer.get("messages"))) {
            run.recordMessage(agent.name(), WireCodec.message(WireCodec.map(m)));
        }
        for (Object t : WireCodec.list(answer.get("tool_executions"))) {
            Map<String, Object> execution = WireCodec.map(t);
            run.countToolCall();
            run.record(new Step.ToolExecution(agent.name(), WireCodec.toolCall(WireCodec.map(execution.get("call"))),
                    WireCodec.string(execution.get("result")), Boolean.TRUE.equals(execution.get("error")), Duration.ZERO));
        }
        Map<String, Object> structured = new LinkedHashMap<>(WireCodec.map(answer.get("structured")));
        Object stop = answer.get("stop_reason");
        if (stop != null && !"completed".equals(stop)) {
            structured.put("stop_reason", stop);
        }
        return AgentResult.completed(task, framework, WireCodec.string(answer.get("output")), structured, java.util.List.of());
    }

    @Override
    public Health health() {
        return pool.health();
    }
}
