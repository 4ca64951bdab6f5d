package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.GraftException;
import io.graft.python.PythonSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultsServeTheExamplesOnLoopback() {
        ServerSettings s = ServerSettings.load(Optional.empty(), Map.of(), home);
        assertEquals("127.0.0.1", s.host());
        assertEquals(8080, s.port());
        assertEquals(home.resolve("examples"), s.agentsDir());
        assertTrue(s.apiKeys().isEmpty());
        assertEquals(Duration.ofSeconds(120), s.maxTimeout());
        assertTrue(s.memoryEnabled());
        assertEquals(home.resolve("data/memory"), s.memoryDir());
        assertTrue(s.openServerWarning().isEmpty(), "an open server on loopback is the default, and fine");
    }

    @Test
    void anOpenServerOnAnotherHostIsWarnedAboutAndOneWithKeysIsNot() {
        var open = ServerSettings.load(Optional.empty(), Map.of("GRAFT_HOST", "0.0.0.0"), home).openServerWarning();
        assertTrue(open.orElseThrow().startsWith("the server has no API keys and listens on 0.0.0.0: anyone who can reach it"),
                open.toString());
        var keyed = ServerSettings.load(Optional.empty(), Map.of("GRAFT_HOST", "0.0.0.0", "GRAFT_API_KEYS", "acme:" + "ab".repeat(32)),
                home);
        assertTrue(keyed.openServerWarning().isEmpty());
        assertTrue(ServerSettings.load(Optional.empty(), Map.of("GRAFT_HOST", "localhost"), home).openServerWarning().isEmpty());
    }

    @Test
    void theFileIsReadAndEnvironmentVariablesWin() throws Exception {
        Path file = home.resolve("graft.yaml");
        Files.writeString(file, """
                graft:
                  server:
                    port: 9000
                    host: 0.0.0.0
                  agents:
                    dir: my-agents
                    watch: false
                  limits:
                    max-in-flight: 7
                    max-body-bytes: 2048
                  auth:
                    keys:
                      - tenant: acme
                        sha256: %s
                        admin: true
                """.formatted("ab".repeat(32)));
        ServerSettings s = ServerSettings.load(Optional.of(file), Map.of("GRAFT_PORT", "9100"), home);
        assertEquals(9100, s.port());
        assertEquals("0.0.0.0", s.host());
        assertEquals(home.resolve("my-agents"), s.agentsDir());
        assertEquals(false, s.watch());
        assertEquals(7, s.maxInFlight());
        assertEquals(2048, s.maxBodyBytes());
        assertEquals("acme", s.apiKeys().getFirst().tenant());
        assertTrue(s.apiKeys().getFirst().admin());
        assertEquals(9200, s.withPort(9200).port());
        assertEquals(s.memoryDir(), s.withPort(9200).memoryDir());
    }

    @Test
    void memoryCanMoveOrBeTurnedOff() throws Exception {
        Path file = home.resolve("graft.yaml");
        Files.writeString(file, "graft:\n  memory:\n    dir: memories\n    enabled: false\n");
        ServerSettings fromFile = ServerSettings.load(Optional.of(file), Map.of(), home);
        assertEquals(home.resolve("memories"), fromFile.memoryDir());
        assertEquals(false, fromFile.memoryEnabled());
        Path elsewhere = home.resolve("elsewhere").toAbsolutePath();
        ServerSettings fromEnv = ServerSettings.load(Optional.of(file),
                Map.of("GRAFT_MEMORY_DIR", elsewhere.toString(), "GRAFT_MEMORY_ENABLED", "true"), home);
        assertEquals(elsewhere, fromEnv.memoryDir());
        assertTrue(fromEnv.memoryEnabled());
        var bad = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.empty(), Map.of("GRAFT_MEMORY_ENABLED", "maybe"), home));
        assertEquals("GRAFT_MEMORY_ENABLED must be true or false, was 'maybe'", bad.getMessage());
    }

    @Test
    void pythonFileAccessIsRestrictedUnlessTheSettingsGrantMore() throws Exception {
        ServerSettings defaults = ServerSettings.load(Optional.empty(), Map.of(), home);
        assertEquals(PythonSettings.FileAccess.RESTRICTED, defaults.pythonFiles());
        assertTrue(defaults.pythonReadable().isEmpty());
        Path file = home.resolve("graft.yaml");
        Files.writeString(file, "graft:\n  python:\n    files: audit\n    readable: [docs, /srv/kb]\n");
        ServerSettings fromFile = ServerSettings.load(Optional.of(file), Map.of(), home);
        assertEquals(PythonSettings.FileAccess.AUDIT, fromFile.pythonFiles());
        assertEquals(List.of(home.resolve("docs"), Path.of("/srv/kb")), fromFile.pythonReadable());
        ServerSettings fromEnv = ServerSettings.load(Optional.of(file),
                Map.of("GRAFT_PYTHON_FILES", "host", "GRAFT_PYTHON_READABLE", "/data/a:/data/b"), home);
        assertEquals(PythonSettings.FileAccess.HOST, fromEnv.pythonFiles());
        assertEquals(List.of(Path.of("/data/a"), Path.of("/data/b")), fromEnv.pythonReadable());
        var bad = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.empty(), Map.of("GRAFT_PYTHON_FILES", "open"), home));
        assertEquals("GRAFT_PYTHON_FILES must be restricted, audit or host, was 'open'", bad.getMessage());
    }

    @Test
    void aBadValueNamesItsSetting() throws Exception {
        var e = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.empty(), Map.of("GRAFT_MAX_IN_FLIGHT", "lots"), home));
        assertEquals("GRAFT_MAX_IN_FLIGHT must be a whole number, was 'lots'", e.getMessage());
        Path file = home.resolve("bad.yaml");
        Files.writeString(file, "graft:\n  server:\n    port: 70000\n");
        var p = assertThrows(GraftException.class, () -> ServerSettings.load(Optional.of(file), Map.of(), home));
        assertEquals("graft.server.port must be between 0 and 65535, was 70000", p.getMessage());
        var k = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.empty(), Map.of("GRAFT_API_KEYS", "acme:1234"), home));
        assertTrue(k.getMessage().startsWith("GRAFT_API_KEYS: sha256 must be the 64 hex digits"), k.getMessage());
        var missing = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.of(home.resolve("none.yaml")), Map.of(), home));
        assertTrue(missing.getMessage().endsWith("none.yaml does not exist"));
    }

    @Test
    void runsAreKeptUnlessARetentionOfAtLeastAMinuteIsSet() throws Exception {
        assertEquals(Optional.empty(), ServerSettings.load(Optional.empty(), Map.of(), home).runRetention());
        assertEquals(Optional.empty(),
                ServerSettings.load(Optional.empty(), Map.of("GRAFT_RUN_RETENTION", "off"), home).runRetention());
        Path file = home.resolve("retention.yaml");
        Files.writeString(file, "graft:\n  runs:\n    retention: 30d\n");
        assertEquals(Optional.of(Duration.ofDays(30)), ServerSettings.load(Optional.of(file), Map.of(), home).runRetention());
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                ServerSettings.load(Optional.of(file), Map.of("GRAFT_RUN_RETENTION", "90S"), home).runRetention());
        assertEquals(List.of("30d", "12h", "90m", "90s"), List.of(Duration.ofDays(30), Duration.ofHours(12),
                Duration.ofMinutes(90), Duration.ofSeconds(90)).stream().map(ServerSettings::text).toList());
        var unit = assertThrows(GraftException.class,
                () -> ServerSettings.load(Optional.empty(), Map.of("GRAFT_RUN_RETENTION", "30 days"), home));
        assertEquals("GRAFT_RUN_RETENTION must be off or a whole number followed by s, m, h or d (30d, 12h), was '30 days'",
                unit.getMessage());
        Files.writeString(file, "graft:\n  runs:\n    retention: 10s\n");
        var shortOne = assertThrows(GraftException.class, () -> ServerSettings.load(Optional.of(file), Map.of(), home));
        assertEquals("graft.runs.retention must be at least 1m, was '10s'", shortOne.getMessage());
    }
}
