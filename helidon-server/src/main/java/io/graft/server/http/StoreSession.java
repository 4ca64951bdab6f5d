package io.graft.server.http;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One database connection and its prepared statements, each prepared once and reused.
 *
 * <p>Why not a connection pool: H2's pool hands out a new connection handle each time, and its
 * statement cache missed behind it, so every statement of every run was parsed again (a quarter of
 * the store's time in a profile). A session is used by one thread at a time.
 */
final class StoreSession implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    StoreSession(String url, String user, String password) throws SQLException {
        this.connection = DriverManager.getConnection(url, user, password);
    }

    Connection connection() {
        return connection;
    }

    /** The statement for {@code sql} with {@code args} bound; prepared on first use and kept open. */
    PreparedStatement prepare(String sql, @Nullable Object... args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    int update(String sql, @Nullable Object... args) throws SQLException {
        return prepare(sql, args).executeUpdate();
    }

    <T> List<T> query(String sql, Row<T> row, @Nullable Object... args) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            while (rs.next()) {
                out.add(row.read(rs));
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
            connection.close();
        } catch (SQLException e) {
            // closing is best effort: the connection is dropped either way
        }
    }
}
