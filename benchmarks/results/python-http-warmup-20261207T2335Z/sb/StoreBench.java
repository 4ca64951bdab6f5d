import io.graft.server.http.RunService;
import io.graft.server.http.RunStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.atomic.*;

/** H2-alone: callers store waited runs (held start + end, one write each) through RunStore; writer CPU and bytes per run and per commit. */
public class StoreBench {
    static long wchar() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("wchar")).mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
    }
    public static void main(String[] a) throws Exception {
        String url = a[0]; int callers = Integer.parseInt(a[1]); int warm = Integer.parseInt(a[2]); int measure = Integer.parseInt(a[3]);
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("sample", "benchmarks/results/store-bytes-20261207T1700Z/amp/sample.txt")));
        String result = lines.get(0);
        List<RunStore.StoredEvent> events = new ArrayList<>();
        for (int i = 1; i + 1 < lines.size(); i += 2) events.add(new RunStore.StoredEvent(events.size() + 1, lines.get(i).trim(), lines.get(i + 1)));
        RunStore store = new RunStore(url, "sa", "");
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        store.bindTo(reg);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong runs = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            ts.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Instant now = Instant.now();
                    var run = new RunStore.StoredRun(RunService.newId(now), "default", "calculator-native", "native", "RUNNING", "",
                            "What is 17 * 23 + 4?", now, Optional.empty(), Optional.empty());
                    var start = store.insertRunLater(run);
                    store.finishRun(run, start, "COMPLETED", Instant.now(), result, events,
                            List.of(new RunStore.ProviderUse("scripted:scripted.json", 2, 49, 15, 0.0)));
                    runs.incrementAndGet();
                }
            }));
        }
        var mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(warm * 1000L);
        long writerId = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("graft-store-writer")).findFirst().orElseThrow().threadId();
        long r0 = runs.get(), c0 = (long) reg.get("graft.store.commits").functionCounter().count(), w0 = wchar(), cpu0 = mx.getThreadCpuTime(writerId);
        long t0 = System.nanoTime();
        Thread.sleep(measure * 1000L);
        long r1 = runs.get(), c1 = (long) reg.get("graft.store.commits").functionCounter().count(), w1 = wchar(), cpu1 = mx.getThreadCpuTime(writerId);
        double secs = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : ts) t.join();
        long n = r1 - r0, commits = c1 - c0;
        System.out.printf("%s callers %d: %.0f runs/s, %.1f runs/commit, writer %.1f us/run %.0f us/commit, wchar %.0f B/run %.0f B/commit%n",
                url.replaceAll(".*;", ";").replaceAll("^jdbc.*", "default"), callers, n / secs, (double) n / commits, (cpu1 - cpu0) / 1e3 / n, (cpu1 - cpu0) / 1e3 / commits,
                (double) (w1 - w0) / n, (double) (w1 - w0) / commits);
        store.close();
    }
}
