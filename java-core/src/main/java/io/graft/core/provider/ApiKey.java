package io.graft.core.provider;

import io.graft.core.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A provider's API key. It is read from an environment variable or a file, and its value never
 * appears in {@link #toString()}, error messages or logs; only {@link #reveal()} gives it, to set
 * a request header.
 */
public final class ApiKey {
    private final String value;
    private final String source;

    private ApiKey(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** A key given directly (tests, programmatic setups); {@code source} says where it came from, for messages. */
    public static ApiKey of(String value, String source) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new ModelException("API key from " + source + " is empty");
        }
        return new ApiKey(value.strip(), source);
    }

    /** Reads the key from environment variable {@code name} of {@code env}. */
    public static ApiKey fromEnv(String name, Map<String, String> env) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new ModelException("environment variable " + name + " holds no API key (it is unset or empty)");
        }
        return new ApiKey(v.strip(), "environment variable " + name);
    }

    /** Reads the key from the first line of {@code file}. */
    public static ApiKey fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            // The exception message names the file only; it cannot contain the key.
            throw new ModelException("cannot read API key file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        String line = text.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            throw new ModelException("API key file " + file + " is empty");
        }
        return new ApiKey(line, "file " + file);
    }

    /** The key itself, for the request header only. */
    public String reveal() {
        return value;
    }

    /** Where the key came from, safe to print. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "ApiKey[from " + source + ", ****]";
    }
}
