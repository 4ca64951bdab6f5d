package io.graft.core;

import java.util.concurrent.CompletableFuture;

/** A run in progress: its id, its eventual result, and a way to stop it. */
public final class RunHandle {
    private final RunContext context;
    private final CompletableFuture<AgentResult> result;

    RunHandle(RunContext context, CompletableFuture<AgentResult> result) {
        this.context = context;
        this.result = result;
    }

    public String runId() {
        return context.runId();
    }

    /** Completes when the run ends, whatever its status; never completes exceptionally. */
    public CompletableFuture<AgentResult> result() {
        return result.copy();
    }

    /** Waits for the result. */
    public AgentResult join() {
        return result.join();
    }

    /** Asks the run to stop; the result then has status CANCELLED unless it had already ended. */
    public boolean cancel() {
        return context.cancel(RunStatus.CANCELLED);
    }
}
