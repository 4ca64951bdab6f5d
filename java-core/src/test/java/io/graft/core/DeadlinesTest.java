package io.graft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private final Deadlines deadlines = new Deadlines("test-deadlines");

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aDeadlineFiresOnceItHasPassedAndNotBefore() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        long start = System.nanoTime();
        deadlines.add(Duration.ofMillis(50), fired::countDown);
        assertTrue(fired.await(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos());
        assertEquals(0, deadlines.size());
    }

    @Test
    void aRemovedDeadlineNeverFires() throws Exception {
        AtomicBoolean fired = new AtomicBoolean();
        var d = deadlines.add(Duration.ofMillis(20), () -> fired.set(true));
        deadlines.remove(d);
        assertEquals(0, deadlines.size());
        CountDownLatch later = new CountDownLatch(1);
        deadlines.add(Duration.ofMillis(60), later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertFalse(fired.get());
    }

    @Test
    void theWatcherWakesFromIdleForANewDeadlineAndOutlivesAFailingAction() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        deadlines.add(Duration.ZERO, () -> {
            first.countDown();
            throw new IllegalStateException("a failing action");
        });
        assertTrue(first.await(10, TimeUnit.SECONDS));
        Thread.sleep(3 * Deadlines.TICK.toMillis()); // nothing pending: the watcher sleeps
        CountDownLatch second = new CountDownLatch(1);
        deadlines.add(Duration.ofMillis(1), second::countDown);
        assertTrue(second.await(10, TimeUnit.SECONDS));
    }
}
