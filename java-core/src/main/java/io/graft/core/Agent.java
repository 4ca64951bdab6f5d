package io.graft.core;

/**
 * Something that can run a task. Native agents implement it directly; framework agents are
 * reached through a {@link FrameworkAdapter}.
 *
 * <p>{@link #execute} returns the answer; the runtime adds status, steps, metrics and timing.
 * It throws to fail the run and should call {@link RunContext#checkActive()} between steps so a
 * cancelled run stops promptly.
 */
public interface Agent {

    AgentDescriptor descriptor();

    AgentResult execute(AgentTask task, RunContext run);

    default String name() {
        return descriptor().name();
    }

    /** Where this agent's runs take a place before they start (see {@link Admission}); unbounded unless it says. */
    default Admission admission() {
        return Admission.UNBOUNDED;
    }
}
