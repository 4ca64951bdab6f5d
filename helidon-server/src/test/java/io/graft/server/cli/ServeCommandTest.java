package io.graft.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft serve} in a process of its own, as a user starts it: config file, environment, --port. */
class ServeCommandTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void serveStartsTheServerWithTheConfigFileAndPortAndStopsOnSigterm() throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents/native_react"));
        Files.copy(ROOT.resolve("examples/native_react/agent.json"), agents.resolve("agent.json"));
        Path config = dir.resolve("graft.yaml");
        Files.writeString(config, """
                graft:
                  server:
                    port: 1
                  agents:
                    dir: %s
                  model: scripted:%s
                  database:
                    url: jdbc:h2:file:%s
                """.formatted(dir.resolve("agents"), ROOT.resolve("examples/native_react/scripted.json"), dir.resolve("db")));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dgraft.home=" + ROOT, Main.class.getName(),
                "serve", "--config", config.toString(), "--port", "0");
        pb.environment().put("GRAFT_MAX_IN_FLIGHT", "3");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern serving = Pattern.compile("graft: serving on http://127\\.0\\.0\\.1:(\\d+) .*1 loaded\\)");
            int port = -1;
            while (port < 0) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 1, "--port 0 wins over the file's port 1");
            // The server keeps logging (access log); the pipe is drained so it never blocks on a full buffer.
            Thread.ofVirtual().start(() -> out.lines().forEach(line -> { }));
            HttpClient http = HttpClient.newHttpClient();
            var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            var run = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agent\": \"calculator-native\", \"input\": \"17*23+4\", \"wait\": true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(run.body().contains("\"output\":\"17 * 23 + 4 = 395.\""), run.body());
            var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("graft_runs_capacity 3.0"), "GRAFT_MAX_IN_FLIGHT from the environment applies");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the server");
            assertEquals(0, p.exitValue() == 143 ? 0 : p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadPortIsReportedWithTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("serve", "--port", "http"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("graft serve: --port must be a number from 0 to 65535, was 'http'", err.toString(StandardCharsets.UTF_8).strip());
    }
}
