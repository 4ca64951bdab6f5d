package io.graft.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.model.CallScope;
import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersConfigTest {
    @TempDir
    Path dir;
    final FakeProvider local = new FakeProvider();
    final FakeProvider claude = new FakeProvider();

    @AfterEach
    void stop() {
        local.close();
        claude.close();
    }

    Path write(String yaml) throws IOException {
        Files.writeString(dir.resolve("claude.key"), "ak-file-secret\n");
        Path f = dir.resolve("providers.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    String valid() {
        return """
                providers:
                  local:
                    type: openai
                    base_url: %s
                    api_key_env: LOCAL_KEY
                    breaker: {failure_threshold: 2, open_for: 10s}
                    models:
                      small: {id: tiny-model, context_window: 4096, price: {input: 1, output: 2}}
                  claude:
                    type: anthropic
                    base_url: %s
                    api_key_file: claude.key
                    models:
                      haiku: {max_tokens: 256}
                policies:
                  main: {strategy: priority, targets: [local/small, claude/haiku]}
                  only-claude: {targets: [claude/haiku]}
                retry: {initial_backoff: 10ms, max_backoff: 50ms}
                cache: {max_entries: 10, ttl: 1m}
                profile: framework-first
                profiles:
                  framework-first: {frameworks: {crewai: only-claude}}
                  native-first: {frameworks: {native: main}}
                agents: {writer: only-claude}
                embeddings:
                  default: {provider: local, model: emb, dimension: 3}
                """.formatted(local.base(), claude.base());
    }

    ProvidersConfig load(String yaml) throws IOException {
        return ProvidersConfig.load(write(yaml), Map.of("LOCAL_KEY", "sk-local-secret"), Clock.systemUTC());
    }

    @Test
    void loadsProvidersPoliciesAndProfilesAndRoutesThroughThem() throws IOException {
        local.always(FakeProvider.status(503, "busy", Map.of()));
        claude.always(FakeProvider.json(io.graft.core.json.Json.write(Map.of("model", "haiku", "stop_reason", "end_turn",
                "content", List.of(Map.of("type", "text", "text", "from claude")), "usage", Map.of("input_tokens", 5, "output_tokens", 2)))));
        ProvidersConfig config = load(valid());
        assertEquals("framework-first", config.profile());
        var resp = config.router().chat(ChatRequest.of(List.of(ChatMessage.user("hi"))));
        assertEquals("claude", resp.provider());
        assertEquals("tiny-model", local.received().getFirst().body().get("model"));
        assertEquals("Bearer sk-local-secret", local.received().getFirst().header("authorization"));
        assertEquals("ak-file-secret", claude.received().getFirst().header("x-api-key"));
        assertEquals(256, claude.received().getFirst().body().get("max_tokens"));
        assertEquals("only-claude", config.router().policyFor(new CallScope("x", "crewai", "", Optional.empty(), false)).name());
        assertEquals("main", config.router().policyFor(new CallScope("x", "native", "", Optional.empty(), false)).name(),
                "native-first is not the active profile");
        assertEquals("only-claude", config.router().policyFor(new CallScope("writer", "native", "", Optional.empty(), false)).name());
        assertEquals(3, config.embedders().get("default").dimension());
        config.router().close();
    }

    @Test
    void theDocumentedExampleFileLoads() {
        Path example = Path.of("../examples/providers.yaml");
        ProvidersConfig config = ProvidersConfig.load(example, Map.of("OPENAI_API_KEY", "sk-x", "ANTHROPIC_API_KEY", "ak-x"), Clock.systemUTC());
        assertEquals("native-first", config.profile());
        assertEquals("cheap-tools", config.router().policyFor(new CallScope("researcher", "native", "", Optional.empty(), false)).name());
        assertEquals("fast", config.router().policyFor(new CallScope("other", "native", "", Optional.empty(), false)).name());
        assertEquals(768, config.embedders().get("default").dimension());
        config.router().close();
    }

    void assertRejected(String yaml, String... fragments) throws IOException {
        var e = assertThrows(ModelException.class, () -> load(yaml));
        assertTrue(e.getMessage().startsWith(dir.resolve("providers.yaml") + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void namesTheFileKeyAndValueOfABadDuration() throws IOException {
        assertRejected(valid().replace("open_for: 10s", "open_for: ten"), "providers.local.breaker.open_for", "'ten'", "30s");
    }

    @Test
    void rejectsAnUnknownKeyListingTheKnownOnes() throws IOException {
        assertRejected(valid().replace("max_tokens: 256", "max_token: 256"), "providers.claude.models.haiku.max_token", "unknown key",
                "max_tokens");
    }

    @Test
    void rejectsAPolicyTargetThatIsNotDeclared() throws IOException {
        assertRejected(valid().replace("[claude/haiku]}", "[claude/opus]}"), "policies.only-claude.targets[0]", "unknown target 'claude/opus'");
    }

    @Test
    void rejectsAnUnknownStrategyProfileAndFramework() throws IOException {
        assertRejected(valid().replace("strategy: priority", "strategy: fastest"), "policies.main.strategy", "'fastest'");
        assertRejected(valid().replace("profile: framework-first", "profile: python-first"), "profile", "'python-first'");
        assertRejected(valid().replace("{crewai: only-claude}", "{crew: only-claude}"), "profiles.framework-first.frameworks.crew");
    }

    @Test
    void saysWhichVariableHoldsNoKeyWithoutPrintingAnyKey() throws IOException {
        var e = assertThrows(ModelException.class, () -> ProvidersConfig.load(write(valid()), Map.of("OTHER", "sk-local-secret"), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("providers.local.api_key_env") && e.getMessage().contains("LOCAL_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-local-secret"));
    }

    @Test
    void rejectsABaseUrlThatIsNotHttp() throws IOException {
        assertRejected(valid().replaceFirst("base_url: \\S+", "base_url: ftp://example.com"), "providers.local.base_url", "ftp://example.com");
    }
}
