package io.graft.core.agents;

import static io.graft.core.Checks.requirePositive;

import io.graft.core.Agent;
import io.graft.core.AgentDescriptor;
import io.graft.core.AgentError;
import io.graft.core.AgentFailedException;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.Framework;
import io.graft.core.RunContext;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A native, tool-using agent: asks the model, runs the tools it calls, feeds the results back,
 * until the model answers without tool calls or the step limit is reached.
 */
public final class ReActAgent implements Agent {
    private final AgentDescriptor descriptor;
    private final String systemPrompt;
    private final int maxSteps;
    private final List<String> tools;

    /**
     * @param maxSteps model calls allowed per run; a run that needs more fails with the reason
     * @param tools the tools offered to the model; empty offers the task's tools (all, unless the task names some)
     */
    public ReActAgent(String name, String description, String systemPrompt, int maxSteps, List<String> tools) {
        this(new AgentDescriptor(name, Framework.NATIVE, description, "java:" + ReActAgent.class.getName(),
                        AgentDescriptor.textInputSchema()),
                systemPrompt, maxSteps, tools);
    }

    public ReActAgent(AgentDescriptor descriptor, String systemPrompt, int maxSteps, List<String> tools) {
        this.descriptor = descriptor;
        this.systemPrompt = systemPrompt;
        this.maxSteps = requirePositive(maxSteps, "maxSteps");
        this.tools = List.copyOf(tools);
    }

    @Override
    public AgentDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public AgentResult execute(AgentTask task, RunContext run) {
        List<ChatMessage> messages = new ArrayList<>(task.history().size() + 8);
        if (!systemPrompt.isEmpty()) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        messages.addAll(task.history());
        messages.add(ChatMessage.user(task.input()));
        int transcriptStart = messages.size() - 1;
        var specs = run.toolSpecs(tools);
        for (int step = 0; step < maxSteps; step++) {
            ChatResponse response = run.chat(name(), new ChatRequest(messages, specs, Map.of(), ""));
            ChatMessage reply = response.message();
            messages.add(reply);
            if (reply.toolCalls().isEmpty()) {
                messages.subList(transcriptStart, messages.size()).forEach(m -> run.recordMessage(name(), m));
                return AgentResult.completed(task, Framework.NATIVE, reply.content(), Map.of(), List.of());
            }
            for (ToolCall call : reply.toolCalls()) {
                run.checkActive();
                var outcome = run.callTool(name(), call);
                messages.add(ChatMessage.tool(call.id(), call.name(), outcome.text()));
            }
        }
        throw new AgentFailedException(new AgentError("StepLimitExceeded",
                "agent '" + name() + "' reached its limit of " + maxSteps + " model calls without a final answer", ""));
    }
}
