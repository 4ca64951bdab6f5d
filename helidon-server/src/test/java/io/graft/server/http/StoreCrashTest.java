package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.server.http.RunStore.StoredRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed right after its writes returned loses none of them: what was answered is stored. */
class StoreCrashTest {
    private static final int RUNS = 300;

    @TempDir
    Path dir;

    @Test
    void everyRunWhoseEndWasStoredSurvivesTheProcessBeingKilled() throws IOException, InterruptedException {
        String url = "jdbc:h2:file:" + dir.resolve("graft");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                acknowledged.add(line);
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the writer did not stop");
        assertEquals(RUNS, acknowledged.size(), "the writer reports each run once its end is stored");

        try (RunStore store = new RunStore(url, "sa", "")) {
            for (String id : acknowledged) {
                Optional<StoredRun> run = store.run("t", id);
                assertTrue(run.isPresent(), "run " + id + " was acknowledged but is gone after the kill");
                assertEquals("COMPLETED", run.get().status());
            }
        }
    }

    /** Stores runs, prints each id once its end has committed, and halts without any shutdown work. */
    public static final class CrashingWriter {
        public static void main(String[] args) {
            RunStore store = new RunStore(args[0], "sa", "");
            for (int i = 0; i < RUNS; i++) {
                StoredRun run = new StoredRun(java.util.UUID.randomUUID().toString(), "t", "a", "native", RunStore.RUNNING, "",
                        "input " + i, Instant.now(), Optional.empty(), Optional.empty());
                store.insertRun(run);
                store.finishRun(run, "COMPLETED", Instant.now(), "{\"output\": \"" + i + "\"}");
                System.out.println(run.id());
                System.out.flush();
            }
            Runtime.getRuntime().halt(9); // like kill -9: no shutdown hooks, H2 is not closed
        }
    }
}
