package io.graft.python;

import io.graft.core.AgentDefinitionException;
import io.graft.core.RunContext;
import io.graft.core.json.Json;
import io.graft.core.tool.ToolRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.jspecify.annotations.Nullable;

/**
 * One GraalPy context with its own platform thread, its bridge, and the scripts it has imported.
 * Serves one run at a time; the pool hands it out.
 */
final class PythonContext implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PythonContext.class.getName());

    private final int id;
    private final ExecutorService thread;
    private final Context context;
    private final PythonHostApi host;
    private final GraftBridge bridge;
    /** This context's own directory (GRAFT_CONTEXT_DIR): file stores that must not be shared between contexts. */
    private final Path scratch;
    /** Script path -> version imported here; touched only on this context's thread. */
    private final Map<Path, Long> imported = new HashMap<>();
    private @Nullable RunContext serving;
    private boolean interrupting;
    private volatile boolean broken;
    /** Set when a cancel did not finish within {@link #CLOSE_LIMIT}: the context is left to GraalPy, never closed again. */
    private volatile boolean abandoned;

    /** How long cancelling a context may take before the context is abandoned (see {@link #cancel}). */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private PythonContext(int id, ExecutorService thread, Context context, PythonHostApi host, GraftBridge bridge,
                          Path scratch) {
        this.id = id;
        this.scratch = scratch;
        this.thread = thread;
        this.context = context;
        this.host = host;
        this.bridge = bridge;
    }

    /** Creates a context on its own thread, boots Graft's host object in it and imports {@code warmImports}. */
    static PythonContext create(int id, PythonEngine engine, ToolRegistry tools, List<String> warmImports) {
        ExecutorService thread = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("graft-python-" + id).daemon().unstarted(r));
        Future<PythonContext> created = thread.submit(() -> {
            // Each context loads its own copy of SQLite (IsolateNativeModules), and copies in one process
            // cannot see each other's locks on a shared database file: CrewAI's stores go here instead.
            Path scratch = Files.createTempDirectory("graft-context-" + id + "-");
            Context context;
            try {
                context = engine.newContext(scratch);
            } catch (RuntimeException | IOException e) {
                deleteTree(scratch);
                throw e;
            }
            try {
                GraftBridge bridge = new GraftBridge(tools);
                context.getPolyglotBindings().putMember("graft_bridge", bridge);
                Path boot = engine.packageDir().resolve("graft").resolve("_boot.py");
                context.eval(Source.newBuilder("python", boot.toFile()).build());
                PythonHostApi host = context.getPolyglotBindings().getMember("graft_host").as(PythonHostApi.class);
                host.warm(Json.write(warmImports));
                return new PythonContext(id, thread, context, host, bridge, scratch);
            } catch (RuntimeException | IOException e) {
                context.close(true);
                deleteTree(scratch);
                throw e;
            }
        });
        try {
            return created.get();
        } catch (ExecutionException e) {
            thread.shutdownNow();
            throw new PythonException("cannot start Python context " + id + ": " + describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new PythonException("interrupted while starting Python context " + id, e);
        }
    }

    int id() {
        return id;
    }

    boolean broken() {
        return broken;
    }

    /** Runs {@code action} on this context's thread and waits for it. */
    <T> T call(Function<PythonHostApi, T> action) {
        Future<T> future = thread.submit(() -> action.apply(host));
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PolyglotException pe && (pe.isCancelled() || pe.isInterrupted() || pe.isExit())) {
                throw new ContextStoppedException(pe);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new PythonException("Python context " + id + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PythonException("interrupted while waiting for Python context " + id, e);
        }
    }

    /** Imports the script into this context unless this version already is. */
    void ensureImported(ScriptRef script) {
        call(h -> {
            Long have = imported.get(script.path());
            return have != null && have == script.version() ? null : load(h, script);
        });
    }

    /** Imports a script and describes its agents, failing with {@link AgentDefinitionException}. */
    LoadAnswer importScript(ScriptRef script) {
        return call(h -> load(h, script));
    }

    /** Runs on this context's thread. */
    private LoadAnswer load(PythonHostApi h, ScriptRef script) {
        LoadAnswer answer = LoadAnswer.parse(h.load(script.path().toString(), script.module(), script.source()), script.path());
        imported.put(script.path(), script.version());
        return answer;
    }

    synchronized void serve(RunContext run) {
        serving = run;
        bridge.bind(run);
    }

    /** Ends service of the current run, waiting for an interrupt in progress to finish. */
    synchronized void release() {
        // Even when the releasing thread is interrupted (a runtime shutting down), the context must
        // not go back to the pool before the interrupt has decided whether it is broken.
        boolean interrupted = false;
        while (interrupting) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        serving = null;
        bridge.unbind();
    }

    /**
     * Stops the guest code of {@code run} if this context is still serving it. The context stays
     * usable when the interrupt lands within {@code grace} and the Python side finds no damage
     * (a surviving worker thread, an event loop left running, a C extension stopped mid-call: see
     * {@code graft._host.damage}); otherwise the context is cancelled and marked broken, and the
     * pool replaces it.
     */
    void interrupt(RunContext run, Duration grace) {
        synchronized (this) {
            if (serving != run || interrupting) {
                return;
            }
            interrupting = true;
        }
        try {
            context.interrupt(grace);
            String damage = damageAfter(grace);
            if (!damage.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Python context {0}: run {1} stopped, but {2}; replacing the context",
                        id, run.runId(), damage);
                broken = true;
            }
        } catch (TimeoutException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Python context {0}: run {1} did not stop within {2} ms ({3}); "
                    + "replacing the context", id, run.runId(), grace.toMillis(), e.toString());
            broken = true;
        }
        try {
            if (broken) {
                cancel();
            }
        } finally {
            synchronized (this) {
                interrupting = false;
                notifyAll();
            }
        }
    }

    /**
     * Cancels the context on a thread of its own and waits at most {@link #CLOSE_LIMIT}; answers
     * whether it closed. GraalPy's close takes the context's GIL, and a run stopped midway can leave
     * the GIL held by a thread that no longer runs (seen when a deadline stopped a CrewAI crew): the
     * close then never returns. Such a context is abandoned, so that the run ends and the pool
     * replaces the context; its memory stays in use until the process ends.
     */
    private boolean cancel() {
        if (abandoned) {
            return false;
        }
        Thread closer = Thread.ofPlatform().daemon().name("graft-python-close-" + id).start(() -> {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Python context {0}: cancelling failed: {1}", id, e.toString());
            }
        });
        try {
            if (closer.join(CLOSE_LIMIT)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        abandoned = true;
        LOG.log(System.Logger.Level.ERROR, "Python context {0} did not close within {1} s of being cancelled (GraalPy "
                + "waits for its GIL); it is abandoned, and its memory stays in use until the process ends", id,
                CLOSE_LIMIT.toSeconds());
        return false;
    }

    /** Whether a cancel of this context did not finish and the context was left as it was. */
    boolean abandoned() {
        return abandoned;
    }

    /** Why the context is unusable once the interrupted run has unwound ("" if it is fine), asked within {@code grace}. */
    private String damageAfter(Duration grace) {
        Future<String> damage = thread.submit(host::damage);
        try {
            return damage.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "its health check failed: " + describe(e.getCause());
        } catch (TimeoutException e) {
            damage.cancel(false);
            return "its health check did not answer within " + grace.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the health check was interrupted";
        }
    }

    @Override
    public void close() {
        broken = true;
        try {
            if (!abandoned) {
                thread.submit(() -> context.close(true)).get(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            cancel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete Python context directory {0}: {1}", dir, e.toString());
        }
    }

    /** The error with the Python frames it passed through, innermost last, as a traceback reads. */
    static String describe(Throwable t) {
        if (!(t instanceof PolyglotException pe)) {
            return String.valueOf(t);
        }
        StringBuilder b = new StringBuilder(String.valueOf(pe.getMessage()));
        List<PolyglotException.StackFrame> frames = new ArrayList<>();
        pe.getPolyglotStackTrace().forEach(f -> {
            if (f.isGuestFrame() && f.getSourceLocation() != null) {
                frames.add(f);
            }
        });
        Collections.reverse(frames);
        for (PolyglotException.StackFrame f : frames) {
            b.append("\n  File \"").append(f.getSourceLocation().getSource().getPath()).append("\", line ")
                    .append(f.getSourceLocation().getStartLine()).append(", in ").append(f.getRootName());
        }
        return b.toString();
    }

    /** Guest code was interrupted or cancelled; the run stopped, the context may need replacing. */
    static final class ContextStoppedException extends io.graft.core.GraftException {
        private static final long serialVersionUID = 1L;

        ContextStoppedException(Throwable cause) {
            super("Python execution was stopped", cause);
        }
    }
}
