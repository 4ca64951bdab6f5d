package io.graft.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.graft.core.Framework;
import io.graft.core.GraftException;
import io.graft.core.memory.Embedder;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ModelException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a providers file (YAML; see {@code docs/providers.md}) into a {@link ProviderRouter} and
 * the embedders it declares. Everything is checked on load: an unknown key, a value of the wrong
 * type, a policy naming an unknown target or a missing API key fails with a message naming the
 * file, the key and the value, before any call is made.
 */
public final class ProvidersConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final ProviderRouter router;
    private final Map<String, Embedder> embedders;
    private final String profile;

    private ProvidersConfig(ProviderRouter router, Map<String, Embedder> embedders, String profile) {
        this.router = router;
        this.embedders = Map.copyOf(embedders);
        this.profile = profile;
    }

    /** The router over every configured target; it is the {@link ChatModel} to give the runtime. */
    public ProviderRouter router() {
        return router;
    }

    /** The embedders by name, as declared under {@code embeddings}. */
    public Map<String, Embedder> embedders() {
        return embedders;
    }

    /** The active profile's name; empty when the file uses none. */
    public String profile() {
        return profile;
    }

    /** Loads {@code file}, reading API keys from the process environment. */
    public static ProvidersConfig load(Path file) {
        return load(file, System.getenv(), Clock.systemUTC());
    }

    /** Loads {@code file}; keys named by {@code api_key_env} are looked up in {@code env}. */
    public static ProvidersConfig load(Path file, Map<String, String> env, Clock clock) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ModelException("cannot read providers file " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new ModelException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ModelException(file + ": the file is empty; it needs at least 'providers' and 'policies'");
        }
        return new Reader(file, env, clock).read(new Node(root, ""));
    }

    /** A YAML node with its dotted path, so every error names the key. */
    private record Node(JsonNode json, String path) {
        Node child(String key) {
            return new Node(json.path(key), path.isEmpty() ? key : path + "." + key);
        }

        boolean has(String key) {
            return json.has(key) && !json.get(key).isNull();
        }

        Iterable<Map.Entry<String, Node>> entries() {
            List<Map.Entry<String, Node>> out = new ArrayList<>();
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.add(Map.entry(k, child(k)));
            }
            return out;
        }
    }

    /** One pass over one file; holds what error messages need. */
    private static final class Reader {
        private final Path file;
        private final Map<String, String> env;
        private final Clock clock;

        Reader(Path file, Map<String, String> env, Clock clock) {
            this.file = file;
            this.env = env;
            this.clock = clock;
        }

        ModelException error(Node at, String message) {
            return new ModelException(file + ": " + (at.path().isEmpty() ? "" : at.path() + ": ") + message);
        }

        void keys(Node n, Set<String> allowed) {
            object(n);
            for (var e : n.entries()) {
                if (!allowed.contains(e.getKey())) {
                    throw error(e.getValue(), "unknown key; expected one of " + allowed.stream().sorted().toList());
                }
            }
        }

        void object(Node n) {
            if (!n.json().isObject()) {
                throw error(n, "expected a mapping, got " + show(n));
            }
        }

        static String show(Node n) {
            return n.json().isMissingNode() ? "nothing" : "'" + (n.json().isTextual() ? n.json().asText() : n.json().toString()) + "'";
        }

        String text(Node n) {
            if (!n.json().isTextual() || n.json().asText().isBlank()) {
                throw error(n, "expected a non-empty string, got " + show(n));
            }
            return n.json().asText();
        }

        String text(Node parent, String key, String fallback) {
            return parent.has(key) ? text(parent.child(key)) : fallback;
        }

        int integer(Node parent, String key, int fallback, int min) {
            if (!parent.has(key)) {
                return fallback;
            }
            Node n = parent.child(key);
            if (!n.json().canConvertToInt() || !n.json().isIntegralNumber() || n.json().asInt() < min) {
                throw error(n, "expected a whole number of at least " + min + ", got " + show(n));
            }
            return n.json().asInt();
        }

        double number(Node parent, String key, double fallback, double min, double max) {
            if (!parent.has(key)) {
                return fallback;
            }
            Node n = parent.child(key);
            if (!n.json().isNumber() || n.json().asDouble() < min || n.json().asDouble() > max) {
                throw error(n, "expected a number within " + min + ".." + max + ", got " + show(n));
            }
            return n.json().asDouble();
        }

        boolean bool(Node parent, String key, boolean fallback) {
            if (!parent.has(key)) {
                return fallback;
            }
            Node n = parent.child(key);
            if (!n.json().isBoolean()) {
                throw error(n, "expected true or false, got " + show(n));
            }
            return n.json().asBoolean();
        }

        Duration duration(Node parent, String key, Duration fallback) {
            if (!parent.has(key)) {
                return fallback;
            }
            Node n = parent.child(key);
            if (n.json().isNumber() && n.json().asDouble() > 0) {
                return Duration.ofMillis((long) (n.json().asDouble() * 1000));
            }
            Matcher m = DURATION.matcher(n.json().asText("").strip());
            if (!n.json().isTextual() || !m.matches() || Double.parseDouble(m.group(1)) <= 0) {
                throw error(n, "expected a positive duration such as 500ms, 30s, 2m or 1h, got " + show(n));
            }
            double v = Double.parseDouble(m.group(1));
            long millis = (long) switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1_000;
                case "m" -> v * 60_000;
                default -> v * 3_600_000;
            };
            return Duration.ofMillis(Math.max(1, millis));
        }

        Map<String, String> strings(Node parent, String key) {
            Map<String, String> out = new LinkedHashMap<>();
            if (parent.has(key)) {
                Node n = parent.child(key);
                object(n);
                for (var e : n.entries()) {
                    out.put(e.getKey(), text(e.getValue()));
                }
            }
            return out;
        }

        ProvidersConfig read(Node root) {
            keys(root, Set.of("providers", "policies", "default_policy", "retry", "cache", "profile", "profiles", "frameworks",
                    "agents", "embeddings", "default_timeout"));
            if (!root.has("providers")) {
                throw error(root, "'providers' is missing: declare at least one provider with its models");
            }
            if (!root.has("policies")) {
                throw error(root, "'policies' is missing: declare at least one policy naming provider/model targets");
            }
            ProviderRouter.Builder b = ProviderRouter.builder().name("router:" + file.getFileName()).clock(clock);
            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            List<String> targetIds = new ArrayList<>();
            Node providers = root.child("providers");
            object(providers);
            for (var p : providers.entries()) {
                readProvider(p.getKey(), p.getValue(), b, endpoints, types, targetIds);
            }
            Node policies = root.child("policies");
            object(policies);
            for (var p : policies.entries()) {
                b.policy(readPolicy(p.getKey(), p.getValue(), targetIds));
            }
            List<String> policyNames = new ArrayList<>();
            policies.entries().forEach(e -> policyNames.add(e.getKey()));
            if (policyNames.isEmpty()) {
                throw error(policies, "declare at least one policy");
            }
            String defaultPolicy = text(root, "default_policy", policyNames.getFirst());
            requirePolicy(root.child("default_policy"), defaultPolicy, policyNames);
            b.defaultPolicy(defaultPolicy);
            b.defaultTimeout(duration(root, "default_timeout", Duration.ofMinutes(2)));
            if (root.has("retry")) {
                Node r = root.child("retry");
                keys(r, Set.of("initial_backoff", "max_backoff", "multiplier", "jitter"));
                Duration initial = duration(r, "initial_backoff", Backoff.DEFAULT.initial());
                Duration max = duration(r, "max_backoff", Backoff.DEFAULT.max());
                if (max.compareTo(initial) < 0) {
                    throw error(r.child("max_backoff"), "must not be shorter than initial_backoff (" + initial + "), got " + max);
                }
                b.backoff(new Backoff(initial, max, number(r, "multiplier", 2, 1, 100), number(r, "jitter", 0.2, 0, 1)));
            }
            if (root.has("cache")) {
                Node c = root.child("cache");
                keys(c, Set.of("enabled", "max_entries", "ttl"));
                if (bool(c, "enabled", true)) {
                    b.cache(integer(c, "max_entries", 10_000, 1), duration(c, "ttl", Duration.ofMinutes(10)));
                }
            }
            String profile = readPreferences(root, b, policyNames);
            Map<String, Embedder> embedders = root.has("embeddings") ? readEmbedders(root.child("embeddings"), endpoints, types) : Map.of();
            try {
                return new ProvidersConfig(b.build(), embedders, profile);
            } catch (GraftException e) {
                throw new ModelException(file + ": " + e.getMessage(), e);
            }
        }

        private void readProvider(String name, Node p, ProviderRouter.Builder b, Map<String, Endpoint> endpoints,
                Map<String, String> types, List<String> targetIds) {
            keys(p, Set.of("type", "base_url", "api_key_env", "api_key_file", "connect_timeout", "request_timeout",
                    "stream_idle_timeout", "max_concurrency", "headers", "breaker", "models"));
            if (name.contains("/")) {
                throw error(p, "a provider name must not contain '/' (targets are named provider/model)");
            }
            String type = text(p, "type", "openai");
            if (!type.equals("openai") && !type.equals("anthropic")) {
                throw error(p.child("type"), "expected openai (any OpenAI-compatible server) or anthropic, got '" + type + "'");
            }
            String defaultUrl = type.equals("anthropic") ? "https://api.anthropic.com/v1" : "https://api.openai.com/v1";
            String url = text(p, "base_url", defaultUrl);
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw error(p.child("base_url"), "not a URL: '" + url + "'");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw error(p.child("base_url"), "expected an http:// or https:// URL with a host, got '" + url + "'");
            }
            Endpoint e = new Endpoint(name, uri, Optional.empty(), duration(p, "connect_timeout", Duration.ofSeconds(5)),
                    duration(p, "request_timeout", Duration.ofSeconds(120)), duration(p, "stream_idle_timeout", Duration.ofSeconds(30)),
                    strings(p, "headers"));
            if (p.has("api_key_env") && p.has("api_key_file")) {
                throw error(p, "give api_key_env or api_key_file, not both");
            }
            if (p.has("api_key_env")) {
                String var = text(p.child("api_key_env"));
                try {
                    e = e.withApiKey(ApiKey.fromEnv(var, env));
                } catch (ModelException ex) {
                    throw error(p.child("api_key_env"), ex.getMessage());
                }
            } else if (p.has("api_key_file")) {
                String f = text(p.child("api_key_file"));
                Path keyFile = f.startsWith("~/") ? Path.of(System.getProperty("user.home"), f.substring(2))
                        : file.toAbsolutePath().resolveSibling(f);
                try {
                    e = e.withApiKey(ApiKey.fromFile(keyFile));
                } catch (ModelException ex) {
                    throw error(p.child("api_key_file"), ex.getMessage());
                }
            }
            endpoints.put(name, e);
            types.put(name, type);
            int maxConcurrency = integer(p, "max_concurrency", 64, 1);
            CircuitBreaker.Settings breaker = CircuitBreaker.Settings.DEFAULT;
            if (p.has("breaker")) {
                Node br = p.child("breaker");
                keys(br, Set.of("failure_threshold", "open_for", "half_open_probes"));
                breaker = new CircuitBreaker.Settings(integer(br, "failure_threshold", 5, 1), duration(br, "open_for", Duration.ofSeconds(30)),
                        integer(br, "half_open_probes", 1, 1));
            }
            Node models = p.child("models");
            if (!p.has("models") || !models.json().isObject() || models.json().isEmpty()) {
                throw error(models, "declare at least one model, e.g. models: {gpt-4o-mini: {context_window: 128000}}");
            }
            for (var m : models.entries()) {
                Node mn = m.getValue().json().isNull() ? new Node(YAML.createObjectNode(), m.getValue().path()) : m.getValue();
                keys(mn, Set.of("id", "tools", "context_window", "price", "weight", "max_tokens"));
                String wire = text(mn, "id", m.getKey());
                ChatModel client = type.equals("anthropic")
                        ? new AnthropicChatModel(e, wire, integer(mn, "max_tokens", 4096, 1), clock)
                        : new OpenAiChatModel(e, wire, clock);
                ProviderTarget.Price price = ProviderTarget.Price.FREE;
                if (mn.has("price")) {
                    Node pr = mn.child("price");
                    keys(pr, Set.of("input", "output"));
                    price = new ProviderTarget.Price(number(pr, "input", 0, 0, 1e6), number(pr, "output", 0, 0, 1e6));
                }
                String id = name + "/" + m.getKey();
                targetIds.add(id);
                b.target(new ProviderTarget(id, name, client, bool(mn, "tools", true), integer(mn, "context_window", 0, 0), price,
                        integer(mn, "weight", 1, 1), maxConcurrency, breaker));
            }
        }

        private RoutingPolicy readPolicy(String name, Node p, List<String> targetIds) {
            keys(p, Set.of("strategy", "targets", "max_attempts", "hedge_after", "require"));
            RoutingPolicy.Strategy strategy;
            String s = text(p, "strategy", "priority");
            try {
                strategy = RoutingPolicy.Strategy.fromId(s);
            } catch (GraftException e) {
                throw error(p.child("strategy"), e.getMessage());
            }
            Node t = p.child("targets");
            if (!t.json().isArray() || t.json().isEmpty()) {
                throw error(t, "expected a list of provider/model targets, got " + show(t));
            }
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < t.json().size(); i++) {
                Node item = new Node(t.json().get(i), t.path() + "[" + i + "]");
                String id = text(item);
                if (!targetIds.contains(id)) {
                    throw error(item, "unknown target '" + id + "'; declared targets: " + targetIds);
                }
                targets.add(id);
            }
            boolean tools = false;
            int context = 0;
            if (p.has("require")) {
                Node r = p.child("require");
                keys(r, Set.of("tools", "context_window"));
                tools = bool(r, "tools", false);
                context = integer(r, "context_window", 0, 0);
            }
            Optional<Duration> hedge = p.has("hedge_after") ? Optional.of(duration(p, "hedge_after", Duration.ZERO)) : Optional.empty();
            return new RoutingPolicy(name, strategy, targets, tools, context, integer(p, "max_attempts", 3, 1), hedge);
        }

        private void requirePolicy(Node at, String policy, List<String> names) {
            if (!names.contains(policy)) {
                throw error(at, "unknown policy '" + policy + "'; declared policies: " + names);
            }
        }

        /** Applies the active profile's preferences, then the top-level ones over them; returns the profile's name. */
        private String readPreferences(Node root, ProviderRouter.Builder b, List<String> policyNames) {
            String profile = text(root, "profile", "");
            if (!profile.isEmpty()) {
                Node profiles = root.child("profiles");
                if (!root.has("profiles") || !profiles.child(profile).json().isObject()) {
                    List<String> known = new ArrayList<>();
                    if (profiles.json().isObject()) {
                        profiles.entries().forEach(e -> known.add(e.getKey()));
                    }
                    throw error(root.child("profile"), "unknown profile '" + profile + "'; declared profiles: " + known);
                }
            }
            if (root.has("profiles")) {
                object(root.child("profiles"));
                for (var e : root.child("profiles").entries()) {
                    keys(e.getValue(), Set.of("frameworks", "agents"));
                    if (e.getKey().equals(profile)) {
                        applyPreferences(e.getValue(), b, policyNames);
                    } else {
                        // Inactive profiles are checked too, so switching profile cannot reveal a typo later.
                        applyPreferences(e.getValue(), ProviderRouter.builder(), policyNames);
                    }
                }
            }
            applyPreferences(root, b, policyNames);
            return profile;
        }

        private void applyPreferences(Node n, ProviderRouter.Builder b, List<String> policyNames) {
            Map<String, String> frameworks = strings(n, "frameworks");
            for (var e : frameworks.entrySet()) {
                Node at = n.child("frameworks").child(e.getKey());
                try {
                    Framework.fromId(e.getKey());
                } catch (GraftException ex) {
                    throw error(at, ex.getMessage());
                }
                requirePolicy(at, e.getValue(), policyNames);
                b.frameworkPolicy(e.getKey(), e.getValue());
            }
            for (var e : strings(n, "agents").entrySet()) {
                requirePolicy(n.child("agents").child(e.getKey()), e.getValue(), policyNames);
                b.agentPolicy(e.getKey(), e.getValue());
            }
        }

        private Map<String, Embedder> readEmbedders(Node n, Map<String, Endpoint> endpoints, Map<String, String> types) {
            object(n);
            Map<String, Embedder> out = new LinkedHashMap<>();
            for (var e : n.entries()) {
                Node en = e.getValue();
                keys(en, Set.of("provider", "model", "dimension", "batch_size", "send_dimension"));
                String provider = text(en.child("provider"));
                Endpoint endpoint = endpoints.get(provider);
                if (endpoint == null) {
                    throw error(en.child("provider"), "unknown provider '" + provider + "'; declared providers: " + endpoints.keySet());
                }
                if (!types.get(provider).equals("openai")) {
                    throw error(en.child("provider"), "provider '" + provider + "' is " + types.get(provider)
                            + "; embeddings need an OpenAI-compatible provider");
                }
                if (!en.has("dimension")) {
                    throw error(en.child("dimension"), "required: the length of the model's vectors");
                }
                out.put(e.getKey(), new OpenAiEmbedder(endpoint, text(en.child("model")), integer(en, "dimension", 0, 1),
                        integer(en, "batch_size", 256, 1), bool(en, "send_dimension", false), clock));
            }
            return out;
        }
    }
}
