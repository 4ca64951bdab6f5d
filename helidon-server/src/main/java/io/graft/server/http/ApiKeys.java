package io.graft.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * API keys, kept only as SHA-256 hashes, each bound to a tenant. With no keys configured the
 * server is open and every caller is the admin of tenant {@value #OPEN_TENANT}.
 */
public final class ApiKeys {
    public static final String OPEN_TENANT = "default";

    private final List<Key> keys;

    /** A key's hash, its tenant, and whether it may change agents. */
    public record Key(String tenant, byte[] sha256, boolean admin) {}

    /** Who is calling. */
    public record Principal(String tenant, boolean admin) {}

    public ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    public boolean open() {
        return keys.isEmpty();
    }

    /** The principal of an {@code Authorization} header value, if it carries a known key. */
    public Optional<Principal> authenticate(Optional<String> authorization) {
        if (open()) {
            return Optional.of(new Principal(OPEN_TENANT, true));
        }
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] hash = sha256(authorization.get().substring(7).trim());
        // Every key is compared in constant time, so timing does not tell how close a guess came.
        Principal found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.sha256(), hash) && found == null) {
                found = new Principal(k.tenant(), k.admin());
            }
        }
        return Optional.ofNullable(found);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new io.graft.core.GraftException("SHA-256 is not available", e);
        }
    }
}
