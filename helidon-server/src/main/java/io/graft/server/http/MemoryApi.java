package io.graft.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.json.Json;
import io.graft.core.memory.Memory;
import io.graft.core.memory.MemoryChecks;
import io.graft.core.memory.MemoryException;
import io.graft.core.memory.MemoryHit;
import io.graft.core.memory.MemoryQuery;
import io.graft.core.memory.MemoryRecord;
import io.graft.core.memory.MemoryStore;
import io.graft.core.memory.MetadataFilter;
import io.graft.core.memory.Namespace;
import io.graft.server.http.Http.Route;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /v1/memory}: the caller's tenant's memory collections, the same ones its agents use
 * ({@code RunContext.memory()}, {@code graft.memory()}). Collection {@code C} is always the
 * namespace (caller's tenant, {@code C}), so no request reaches another tenant's memories. Any key
 * of the tenant may read and write: memories are agents' data, which runs of any key write too.
 */
final class MemoryApi implements Http.Resource {
    static final int DEFAULT_K = 4;
    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> ITEM_FIELDS = Set.of("text", "metadata", "vector");
    private static final Set<String> ADD_FIELDS = Set.of("items", "text", "metadata", "vector");
    private static final Set<String> SEARCH_FIELDS = Set.of("query", "vector", "k", "filter");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** How much of a batch's ids an audit record keeps. */
    private static final int AUDIT_DETAIL_CHARS = 300;

    private final Optional<MemoryStore> memory;
    private final Bodies bodies;
    private final RunStore store;
    private final Clock clock;
    /** Collections this server has made sure exist, so later writes skip the (idempotent) create. */
    private final Set<Namespace> created = ConcurrentHashMap.newKeySet();

    MemoryApi(Optional<MemoryStore> memory, Bodies bodies, RunStore store, Clock clock) {
        this.memory = memory;
        this.bodies = bodies;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(Method.GET, "/v1/memory", this::collections),
                new Route(Method.POST, "/v1/memory/{collection}", this::add),
                new Route(Method.GET, "/v1/memory/{collection}", this::list),
                new Route(Method.POST, "/v1/memory/{collection}/search", this::search),
                new Route(Method.GET, "/v1/memory/{collection}/{id}", this::get),
                new Route(Method.PUT, "/v1/memory/{collection}/{id}", this::update),
                new Route(Method.DELETE, "/v1/memory/{collection}/{id}", this::delete));
    }

    private void collections(ServerRequest req, ServerResponse res) {
        String tenant = Http.caller(req).tenant();
        MemoryStore m = memory();
        List<Map<String, Object>> out = m.namespaces().stream()
                .filter(ns -> ns.tenant().equals(tenant))
                .sorted(Comparator.comparing(Namespace::agent))
                .map(ns -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("name", ns.agent());
                    c.put("count", m.count(ns));
                    return c;
                })
                .toList();
        Http.json(res, 200, Map.of("collections", out));
    }

    private void add(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        Bodies.Fields f = bodies.object(req, ADD_FIELDS);
        List<JsonNode> items;
        String prefix;
        if (f.node().has("items")) {
            for (String single : ITEM_FIELDS) {
                if (f.node().has(single)) {
                    throw ApiException.badField(single, "give either 'items' or one memory ('text', 'metadata', 'vector'), "
                            + "not both");
                }
            }
            items = f.array("items");
            if (items.isEmpty()) {
                throw ApiException.badField("items", "field 'items' must hold at least one memory");
            }
            prefix = "items";
        } else {
            items = List.of(f.node());
            prefix = "";
        }
        int dimension = m.embedder().dimension();
        List<MemoryRecord> records = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = prefix.isEmpty() ? "" : prefix + "[" + i + "].";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw ApiException.badField(prefix + "[" + i + "]", "field '" + prefix + "[" + i + "]' must be a JSON object, was "
                        + Bodies.kind(item));
            }
            records.add(record(item, path, dimension, "vector of record " + i));
        }
        // Created only once the whole batch is known to be valid, so refused input leaves no empty collection
        // behind. Marked only after it exists: a concurrent first write creates it too (a no-op), never skips it.
        if (!created.contains(ns)) {
            m.createNamespace(ns);
            created.add(ns);
        }
        List<String> ids = m.addAll(ns, records);
        store.audit(clock.instant(), caller.tenant(), "memory.add", ns.agent(), auditIds(ids));
        Http.json(res, 201, Map.of("ids", ids));
    }

    private void search(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        Bodies.Fields f = bodies.object(req, SEARCH_FIELDS);
        JsonNode text = f.node().get("query");
        JsonNode vector = f.node().get("vector");
        boolean hasText = text != null && !text.isNull();
        boolean hasVector = vector != null && !vector.isNull();
        if (hasText == hasVector) {
            throw ApiException.badField("query", hasText ? "give either 'query' or 'vector', not both"
                    : "a search needs 'query' (a text) or 'vector'");
        }
        MemoryQuery query;
        if (hasText) {
            if (!text.isTextual()) {
                throw ApiException.badField("query", "field 'query' must be a string, was " + Bodies.kind(text));
            }
            query = MemoryQuery.text(checked("query", () -> MemoryChecks.requireText(text.textValue())));
        } else {
            float[] v = floats(vector, "vector");
            query = MemoryQuery.vector(checked("vector", () -> MemoryChecks.requireVector(v, m.embedder().dimension(),
                    "query vector")));
        }
        int k = k(f.node().get("k"));
        MetadataFilter filter = filter(f.node().get("filter"), "field 'filter'");
        List<MemoryHit> hits = existing(m, ns, () -> m.search(ns, query, k, filter));
        Http.json(res, 200, Map.of("hits", hits.stream().map(h -> {
            Map<String, Object> v = view(h.memory(), false);
            v.put("score", h.score());
            return v;
        }).toList()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        var q = req.query();
        int limit = checked("limit", () -> MemoryChecks.requireLimit(integer(q.first("limit").asOptional(), "limit", DEFAULT_LIMIT)));
        Optional<String> after = q.first("after").asOptional();
        after.ifPresent(a -> id(a, "after"));
        MetadataFilter filter = q.first("filter").asOptional().map(this::queryFilter).orElseGet(MetadataFilter::all);
        // One more than asked tells whether a next page exists (except at the store's own maximum).
        int fetch = Math.min(limit + 1, MemoryChecks.MAX_LIST);
        List<Memory> found = existing(m, ns, () -> m.list(ns, filter, fetch, after));
        List<Memory> page = found.size() > limit ? found.subList(0, limit) : found;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("memories", page.stream().map(x -> view(x, false)).toList());
        if (found.size() > limit || (fetch == limit && found.size() == limit)) {
            body.put("next", page.getLast().id());
        }
        Http.json(res, 200, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        String id = id(Http.param(req, "id"), "id");
        boolean withVector = bool(req.query().first("vector").asOptional(), "vector");
        Memory found = existing(m, ns, () -> m.get(ns, id)).orElseThrow(() -> noMemory(ns, id));
        Http.json(res, 200, view(found, withVector));
    }

    private void update(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        String id = id(Http.param(req, "id"), "id");
        Bodies.Fields f = bodies.object(req, ITEM_FIELDS);
        MemoryRecord record = record(f.node(), "", m.embedder().dimension(), "vector of record 0");
        if (existing(m, ns, () -> m.get(ns, id)).isEmpty()) {
            throw noMemory(ns, id);
        }
        m.update(ns, id, record);
        store.audit(clock.instant(), caller.tenant(), "memory.update", ns.agent() + "/" + id, "");
        Http.json(res, 200, view(m.get(ns, id).orElseThrow(() -> noMemory(ns, id)), false));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        var caller = Http.caller(req);
        Namespace ns = namespace(req);
        MemoryStore m = memory();
        String id = id(Http.param(req, "id"), "id");
        if (!existing(m, ns, () -> m.delete(ns, id))) {
            throw noMemory(ns, id);
        }
        store.audit(clock.instant(), caller.tenant(), "memory.delete", ns.agent() + "/" + id, "");
        res.status(204).send();
    }

    private MemoryStore memory() {
        return memory.orElseThrow(() -> new ApiException(503, "Memory disabled",
                "this server runs without agent memory (graft.memory.enabled / GRAFT_MEMORY_ENABLED is false)", Map.of()));
    }

    private static Namespace namespace(ServerRequest req) {
        String collection = Http.param(req, "collection");
        try {
            return new Namespace(Http.caller(req).tenant(), collection);
        } catch (MemoryException e) {
            // Namespace calls its second part "agent" (an agent's own memory is named after it); here it is the collection.
            if (!e.getMessage().startsWith("agent ")) {
                throw ApiException.badRequest("this tenant's name cannot name memory: " + e.getMessage());
            }
            throw ApiException.badField("collection", "collection" + e.getMessage().substring("agent".length()));
        }
    }

    /**
     * Runs a read or change of an existing collection. The store refuses an unknown namespace like
     * any bad input; the directory is listed only then, so the common case costs no extra look-up.
     */
    private static <T> T existing(MemoryStore m, Namespace ns, Supplier<T> op) {
        try {
            return op.get();
        } catch (MemoryException e) {
            if (!m.namespaces().contains(ns)) {
                throw new ApiException(404, "Unknown collection", "no memory collection '" + ns.agent() + "' (it is "
                        + "created by its first write)", Map.of("field", "collection"));
            }
            throw e;
        }
    }

    private static ApiException noMemory(Namespace ns, String id) {
        return ApiException.notFound("no memory with id '" + id + "' in collection '" + ns.agent() + "'");
    }

    /** One memory to store, checked with the store's own rules before anything is written. */
    private static MemoryRecord record(JsonNode node, String path, int dimension, String vectorName) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!ITEM_FIELDS.contains(name)) {
                throw ApiException.badField(path + name, "unknown field '" + path + name + "'; expected one of "
                        + new TreeSet<>(ITEM_FIELDS));
            }
        }
        JsonNode text = node.get("text");
        if (text == null || text.isNull()) {
            throw ApiException.badField(path + "text", "field '" + path + "text' is required");
        }
        if (!text.isTextual()) {
            throw ApiException.badField(path + "text", "field '" + path + "text' must be a string, was " + Bodies.kind(text));
        }
        checked(path + "text", () -> MemoryChecks.requireText(text.textValue()));
        Map<String, String> metadata = checked(path + "metadata", () -> MemoryChecks.requireMetadata(
                metadata(node.get("metadata"), path + "metadata")));
        JsonNode vector = node.get("vector");
        Optional<float[]> v = vector == null || vector.isNull() ? Optional.empty()
                : Optional.of(checked(path + "vector", () -> MemoryChecks.requireVector(floats(vector, path + "vector"),
                        dimension, vectorName)));
        return new MemoryRecord(text.textValue(), v, metadata);
    }

    /** Metadata values are text; numbers and booleans are kept as their JSON text, as {@code graft.memory()} does. */
    private static Map<String, String> metadata(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.badField(field, "field '" + field + "' must be a JSON object, was " + Bodies.kind(node));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                String at = field + "." + e.getKey();
                throw ApiException.badField(at, "field '" + at + "' must be a string, number or boolean, was " + Bodies.kind(v));
            }
            out.put(e.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
        return out;
    }

    private static float[] floats(JsonNode node, String field) {
        if (!node.isArray()) {
            throw ApiException.badField(field, "field '" + field + "' must be an array of numbers, was " + Bodies.kind(node));
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) {
                throw ApiException.badField(field, "field '" + field + "[" + i + "]' must be a number, was " + Bodies.kind(x));
            }
            // Out of float range becomes infinite, which the store's check then names.
            out[i] = (float) x.doubleValue();
        }
        return out;
    }

    private static int k(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_K;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.badField("k", "field 'k' must be a whole number, was " + node);
        }
        return checked("k", () -> MemoryChecks.requireK(node.intValue()));
    }

    private static MetadataFilter filter(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return MetadataFilter.all();
        }
        if (!node.isObject()) {
            throw ApiException.badField("filter", what + " must be a JSON object, was " + Bodies.kind(node));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.mapper().convertValue(node, Map.class);
        return checked("filter", () -> MetadataFilter.fromMap(map));
    }

    private MetadataFilter queryFilter(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badField("filter", "query parameter 'filter' is not valid JSON: " + e.getOriginalMessage());
        }
        return filter(node, "query parameter 'filter'");
    }

    private static String id(String id, String field) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.badField(field, field + " must be a memory id (1 to 64 of [A-Za-z0-9._-]), was '" + id + "'");
        }
        return id;
    }

    private static int integer(Optional<String> text, String name, int fallback) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badField(name, "query parameter '" + name + "' must be a whole number, was '" + text.get() + "'");
        }
    }

    private static boolean bool(Optional<String> text, String name) {
        return switch (text.orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badField(name, "query parameter '" + name + "' must be true or false, was '"
                    + text.orElseThrow() + "'");
        };
    }

    /** Applies one of the store's input rules, naming the request field its message is about. */
    private static <T> T checked(String field, Supplier<T> check) {
        try {
            return check.get();
        } catch (MemoryException e) {
            throw ApiException.badField(field, e.getMessage());
        }
    }

    private static Map<String, Object> view(Memory m, boolean withVector) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("text", m.text());
        v.put("metadata", m.metadata());
        if (withVector) {
            v.put("vector", m.vector());
        }
        return v;
    }

    private static String auditIds(List<String> ids) {
        String all = ids.size() + (ids.size() == 1 ? " memory: " : " memories: ") + String.join(", ", ids);
        return all.length() <= AUDIT_DETAIL_CHARS ? all : all.substring(0, AUDIT_DETAIL_CHARS) + "...";
    }
}
