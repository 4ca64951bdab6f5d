package io.graft.core;

import java.time.Duration;
import java.util.Objects;

/** One-line argument guards with exact messages; every failure is a {@link GraftException}. */
public final class Checks {
    private Checks() {}

    public static String requireNonBlank(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new GraftException(what + " must not be blank");
        }
        return value;
    }

    public static Duration requirePositive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new GraftException(what + " must be positive, was " + value);
        }
        return value;
    }

    public static int requirePositive(int value, String what) {
        if (value <= 0) {
            throw new GraftException(what + " must be positive, was " + value);
        }
        return value;
    }

    public static void requireArgument(boolean condition, String message) {
        if (!condition) {
            throw new GraftException(message);
        }
    }
}
