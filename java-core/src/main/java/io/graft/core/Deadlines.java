package io.graft.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadlines of runs in progress, watched by one thread that wakes every {@link #TICK} while
 * any is pending and sleeps while none is. Adding and removing a deadline is one update of a
 * concurrent set: a scheduled executor's timer instead took a lock, a heap update and often a
 * wake-up of its thread for every run started and again for every run ended, about 2% of a busy
 * server's CPU. A deadline fires at most one tick late.
 */
final class Deadlines implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(10);
    private static final System.Logger LOG = System.getLogger(Deadlines.class.getName());

    /** A pending deadline: at {@code atNanos} (on {@link System#nanoTime}'s scale), {@code action} runs once. */
    static final class Deadline {
        private final long atNanos;
        private final Runnable action;

        private Deadline(long atNanos, Runnable action) {
            this.atNanos = atNanos;
            this.action = action;
        }
    }

    private final Set<Deadline> pending = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean idle;
    private volatile boolean closed;

    Deadlines(String threadName) {
        thread = Thread.ofPlatform().daemon().name(threadName).start(this::watch);
    }

    /** Runs {@code action} on the watcher's thread once {@code after} has passed, unless {@link #remove removed} before. */
    Deadline add(Duration after, Runnable action) {
        Deadline d = new Deadline(System.nanoTime() + Math.max(0, after.toNanos()), action);
        pending.add(d);
        if (idle) {
            LockSupport.unpark(thread);
        }
        return d;
    }

    void remove(Deadline d) {
        pending.remove(d);
    }

    /** Deadlines pending now. */
    int size() {
        return pending.size();
    }

    private void watch() {
        while (!closed) {
            if (pending.isEmpty()) {
                // add() unparks the thread when it sees it idle; the check after the flag closes the race.
                idle = true;
                if (pending.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(this, TICK.toNanos());
            long now = System.nanoTime();
            for (Deadline d : pending) {
                if (now - d.atNanos >= 0 && pending.remove(d)) {
                    try {
                        d.action.run();
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.ERROR, "a run's deadline action failed", e);
                    }
                }
            }
        }
    }

    /** Stops watching; pending deadlines never fire. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
