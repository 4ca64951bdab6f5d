package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.provider.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    final MutableClock clock = new MutableClock();
    final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(3, Duration.ofSeconds(10), 1), clock);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertEquals(State.CLOSED, breaker.state(), "a success resets the count");
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
    }

    @Test
    void letsOneProbeThroughWhenHalfOpenAndClosesOnItsSuccess() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        clock.advance(Duration.ofSeconds(10));
        assertEquals(State.HALF_OPEN, breaker.state());
        assertTrue(breaker.tryAcquire());
        assertFalse(breaker.tryAcquire(), "only one probe at a time");
        breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void reopensWhenTheProbeFailsAndWaitsTheFullPeriodAgain() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        clock.advance(Duration.ofSeconds(11));
        assertTrue(breaker.tryAcquire());
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state());
        clock.advance(Duration.ofSeconds(9));
        assertFalse(breaker.tryAcquire());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void aReleasedProbeFreesTheHalfOpenSlot() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        clock.advance(Duration.ofSeconds(10));
        assertTrue(breaker.tryAcquire());
        breaker.onRelease();
        assertTrue(breaker.tryAcquire());
    }
}
