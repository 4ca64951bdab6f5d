package io.graft.core;

/**
 * Runs agents of one framework: converts a Graft task into the framework's input, runs the
 * framework, converts its output back into an {@link AgentResult}.
 *
 * @param <I> the framework-side input
 * @param <O> the framework-side output
 */
public interface FrameworkAdapter<I, O> {

    Framework framework();

    I convertTask(AgentDescriptor agent, AgentTask task);

    O execute(AgentDescriptor agent, I input, RunContext run);

    AgentResult convertResult(AgentDescriptor agent, AgentTask task, O output, RunContext run);

    Health health();

    /** Where runs of this framework's agents take a place before they start; unbounded unless it says. */
    default Admission admission() {
        return Admission.UNBOUNDED;
    }

    /** The three steps in order. */
    default AgentResult run(AgentDescriptor agent, AgentTask task, RunContext run) {
        return convertResult(agent, task, execute(agent, convertTask(agent, task), run), run);
    }

    /** An {@link Agent} backed by this adapter. */
    default Agent agent(AgentDescriptor descriptor) {
        FrameworkAdapter<I, O> adapter = this;
        return new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public AgentResult execute(AgentTask task, RunContext run) {
                return adapter.run(descriptor, task, run);
            }

            @Override
            public Admission admission() {
                return adapter.admission();
            }
        };
    }
}
