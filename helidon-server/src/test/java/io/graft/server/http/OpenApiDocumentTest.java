package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document lists exactly the routes the server serves, and each of them is really served. */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentListsEveryRouteAndNothingElse() {
        try (TestServer t = new TestServer(dir)) {
            var served = t.get("/openapi.yaml");
            assertEquals(200, served.status());
            Map<String, Object> doc = new Yaml().load(served.body());
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
            Set<String> documented = new TreeSet<>();
            paths.forEach((path, ops) -> ops.keySet().stream().filter(METHODS::contains)
                    .forEach(m -> documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path)));
            assertEquals(new TreeSet<>(t.server.routes()), documented);

            // Each documented route reaches a handler: whatever it answers, it is not the server's "no route".
            for (String route : documented) {
                String[] parts = route.split(" ");
                String path = parts[1].replace("{name}", "calculator-native").replace("{id}", "no-such-id")
                        .replace("{collection}", "no-such-collection");
                var method = HttpRequest.BodyPublishers.ofString(parts[0].equals("PUT") ? "{" : "");
                var reply = t.send(t.request(path).header("Content-Type", "application/json").method(parts[0], method).build());
                String body = reply.body() == null ? "" : reply.body();
                assertFalse(body.contains("no route"), route + " -> " + reply.status() + " " + body);
            }
            var unrouted = t.get("/v1/not-a-route");
            assertTrue(unrouted.body().contains("no route GET /v1/not-a-route"), unrouted.body());
            assertTrue(List.of(doc.get("openapi")).contains("3.1.0"));
        }
    }
}
