package io.graft.server.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jspecify.annotations.Nullable;

/**
 * Runs, their events, threads and audit records in a relational database through plain JDBC.
 *
 * <p>A run is one row of {@code runs}: its last events (all of a short run's) and its result are
 * columns of that row, and the row is its own {@code run.start} audit record. What its model calls
 * used is added to the tenant's sums per minute, agent and provider ({@code usage_minutes}, see
 * {@link UsageByMinute}) in the transaction that stores its end. Each further row (an audit row,
 * an event chunk, a usage row) put one more tree that H2 writes again at every commit on the
 * store's one writer, which bounds the server's throughput.
 *
 * <p>H2 in file mode is embedded (nothing to install or start), survives restarts, and speaks
 * standard SQL over JDBC, so a server database can replace it by changing the URL. Every tenant's
 * rows are keyed by the tenant, and every query filters by it. Texts are VARCHAR, not CLOB: H2
 * keeps CLOBs in a separate LOB store, which cost more than the rest of a run's writes together.
 * A run's result and events, its largest texts, are its UTF-8 bytes in VARBINARY columns instead,
 * encoded by the run's own thread: H2 writes a VARCHAR to its pages a character at a time on the
 * one writer, and a VARBINARY as one copy (see {@link #utf8}).
 *
 * <p>Every write goes through one writer ({@link GroupCommit}) that commits the writes of many
 * concurrent runs together; each write method returns once its own write has committed, except
 * {@link #insertRunLater}, which holds the start back, and {@link #finishRunLater}, which queues. Reads use a few sessions of their own and see every
 * write that has returned.
 */
public final class RunStore implements AutoCloseable, MeterBinder {
    /** Status of a run that was in progress when the server stopped without finishing it. */
    public static final String INTERRUPTED = "INTERRUPTED";
    public static final String RUNNING = "RUNNING";
    /** Reads at once; more wait. Reads are short, and the writer has a connection of its own. */
    private static final int READERS = 8;
    private static final System.Logger LOG = System.getLogger(RunStore.class.getName());

    private final String url;
    private final String user;
    private final String password;
    private final GroupCommit writer;
    /** The usage of the runs ending in the writer's current transaction; only the writer uses it. */
    private final UsageByMinute usageSums = new UsageByMinute();
    private final LinkedBlockingQueue<StoreSession> idleReaders = new LinkedBlockingQueue<>();
    private final Semaphore readers = new Semaphore(READERS);
    /** Waited runs' starts held back by {@link #insertRunLater}, by run id. */
    private final Map<String, PendingStart> deferred = new ConcurrentHashMap<>();
    private final long deferralNanos;
    /** Stores the held-back starts that have waited the deferral: one task, every quarter of it. */
    private final ScheduledExecutorService deferredStarts;
    /** Deletes old runs when a retention is set ({@link #deleteRunsAfter}); its own thread, so starts are never late. */
    private @Nullable ScheduledExecutorService retention;
    private final AtomicLong deletedRuns = new AtomicLong();
    private volatile boolean closed;

    /** How long a waited run's start is held back to be stored with its end (see {@link #insertRunLater}). */
    public static final Duration START_DEFERRAL = Duration.ofSeconds(1);

    /** A stored run; {@code result} is the result's JSON once it finished. */
    public record StoredRun(String id, String tenant, String agent, String framework, String status, String thread,
            String input, Instant createdAt, Optional<Instant> finishedAt, Optional<String> result) {
        /** This run as it is once it has ended with {@code status} at {@code at}. */
        public StoredRun ended(String status, Instant at, String result) {
            return new StoredRun(id, tenant, agent, framework, status, thread, input, createdAt, Optional.of(at), Optional.of(result));
        }
    }

    /** One event of a run's stream; {@code seq} counts from 1 and is the SSE event id. */
    public record StoredEvent(long seq, String type, String data) {}

    /** One message of a thread. */
    public record ThreadMessage(String role, String content, String runId) {}

    /** Filters of a run listing; empty strings match everything. */
    public record RunQuery(String agent, String status, String thread, int limit, int offset) {}

    /** The model calls one provider served in one finished run. */
    public record ProviderUse(String provider, int calls, long inputTokens, long outputTokens, double costUsd) {}

    /** How a tenant's usage is summed: over everything, or per agent, provider or UTC day. */
    public enum UsageGroup {
        TOTAL(""), AGENT("agent"), PROVIDER("provider"), DAY("cast(cast(starts_at as date) as varchar)");

        private final String column;

        UsageGroup(String column) {
            this.column = column;
        }
    }

    /** Summed usage of one group ({@code key} is empty for the total); runs counts runs that called a model. */
    public record Usage(String key, long runs, long calls, long inputTokens, long outputTokens, double costUsd) {}

