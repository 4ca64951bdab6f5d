package io.graft.python;

import io.graft.core.AgentDescriptor;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunContext;
import io.graft.core.RunStatus;
import io.graft.core.model.ChatModel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Warm-up runs for one context before it serves: the loaded Python agents run in turn against a
 * model that costs nothing, for a time budget, so the first real runs find the scripts imported, the
 * frameworks' lazy set-up done and the hot paths compiled rather than interpreted.
 *
 * <p>Warm-up runs are not real runs: no memory store (an agent that needs one stops warming at its
 * first memory call), no events, no metrics, nothing stored. An agent whose warm-up run fails or
 * passes its deadline is not warmed again, in any context. A run waiting for a context takes
 * precedence: the warm-up lends its context out between two warm-up runs. A context may stay in
 * warm-up up to one run (at most {@link #RUN_TIMEOUT}) longer than the budget.
 */
final class WarmUp implements PythonPool.Preparer {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    private static final String INPUT = "Warm-up run: answer briefly.";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final PythonPool pool;
    private final List<AgentDescriptor> agents;
    private final RunOnce runner;
    private final ChatModel model;
    private final Duration budget;
    private final Clock clock;
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor deadlines;

    /** Runs {@code agent} once for {@code run} in a context the caller holds; throws when the run fails. */
    interface RunOnce {
        void run(AgentDescriptor agent, PythonContext context, RunContext run);
    }

    /** @param agents the agents every context runs, in turn */
    WarmUp(PythonPool pool, List<AgentDescriptor> agents, RunOnce runner, ChatModel model, Duration budget, Clock clock) {
        this.pool = pool;
        this.agents = List.copyOf(agents);
        this.clock = clock;
        this.runner = runner;
        this.model = model;
        this.budget = budget;
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("graft-warmup-deadlines").unstarted(r));
        // Almost every warm-up run ends long before its deadline: do not keep the cancelled timers,
        // and let the thread go once warm-ups stop.
        deadlines.setRemoveOnCancelPolicy(true);
        deadlines.setKeepAliveTime(5, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
    }

    /** Warms {@code context}; answers whether the caller still holds it. */
    @Override
    public boolean prepare(PythonContext context) {
        long start = System.nanoTime();
        long end = start + budget.toNanos();
        int runs = 0;
        boolean held = true;
        while (held && !context.broken() && !pool.closed() && System.nanoTime() < end) {
            List<AgentDescriptor> todo = agents.stream().filter(a -> !skipped.contains(a.name())).toList();
            if (todo.isEmpty()) {
                break;
            }
            held = pool.yieldToWaitingRuns(context);
            // A lent run may have taken a while, or broken the context.
            if (held && !context.broken() && System.nanoTime() < end) {
                runOnce(context, todo.get(runs % todo.size()));
                runs++;
            }
        }
        LOG.log(System.Logger.Level.INFO, "Python context {0} warmed by {1} runs in {2} ms", context.id(), String.valueOf(runs),
                String.valueOf((System.nanoTime() - start) / 1_000_000));
        return held;
    }

    private void runOnce(PythonContext context, AgentDescriptor agent) {
        AgentTask task = AgentTask.of(agent.name(), INPUT).withTimeout(RUN_TIMEOUT);
        RunContext run = new RunContext(task, agent.framework().id(), model, pool.tools(), clock);
        ScheduledFuture<?> deadline = deadlines.schedule(() -> run.cancel(RunStatus.TIMED_OUT),
                RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            runner.run(agent, context, run);
        } catch (RuntimeException e) {
            if (pool.closed()) {
                return; // not the agent's fault
            }
            if (skipped.add(agent.name())) {
                LOG.log(System.Logger.Level.INFO, "agent {0} is not warmed up: its warm-up run failed: {1}",
                        agent.name(), e.getMessage());
            }
        } finally {
            deadline.cancel(false);
            AgentRuntime.endConversation(model, run.runId());
        }
    }

    /** Agents whose warm-up stopped because a warm-up run failed, by name. */
    SortedSet<String> skipped() {
        return new TreeSet<>(skipped);
    }
}
