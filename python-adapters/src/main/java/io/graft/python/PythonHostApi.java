package io.graft.python;

import org.graalvm.polyglot.HostAccess;

/** The Python object {@code graft._host.host} as Java sees it; all arguments and answers are JSON text. */
@HostAccess.Implementable
interface PythonHostApi {
    String ping();

    void warm(String modulesJson);

    /** Imports a script from its text; answers {@code {"agents": [...]}} or {@code {"error": {...}}}. */
    String load(String path, String moduleName, String source);

    void unload(String name);

    /** Runs an agent; answers the adapter's result or {@code {"error": {...}}}. */
    String run(String name, String taskJson);

    /** After an interrupt: why the context must not serve another run, or "" when it may. */
    String damage();
}
