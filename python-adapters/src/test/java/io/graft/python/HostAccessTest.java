package io.graft.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.core.AgentResult;
import io.graft.core.AgentRuntime;
import io.graft.core.AgentTask;
import io.graft.core.RunStatus;
import io.graft.core.model.ScriptedChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What agent code may do on the host under the default settings (graft.python.files=restricted). */
class HostAccessTest {
    private static final String DENIED_FILE = "PermissionError: ";
    /** Files outside the allowed directories do not exist to agent code. */
    private static final String INVISIBLE = "FileNotFoundError: ";
    private static final String REFUSED_PROCESS = "OSError: [Errno 5] I/O error";
    private static AgentRuntime runtime;

    @BeforeAll
    static void load() {
        runtime = SharedPython.runtimeFor(SharedPython.script("host_probe.py"),
                ScriptedChatModel.fromJson("m", "[{\"content\": \"x\"}]", "t"));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static String attempt(String action, String path) {
        AgentResult r = runtime.run(AgentTask.of("host-probe", action).withInputs(Map.of("action", action, "path", path)));
        assertEquals(RunStatus.COMPLETED, r.status(), () -> r.error().toString());
        return r.output();
    }

    private static void assertAnswer(String prefix, String action, String path) {
        String answer = attempt(action, path);
        assertTrue(answer.startsWith(prefix), action + " " + path + ": " + answer);
    }

    @Test
    void agentCodeReadsTheFilesBesideItsScriptAndThePackagesItImports() {
        assertEquals("read 18 chars", attempt("read", SharedPython.script("host_probe_data.txt").toString()));
        Path venvConfig = SharedPython.agents().pool().engine().settings().venv().resolve("venv").resolve("pyvenv.cfg");
        assertAnswer("read ", "read", venvConfig.toString());
    }

    @Test
    void agentCodeNeitherSeesNorWritesFilesElsewhereOnTheHost() throws Exception {
        assertAnswer(INVISIBLE, "read", "/etc/passwd");
        assertAnswer(INVISIBLE, "list", "/etc");
        assertAnswer(INVISIBLE, "stat", "/etc/passwd");
        Path home = Path.of(System.getProperty("user.home"), ".graft-host-access-test");
        assertAnswer(DENIED_FILE, "write", home.toString());
        assertTrue(Files.notExists(home));
        Path beside = SharedPython.script("host_probe_written.txt");
        assertAnswer(DENIED_FILE, "write", beside.toString());
        assertTrue(Files.notExists(beside));
    }

    @Test
    void aLinkMadeByAgentCodeDoesNotLeadOutOfItsDirectories() {
        assertAnswer(DENIED_FILE, "symlink", "/etc/passwd");
    }

    @Test
    void agentCodeHasATemporaryDirectoryOfItsContext() {
        String answer = attempt("temp", "");
        assertTrue(answer.contains("graft-context-") && answer.endsWith("holds scratch"), answer);
    }

    @Test
    void agentCodeCannotStartProcessesNotEvenOneNamedPatchelf() {
        assertAnswer(INVISIBLE, "run", "/bin/true"); // outside the allowed directories: not even found
        // NoProcesses refuses with an IOException, which GraalPy turns into OSError EIO (its message stays in Java).
        Path python = SharedPython.agents().pool().engine().settings().venv().resolve("venv/bin/python");
        assertAnswer(REFUSED_PROCESS, "run", python.toString());
        assertAnswer(REFUSED_PROCESS, "fake-patchelf", ""); // a script written to tmp, named patchelf: would print "escaped"
    }
}
