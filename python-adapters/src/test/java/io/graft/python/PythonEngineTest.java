package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

class PythonEngineTest {

    @Test
    void theEngineRunsOnTheOptimizingRuntimeNotTheFallback() {
        PythonEngine engine = SharedPython.agents().pool().engine();
        assertTrue(engine.optimizing(), "runtime was " + engine.runtimeName());
        assertNotEquals(PythonEngine.INTERPRETER_ONLY, engine.runtimeName());
    }

    @Test
    void hotPythonCodeIsCompiledByTheGraalJit() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Engine engine = Engine.newBuilder("python")
                .option("engine.TraceCompilation", "true")
                .option("engine.BackgroundCompilation", "false")
                .option("engine.CompilationFailureAction", "Silent")
                .option("engine.WarnInterpreterOnly", "false")
                .allowExperimentalOptions(true)
                .logHandler(log)
                .build();
                Context context = Context.newBuilder("python").engine(engine).build()) {
            context.eval(Source.newBuilder("python", SharedPython.script("fib.py").toFile()).build());
            Value fib = context.getBindings("python").getMember("fib");
            for (int i = 0; i < 200; i++) {
                fib.execute(15);
            }
        }
        String trace = log.toString(StandardCharsets.UTF_8);
        assertTrue(trace.contains("opt done"), "no compilation was traced; the log was:\n" + trace);
    }
}
