package io.graft.server.http;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The store's one writer: a thread with its own connection that takes every write waiting in its
 * queue, applies them in one transaction and commits once, then answers each writer.
 *
 * <p>Callers block until the transaction holding their write has committed, so a write that has
 * returned is as durable as one committed on its own; what they save is a commit, a connection
 * checkout and a statement parse per write. While one group commits, the next one gathers, so a
 * lone write waits for no one. If a group fails, it is rolled back and each write of it is retried
 * in a transaction of its own: one bad write fails alone and takes nobody else's with it.
 */
final class GroupCommit implements AutoCloseable {
    /** Upper bound of writes per transaction, so one commit never holds a huge undo log. */
    static final int MAX_GROUP = 256;

    /** A unit of work on the writer's session, inside its transaction; may run again if its group fails. */
    interface Write<T> {
        T apply(StoreSession s) throws SQLException;
    }

    /**
     * What a transaction's writes gather to be written once per transaction (such as sums over
     * them): {@link #begin} starts each transaction, {@link #beforeCommit} ends one that goes on to commit.
     */
    interface Gathering {
        /** A transaction starts: forget what an earlier one gathered (it committed or rolled back). */
        void begin();

        /** Writes what this transaction's writes gathered, in the transaction. */
        void beforeCommit(StoreSession s) throws SQLException;
    }

    /** A gathering that gathers nothing. */
    static final Gathering NOTHING = new Gathering() {
        @Override
        public void begin() {}

        @Override
        public void beforeCommit(StoreSession s) {}
    };

    private record Pending<T>(String what, Write<T> write, CompletableFuture<T> done) {
        @SuppressWarnings("unchecked")
        void complete(@Nullable Object result) {
            done.complete((T) result);
        }
    }

    private final StoreSession session;
    private final Gathering gathering;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock accepting = new ReentrantLock();
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private boolean closed;

    GroupCommit(StoreSession session) throws SQLException {
        this(session, NOTHING);
    }

    /** A writer whose transactions end with {@code gathering}'s writes. */
    GroupCommit(StoreSession session, Gathering gathering) throws SQLException {
        this.session = session;
        this.gathering = gathering;
        session.connection().setAutoCommit(false);
        this.thread = Thread.ofPlatform().daemon().name("graft-store-writer").start(this::loop);
    }

    /** Applies {@code write} in the next group and waits until it has committed; {@code what} names it in errors. */
    <T> T write(String what, Write<T> write) {
        return await(what, submit(what, write));
    }

    /** Waits for a write {@link #submit submitted} earlier; throws a {@link StoreException} if it failed. */
    static <T> T await(String what, CompletableFuture<T> written) {
        try {
            return written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException s ? s : new StoreException("cannot " + what, e.getCause());
        }
    }

    /**
     * Queues {@code write} for the next group without waiting; the answer completes once it has
     * committed, or exceptionally with a {@link StoreException}. Writes apply in the order queued.
     * The answer completes on the writer's thread: what is chained to it runs there, before the
     * next group, so it must be short and must never wait for the store.
     */
    <T> CompletableFuture<T> submit(String what, Write<T> write) {
        CompletableFuture<T> done = new CompletableFuture<>();
        accepting.lock();
        try {
            if (closed) {
                throw new StoreException("cannot " + what + ": the run store is closed");
            }
            queue.add(new Pending<>(what, write, done));
        } finally {
            accepting.unlock();
        }
        return done;
    }

    /** Writes waiting for the next group. */
    int queued() {
        return queue.size();
    }

    /** Writes committed so far; divided by {@link #commits()}, the mean group size. */
    long written() {
        return written.get();
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.get();
    }

    private void loop() {
        List<Pending<?>> group = new ArrayList<>();
        while (true) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (isClosed()) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            } catch (InterruptedException e) {
                // only close() may stop the writer, and it waits for the queue to empty first
            } catch (RuntimeException | Error e) {
                // commit() answers every write; this is a bug, and the writer must outlive it
                group.forEach(p -> p.done.completeExceptionally(e));
            }
            group.clear();
        }
    }

    private boolean isClosed() {
        accepting.lock();
        try {
            return closed && queue.isEmpty();
        } finally {
            accepting.unlock();
        }
    }

    private void commit(List<Pending<?>> group) {
        Connection c = session.connection();
        Object[] results = new Object[group.size()];
        try {
            gathering.begin();
            for (int i = 0; i < group.size(); i++) {
                results[i] = group.get(i).write.apply(session);
            }
            gathering.beforeCommit(session);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            if (group.size() == 1) {
                Pending<?> p = group.getFirst();
                p.done.completeExceptionally(new StoreException("cannot " + p.what + ": " + e.getMessage(), e));
            } else {
                group.forEach(p -> commit(List.of(p)));
            }
            return;
        }
        commits.incrementAndGet();
        written.addAndGet(group.size());
        for (int i = 0; i < group.size(); i++) {
            group.get(i).complete(results[i]);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the retry (or the next group) finds out whether the connection still works
        }
    }

    /** Commits what is queued, stops the writer and closes its session; later writes fail. */
    @Override
    public void close() {
        accepting.lock();
        try {
            closed = true;
        } finally {
            accepting.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
    }
}
