package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private static final String URL = "jdbc:h2:mem:group-commit;DB_CLOSE_DELAY=-1";

    private StoreSession reader;
    private GroupCommit writer;

    @BeforeEach
    void open() throws SQLException {
        StoreSession ddl = new StoreSession(URL, "sa", "");
        ddl.connection().createStatement().execute("create table if not exists t (k varchar(8) primary key, n int not null)");
        ddl.connection().createStatement().execute("delete from t");
        writer = new GroupCommit(ddl);
        reader = new StoreSession(URL, "sa", "");
    }

    @AfterEach
    void close() {
        writer.close();
        reader.close();
    }

    /** Holds the writer inside a write until the latch opens, so everything queued meanwhile commits as one group. */
    private Future<?> holdWriter(ExecutorService pool, CountDownLatch release, CountDownLatch holding) {
        return pool.submit(() -> writer.write("hold", s -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return s.update("insert into t(k, n) values (?, ?)", "hold", 0);
        }));
    }

    private int count(String sql, Object... args) throws SQLException {
        return reader.query(sql, rs -> rs.getInt(1), args).getFirst();
    }

    @Test
    void aBadWriteInAGroupFailsAloneAndEveryOtherWriteOfTheGroupIsStored() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            Future<?> held = holdWriter(pool, release, holding);
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // every tenth key is longer than the column allows: the database refuses it
                String key = i % 10 == 3 ? "too-long-" + i : "k" + i;
                writes.add(pool.submit(() -> writer.write("insert " + key, s -> s.update("insert into t(k, n) values (?, ?)", key, 1))));
            }
            TestServer.await(() -> writer.queued() == writes.size());
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
            int failed = 0;
            for (int i = 0; i < writes.size(); i++) {
                if (i % 10 == 3) {
                    var e = assertThrows(java.util.concurrent.ExecutionException.class, writes.get(i)::get);
                    assertTrue(e.getCause() instanceof StoreException && e.getCause().getMessage().startsWith("cannot insert too-long-"),
                            e.getCause().getMessage());
                    failed++;
                } else {
                    assertEquals(1, writes.get(i).get());
                }
            }
            assertEquals(4, failed);
            assertEquals(36 + 1, count("select count(*) from t"));
            assertEquals(0, count("select count(*) from t where k like 'too-long%'"));
        }
    }

    @Test
    void eachWriteIsCommittedAndVisibleToOtherSessionsWhenItReturns() throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "c" + i;
                all.add(pool.submit(() -> {
                    writer.write("insert " + key, s -> s.update("insert into t(k, n) values (?, ?)", key, 7));
                    // a session of its own, as a GET would use: the write must already be committed
                    try (StoreSession own = new StoreSession(URL, "sa", "")) {
                        seen.put(key, own.query("select n from t where k = ?", rs -> rs.getInt(1), key).getFirst());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(200, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 7));
    }

    @Test
    void closingCommitsWhatIsQueuedAndLaterWritesFailWithAClearMessage() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            holdWriter(pool, release, holding);
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            Future<Integer> queued = pool.submit(() -> writer.write("queued", s -> s.update("insert into t(k, n) values ('q', 1)")));
            TestServer.await(() -> writer.queued() == 1);
            Future<?> closing = pool.submit(writer::close);
            release.countDown();
            closing.get(10, TimeUnit.SECONDS);
            assertEquals(1, queued.get());
            assertEquals(1, count("select count(*) from t where k = 'q'"));
            var e = assertThrows(StoreException.class, () -> writer.write("insert late", s -> s.update("insert into t(k, n) values ('l', 1)")));
            assertEquals("cannot insert late: the run store is closed", e.getMessage());
        }
    }
}
