package io.graft.python;

import io.graft.core.AgentDefinitionException;
import io.graft.core.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a context answered when it imported a script: the agents it defines. */
record LoadAnswer(List<Map<String, Object>> agents) {

    @SuppressWarnings("unchecked")
    static LoadAnswer parse(String json, Path script) {
        Map<String, Object> answer = Json.readMap(json, "load answer");
        if (answer.get("error") instanceof Map<?, ?> error) {
            Object line = error.get("line");
            String type = String.valueOf(error.get("type"));
            String message = "AgentDefinitionError".equals(type) ? String.valueOf(error.get("message"))
                    : type + ": " + error.get("message");
            String traceback = String.valueOf(error.get("traceback") == null ? "" : error.get("traceback"));
            AgentDefinitionException e = new AgentDefinitionException(script.toString(),
                    line instanceof Number n ? n.intValue() : 0, message);
            if (!traceback.isBlank() && !type.equals("SyntaxError")) {
                e.addSuppressed(new PythonTraceback(traceback));
            }
            throw e;
        }
        return new LoadAnswer((List<Map<String, Object>>) answer.get("agents"));
    }

    /** The Python traceback of a failed import, attached to the exception for logs. */
    static final class PythonTraceback extends io.graft.core.GraftException {
        private static final long serialVersionUID = 1L;

        PythonTraceback(String traceback) {
            super(traceback);
            setStackTrace(new StackTraceElement[0]);
        }
    }
}
