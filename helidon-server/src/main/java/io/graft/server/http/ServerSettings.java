package io.graft.server.http;

import io.graft.core.GraftException;
import io.graft.python.PythonSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything {@code graft serve} can be told: read from a YAML file, then overridden by
 * environment variables (then the command line's {@code --port}). docs/http-api.md lists them.
 *
 * @param agentsDir where agent definitions live; watched when {@code watch} is set
 * @param model the chat model spec every agent uses, e.g. {@code scripted:FILE.json}
 * @param databaseUrl the JDBC URL of the run store
 * @param maxInFlight runs admitted at once; one more answers 429
 * @param maxBodyBytes the largest request body accepted
 * @param retryAfter what a 429 tells the client to wait
 * @param maxTimeout the longest run a client may ask for (and the default)
 * @param pythonPoolSize GraalPy contexts started when the first Python agent loads
 * @param pythonWarmUp how long each GraalPy context runs the loaded Python agents before it serves (zero: no warm-up)
 * @param pythonWarmUpModel the model spec of warm-up runs; empty: the server's model if it is scripted, else a
 *     one-turn scripted answer (warm-up runs never call a paid provider unless told to)
 * @param apiKeys the keys that may call the API; none means an open server (bind it to loopback)
 * @param memoryEnabled whether agents (and {@code /v1/memory}) have a memory store
 * @param memoryDir where the native memory store keeps its collections
 * @param accessLog where the access log goes: {@code stdout}, {@code off} or a file (appended to)
 * @param pythonFiles what Python agent code may do with the host's files
 * @param pythonReadable directories Python agent code may read besides the venv and the scripts' own directories
 * @param runRetention how long after its end a run is deleted; empty: runs are kept
 * @param pythonQueuePerContext runs of Python agents that may wait for each GraalPy context; one more answers 429
 */
public record ServerSettings(String host, int port, Path agentsDir, boolean watch, String model, String databaseUrl,
        int maxInFlight, long maxBodyBytes, Duration retryAfter, Duration maxTimeout, int pythonPoolSize,
        Duration pythonWarmUp, String pythonWarmUpModel, List<ApiKeys.Key> apiKeys, boolean memoryEnabled, Path memoryDir,
        String accessLog, PythonSettings.FileAccess pythonFiles, List<Path> pythonReadable, Optional<Duration> runRetention,
        int pythonQueuePerContext) {

    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
        pythonReadable = List.copyOf(pythonReadable);
    }

    /** Reads {@code file} (if given) and then {@code env}; relative paths resolve against {@code home}. */
    public static ServerSettings load(Optional<Path> file, Map<String, String> env, Path home) {
        Config config = Config.empty();
        if (file.isPresent()) {
            if (!Files.isRegularFile(file.get())) {
                throw new GraftException("config file " + file.get() + " does not exist");
            }
            config = Config.builder(ConfigSources.file(file.get()))
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .build();
        }
        Config g = config.get("graft");
        Reader r = new Reader(g, env);
        String host = r.string("server.host", "GRAFT_HOST", "127.0.0.1");
        int port = r.integer("server.port", "GRAFT_PORT", 8080, 0, 65535);
        Path agents = home.resolve(r.string("agents.dir", "GRAFT_AGENTS_DIR", "examples")).normalize();
        boolean watch = r.bool("agents.watch", "GRAFT_AGENTS_WATCH", true);
        String model = r.string("model", "GRAFT_MODEL", "scripted:" + home.resolve("examples/native_react/scripted.json"));
        String db = r.string("database.url", "GRAFT_DATABASE_URL",
                "jdbc:h2:file:" + home.resolve("data/graft").toAbsolutePath() + ";AUTO_SERVER=FALSE");
        int inFlight = r.integer("limits.max-in-flight", "GRAFT_MAX_IN_FLIGHT", 256, 1, 1_000_000);
        long body = r.integer("limits.max-body-bytes", "GRAFT_MAX_BODY_BYTES", 1 << 20, 1, Integer.MAX_VALUE - 16);
        int retry = r.integer("limits.retry-after-seconds", "GRAFT_RETRY_AFTER_SECONDS", 1, 1, 3600);
        int maxTimeout = r.integer("limits.max-timeout-seconds", "GRAFT_MAX_TIMEOUT_SECONDS", 120, 1, 86_400);
        // Half the cores: the Graal compiler needs the rest to compile the agents' Python (on 2 cores,
        // one context served a LangGraph agent 3.5x faster than two: docs/performance.md).
        int pool = r.integer("python.pool-size", "GRAFT_PYTHON_POOL_SIZE",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1, 64);
        int queue = r.integer("python.queue-per-context", "GRAFT_PYTHON_QUEUE_PER_CONTEXT",
                PythonSettings.DEFAULT_QUEUE_PER_CONTEXT, 0, 100_000);
        long warmUp = r.integer("python.warmup-seconds", "GRAFT_PYTHON_WARMUP_SECONDS", 30, 0, 3600);
        String warmUpModel = r.string("python.warmup-model", "GRAFT_PYTHON_WARMUP_MODEL", "");
        boolean memory = r.bool("memory.enabled", "GRAFT_MEMORY_ENABLED", true);
        // The same variable and default as the CLI's (Graft.memoryDir()), so both see the same memories.
        Path memoryDir = home.resolve(r.string("memory.dir", "GRAFT_MEMORY_DIR", "data/memory")).toAbsolutePath().normalize();
        String accessLog = r.string("log.access", "GRAFT_ACCESS_LOG", AccessLog.STDOUT);
        if (!accessLog.equals(AccessLog.STDOUT) && !accessLog.equals(AccessLog.OFF)) {
            accessLog = home.resolve(accessLog).toAbsolutePath().normalize().toString();
        }
        PythonSettings.FileAccess files;
        String filesText = r.string("python.files", "GRAFT_PYTHON_FILES", "restricted");
        try {
            files = PythonSettings.FileAccess.valueOf(filesText.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GraftException(r.where("python.files", "GRAFT_PYTHON_FILES")
                    + " must be restricted, audit or host, was '" + filesText + "'");
        }
        // A YAML list, or directories separated by ':' (the variable's form).
        List<String> readableNames = env.containsKey("GRAFT_PYTHON_READABLE") || g.get("python.readable").isLeaf()
                ? List.of(r.string("python.readable", "GRAFT_PYTHON_READABLE", "").split(java.io.File.pathSeparator))
                : g.get("python.readable").asList(String.class).orElse(List.of());
        List<Path> readable = readableNames.stream().map(String::strip).filter(d -> !d.isEmpty())
                .map(d -> home.resolve(d).toAbsolutePath().normalize()).toList();
        Optional<Duration> retention = r.retention("runs.retention", "GRAFT_RUN_RETENTION");
        List<ApiKeys.Key> keys = new ArrayList<>();
        for (Config k : g.get("auth.keys").asNodeList().orElse(List.of())) {
            keys.add(key(k.get("tenant").asString().orElse(""), k.get("sha256").asString().orElse(""),
                    k.get("admin").asBoolean().orElse(false), "graft.auth.keys[" + k.name() + "]"));
        }
        String envKeys = env.getOrDefault("GRAFT_API_KEYS", "");
        if (!envKeys.isBlank()) {
            for (String entry : envKeys.split(",")) {
                String[] parts = entry.trim().split(":");
                if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("admin"))) {
                    throw new GraftException("GRAFT_API_KEYS entry '" + entry.trim()
                            + "' must be TENANT:SHA256 or TENANT:SHA256:admin");
                }
                keys.add(key(parts[0], parts[1], parts.length == 3, "GRAFT_API_KEYS"));
            }
        }
        return new ServerSettings(host, port, agents, watch, model, db, inFlight, body, Duration.ofSeconds(retry),
                Duration.ofSeconds(maxTimeout), pool, Duration.ofSeconds(warmUp), warmUpModel, keys, memory, memoryDir, accessLog,
                files, readable, retention, queue);
    }

    private static ApiKeys.Key key(String tenant, String sha256, boolean admin, String where) {
        if (tenant.isBlank()) {
            throw new GraftException(where + ": tenant must not be blank");
        }
        String hex = sha256.toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new GraftException(where + ": sha256 must be the 64 hex digits of the key's SHA-256, was '" + sha256 + "'");
        }
        return new ApiKeys.Key(tenant, HexFormat.of().parseHex(hex), admin);
    }

    /**
     * What to tell whoever starts a server that anyone who reaches it may use as its admin: no API
     * keys, and a host that is not loopback. Empty for a server with keys or on loopback.
     */
    public Optional<String> openServerWarning() {
        if (!apiKeys.isEmpty() || loopback(host)) {
            return Optional.empty();
        }
        return Optional.of("the server has no API keys and listens on " + host + ": anyone who can reach it may run agents,"
                + " read every run and upload Python; set GRAFT_API_KEYS (docs/http-api.md#authentication-and-tenants)"
                + " or bind it to 127.0.0.1");
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false; // the server will not bind it either, and says why
        }
    }

    public ServerSettings withPort(int port) {
        return new ServerSettings(host, port, agentsDir, watch, model, databaseUrl, maxInFlight, maxBodyBytes, retryAfter,
                maxTimeout, pythonPoolSize, pythonWarmUp, pythonWarmUpModel, apiKeys, memoryEnabled, memoryDir, accessLog,
                pythonFiles, pythonReadable, runRetention, pythonQueuePerContext);
    }

    private static final Pattern RETENTION = Pattern.compile("(\\d{1,9})([smhd])");

    /** {@code d} as {@link Reader#retention} reads it: 30d, 12h, 90m or 45s. */
    public static String text(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Looks a setting up in the environment first, then in the file. */
    private record Reader(Config file, Map<String, String> env) {
        String string(String key, String var, String fallback) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                return v;
            }
            return file.get(key).asString().orElse(fallback);
        }

        long integer(String key, String var, long fallback, long min, long max) {
            String text = string(key, var, Long.toString(fallback));
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new GraftException(where(key, var) + " must be a whole number, was '" + text + "'");
            }
            if (v < min || v > max) {
                throw new GraftException(where(key, var) + " must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        }

        int integer(String key, String var, int fallback, int min, int max) {
            return (int) integer(key, var, (long) fallback, min, max);
        }

        boolean bool(String key, String var, boolean fallback) {
            String text = string(key, var, Boolean.toString(fallback)).trim().toLowerCase(Locale.ROOT);
            return switch (text) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new GraftException(where(key, var) + " must be true or false, was '" + text + "'");
            };
        }

        /**
         * {@code off}, or a whole number of seconds, minutes, hours or days ({@code 90s}, {@code 30m},
         * {@code 12h}, {@code 30d}) of at least a minute: shorter would delete runs their clients
         * may still be reading.
         */
        Optional<Duration> retention(String key, String var) {
            String text = string(key, var, "off").strip().toLowerCase(Locale.ROOT);
            if (text.equals("off")) {
                return Optional.empty();
            }
            var m = RETENTION.matcher(text);
            if (!m.matches()) {
                throw new GraftException(where(key, var) + " must be off or a whole number followed by s, m, h or d"
                        + " (30d, 12h), was '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (d.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new GraftException(where(key, var) + " must be at least 1m, was '" + text + "'");
            }
            return Optional.of(d);
        }

        String where(String key, String var) {
            return env.containsKey(var) ? var : "graft." + key;
        }
    }
}
