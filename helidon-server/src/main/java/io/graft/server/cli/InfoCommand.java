package io.graft.server.cli;

import io.graft.python.PythonEngine;
import io.graft.python.PythonSettings;
import java.io.PrintStream;

/** {@code graft info}: what this installation runs on, including whether GraalPy is JIT-compiled. */
final class InfoCommand {
    private InfoCommand() {}

    static int execute(PrintStream out) {
        PythonSettings settings = PythonSettings.fromSystem();
        out.println("java:        " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out.println("venv:        " + settings.venv());
        try (PythonEngine engine = new PythonEngine(settings)) {
            out.println("graalpy:     runtime " + engine.runtimeName());
            out.println("optimizing:  " + engine.optimizing());
            out.println("not compiled: " + (settings.notCompiled().isEmpty() ? "(nothing: every hot function compiles)"
                    : String.join(", ", settings.notCompiled())) + " (graft.python.notCompiled)");
            out.println("files:       " + settings.files().name().toLowerCase(java.util.Locale.ROOT)
                    + (settings.readable().isEmpty() ? "" : ", also readable: " + settings.readable())
                    + " (graft.python.files, graft.python.readable)");
        }
        return 0;
    }
}
