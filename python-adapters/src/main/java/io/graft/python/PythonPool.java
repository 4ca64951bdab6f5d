package io.graft.python;

import io.graft.core.Health;
import io.graft.core.RunCancelledException;
import io.graft.core.RunContext;
import io.graft.core.RunStatus;
import io.graft.core.tool.ToolRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed number of warm GraalPy contexts on one shared engine. A run borrows one context for
 * its whole duration; a context whose guest code could not be stopped is closed and replaced in
 * the background.
 *
 * <p>Concurrency: one run per context, so Python agents run in parallel up to the pool size while
 * each context's GIL stays uncontended; inside a run, the GIL is released whenever Python calls
 * into Java (model calls, tools), so a framework's own threads keep going.
 */
public final class PythonPool implements AutoCloseable, MeterBinder {
    private static final System.Logger LOG = System.getLogger(PythonPool.class.getName());

    private final PythonEngine engine;
    private final ToolRegistry tools;
    private final int size;
    private final BlockingQueue<PythonContext> idle = new LinkedBlockingQueue<>();
    private final List<PythonContext> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger replaced = new AtomicInteger();
    private volatile boolean closed;

    /** Starts the pool: the first context synchronously (so scripts can load at once), the rest in the background. */
    public PythonPool(PythonEngine engine, ToolRegistry tools) {
        this.engine = engine;
        this.tools = tools;
        this.size = engine.settings().poolSize();
        add(create());
        for (int i = 1; i < size; i++) {
            Thread.ofVirtual().name("graft-python-warmup").start(this::addFresh);
        }
    }

    private PythonContext create() {
        return PythonContext.create(nextId.getAndIncrement(), engine, tools, engine.settings().warmImports());
    }

    private void add(PythonContext context) {
        if (closed) {
            context.close();
            return;
        }
        all.add(context);
        idle.add(context);
    }

    private void addFresh() {
        try {
            add(create());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot start a Python context", e);
        }
    }

    public int size() {
        return size;
    }

    /** Contexts started and warm. */
    public int ready() {
        return all.size();
    }

    public int idleCount() {
        return idle.size();
    }

    public PythonEngine engine() {
        return engine;
    }

    /** How many contexts were replaced because a stopped run left them unusable. */
    public int replacedCount() {
        return replaced.get();
    }

    /** Waits until every context of the pool is warm, or the timeout passes; answers whether all are. */
    public boolean awaitWarm(java.time.Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (all.size() < size && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return all.size() >= size;
    }

    /**
     * Borrows a context for {@code run}, waiting at most until the run's deadline, and applies
     * {@code action} to it. Cancelling the run interrupts its guest code.
     */
    public <T> T withContext(RunContext run, Function<PythonContext, T> action) {
        PythonContext context = borrow(run);
        context.serve(run);
        // A platform thread: Truffle's interrupt blocks (up to the grace period) and should not
        // wait for a free carrier behind virtual threads that are busy with runs.
        run.onCancel(() -> Thread.ofPlatform().daemon().name("graft-python-interrupt")
                .start(() -> context.interrupt(run, engine.settings().interruptGrace())));
        try {
            return action.apply(context);
        } finally {
            context.release();
            giveBack(context);
        }
    }

    /** Applies {@code action} to one idle context outside any run (script loading). */
    <T> T withAnyContext(Function<PythonContext, T> action) {
        PythonContext context;
        try {
            context = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PythonException("interrupted while waiting for a Python context", e);
        }
        try {
            return action.apply(context);
        } finally {
            giveBack(context);
        }
    }

    private PythonContext borrow(RunContext run) {
        try {
            PythonContext context = idle.poll(Math.max(0, run.remaining().toNanos()), TimeUnit.NANOSECONDS);
            if (context == null) {
                run.checkActive();
                throw new RunCancelledException(RunStatus.TIMED_OUT, "no Python context became free before the deadline");
            }
            return context;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunCancelledException(RunStatus.CANCELLED, "interrupted while waiting for a Python context");
        }
    }

    private void giveBack(PythonContext context) {
        if (!context.broken()) {
            idle.add(context);
            return;
        }
        all.remove(context);
        replaced.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, "replacing Python context {0}", context.id());
        Thread.ofVirtual().name("graft-python-replace").start(() -> {
            context.close();
            addFresh();
        });
    }

    public Health health() {
        int ready = all.size();
        return ready >= size
                ? Health.up(ready + " Python contexts warm, " + idle.size() + " idle")
                : Health.down(ready + " of " + size + " Python contexts warm");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registry.gauge("graft.python.pool.size", this, p -> p.size);
        registry.gauge("graft.python.pool.ready", this, p -> p.all.size());
        registry.gauge("graft.python.pool.idle", this, p -> p.idle.size());
        registry.gauge("graft.python.pool.replaced", this, p -> p.replaced.get());
    }

    @Override
    public void close() {
        closed = true;
        all.forEach(PythonContext::close);
        all.clear();
        idle.clear();
    }
}
