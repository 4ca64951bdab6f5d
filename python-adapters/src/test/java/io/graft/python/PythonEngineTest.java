package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        String trace = compileTrace("fib", List.of());
        assertTrue(trace.contains("opt done"), "no compilation was traced; the log was:\n" + trace);
    }

    @Test
    void functionsNamedInNotCompiledStayInTheInterpreterWhileOthersCompile() throws Exception {
        // The filter PythonEngine gives the engine by default (the load-time functions) plus one of the test's.
        List<String> notCompiled = new ArrayList<>(PythonSettings.LOAD_TIME_FUNCTIONS);
        notCompiled.add("skipped_");
        String trace = compileTrace("skipped_fib", notCompiled) + compileTrace("fib", notCompiled);
        assertTrue(trace.lines().anyMatch(line -> line.contains("opt done") && line.contains("<bytecode fib ")),
                "fib was not compiled; the log was:\n" + trace);
        assertFalse(trace.contains("skipped_fib"), "skipped_fib was compiled; the log was:\n" + trace);
    }

    /** The compilation trace of 200 calls of {@code function} from fib.py with the given functions not compiled. */
    private static String compileTrace(String function, List<String> notCompiled) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Engine.Builder builder = Engine.newBuilder("python");
        if (!notCompiled.isEmpty()) {
            builder.option("engine.CompileOnly", PythonEngine.compileOnly(notCompiled));
        }
        try (Engine engine = builder
                .option("engine.TraceCompilation", "true")
                .option("engine.BackgroundCompilation", "false")
                .option("engine.CompilationFailureAction", "Silent")
                .option("engine.WarnInterpreterOnly", "false")
                .allowExperimentalOptions(true)
                .logHandler(log)
                .build();
                Context context = Context.newBuilder("python").engine(engine).build()) {
            context.eval(Source.newBuilder("python", SharedPython.script("fib.py").toFile()).build());
            Value fib = context.getBindings("python").getMember(function);
            for (int i = 0; i < 200; i++) {
                fib.execute(15);
            }
        }
        return log.toString(StandardCharsets.UTF_8);
    }
}