    public RunStore(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, START_DEFERRAL);
    }

    /** A store whose waited runs' starts are held back for {@code startDeferral} (tests shorten it). */
    RunStore(String jdbcUrl, String user, String password, Duration startDeferral) {
        jdbcUrl = withDefaults(jdbcUrl);
        this.url = jdbcUrl;
        this.user = user;
        this.password = password;
        StoreSession session = null;
        try {
            session = new StoreSession(jdbcUrl, user, password);
            createTables(session);
            this.writer = new GroupCommit(session, usageSums);
        } catch (SQLException e) {
            if (session != null) {
                session.close();
            }
            throw new StoreException("cannot open the run database " + jdbcUrl + ": " + e.getMessage(), e);
        }
        this.deferralNanos = startDeferral.toNanos();
        this.deferredStarts = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("graft-store-starts").factory());
        long period = Math.max(1, deferralNanos / 4);
        deferredStarts.scheduleAtFixedRate(() -> storeDeferredStarts(false), period, period, TimeUnit.NANOSECONDS);
    }

    /** H2's page cache, in KB, unless the URL sets {@code CACHE_SIZE} (see {@link #withDefaults}). */
    static final int CACHE_KB = 2048;

    /**
     * Graft's settings for an H2 URL, each added only if the URL does not set it itself.
     * <ul>
     * <li>{@code WRITE_DELAY=0}. H2 commits to memory and writes to its file up to half a second
     * later (WRITE_DELAY 500 ms), so a killed process lost runs whose end had already been answered.
     * With 0 each commit is written to the file before it returns; the group commit keeps that cost
     * to one write per group.
     * <li>{@code CACHE_SIZE=2048} (KB). H2 keeps each page it writes in its page cache (16 MB by
     * default at a 1 GB heap) until newer pages push it out. Nearly every page the store writes is
     * a run that is never read again, and G1 copied those pages at every young collection while
     * they lasted. The smaller cache still holds the trees' upper pages, and reading an older run
     * costs a few page reads from the file.
     * </ul>
     */
    static String withDefaults(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String out = url;
        if (!sets(url, "WRITE_DELAY")) {
            out += ";WRITE_DELAY=0";
        }
        if (!sets(url, "CACHE_SIZE")) {
            out += ";CACHE_SIZE=" + CACHE_KB;
        }
        return out;
    }

    /** What {@link #compact} did: the database file and its size before and after. */
    public record Compaction(Path file, long bytesBefore, long bytesAfter) {}

    /**
     * Rewrites an H2 file database with only its live pages, compressed ({@code SHUTDOWN COMPACT}),
     * for a server that is stopped. H2 writes each commit's changed pages anew and, with
     * {@code WRITE_DELAY=0}, never compacts while the database is open: served native runs left
     * 6.6 KB of file each, 0.7 KB once compacted (docs/http-api.md, Storage).
     *
     * @throws StoreException if the URL is not an H2 file database, there is no database there, or
     *     it is open (a server still running)
     */
    public static Compaction compact(String url, String user, String password) {
        Path file = h2File(url).orElseThrow(() -> new StoreException(
                "compaction works on an H2 file database (jdbc:h2:file:PATH), not " + url));
        if (!Files.isRegularFile(file)) {
            throw new StoreException("there is no database at " + file + " (database.url " + url + ")");
        }
        long before = size(file);
        try (var c = DriverManager.getConnection(sets(url, "IFEXISTS") ? url : url + ";IFEXISTS=TRUE", user, password);
                Statement s = c.createStatement()) {
            s.execute("shutdown compact");
        } catch (SQLException e) {
            String why = e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1
                    ? "it is open in another process; stop the server first" : e.getMessage();
            throw new StoreException("cannot compact " + file + ": " + why, e);
        }
        return new Compaction(file, before, size(file));
    }

    /** The file of an H2 file database URL ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}), if it is one. */
    static Optional<Path> h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String path = url.substring("jdbc:h2:".length());
        int settings = path.indexOf(';');
        path = settings < 0 ? path : path.substring(0, settings);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("[A-Za-z]{2,}:.*")) {
            return Optional.empty(); // mem:, tcp://, zip: and H2's other stores (a letter and a colon start a Windows path)
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path + ".mv.db").toAbsolutePath().normalize());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new StoreException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether an H2 URL sets {@code setting} ({@code ;NAME=value}, in any case). */
    private static boolean sets(String url, String setting) {
        return Pattern.compile(";\\s*" + setting + "\\s*=", Pattern.CASE_INSENSITIVE).matcher(url).find();
    }

    private static void createTables(StoreSession session) throws SQLException {
        try (Statement s = session.connection().createStatement()) {
            s.execute("""
                    create table if not exists runs (
                      id varchar(64) primary key, tenant varchar(200) not null, agent varchar(200) not null,
                      framework varchar(32) not null, status varchar(16) not null, thread_id varchar(200) not null,
                      input varchar not null, created_at timestamp(6) with time zone not null,
                      finished_at timestamp(6) with time zone, result varchar, events varchar,
                      result_utf8 varbinary, events_utf8 varbinary)""");
            // Databases of earlier versions. Their runs keep their texts in result and events; new
            // runs leave those null and write result_utf8 and events_utf8.
            s.execute("alter table runs add column if not exists events varchar");
            s.execute("alter table runs add column if not exists result_utf8 varbinary");
            s.execute("alter table runs add column if not exists events_utf8 varbinary");
            s.execute("create index if not exists runs_by_tenant on runs(tenant, created_at)");
            // Events are stored in chunks (one row per batch) because an indexed row per event
            // (every streamed token is one) made index maintenance the largest cost of a run. The
            // last chunk, written with the run's end, is the run row's events column instead.
            s.execute("""
                    create table if not exists run_event_chunks (
                      run_id varchar(64) not null, first_seq bigint not null, last_seq bigint not null,
                      events varchar, events_utf8 varbinary, primary key (run_id, first_seq))""");
            s.execute("alter table run_event_chunks add column if not exists events_utf8 varbinary");
            s.execute("alter table run_event_chunks alter column events set null");
            // The tenant's token and cost accounting: the runs that ended in a minute, summed per agent and
            // provider (see UsageByMinute). runs counts each run once, under the provider that sorts
            // first among those it called; provider_runs counts it under each.
            s.execute("""
                    create table if not exists usage_minutes (
                      tenant varchar(200) not null, starts_at timestamp(0) with time zone not null,
                      agent varchar(200) not null, provider varchar(200) not null, runs bigint not null,
                      provider_runs bigint not null, calls bigint not null, input_tokens bigint not null,
                      output_tokens bigint not null, cost_usd double precision not null,
                      primary key (tenant, starts_at, agent, provider))""");
            migrateRunUsage(session);
            s.execute("""
                    create table if not exists threads (
                      tenant varchar(200) not null, id varchar(200) not null, created_at timestamp(6) with time zone not null,
                      primary key (tenant, id))""");
            s.execute("""
                    create table if not exists thread_messages (
                      tenant varchar(200) not null, thread_id varchar(200) not null, seq int not null,
                      role varchar(16) not null, content varchar not null, run_id varchar(64) not null,
                      primary key (tenant, thread_id, seq))""");
            s.execute("""
                    create table if not exists audit (
                      id bigint generated always as identity primary key, at timestamp(6) with time zone not null,
                      tenant varchar(200) not null, action varchar(64) not null, target varchar(400) not null,
                      detail varchar not null)""");
            // Earlier versions wrote a run.start row per run and indexed audit by target to take it back.
            // Runs are their own run.start records now (see auditRecords); the old rows stay, unlisted.
            s.execute("drop index if exists audit_by_target");
        }
    }

    /**
     * Adds the usage rows of earlier versions (one per run and provider, in {@code run_usage}) to
     * {@code usage_minutes} and drops them. The sums are added and the rows deleted in one
     * transaction, so a crash before the drop leaves an empty table to drop on the next start.
     */
    private static void migrateRunUsage(StoreSession session) throws SQLException {
        var c = session.connection();
        try (Statement s = c.createStatement()) {
            if (!session.query("select 1 from information_schema.tables where upper(table_name) = 'RUN_USAGE' and table_schema = current_schema",
                    rs -> true).isEmpty()) {
                long started = System.nanoTime();
                c.setAutoCommit(false);
                try {
                    int sums = s.executeUpdate("""
                            insert into usage_minutes(tenant, starts_at, agent, provider, runs, provider_runs, calls,
                              input_tokens, output_tokens, cost_usd)
                            select tenant, starts_at, agent, provider, sum(case when provider = first_provider then 1 else 0 end),
                              count(*), sum(calls), sum(input_tokens), sum(output_tokens), sum(cost_usd)
                            from (select u.*, cast(date_trunc('minute', finished_at) as timestamp(0) with time zone) starts_at,
                                    min(provider) over (partition by run_id) first_provider from run_usage u)
                            group by tenant, starts_at, agent, provider""");
                    int rows = s.executeUpdate("delete from run_usage");
                    c.commit();
                    LOG.log(System.Logger.Level.INFO, "summed " + rows + " usage rows of earlier versions into " + sums
                            + " per-minute sums in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                s.execute("drop table run_usage");
            }
        }
    }

    /** Marks runs that were in progress when the process stopped; answers how many there were. */
    public int markInterrupted(Instant now) {
        return writer.write("mark interrupted runs", s -> s.update("update runs set status = ?, finished_at = ? where status = ?",
                INTERRUPTED, ts(now), RUNNING));
    }

    /** Stores a new run; it is its own {@code run.start} audit record. */
    public void insertRun(StoredRun run) {
        byte[] result = run.result().map(RunStore::utf8).orElse(null); // encoded here, not on the writer
        writer.write("store run " + run.id(), s -> {
            insertRow(s, run, result, null);
            return null;
        });
    }

    /**
     * A waited run's start, held back by {@link #insertRunLater}: stored with the run's end if the
     * run ends within {@link #START_DEFERRAL}, else on its own once that has passed.
     */
    public static final class PendingStart {
        private final StoredRun run;
        private final long atNanos;

        private PendingStart(StoredRun run, long atNanos) {
            this.run = run;
            this.atNanos = atNanos;
        }
    }

    /**
     * Holds back the start of a run whose caller waits for its end anyway (and tells no one its
     * id before): a run that ends within {@link #START_DEFERRAL} is stored once, ended, in one
     * insert. A run's row written at its start and again at its end cost two writes of the row
     * and, since H2 rewrites a page whole, of the rows sharing its page; most waited runs end in
     * milliseconds. A run still going after the deferral has its start stored (within a quarter
     * of the deferral more), and shows in listings from then on. Until then a crash loses it
     * without a trace, and its client has had no answer.
     */
    public PendingStart insertRunLater(StoredRun run) {
        PendingStart start = new PendingStart(run, System.nanoTime());
        deferred.put(run.id(), start);
        return start;
    }

    /** Stores the starts held back for longer than the deferral, or all of them. */
    private void storeDeferredStarts(boolean all) {
        long now = System.nanoTime();
        for (PendingStart start : deferred.values()) {
            if (all || now - start.atNanos >= deferralNanos) {
                // Under the start's lock, so a run ending now queues its end after its start (finishRunLater).
                synchronized (start) {
                    if (deferred.remove(start.run.id(), start)) {
                        writer.submit("store run " + start.run.id(), s -> {
                            insertRow(s, start.run, null, null);
                            return null;
                        }).exceptionally(failed -> {
                            LOG.log(System.Logger.Level.ERROR, "cannot store the start of run " + start.run.id(), failed);
                            return null;
                        });
                    }
                }
            }
        }
    }

    private static void insertRow(StoreSession s, StoredRun run, byte @Nullable [] resultUtf8, @Nullable EventChunk lastEvents)
            throws SQLException {
        s.update("""
                insert into runs(id, tenant, agent, framework, status, thread_id, input, created_at, finished_at, result_utf8,
                  events_utf8) values (?,?,?,?,?,?,?,?,?,?,?)""", run.id(), run.tenant(), run.agent(), run.framework(),
                run.status(), run.thread(), run.input(), ts(run.createdAt()), run.finishedAt().map(RunStore::ts).orElse(null),
                resultUtf8, lastEvents == null ? null : lastEvents.utf8());
    }

    /**
     * Removes a run that could not start (and with it its {@code run.start} audit record): it never
     * ran, so it has no events and no usage. A start still held back is dropped unwritten.
     */
    public void deleteRun(String id) {
        if (deferred.remove(id) == null) {
            writer.write("delete run " + id, s -> s.update("delete from runs where id = ?", id));
        }
    }

    /** How often a retention sweep looks for runs to delete. */
    static final Duration RETENTION_SWEEP = Duration.ofSeconds(10);
    /** Runs deleted per transaction: each batch is one write among the runs' own on the one writer. */
    static final int DELETE_BATCH = 128;

    /**
     * From now on deletes, every {@link #RETENTION_SWEEP}, each run that ended more than {@code keep}
     * ago (see {@link #deleteRunsEndedBefore}).
     */
    public synchronized void deleteRunsAfter(Duration keep, Clock clock) {
        if (retention != null || closed) {
            throw new IllegalStateException("the run store already deletes old runs, or is closed");
        }
        retention = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("graft-store-retention").factory());
        retention.scheduleWithFixedDelay(() -> {
            try {
                deleteRunsEndedBefore(clock.instant().minus(keep));
            } catch (RuntimeException e) { // the next sweep tries again
                LOG.log(System.Logger.Level.WARNING, "deleting runs that ended more than " + keep.toSeconds()
                        + " s ago failed: " + e.getMessage(), e);
            }
        }, 0, RETENTION_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes the runs that ended before {@code cutoff}, with their event chunks, oldest first and
     * {@link #DELETE_BATCH} per transaction; answers how many. Runs in progress stay. So do the
     * runs' usage rows (the tenant's accounting, which {@link #usage} still sums) and their thread
     * messages (a thread's conversation outlives its runs).
     */
    public long deleteRunsEndedBefore(Instant cutoff) {
        long total = 0;
        int batch;
        do {
            batch = writer.write("delete runs that ended before " + cutoff, s -> deleteBatch(s, cutoff));
            deletedRuns.addAndGet(batch);
            total += batch;
        } while (batch == DELETE_BATCH && !closed);
        rewriteSparseChunks(total * REWRITE_BYTES_PER_DELETED_RUN);
        return total;
    }

    /**
     * Live bytes that {@link #rewriteSparseChunks} moves per deleted run. The usage rows kept after
     * their runs pin the chunks H2 wrote them in: in H2 alone, with runs and usage like the
     * server's and the oldest runs deleted, the file grew 7 KB per run without rewriting and 0.4 KB
     * (the usage rows themselves) with 1 MB rewritten per 2,000 runs deleted
     * (results/retention-20261207T1850Z).
     */
    static final int REWRITE_BYTES_PER_DELETED_RUN = 512;

    /**
     * Has H2 copy the live pages of up to {@code bytes} of its oldest, sparsest chunks into the
     * next commit, {@link #REWRITE_STEP} per write, so that those chunks die and their space is written again.
     * H2 does that in a background thread only when it delays its writes, which Graft's
     * {@code WRITE_DELAY=0} turns off (see {@link #withDefaults}). Nothing for a database that is
     * not an H2 file.
     */
    private void rewriteSparseChunks(long bytes) {
        long left = bytes;
        while (left > 0 && !closed) {
            int step = (int) Math.min(left, REWRITE_STEP);
            if (!writer.write("rewrite sparse chunks", s -> rewriteSparseChunks(s.connection(), step))) {
                return;
            }
            left -= step;
        }
    }

    /** One step of {@link #rewriteSparseChunks(long)} on {@code c}; answers whether H2 rewrote anything. */
    private static boolean rewriteSparseChunks(java.sql.Connection c, int bytes) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) {
            return false;
        }
        var session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore().compact(SPARSE_FILL_PERCENT, bytes);
    }

    /**
     * Bytes H2 rewrites per write. H2 looks at every chunk at each step, so smaller steps cost more
     * in all, but a step holds the writer: 4 MB took up to 500 ms under load, 256 KB up to 26 ms.
     */
    private static final int REWRITE_STEP = 256 << 10;

    /** Chunks at most this full (live bytes in percent) are rewritten, oldest and sparsest first. */
    private static final int SPARSE_FILL_PERCENT = 50;

    /**
     * One batch of {@link #deleteRunsEndedBefore}. Run ids begin with their creation time
     * ({@link RunService#newId}), so the primary key lists runs oldest first: the batch reads only
     * keys below the first id of {@code cutoff} (a run ends after it starts), and each of those
     * rows once, the rows it deletes plus any run in progress among them. A select of the ids
     * first read every row twice, and was 57% of the deletion's samples on the writer.
     */
    private static int deleteBatch(StoreSession s, Instant cutoff) throws SQLException {
        String bound = RunService.firstIdAt(cutoff);
        int deleted = s.update("delete from runs where id < ? and finished_at < ? fetch first " + DELETE_BATCH + " rows only",
                bound, ts(cutoff));
        // Below the bound, the chunks left are those of the runs just deleted and of the few kept.
        s.update("""
                delete from run_event_chunks c where c.run_id < ?
                  and not exists (select 1 from runs r where r.id = c.run_id)""", bound);
        return deleted;
    }

    public void finishRun(StoredRun run, String status, Instant at, String resultJson) {
        finishRun(run, null, status, at, resultJson, List.of(), List.of());
    }

    /**
     * Stores a run's last events, its end and what its model calls used in one transaction, and
     * waits until it has committed; {@code start} is the run's start when it was held back by
     * {@link #insertRunLater}.
     */
    public void finishRun(StoredRun run, @Nullable PendingStart start, String status, Instant at, String resultJson,
            List<StoredEvent> events, List<ProviderUse> usage) {
        GroupCommit.await("finish run " + run.id(), finishRunLater(run, start, status, at, resultJson, events, usage, List.of()));
    }

    /**
     * As {@link #finishRun}, and appends {@code exchange} to the run's thread in the same
     * transaction, without waiting: the answer completes once it has committed, or exceptionally
     * with a {@link StoreException}, on the store's writer thread (see {@link GroupCommit#submit}).
     */
    public CompletableFuture<Void> finishRunLater(StoredRun run, @Nullable PendingStart start, String status, Instant at,
            String resultJson, List<StoredEvent> events, List<ProviderUse> usage, List<ThreadMessage> exchange) {
        EventChunk last = EventChunk.of(events, resultJson);
        byte[] result = utf8(resultJson);
        if (start == null) {
            return writer.submit("finish run " + run.id(), s -> finish(s, run, false, status, at, result, last, usage, exchange));
        }
        // Under the start's lock, so a sweep storing the start now queues it before this end.
        synchronized (start) {
            boolean held = deferred.remove(run.id(), start);
            return writer.submit("finish run " + run.id(), s -> finish(s, run, held, status, at, result, last, usage, exchange));
        }
    }

    /** Inserts the run ended if its start was {@code held} back, else updates its stored row; then its usage and exchange. */
    private @Nullable Void finish(StoreSession s, StoredRun run, boolean held, String status, Instant at,
            byte[] result, @Nullable EventChunk last, List<ProviderUse> usage, List<ThreadMessage> exchange) throws SQLException {
        if (held) {
            insertRow(s, new StoredRun(run.id(), run.tenant(), run.agent(), run.framework(), status, run.thread(), run.input(),
                    run.createdAt(), Optional.of(at), Optional.empty()), result, last);
        } else if (s.update("update runs set status = ?, finished_at = ?, result_utf8 = ?, events_utf8 = ? where id = ?", status,
                ts(at), result, last == null ? null : last.utf8(), run.id()) != 1) {
            throw new SQLException("run " + run.id() + " is not in the store (its start was not stored)");
        }
        usageSums.add(run.tenant(), run.agent(), at, usage);
        if (!exchange.isEmpty()) {
            appendMessages(s, run.tenant(), run.thread(), exchange);
        }
        return null;
    }

    /** The start of the minute holding {@code t}: where {@link #usage} starts counting for a range from {@code t}. */
    public static Instant minuteStart(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    /** The end of the minute holding the instant before {@code t}: where {@link #usage} stops counting for a range to {@code t}. */
    public static Instant minuteEnd(Instant t) {
        return minuteStart(t.minusNanos(1)).plus(Duration.ofMinutes(1));
    }

    /**
     * The tenant's usage of the runs that finished in the whole minutes from {@link #minuteStart}
     * of {@code from} to {@link #minuteEnd} of {@code to}, summed per group, ordered by the group's key.
     */
    public List<Usage> usage(String tenant, Instant from, Instant to, UsageGroup group) {
        String key = group == UsageGroup.TOTAL ? "''" : group.column;
        String groupBy = group == UsageGroup.TOTAL ? "" : " group by " + group.column + " order by 1";
        String runs = group == UsageGroup.PROVIDER ? "provider_runs" : "runs";
        return query("select " + key + ", coalesce(sum(" + runs + "), 0), coalesce(sum(calls), 0), coalesce(sum(input_tokens), 0),"
                + " coalesce(sum(output_tokens), 0), coalesce(sum(cost_usd), 0) from usage_minutes"
                + " where tenant = ? and starts_at >= ? and starts_at < ?" + groupBy,
                rs -> new Usage(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6)),
                tenant, ts(minuteStart(from)), ts(minuteEnd(to)));
    }

    /** Stores events of a run in progress in one transaction. */
    public void appendEvents(String runId, List<StoredEvent> events) {
        EventChunk chunk = EventChunk.of(events); // encoded here, not on the writer, which every run waits for
        writer.write("store events of run " + runId, s -> {
            insertEvents(s, runId, chunk);
            return null;
        });
    }

    /** Events of one run as one row: their first and last seq and their encoding (see {@link #encode}) in UTF-8. */
    private record EventChunk(long firstSeq, long lastSeq, byte[] utf8) {
        static @Nullable EventChunk of(List<StoredEvent> events) {
            return of(events, null);
        }

        /** The events stored with a run's end: an event whose data is the run's result refers to it. */
        static @Nullable EventChunk of(List<StoredEvent> events, @Nullable String result) {
            return events.isEmpty() ? null
                    : new EventChunk(events.getFirst().seq(), events.getLast().seq(), RunStore.utf8(encode(events, result)));
        }
    }

    private static void insertEvents(StoreSession s, String runId, @Nullable EventChunk chunk) throws SQLException {
        if (chunk != null) {
            s.update("insert into run_event_chunks(run_id, first_seq, last_seq, events_utf8) values (?,?,?,?)",
                    runId, chunk.firstSeq(), chunk.lastSeq(), chunk.utf8());
        }
    }

    /** The columns {@link #run(ResultSet)} reads: not the events, which only {@link #events} reads. */
    private static final String RUN_COLUMNS =
            "id, tenant, agent, framework, status, thread_id, input, created_at, finished_at, result, result_utf8";

    public Optional<StoredRun> run(String tenant, String id) {
        List<StoredRun> found = query("select " + RUN_COLUMNS + " from runs where tenant = ? and id = ?", RunStore::run, tenant, id);
        return found.stream().findFirst();
    }

    /** Newest first. */
    public List<StoredRun> runs(String tenant, RunQuery q) {
        return query("select " + RUN_COLUMNS + " from runs where tenant = ? and (? = '' or agent = ?) and (? = '' or status = ?)"
                + " and (? = '' or thread_id = ?) order by created_at desc, id limit ? offset ?", RunStore::run,
                tenant, q.agent(), q.agent(), q.status(), q.status(), q.thread(), q.thread(), q.limit(), q.offset());
    }

    public void appendEvent(String runId, StoredEvent event) {
        appendEvents(runId, List.of(event));
    }

    /** The run's stored events after {@code afterSeq}, in order: its chunks, then those stored with its end. */
    public List<StoredEvent> events(String runId, long afterSeq) {
        record Chunk(String events, @Nullable String result) {}
        List<Chunk> chunks = query("""
                select events, events_utf8, result, result_utf8 from (
                  select events, events_utf8, null as result, null as result_utf8, 0 as part, first_seq
                    from run_event_chunks where run_id = ? and last_seq > ?
                  union all
                  select events, events_utf8, result, result_utf8, 1, 0 from runs
                    where id = ? and (events is not null or events_utf8 is not null))
                order by part, first_seq""", rs -> new Chunk(text(rs, 1, 2), text(rs, 3, 4)), runId, afterSeq, runId);
        List<StoredEvent> out = new ArrayList<>();
        for (Chunk chunk : chunks) {
            decode(chunk.events(), chunk.result()).stream().filter(e -> e.seq() > afterSeq).forEach(out::add);
        }
        return out;
    }

    /**
     * A chunk is, per event, a header line {@code SEQ TYPE LENGTH} and then LENGTH characters of
     * data. An event whose data is part of the run's result is a header {@code SEQ TYPE
     * LENGTH@OFFSET} alone: its data is the result's LENGTH characters from OFFSET. A run's
     * result embeds the JSON its steps' events carried, and its finished event is the result
     * itself, so the events stored with a run's end hold little more than its tokens; the row
     * holds each JSON text once.
     */
    static String encode(List<StoredEvent> events, @Nullable String result) {
        int length = 0; // the headers, and the data of events not looked for (the rest are mostly references)
        for (StoredEvent e : events) {
            length += 24 + (result != null && IN_RESULT.contains(e.type()) ? 0 : e.data().length());
        }
        StringBuilder b = new StringBuilder(length);
        int from = 0; // the steps' JSON comes in the result in the order of their events
        for (StoredEvent e : events) {
            String data = e.data();
            b.append(e.seq()).append(' ').append(e.type()).append(' ').append(data.length());
            int offset = -1;
            if (result != null && data.length() >= MIN_REFERENCED && IN_RESULT.contains(e.type())) {
                offset = result.indexOf(data, from);
                if (offset < 0 && from > 0) {
                    offset = result.indexOf(data);
                }
            }
            if (offset >= 0) {
                b.append('@').append(offset).append('\n');
                from = offset + data.length();
            } else {
                b.append('\n').append(data);
            }
        }
        return b.toString();
    }

    /** Shorter data (a token, mostly) is written out: a reference would save next to nothing. */
    private static final int MIN_REFERENCED = 32;

    /**
     * Events whose data the run's result may hold as it is: a step's event, whose JSON the result
     * embeds, and the finished event, which is the result. Only those are looked for in it; a search
     * for each token's and tool call's data, which fails, was about 1.4% of the server's CPU samples.
     */
    private static final Set<String> IN_RESULT = Set.of(RunService.LLM_TURN, RunService.MESSAGE, RunService.FINISHED);

    static List<StoredEvent> decode(String chunk, @Nullable String result) {
        List<StoredEvent> out = new ArrayList<>();
        int at = 0;
        while (at < chunk.length()) {
            int eol = chunk.indexOf('\n', at);
            String[] header = chunk.substring(at, eol).split(" ");
            int reference = header[2].indexOf('@');
            String data;
            if (reference < 0) {
                int length = Integer.parseInt(header[2]);
                data = chunk.substring(eol + 1, eol + 1 + length);
                at = eol + 1 + length;
            } else {
                int length = Integer.parseInt(header[2], 0, reference, 10);
                int offset = Integer.parseInt(header[2], reference + 1, header[2].length(), 10);
                if (result == null || offset + length > result.length()) {
                    throw new StoreException("event " + header[0] + " of a run refers to characters " + offset + " to "
                            + (offset + length) + " of the run's result, which has " + (result == null ? "none" : result.length()));
                }
                data = result.substring(offset, offset + length);
                at = eol + 1;
            }
            out.add(new StoredEvent(Long.parseLong(header[0]), header[1], data));
        }
        return out;
    }

    /** Creates the thread if it does not exist yet; answers its messages, oldest first. */
    public List<ThreadMessage> openThread(String tenant, String thread, Instant now) {
        // On the writer, so two runs opening one thread at once cannot both create it.
        return writer.write("open thread " + thread, s -> {
            s.update("insert into threads(tenant, id, created_at) select ?, ?, ? where not exists "
                    + "(select 1 from threads where tenant = ? and id = ?)", tenant, thread, ts(now), tenant, thread);
            return s.query(MESSAGES, RunStore::message, tenant, thread);
        });
    }

    public Optional<Instant> threadCreated(String tenant, String thread) {
        return query("select created_at from threads where tenant = ? and id = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), tenant, thread).stream().findFirst();
    }

    private static final String MESSAGES =
            "select role, content, run_id from thread_messages where tenant = ? and thread_id = ? order by seq";

    public List<ThreadMessage> messages(String tenant, String thread) {
        return query(MESSAGES, RunStore::message, tenant, thread);
    }

    private static ThreadMessage message(ResultSet rs) throws SQLException {
        return new ThreadMessage(rs.getString(1), rs.getString(2), rs.getString(3));
    }

    /**
     * Appends one exchange (the user's input and the agent's answer) to a thread. The writer
     * applies writes one after another, so the next seq read here is still free when it is used.
     */
    private static void appendMessages(StoreSession s, String tenant, String thread, List<ThreadMessage> messages)
            throws SQLException {
        int next = s.query("select coalesce(max(seq), 0) from thread_messages where tenant = ? and thread_id = ?",
                rs -> rs.getInt(1), tenant, thread).getFirst();
        for (ThreadMessage m : messages) {
            s.update("insert into thread_messages(tenant, thread_id, seq, role, content, run_id) values (?,?,?,?,?,?)",
                    tenant, thread, ++next, m.role(), m.content(), m.runId());
        }
    }

    /** Stores one audit record; a run is its own {@code run.start} record and needs none. */
    public void audit(Instant at, String tenant, String action, String target, String detail) {
        writer.write("store an audit record", s -> s.update("insert into audit(at, tenant, action, target, detail) values (?,?,?,?,?)",
                ts(at), tenant, action, target, detail));
    }

    /**
     * The tenant of audit records no caller made: edits of the agents directory, seen by its watch.
     * Agents serve every tenant, so every tenant's audit lists these records too.
     */
    public static final String SYSTEM_TENANT = "system";

    /**
     * Audit records, newest first: the audit table's (the tenant's and the {@link #SYSTEM_TENANT}'s),
     * and each run as its {@code run.start} record (at its creation, detail its agent; these have no
     * {@code id}). Rows of the table's own {@code run.start} records, written by earlier versions,
     * duplicate their runs and are skipped.
     */
    public List<Map<String, Object>> auditRecords(String tenant, int limit) {
        List<Map<String, Object>> recorded = query("""
                select id, at, tenant, action, target, detail from audit where tenant in (?, ?) and action <> 'run.start'
                order by id desc limit ?""", rs -> auditRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)), tenant, SYSTEM_TENANT, limit);
        List<Map<String, Object>> runs = query("select created_at, tenant, id, agent from runs where tenant = ?"
                + " order by created_at desc, id desc limit ?", rs -> auditRecord(null, rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                "run.start", rs.getString(3), rs.getString(4)), tenant, limit);
        // A stable sort: at the same instant, the table's records come before the runs.
        return Stream.concat(recorded.stream(), runs.stream())
                .sorted(Comparator.comparing((Map<String, Object> m) -> Instant.parse((String) m.get("at"))).reversed())
                .limit(limit).toList();
    }

    private static Map<String, Object> auditRecord(@Nullable Long id, OffsetDateTime at, String tenant, String action,
            String target, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (id != null) {
            m.put("id", id);
        }
        m.put("at", at.toInstant().toString());
        m.put("tenant", tenant);
        m.put("action", action);
        m.put("target", target);
        m.put("detail", detail);
        return m;
    }

    private static StoredRun run(ResultSet rs) throws SQLException {
        var finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new StoredRun(rs.getString("id"), rs.getString("tenant"), rs.getString("agent"), rs.getString("framework"),
                rs.getString("status"), rs.getString("thread_id"), rs.getString("input"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(finished).map(OffsetDateTime::toInstant),
                Optional.ofNullable(text(rs, rs.findColumn("result"), rs.findColumn("result_utf8"))));
    }

    /**
     * A text as the store keeps it: UTF-8 bytes for VARBINARY. {@link String#getBytes} turns a
     * lone surrogate (never part of valid text) into '?', one character for one, so the offsets
     * {@link #encode} keeps into a result still hold.
     */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A text read from its VARBINARY column ({@code utf8}), or from its VARCHAR one ({@code chars}) in rows of earlier versions. */
    private static @Nullable String text(ResultSet rs, int chars, int utf8) throws SQLException {
        byte[] bytes = rs.getBytes(utf8);
        return bytes != null ? new String(bytes, StandardCharsets.UTF_8) : rs.getString(chars);
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    /** Runs a read on an idle reader session (opened on first need); a session whose read failed is dropped. */
    private <T> List<T> query(String sql, StoreSession.Row<T> row, Object... args) {
        if (closed) {
            throw new StoreException("query failed: the run store is closed");
        }
        readers.acquireUninterruptibly();
        StoreSession s = idleReaders.poll();
        try {
            if (s == null) {
                s = new StoreSession(url, user, password);
            }
            List<T> out = s.query(sql, row, args);
            idleReaders.add(s);
            s = null;
            return out;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        } finally {
            if (s != null) {
                s.close(); // the read failed; its connection may be broken
            }
            readers.release();
        }
    }

    /** The store's one writer; tests hold it to decide what a group holds. */
    GroupCommit writer() {
        return writer;
    }

    /** How the writer groups: writes and transactions committed (their ratio is the mean group size), writes waiting. */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("graft.store.writes", writer, GroupCommit::written)
                .description("Writes committed to the run store").register(registry);
        FunctionCounter.builder("graft.store.commits", writer, GroupCommit::commits)
                .description("Transactions the run store committed; each holds one or more writes").register(registry);
        Gauge.builder("graft.store.queued", writer, GroupCommit::queued)
                .description("Writes waiting for the run store's next transaction").register(registry);
        FunctionCounter.builder("graft.store.runs.deleted", deletedRuns, AtomicLong::get)
                .description("Runs deleted because they ended longer ago than runs.retention").register(registry);
    }

    /**
     * Stores the starts still held back (a run cut off by the stop is then marked interrupted at
     * the next start), commits the writes still queued, then closes every session.
     */
    @Override
    public void close() {
        closed = true;
        deferredStarts.shutdownNow();
        synchronized (this) {
            if (retention != null) {
                retention.shutdown(); // a sweep in progress stops after its batch (it checks closed)
            }
        }
        try {
            deferredStarts.awaitTermination(5, TimeUnit.SECONDS); // a sweep in progress queues its writes first
            if (retention != null) {
                retention.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storeDeferredStarts(true);
        readers.acquireUninterruptibly(READERS); // no read is in progress from here on
        writer.close();
        StoreSession s;
        while ((s = idleReaders.poll()) != null) {
            s.close();
        }
    }
}
