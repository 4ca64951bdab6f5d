package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.http.RunStore.ProviderUse;
import io.graft.server.http.RunStore.RunQuery;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import io.graft.server.http.RunStore.ThreadMessage;
import io.graft.server.http.RunStore.UsageGroup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runs.retention}: runs that ended long enough ago are deleted, and nothing else is. */
class RunRetentionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant CUTOFF = T0.plus(Duration.ofHours(1));
    private static final List<ProviderUse> USAGE = List.of(new ProviderUse("scripted", 2, 30, 7, 0.0));

    @TempDir
    Path dir;

    @Test
    void runsThatEndedBeforeTheCutoffGoWithTheirEventsAndEverythingElseStays() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        try (RunStore store = new RunStore(url, "sa", "")) {
            // More than two batches of old runs, every 50th with events stored while it ran and a thread.
            List<StoredRun> old = new ArrayList<>();
            for (int i = 0; i < 2 * RunStore.DELETE_BATCH + 88; i++) {
                Instant at = T0.plusMillis(i);
                StoredRun run = started(store, at, i % 50 == 0 ? "thread-" + i : "");
                if (i % 50 == 0) {
                    store.appendEvents(run.id(), List.of(new StoredEvent(1, "token", "a"), new StoredEvent(2, "token", "b")));
                }
                end(store, run, at.plusMillis(5));
                old.add(run);
            }
            StoredRun stillRunning = started(store, T0, "");
            store.appendEvents(stillRunning.id(), List.of(new StoredEvent(1, "token", "x")));
            StoredRun endedAfterCutoff = started(store, T0.plusSeconds(1), "");
            end(store, endedAfterCutoff, CUTOFF);
            StoredRun recent = started(store, CUTOFF.plusSeconds(1), "thread-recent");
            store.appendEvents(recent.id(), List.of(new StoredEvent(1, "token", "y")));
            end(store, recent, CUTOFF.plusSeconds(2));
            Map<String, Long> usageBefore = usage(store);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            store.bindTo(meters);

            assertEquals(old.size(), store.deleteRunsEndedBefore(CUTOFF));

            for (StoredRun run : old) {
                assertEquals(Optional.empty(), store.run("t", run.id()));
                assertEquals(List.of(), store.events(run.id(), 0));
            }
            assertEquals(List.of(recent.id(), endedAfterCutoff.id(), stillRunning.id()),
                    store.runs("t", new RunQuery("", "", "", 100, 0)).stream().map(StoredRun::id).toList());
            assertEquals(RunStore.RUNNING, store.run("t", stillRunning.id()).orElseThrow().status());
            assertEquals(List.of("x"), store.events(stillRunning.id(), 0).stream().map(StoredEvent::data).toList());
            assertEquals(List.of("y", "{\"output\": \"4\"}"),
                    store.events(recent.id(), 0).stream().map(StoredEvent::data).toList());
            // The usage is the tenant's accounting, and a thread's conversation outlives its runs.
            assertEquals(usageBefore, usage(store));
            assertEquals(List.of("user: 2 + 2", "assistant: 4"),
                    store.messages("t", "thread-50").stream().map(m -> m.role() + ": " + m.content()).toList());
            assertEquals(old.size(), meters.get("graft.store.runs.deleted").functionCounter().count());
            try (var c = DriverManager.getConnection(RunStore.withDefaults(url), "sa", "");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*) from run_event_chunks")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1), "only the chunks of the two runs kept with events stored while they ran");
            }
            assertEquals(0, store.deleteRunsEndedBefore(CUTOFF));
        }
    }

    @Test
    void theSpaceOfDeletedRunsIsWrittenAgainThoughTheirUsageStays() throws Exception {
        // RETENTION_TIME=0: H2 may write over a dead chunk at once instead of after 45 s.
        String url = "jdbc:h2:file:" + dir.resolve("reuse") + ";RETENTION_TIME=0";
        Path file = dir.resolve("reuse.mv.db");
        String result = "{\"output\": \"" + "x".repeat(2500) + "\"}";
        List<Long> sizes = new ArrayList<>();
        try (RunStore store = new RunStore(url, "sa", "")) {
            for (int round = 0; round < 5; round++) {
                Instant start = T0.plus(Duration.ofHours(round));
                for (int i = 0; i < 2000; i++) {
                    StoredRun run = started(store, start.plusMillis(i), "");
                    store.finishRunLater(run, null, "COMPLETED", start.plusMillis(i + 1), result, List.of(), USAGE, List.of())
                            .join();
                }
                assertEquals(2000, store.deleteRunsEndedBefore(start.plus(Duration.ofMinutes(30))));
                sizes.add(java.nio.file.Files.size(file));
            }
            assertEquals(10_000, store.usage("t", T0, T0.plus(Duration.ofDays(1)), UsageGroup.TOTAL).getFirst().runs());
        }
        // Rows that stay pin the chunks they were written in, and with them their dead runs' pages. With a usage row
        // per run (before usage was summed per minute) and no rewrite, 38.6 MB grew to 64.2 MB over four rounds; with
        // the rewrite the file stayed at 32-39 MB. A thread per run still pins: see docs/http-api.md, Retention.
        assertTrue(sizes.getLast() < sizes.getFirst() * 13 / 10, sizes::toString);
    }

    @Test
    void aServerWithARetentionDeletesOldRunsOnItsOwnAndKeepsNewOnes() throws Exception {
        Instant now = Instant.now();
        String old;
        // A server whose clock is two minutes behind stores a run that, to the next one, ended two minutes ago.
        try (TestServer t = new TestServer(dir, s -> s, Map.of(),
                Clock.fixed(now.minus(Duration.ofMinutes(2)), ZoneOffset.UTC))) {
            old = (String) t.post("/v1/runs", """
                    {"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}""").json().get("id");
            assertEquals(200, t.get("/v1/runs/" + old).status());
        }
        try (TestServer t = new TestServer(dir, s -> s, Map.of("GRAFT_RUN_RETENTION", "1m"))) {
            assertEquals(Optional.of(Duration.ofMinutes(1)), t.settings.runRetention());
            TestServer.await(() -> t.get("/v1/runs/" + old).status() == 404);
            String recent = (String) t.post("/v1/runs", """
                    {"agent": "calculator-native", "input": "What is 17 * 23 + 4?", "wait": true}""").json().get("id");
            // The sweep counts a batch once its commit has returned, a moment after the run is gone.
            TestServer.await(() -> t.get("/metrics").body().lines().anyMatch(l -> l.equals("graft_store_runs_deleted_total 1.0")));
            assertEquals(List.of(recent), t.get("/v1/runs").list("runs").stream().map(r -> r.get("id")).toList());
        }
    }

    @Test
    void theFirstIdOfAnInstantSortsAfterEveryEarlierRunAndBeforeEveryLaterOne() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 1000; i++) {
            Instant at = Instant.ofEpochMilli(random.nextLong(0, 1L << 47));
            String first = RunService.firstIdAt(at);
            assertTrue(RunService.newId(at.minusMillis(1)).compareTo(first) < 0, at::toString);
            assertTrue(RunService.newId(at).compareTo(first) > 0, at::toString);
        }
    }

    private static StoredRun started(RunStore store, Instant at, String thread) {
        StoredRun run = new StoredRun(RunService.newId(at), "t", "calc", "native", RunStore.RUNNING, thread, "2 + 2", at,
                Optional.empty(), Optional.empty());
        store.insertRun(run);
        if (!thread.isEmpty()) {
            store.openThread("t", thread, at);
        }
        return run;
    }

    private static void end(RunStore store, StoredRun run, Instant at) {
        List<ThreadMessage> exchange = run.thread().isEmpty() ? List.of()
                : List.of(new ThreadMessage("user", "2 + 2", run.id()), new ThreadMessage("assistant", "4", run.id()));
        store.finishRunLater(run, null, "COMPLETED", at, "{\"output\": \"4\"}",
                List.of(new StoredEvent(9, "finished", "{\"output\": \"4\"}")), USAGE, exchange).join();
    }

    private static Map<String, Long> usage(RunStore store) {
        var u = store.usage("t", T0, CUTOFF.plusSeconds(60), UsageGroup.TOTAL).getFirst();
        return Map.of("runs", u.runs(), "calls", u.calls(), "input", u.inputTokens(), "output", u.outputTokens());
    }
}
