package io.graft.python;

import io.graft.core.Admission;
import io.graft.core.Health;
import io.graft.core.RunCancelledException;
import io.graft.core.RunContext;
import io.graft.core.RunStatus;
import io.graft.core.tool.ToolRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of warm GraalPy contexts on one shared engine. A run borrows one context for
 * its whole duration; a context whose guest code could not be stopped is closed and replaced in
 * the background.
 *
 * <p>Concurrency: one run per context, so Python agents run in parallel up to the pool size while
 * each context's GIL stays uncontended; inside a run, the GIL is released whenever Python calls
 * into Java (model calls, tools), so a framework's own threads keep going.
 *
 * <p>Warm-up: once a {@linkplain #prepareEach preparer} is set (the loaded agents' warm-up runs),
 * every context, including each replacement, goes through it before it serves; the pool is ready
 * once every context has been through it (and stays ready while a replacement is prepared).
 */
public final class PythonPool implements AutoCloseable, MeterBinder {
    private static final System.Logger LOG = System.getLogger(PythonPool.class.getName());

    private final PythonEngine engine;
    private final ToolRegistry tools;
    private final int size;
    /** A transfer queue: a warm-up hands its context straight to a run waiting for one. */
    private final LinkedTransferQueue<PythonContext> idle = new LinkedTransferQueue<>();
    private final List<PythonContext> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger replaced = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    /** Contexts the preparer has been through; only counted once a preparer is set. */
    private final Set<PythonContext> prepared = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Preparer preparer; // set under the pool's lock
    /** Whether every context has been ready at once: readiness stays up while a replacement is prepared. */
    private volatile boolean wasReady;
    private volatile boolean closed;
    /** Places for runs: one per context and {@code queuePerContext} more each to wait (see {@link #admission}). */
    private final Semaphore places;
    private final int placeCount;
    /** Runs waiting for a context now. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Admission admission = new Admission() {
        @Override
        public boolean tryEnter() {
            return places.tryAcquire();
        }

        @Override
        public void leave() {
            places.release();
        }

        @Override
        public String full() {
            return "the Python pool's " + size + " contexts and " + (placeCount - size) + " places to wait for one are all taken";
        }
    };

    /** Starts the pool: the first context synchronously (so scripts can load at once), the rest in the background. */
    public PythonPool(PythonEngine engine, ToolRegistry tools) {
        this.engine = engine;
        this.tools = tools;
        this.size = engine.settings().poolSize();
        this.placeCount = size * (1 + engine.settings().queuePerContext());
        this.places = new Semaphore(placeCount);
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
        PythonContext context;
        try {
            context = create();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot start a Python context", e);
            return;
        }
        Preparer prepare;
        synchronized (this) {
            prepare = preparer;
            if (prepare == null) {
                add(context);
                return;
            }
        }
        all.add(context);
        if (closed) {
            context.close();
            return;
        }
        if (prepare(context, prepare)) {
            giveBack(context);
        }
    }

    /** Work a context does before it serves (a warm-up), told whether it still holds the context. */
    @FunctionalInterface
    public interface Preparer {
        /**
         * Prepares {@code context}, which the caller holds; answers whether it still holds it
         * (false when it lent the context to a run that left it broken: see {@link #yieldToWaitingRuns}).
         */
        boolean prepare(PythonContext context);
    }

    /**
     * Puts every context through {@code prepare} once: in the background for those that exist (each
     * taken out of service meanwhile), and before first service for those started later. The pool
     * is ready when all have been through it.
     */
    public void prepareEach(Preparer prepare) {
        List<PythonContext> existing;
        synchronized (this) {
            if (preparer != null) {
                throw new PythonException("the pool's contexts are already being prepared: prepareEach is called once");
            }
            preparer = prepare;
            existing = List.copyOf(all);
        }
        for (PythonContext c : existing) {
            Thread.ofVirtual().name("graft-python-prepare-" + c.id()).start(() -> {
                if (take(c) && prepare(c, prepare)) {
                    giveBack(c);
                }
            });
        }
    }

    /** Answers whether the caller still holds the context. */
    private boolean prepare(PythonContext context, Preparer prepare) {
        boolean held = true;
        try {
            held = prepare.prepare(context);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "preparing Python context {0} failed; it serves unprepared: {1}",
                    context.id(), e.toString());
        } finally {
            // Even an Error must not leave the context out of the pool for good.
            if (held && !context.broken()) {
                prepared.add(context);
                if (ready() >= size) {
                    wasReady = true;
                }
            }
        }
        return held;
    }

    /** Takes {@code context} out of the idle queue, waiting while a run has it; false once it is gone. */
    boolean take(PythonContext context) {
        while (!idle.remove(context)) {
            if (closed || context.broken() || !all.contains(context)) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Lends a held context to the runs waiting for one, if any, and takes it back afterwards;
     * answers whether the caller holds it again (false: a run left it broken and it was replaced).
     */
    boolean yieldToWaitingRuns(PythonContext context) {
        // tryTransfer hands the context only to a caller already blocked in borrow or withAnyContext.
        return !idle.tryTransfer(context) || take(context);
    }

    boolean closed() {
        return closed;
    }

    ToolRegistry tools() {
        return tools;
    }

    public int size() {
        return size;
    }

    /** Contexts started, warm and (once a preparer is set) prepared. */
    public int ready() {
        if (preparer == null) {
            return all.size();
        }
        return (int) all.stream().filter(prepared::contains).count();
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
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (ready() < size && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return ready() >= size;
    }

    /**
     * Borrows a context for {@code run}, waiting at most until the run's deadline, and applies
     * {@code action} to it. Cancelling the run interrupts its guest code.
     */
    public <T> T withContext(RunContext run, Function<PythonContext, T> action) {
        PythonContext context = borrow(run);
        try {
            return serve(context, run, action);
        } finally {
            giveBack(context);
        }
    }

    /** Applies {@code action} for {@code run} to a context the caller holds; cancelling the run interrupts its guest code. */
    <T> T serve(PythonContext context, RunContext run, Function<PythonContext, T> action) {
        context.serve(run);
        // A platform thread: Truffle's interrupt blocks (up to the grace period) and should not
        // wait for a free carrier behind virtual threads that are busy with runs.
        run.onCancel(() -> Thread.ofPlatform().daemon().name("graft-python-interrupt")
                .start(() -> context.interrupt(run, engine.settings().interruptGrace())));
        try {
            return action.apply(context);
        } finally {
            context.release();
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

    /**
     * Bounds the runs of this pool's agents: as many as it has contexts run, {@code queuePerContext}
     * per context wait, and the runtime refuses the next one before it starts. Without it, runs
     * queued here until their deadline and held the server's admission slots meanwhile, so a
     * backlog of Python runs got native runs refused. Workflow steps are not counted: the workflow
     * took its own place.
     */
    public Admission admission() {
        return admission;
    }

    private PythonContext borrow(RunContext run) {
        PythonContext ready = idle.poll();
        if (ready != null) {
            return ready;
        }
        waiting.incrementAndGet();
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
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void giveBack(PythonContext context) {
        if (closed) {
            return; // close() closes every context
        }
        if (!context.broken()) {
            idle.add(context);
            return;
        }
        all.remove(context);
        prepared.remove(context);
        replaced.incrementAndGet();
        if (context.abandoned()) {
            abandoned.incrementAndGet();
        }
        LOG.log(System.Logger.Level.INFO, "replacing Python context {0}", context.id());
        Thread.ofVirtual().name("graft-python-replace").start(() -> {
            context.close();
            addFresh();
        });
    }

    public Health health() {
        int ready = ready();
        if (ready >= size) {
            return Health.up(ready + " Python contexts warm, " + idle.size() + " idle");
        }
        String detail = ready + " of " + size + " Python contexts warm (started: " + all.size() + ")";
        return wasReady ? Health.up(detail + "; a replacement is warming") : Health.down(detail);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registry.gauge("graft.python.pool.size", this, p -> p.size);
        registry.gauge("graft.python.pool.ready", this, PythonPool::ready);
        registry.gauge("graft.python.pool.idle", this, p -> p.idle.size());
        registry.gauge("graft.python.pool.waiting", this, p -> p.waiting.get());
        // Places left for runs of the pool's agents, running or waiting; at 0 the next run is refused (429).
        registry.gauge("graft.python.pool.places", this, p -> p.places.availablePermits());
        registry.gauge("graft.python.pool.replaced", this, p -> p.replaced.get());
        // Contexts whose cancel never finished (see PythonContext#cancel): their memory is not freed.
        registry.gauge("graft.python.pool.abandoned", this, p -> p.abandoned.get());
    }

    @Override
    public void close() {
        closed = true;
        all.forEach(PythonContext::close);
        all.clear();
        idle.clear();
    }
}
