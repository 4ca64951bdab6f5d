package io.graft.server.http;

import io.graft.core.json.Json;
import io.graft.server.http.ApiKeys.Principal;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;

/** Small helpers every resource uses: JSON answers, the caller, path parameters, the route table. */
final class Http {
    private Http() {}

    /** One route of the API; the OpenAPI document lists exactly these (a test checks). */
    record Route(Method method, String path, Handler handler) {}

    /** A resource: its routes, registered as they are listed. */
    interface Resource extends HttpService {
        List<Route> routes();

        @Override
        default void routing(HttpRules rules) {
            routes().forEach(r -> rules.route(r.method(), r.path(), r.handler()));
        }
    }

    /** Answers {@code body} as JSON, written to bytes at once (a String body is encoded again by the server). */
    static void json(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(body));
    }

    static Principal caller(ServerRequest req) {
        return req.context().get(Principal.class)
                .orElseThrow(() -> new ApiException(401, "Unauthorized", "no API key was checked for this request", Map.of()));
    }

    static Principal admin(ServerRequest req) {
        Principal p = caller(req);
        if (!p.admin()) {
            throw new ApiException(403, "Forbidden", "changing agents needs an admin key", Map.of());
        }
        return p;
    }

    static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }
}
