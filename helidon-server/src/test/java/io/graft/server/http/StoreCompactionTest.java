package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.cli.Main;
import io.graft.server.http.RunStore.ProviderUse;
import io.graft.server.http.RunStore.StoredEvent;
import io.graft.server.http.RunStore.StoredRun;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft compact}: a stopped server's run database rewritten smaller, with nothing lost. */
class StoreCompactionTest {
    private static final int RUNS = 600;
    private static final Instant T0 = Instant.parse("2026-12-07T18:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aStoppedServersDatabaseShrinksWithEveryRunAndEventIntact() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("graft");
        try (RunStore store = new RunStore(url, "sa", "")) {
            // concurrent runs, as a server stores them: groups of ends committed together
            IntStream.range(0, RUNS).parallel().forEach(i -> {
                StoredRun run = run(i);
                store.finishRun(run, store.insertRunLater(run), "COMPLETED", T0.plusMillis(i), result(i), events(i),
                        List.of(new ProviderUse("scripted", 2, 30, 7, 0.0)));
            });
        }
        Path config = dir.resolve("graft.yaml");
        Files.writeString(config, "graft:\n  database:\n    url: " + url + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(List.of("compact", "--config", config.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertEquals(0, exit);
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("graft: compacted " + dir.resolve("graft.mv.db") + " from "), said);

        long after = Files.size(dir.resolve("graft.mv.db"));
        var sizes = java.util.regex.Pattern.compile("from ([\\d.]+) (KB|MB) to ([\\d.]+) (KB|MB)").matcher(said);
        assertTrue(sizes.find(), said);
        assertTrue(kb(sizes.group(3), sizes.group(4)) * 2 < kb(sizes.group(1), sizes.group(2)), said);
        assertEquals(after / 1024.0, kb(sizes.group(3), sizes.group(4)), 0.1 * after / 1024.0, said);

        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals(RUNS, store.runs("t", new RunStore.RunQuery("", "", "", 1000, 0)).size());
            for (int i = 0; i < RUNS; i++) {
                StoredRun stored = store.run("t", "run-" + i).orElseThrow();
                assertEquals(Optional.of(result(i)), stored.result());
                assertEquals(events(i), store.events("run-" + i, 0));
            }
            assertEquals(RUNS, store.usage("t", T0, T0.plusSeconds(60), RunStore.UsageGroup.TOTAL).getFirst().runs());
            StoredRun next = run(RUNS);
            store.finishRun(next, store.insertRunLater(next), "COMPLETED", T0, result(RUNS), events(RUNS), List.of());
            assertEquals(events(RUNS), store.events(next.id(), 0), "the compacted database takes new runs");
        }
    }

    @Test
    void aDatabaseOpenInAnotherProcessIsNotTouched() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("graft");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("open", lines.readLine());
            long before = Files.size(dir.resolve("graft.mv.db"));
            StoreException e = assertThrows(StoreException.class, () -> RunStore.compact(url, "sa", ""));
            assertEquals("cannot compact " + dir.resolve("graft.mv.db") + ": it is open in another process; stop the server first",
                    e.getMessage());
            assertEquals(before, Files.size(dir.resolve("graft.mv.db")));
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        try (RunStore store = new RunStore(url, "sa", "")) {
            assertEquals(Optional.of(result(0)), store.run("t", "run-0").orElseThrow().result());
        }
    }

    @Test
    void whatCannotBeCompactedIsNamed() {
        Path missing = dir.resolve("nothing-here");
        StoreException e = assertThrows(StoreException.class, () -> RunStore.compact("jdbc:h2:file:" + missing, "sa", ""));
        assertEquals("there is no database at " + missing + ".mv.db (database.url jdbc:h2:file:" + missing + ")", e.getMessage());
        assertTrue(Files.notExists(Path.of(missing + ".mv.db")), "no empty database is created");
        e = assertThrows(StoreException.class, () -> RunStore.compact("jdbc:h2:mem:runs", "sa", ""));
        assertEquals("compaction works on an H2 file database (jdbc:h2:file:PATH), not jdbc:h2:mem:runs", e.getMessage());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, Main.run(List.of("compact", "graft.mv.db"), System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("graft compact: compact takes no FILE arguments, got [graft.mv.db]", err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theFileOfAnH2Url() {
        assertEquals(Optional.of(Path.of("/srv/graft/data.mv.db")), RunStore.h2File("jdbc:h2:file:/srv/graft/data;AUTO_SERVER=FALSE"));
        assertEquals(Optional.of(Path.of("/srv/graft/data.mv.db")), RunStore.h2File("jdbc:h2:/srv/graft/data"));
        assertEquals(Optional.of(Path.of(System.getProperty("user.home"), "runs.mv.db")), RunStore.h2File("jdbc:h2:~/runs"));
        assertEquals(Optional.of(Path.of("rel/db.mv.db").toAbsolutePath()), RunStore.h2File("jdbc:h2:file:./rel/db"));
        for (String other : List.of("jdbc:h2:mem:x", "jdbc:h2:tcp://localhost/~/x", "jdbc:h2:zip:/a.zip!/x",
                "jdbc:postgresql://localhost/graft")) {
            assertEquals(Optional.empty(), RunStore.h2File(other), other);
        }
    }

    private static double kb(String number, String unit) {
        return Double.parseDouble(number) * (unit.equals("MB") ? 1024 : 1);
    }

    private static StoredRun run(int i) {
        return new StoredRun("run-" + i, "t", "calc", "native", RunStore.RUNNING, "", "what is " + i + " * 2?", T0,
                Optional.empty(), Optional.empty());
    }

    private static String result(int i) {
        return "{\"output\": \"" + 2 * i + "\", \"steps\": [{\"type\": \"llm_call\", \"message\": \"the answer to what is " + i
                + " * 2, at some length so that it is referred to\"}]}";
    }

    private static List<StoredEvent> events(int i) {
        return List.of(new StoredEvent(1, "token", "" + 2 * i),
                new StoredEvent(2, "llm_turn", "{\"type\": \"llm_call\", \"message\": \"the answer to what is " + i
                        + " * 2, at some length so that it is referred to\"}"),
                new StoredEvent(3, "finished", result(i)));
    }

    /** Opens a run database with one run, says {@code open}, and holds it until its input ends. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (RunStore store = new RunStore(args[0], "sa", "")) {
                StoredRun run = run(0);
                store.finishRun(run, store.insertRunLater(run), "COMPLETED", T0, result(0), events(0), List.of());
                System.out.println("open");
                System.out.flush();
                System.in.read();
            }
        }
    }
}
