package io.graft.server.cli;

import io.graft.server.http.RunStore;
import io.graft.server.http.ServerSettings;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** {@code graft compact [--config FILE]}: rewrites the stopped server's run database with only its live data. */
final class CompactCommand {
    static final Map<String, Boolean> OPTIONS = Map.of("config", true);

    private CompactCommand() {}

    static int execute(Arguments args, PrintStream out) {
        ServerSettings settings = ServeCommand.settings("compact", args, ServeCommand.home());
        long start = System.nanoTime();
        RunStore.Compaction done = RunStore.compact(settings.databaseUrl(), "sa", "");
        out.printf(Locale.ROOT, "graft: compacted %s from %s to %s in %.1f s%n", done.file(), size(done.bytesBefore()),
                size(done.bytesAfter()), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String size(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
