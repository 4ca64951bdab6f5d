package io.graft.nativecore;

import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.Namespace;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link CrashRecoveryTest}: writes memories as fast as it can and prints each id
 * only after add() returned, i.e. after the write was acknowledged, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        NativeBinding binding = NativeBinding.valueOf(args[1]);
        Namespace ns = new Namespace("crash", "writer");
        try (NativeMemoryStore store = NativeMemoryStore.builder(dir, new HashingTestEmbedder(32)).binding(binding).open()) {
            store.createNamespace(ns);
            for (long i = 0; ; i++) {
                String text = "item " + args[2] + "-" + i;
                String id = store.add(ns, MemoryRecord.of(text, Map.of("round", args[2])));
                System.out.println(id + "\t" + text);
                System.out.flush();
            }
        }
    }
}
