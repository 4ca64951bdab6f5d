package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.http.RunStore.ProviderUse;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import io.graft.server.http.RunStore.UsageGroup;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
    @Test
    void anH2UrlGetsGraftsSettingsUnlessItSetsThemItself(@TempDir Path dir) throws Exception {
        assertEquals("jdbc:h2:file:/d/graft;WRITE_DELAY=0;CACHE_SIZE=2048", RunStore.withDefaults("jdbc:h2:file:/d/graft"));
        assertEquals("jdbc:h2:file:/d/graft;cache_size=65536;WRITE_DELAY=0",
                RunStore.withDefaults("jdbc:h2:file:/d/graft;cache_size=65536"));
        assertEquals("jdbc:h2:mem:x;WRITE_DELAY=500;CACHE_SIZE=2048", RunStore.withDefaults("jdbc:h2:mem:x;WRITE_DELAY=500"));
        // QUERY_CACHE_SIZE is another setting; it does not set the page cache.
        assertEquals("jdbc:h2:mem:x;QUERY_CACHE_SIZE=16;WRITE_DELAY=0;CACHE_SIZE=2048",
                RunStore.withDefaults("jdbc:h2:mem:x;QUERY_CACHE_SIZE=16"));
        assertEquals("jdbc:postgresql://db/graft", RunStore.withDefaults("jdbc:postgresql://db/graft"));
        // H2 takes the setting: its page cache is 2 MB (16 MB by default at a 1 GB heap).
        try (var c = DriverManager.getConnection(RunStore.withDefaults("jdbc:h2:file:" + dir.resolve("db")), "sa", "");
                Statement s = c.createStatement();
                var rs = s.executeQuery("select setting_value from information_schema.settings where setting_name = 'info.CACHE_MAX_SIZE'")) {
            assertTrue(rs.next());
            assertEquals("2", rs.getString(1));
        }
    }

    @Test
    void eventChunksReadBackExactlyWhateverTheDataHolds() {
        List<StoredEvent> events = List.of(new StoredEvent(1, "token", "a\nb 3 x\n"), new StoredEvent(2, "message", ""),
                new StoredEvent(3, "finished", "{\"output\": \"ü\\n 7 end\"}"));
        assertEquals(events, RunStore.decode(RunStore.encode(events, null), null));
    }

    @Test
    void eventsWhoseDataIsPartOfTheRunsResultReferToItInsteadOfHoldingItAgain() {
        String step = "{\"type\": \"llm_call\", \"message\": \"a long answer, as a step\"}";
        String result = "{\"output\": \"a long answer\", \"steps\": [" + step + "]}";
        List<StoredEvent> events = List.of(new StoredEvent(1, "token", "a"), new StoredEvent(2, "llm_turn", step),
                new StoredEvent(3, "message", "{\"message\": \"not in the result, and long enough to look for\"}"),
                new StoredEvent(4, "finished", result));
        String encoded = RunStore.encode(events, result);
        assertFalse(encoded.contains("a long answer"), encoded);
        assertTrue(encoded.contains("not in the result"), encoded);
        assertEquals(events, RunStore.decode(encoded, result));
        StoreException noResult = assertThrows(StoreException.class, () -> RunStore.decode(encoded, null));
        assertTrue(noResult.getMessage().contains("event 2 of a run refers to characters"), noResult.getMessage());
    }

    @Test
    void stepsOutOfTheResultsOrderAreStillReferredToAndOnlyStepsAreLookedFor() {
        String first = "{\"type\": \"message\", \"content\": \"the first step of the result\"}";
        String second = "{\"type\": \"llm_call\", \"content\": \"the second step of the result\"}";
        String result = "{\"steps\": [" + first + "," + second + "]}";
        List<StoredEvent> events = List.of(new StoredEvent(1, "llm_turn", second), new StoredEvent(2, "message", first),
                new StoredEvent(3, "token", second), new StoredEvent(4, "finished", result));
        String encoded = RunStore.encode(events, result);
        assertEquals("1 llm_turn " + second.length() + "@" + result.indexOf(second) + "\n2 message " + first.length() + "@"
                + result.indexOf(first) + "\n3 token " + second.length() + "\n" + second + "4 finished " + result.length() + "@0\n",
                encoded);
        assertEquals(events, RunStore.decode(encoded, result));
    }

    @Test
    void runIdsAreVersion7UuidsThatSortByCreationTimeAndDifferWithinAMillisecond() {
        Instant t0 = Instant.parse("2026-11-23T08:00:00.001Z");
        List<String> ids = List.of(RunService.newId(t0), RunService.newId(t0.plusMillis(1)), RunService.newId(t0.plusSeconds(3600)));
        for (String id : ids) {
            assertEquals(7, UUID.fromString(id).version(), id);
            assertEquals(2, UUID.fromString(id).variant(), id);
        }
        assertEquals(ids, ids.stream().sorted().toList());
        assertNotEquals(RunService.newId(t0), RunService.newId(t0));
    }

    @Test
    void eventsAfterASequenceNumberComeFromEveryChunkInOrder() {
        try (RunStore store = new RunStore("jdbc:h2:mem:chunks;DB_CLOSE_DELAY=-1", "sa", "")) {
            store.appendEvents("r", List.of(new StoredEvent(1, "a", "1"), new StoredEvent(2, "b", "2")));
            store.appendEvents("r", List.of(new StoredEvent(3, "c", "3"), new StoredEvent(4, "d", "4")));
            store.appendEvent("other", new StoredEvent(1, "x", "x"));
            assertEquals(List.of("b", "c", "d"), store.events("r", 1).stream().map(StoredEvent::type).toList());
            assertEquals(List.of("d"), store.events("r", 3).stream().map(StoredEvent::type).toList());
            assertEquals(List.of(), store.events("r", 4));
        }
    }

    @Test
    void theEventsStoredWithARunsEndFollowItsChunks() {
        try (RunStore store = new RunStore("jdbc:h2:mem:end-events;DB_CLOSE_DELAY=-1", "sa", "")) {
            StoredRun run = running("r", "calc");
            store.insertRun(run);
            store.appendEvents("r", List.of(new StoredEvent(1, "a", "1"), new StoredEvent(2, "b", "2")));
            store.finishRun(run, null, "COMPLETED", T0.plusMillis(3), "{}",
                    List.of(new StoredEvent(3, "c", "3"), new StoredEvent(4, "finished", "4")), List.of());
            assertEquals(List.of("a", "b", "c", "finished"), store.events("r", 0).stream().map(StoredEvent::type).toList());
            assertEquals(List.of("finished"), store.events("r", 3).stream().map(StoredEvent::type).toList());
            assertEquals(List.of(), store.events("r", 4));
        }
    }

    @Test
    void theAuditTrailListsRunsAsTheirStartRecordsAmongTheOtherRecordsNewestFirst() {
        try (RunStore store = new RunStore("jdbc:h2:mem:audit;DB_CLOSE_DELAY=-1", "sa", "")) {
            store.audit(T0, "t", "agent.create", "calc", "calc.json");
            store.insertRun(new StoredRun("r1", "t", "calc", "native", RunStore.RUNNING, "", "x", T0.plusMillis(1),
                    Optional.empty(), Optional.empty()));
            store.audit(T0.plusMillis(2), "t", "run.cancel", "r1", "");
            store.insertRun(new StoredRun("r2", "other", "calc", "native", RunStore.RUNNING, "", "x", T0.plusMillis(3),
                    Optional.empty(), Optional.empty()));
            var records = store.auditRecords("t", 10);
            assertEquals(List.of("run.cancel r1", "run.start r1", "agent.create calc"),
                    records.stream().map(a -> a.get("action") + " " + a.get("target")).toList());
            assertEquals(List.of("2026-11-23T16:00:00.001Z", "t", "calc"),
                    List.of(records.get(1).get("at"), records.get(1).get("tenant"), records.get(1).get("detail")));
            assertEquals(List.of("run.cancel r1", "run.start r1"),
                    store.auditRecords("t", 2).stream().map(a -> a.get("action") + " " + a.get("target")).toList());
        }
    }

    @Test
    void aDatabaseOfTheEarlierLayoutOpensWithItsRunsEventsAndAuditIntact() throws Exception {
        String url = "jdbc:h2:mem:earlier-layout;DB_CLOSE_DELAY=-1";
        // What a server of the previous version left: no events column on runs, and a run.start row per run.
        try (var c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            createEarlierTables(s, false);
            s.execute("""
                    create table audit (
                      id bigint generated always as identity primary key, at timestamp(6) with time zone not null,
                      tenant varchar(200) not null, action varchar(64) not null, target varchar(400) not null,
                      detail varchar not null)""");
            s.execute("create index audit_by_target on audit(target)");
            s.execute("insert into runs values ('old', 't', 'calc', 'native', 'COMPLETED', '', 'x', "
                    + "timestamp with time zone '2026-11-23 15:59:00+00', timestamp with time zone '2026-11-23 15:59:01+00', '{}')");
            s.execute("insert into run_event_chunks values ('old', 1, 2, '" + RunStore.encode(EVENTS, null) + "')");
            s.execute("insert into audit(at, tenant, action, target, detail) values "
                    + "(timestamp with time zone '2026-11-23 15:59:00+00', 't', 'run.start', 'old', 'calc')");
        }
        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals("COMPLETED", store.run("t", "old").orElseThrow().status());
            assertEquals(EVENTS, store.events("old", 0));
            assertEquals(List.of("run.start old"),
                    store.auditRecords("t", 10).stream().map(a -> a.get("action") + " " + a.get("target")).toList());
            StoredRun run = running("new", "calc");
            finish(store, run, store.insertRunLater(run));
            assertStoredEnded(store, run, List.of("run.start new", "run.start old"));
        }
    }

    private static final Instant T0 = Instant.parse("2026-11-23T16:00:00Z");
    @Test
    void runsWhoseTextsAnEarlierVersionStoredAsVarcharReadAsBeforeBesideNewOnes() throws Exception {
        String url = "jdbc:h2:mem:varchar-texts;DB_CLOSE_DELAY=-1";
        String result = "{\"output\": \"4\", \"steps\": [{\"type\": \"llm_call\", \"message\": \"long enough to be referred to\"}]}";
        List<StoredEvent> events = List.of(new StoredEvent(1, "token", "4"),
                new StoredEvent(2, "llm_turn", "{\"type\": \"llm_call\", \"message\": \"long enough to be referred to\"}"),
                new StoredEvent(3, "finished", result));
        // The layout of the previous version: the run's result and events (referring to it) are VARCHAR.
        try (var c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            createEarlierTables(s, true);
            s.execute("insert into runs values ('old', 't', 'calc', 'native', 'COMPLETED', '', 'x', "
                    + "timestamp with time zone '2026-11-23 15:59:00+00', timestamp with time zone '2026-11-23 15:59:01+00', '"
                    + result.replace("'", "''") + "', '" + RunStore.encode(events.subList(1, 3), result).replace("'", "''") + "')");
            s.execute("insert into run_event_chunks values ('old', 1, 1, '" + RunStore.encode(events.subList(0, 1), null) + "')");
        }
        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals(Optional.of(result), store.run("t", "old").orElseThrow().result());
            assertEquals(events, store.events("old", 0));
            assertEquals(events.subList(2, 3), store.events("old", 2));
            // A new run's texts, past ASCII and with a surrogate pair, read back as they were written.
            String text = "{\"output\": \"Grüße, 東京 😀\"}";
            List<StoredEvent> newEvents = List.of(new StoredEvent(1, "token", "Grüße"), new StoredEvent(2, "finished", text));
            StoredRun run = running("new", "calc");
            store.finishRun(run, store.insertRunLater(run), "COMPLETED", T0.plusMillis(3), text, newEvents, USAGE);
            assertEquals(Optional.of(text), store.run("t", "new").orElseThrow().result());
            assertEquals(newEvents, store.events("new", 0));
            StoredRun streamed = running("streamed", "calc");
            store.insertRun(streamed);
            store.appendEvents(streamed.id(), newEvents.subList(0, 1));
            store.finishRun(streamed, null, "COMPLETED", T0.plusMillis(4), text, newEvents.subList(1, 2), USAGE);
            assertEquals(newEvents, store.events("streamed", 0));
            // Listings read both kinds of row (same creation time: by id).
            assertEquals(List.of("new " + text, "streamed " + text, "old " + result), store.runs("t",
                    new RunStore.RunQuery("", "", "", 10, 0)).stream().map(r -> r.id() + " " + r.result().orElseThrow()).toList());
        }
    }

    /**
     * The runs and event chunk tables as earlier versions made them: texts in VARCHAR columns, and
     * the events column on runs only if {@code withEvents} (the version before the last had none).
     */
    private static void createEarlierTables(Statement s, boolean withEvents) throws SQLException {
        s.execute("""
                create table runs (
                  id varchar(64) primary key, tenant varchar(200) not null, agent varchar(200) not null,
                  framework varchar(32) not null, status varchar(16) not null, thread_id varchar(200) not null,
                  input varchar not null, created_at timestamp(6) with time zone not null,
                  finished_at timestamp(6) with time zone, result varchar""" + (withEvents ? ", events varchar)" : ")"));
        s.execute("""
                create table run_event_chunks (
                  run_id varchar(64) not null, first_seq bigint not null, last_seq bigint not null,
                  events varchar not null, primary key (run_id, first_seq))""");
    }

    private static final List<StoredEvent> EVENTS = List.of(new StoredEvent(1, "run_started", "{}"),
            new StoredEvent(2, "finished", "{\"output\": \"4\"}"));
    private static final List<ProviderUse> USAGE = List.of(new ProviderUse("scripted", 2, 30, 7, 0.0));

    private static StoredRun running(String id, String agent) {
        return new StoredRun(id, "t", agent, "native", RunStore.RUNNING, "", "2 + 2", T0, Optional.empty(), Optional.empty());
    }

    private static void finish(RunStore store, StoredRun run, RunStore.PendingStart start) {
        store.finishRun(run, start, "COMPLETED", T0.plusMillis(3), "{\"output\": \"4\"}", EVENTS, USAGE);
    }

    /** The run as a waited run ends: finished, with its result, both events, its usage and its audit record. */
    private static void assertStoredEnded(RunStore store, StoredRun run) {
        assertStoredEnded(store, run, List.of("run.start " + run.id()));
    }

    private static void assertStoredEnded(RunStore store, StoredRun run, List<String> audit) {
        StoredRun stored = store.run("t", run.id()).orElseThrow();
        assertEquals("COMPLETED", stored.status());
        assertEquals(Optional.of(T0.plusMillis(3)), stored.finishedAt());
        assertEquals(Optional.of("{\"output\": \"4\"}"), stored.result());
        assertEquals(EVENTS, store.events(run.id(), 0));
        var usage = store.usage("t", T0, T0.plusSeconds(1), UsageGroup.TOTAL).getFirst();
        assertEquals(List.of(1L, 2L, 30L, 7L), List.of(usage.runs(), usage.calls(), usage.inputTokens(), usage.outputTokens()));
        assertEquals(audit,
                store.auditRecords("t", 10).stream().map(a -> a.get("action") + " " + a.get("target")).toList());
    }

    @Test
    void aWaitedRunThatEndsWithinTheDeferralIsStoredOnceAsEndedInOneCommit() {
        try (RunStore store = new RunStore("jdbc:h2:mem:short-run;DB_CLOSE_DELAY=-1", "sa", "", Duration.ofMinutes(1))) {
            long commits = store.writer().commits();
            StoredRun run = running("r1", "calc");
            RunStore.PendingStart start = store.insertRunLater(run);
            assertEquals(Optional.empty(), store.run("t", run.id())); // held back: nothing written yet
            finish(store, run, start);
            assertEquals(commits + 1, store.writer().commits());
            assertStoredEnded(store, run);
        }
    }

    @Test
    void aWaitedRunThatOutlastsTheDeferralIsStoredRunningThenUpdatedAtItsEnd() {
        try (RunStore store = new RunStore("jdbc:h2:mem:long-run;DB_CLOSE_DELAY=-1", "sa", "", Duration.ofMillis(50))) {
            StoredRun run = running("r2", "calc");
            RunStore.PendingStart start = store.insertRunLater(run);
            TestServer.await(() -> store.run("t", run.id()).isPresent());
            assertEquals(RunStore.RUNNING, store.run("t", run.id()).orElseThrow().status());
            finish(store, run, start);
            assertStoredEnded(store, run);
        }
    }

    @Test
    void aHeldBackStartIsStoredWhenTheStoreClosesSoTheNextStartMarksItInterrupted() {
        String url = "jdbc:h2:mem:closing;DB_CLOSE_DELAY=-1";
        StoredRun run = running("r4", "calc");
        try (RunStore store = new RunStore(url, "sa", "", Duration.ofMinutes(1))) {
            store.insertRunLater(run);
        }
        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals(1, store.markInterrupted(T0.plusSeconds(5)));
            assertEquals(RunStore.INTERRUPTED, store.run("t", run.id()).orElseThrow().status());
        }
    }

    @Test
    void aHeldBackStartOfARunThatCouldNotStartIsDroppedUnwritten() {
        try (RunStore store = new RunStore("jdbc:h2:mem:refused;DB_CLOSE_DELAY=-1", "sa", "", Duration.ofMinutes(1))) {
            long commits = store.writer().commits();
            StoredRun run = running("r5", "calc");
            store.insertRunLater(run);
            store.deleteRun(run.id());
            assertEquals(commits, store.writer().commits());
            assertEquals(Optional.empty(), store.run("t", run.id()));
        }
    }

    @Test
    void aWaitedRunWhoseRowCannotBeStoredFailsAtItsEndNamingTheRun() {
        try (RunStore store = new RunStore("jdbc:h2:mem:bad-start;DB_CLOSE_DELAY=-1", "sa", "")) {
            StoredRun run = running("r3", "a".repeat(300)); // longer than the agent column allows
            RunStore.PendingStart start = store.insertRunLater(run);
            var e = assertThrows(StoreException.class, () -> finish(store, run, start));
            assertTrue(e.getMessage().contains("finish run r3") && e.getMessage().contains("AGENT"), e.getMessage());
            assertEquals(Optional.empty(), store.run("t", run.id()));
        }
    }

    @Test
    void usageIsSummedPerMinuteAndEachRunCountsOnceInTotalAndOnceUnderEachProvider() {
        try (RunStore store = new RunStore("jdbc:h2:mem:usage-sums;DB_CLOSE_DELAY=-1", "sa", "")) {
            var both = List.of(new ProviderUse("b", 1, 10, 1, 0.5), new ProviderUse("a", 2, 20, 2, 0.25));
            end(store, "r1", "calc", T0.plusSeconds(10), both);
            end(store, "r2", "calc", T0.plusSeconds(70), List.of(new ProviderUse("a", 1, 5, 5, 0.125)));
            end(store, "r3", "search", T0.plusSeconds(20), List.of(new ProviderUse("b", 3, 1, 1, 0.0)));
            end(store, "r4", "search", T0.plusSeconds(30), List.of()); // called no model: not counted

            assertEquals(List.of(" 3 7 36 9 0.875"), usage(store, T0, T0.plusSeconds(120), UsageGroup.TOTAL));
            assertEquals(List.of("a 2 3 25 7 0.375", "b 2 4 11 2 0.5"), usage(store, T0, T0.plusSeconds(120), UsageGroup.PROVIDER));
            assertEquals(List.of("calc 2 4 35 8 0.875", "search 1 3 1 1 0.0"),
                    usage(store, T0, T0.plusSeconds(120), UsageGroup.AGENT));
            assertEquals(List.of("2026-11-23 3 7 36 9 0.875"), usage(store, T0, T0.plusSeconds(120), UsageGroup.DAY));
            // A range counts whole minutes: [16:00:30, 16:00:40) is the minute 16:00, which holds r1 and r3.
            assertEquals(List.of(" 2 6 31 4 0.75"), usage(store, T0.plusSeconds(30), T0.plusSeconds(40), UsageGroup.TOTAL));
            assertEquals(List.of(" 1 1 5 5 0.125"), usage(store, T0.plusSeconds(60), T0.plusSeconds(61), UsageGroup.TOTAL));
            assertEquals(List.of(" 0 0 0 0 0.0"), usage(store, T0.plusSeconds(120), T0.plusSeconds(180), UsageGroup.TOTAL));
        }
    }

    @Test
    void runsEndingInOneCommitAreSummedOnceEvenWhenTheirGroupFailsAndIsRetriedRunByRun() {
        try (RunStore store = new RunStore("jdbc:h2:mem:usage-retried;DB_CLOSE_DELAY=-1", "sa", "")) {
            var ends = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Void>>();
            for (int i = 0; i < 200; i++) {
                StoredRun run = running("ok" + i, "calc");
                store.insertRun(run);
                // Every tenth end is of a run whose start was never stored: it fails, and with it the group it is in.
                StoredRun ending = i % 10 == 9 ? running("missing" + i, "calc") : run;
                ends.add(store.finishRunLater(ending, null, "COMPLETED", T0.plusMillis(i), "{}", List.of(), USAGE, List.of()));
            }
            long failed = ends.stream().filter(e -> e.handle((ok, error) -> error != null).join()).count();
            assertEquals(20, failed);
            assertEquals(List.of(" 180 360 5400 1260 0.0"), usage(store, T0, T0.plusSeconds(60), UsageGroup.TOTAL));
        }
    }

    @Test
    void theUsageRowsOfEarlierVersionsBecomePerMinuteSumsAndTheirTableGoes() throws Exception {
        String url = "jdbc:h2:mem:earlier-usage;DB_CLOSE_DELAY=-1";
        try (var c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("""
                    create table run_usage (
                      run_id varchar(64) not null, provider varchar(200) not null, tenant varchar(200) not null,
                      agent varchar(200) not null, finished_at timestamp(6) with time zone not null, calls int not null,
                      input_tokens bigint not null, output_tokens bigint not null, cost_usd double precision not null)""");
            s.execute("""
                    insert into run_usage values
                      ('r1', 'b', 't', 'calc', timestamp with time zone '2026-11-23 16:00:10+00', 1, 10, 1, 0.5),
                      ('r1', 'a', 't', 'calc', timestamp with time zone '2026-11-23 16:00:10+00', 2, 20, 2, 0.25),
                      ('r2', 'a', 't', 'calc', timestamp with time zone '2026-11-23 16:01:10+00', 1, 5, 5, 0.125),
                      ('r3', 'b', 't', 'search', timestamp with time zone '2026-11-23 16:00:20+00', 3, 1, 1, 0.0),
                      ('r9', 'a', 'other', 'calc', timestamp with time zone '2026-11-23 16:00:20+00', 1, 1, 1, 0.0)""");
        }
        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals(List.of("a 2 3 25 7 0.375", "b 2 4 11 2 0.5"), usage(store, T0, T0.plusSeconds(120), UsageGroup.PROVIDER));
            assertEquals(List.of(" 2 6 31 4 0.75"), usage(store, T0.plusSeconds(30), T0.plusSeconds(40), UsageGroup.TOTAL));
            end(store, "r4", "calc", T0.plusSeconds(15), USAGE); // added to the migrated minute's sums
            assertEquals(List.of("calc 2 5 60 10 0.75", "search 1 3 1 1 0.0"), usage(store, T0, T0.plusSeconds(60), UsageGroup.AGENT));
        }
        try (var c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
                var rs = s.executeQuery("select count(*) from information_schema.tables where table_name = 'RUN_USAGE'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    private static void end(RunStore store, String id, String agent, Instant at, List<ProviderUse> usage) {
        StoredRun run = running(id, agent);
        store.finishRun(run, store.insertRunLater(run), "COMPLETED", at, "{}", List.of(), usage);
    }

    /** Each group of the usage as "key runs calls input output cost". */
    private static List<String> usage(RunStore store, Instant from, Instant to, UsageGroup group) {
        return store.usage("t", from, to, group).stream().map(u -> u.key() + " " + u.runs() + " " + u.calls() + " "
                + u.inputTokens() + " " + u.outputTokens() + " " + u.costUsd()).toList();
    }
}
