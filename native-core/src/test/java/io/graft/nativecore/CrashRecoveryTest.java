package io.graft.nativecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.memory.Namespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested for real: a child JVM adds memories and reports each acknowledged
 * id; it is killed with SIGKILL at a random point, many times; after every kill the store is
 * reopened and every acknowledged memory must be there.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void noAcknowledgedWriteIsLostWhenTheWriterIsKilledWithSigkill() throws Exception {
        Random random = new Random(42);
        Map<String, String> acknowledged = new HashMap<>();
        Namespace ns = new Namespace("crash", "writer");
        for (int round = 0; round < 6; round++) {
            NativeBinding binding = round % 2 == 0 ? NativeBinding.FFM : NativeBinding.JNA;
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), dir.toString(), binding.name(), Integer.toString(round))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int killAfter = 20 + random.nextInt(300);
            try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (int seen = 0; seen < killAfter; seen++) {
                    String line = out.readLine();
                    assertTrue(line != null, "the writer stopped early in round " + round);
                    String[] parts = line.split("\t");
                    acknowledged.put(parts[0], parts[1]);
                }
                // SIGKILL on Linux while the child is in the middle of its next write: no shutdown hooks, no close()
                child.destroyForcibly();
                child.waitFor();
            }
            assertEquals(137, child.exitValue(), "the writer must die by SIGKILL");

            try (NativeMemoryStore store = NativeMemoryStore.builder(dir, new HashingTestEmbedder(32)).binding(binding).open()) {
                List<String> missing = acknowledged.entrySet().stream()
                        .filter(e -> !store.get(ns, e.getKey()).map(m -> m.text().equals(e.getValue())).orElse(false))
                        .map(Map.Entry::getKey).toList();
                assertEquals(List.of(), missing, "acknowledged memories lost after round " + round);
                assertTrue(store.count(ns) >= acknowledged.size());
            }
        }
    }
}
