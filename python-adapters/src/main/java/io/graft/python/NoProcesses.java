package io.graft.python;

import java.io.IOException;
import java.nio.file.Path;
import org.graalvm.polyglot.io.ProcessHandler;

/**
 * Refuses every process Python code tries to start, except {@code patchelf}, which GraalPy itself
 * runs to give each context its own copy of a native extension ({@code python.IsolateNativeModules}).
 *
 * <p>Refusing here, rather than disallowing process creation outright, makes an attempt an
 * {@code OSError} in Python, which library code already handles (the standard library's
 * {@code platform} probes {@code uname -p} that way when {@code uuid} is imported); a disallowed
 * creation would surface as an unexpected {@code SystemError}.
 */
final class NoProcesses implements ProcessHandler {
    @Override
    public Process start(ProcessCommand command) throws IOException {
        String executable = Path.of(command.getCommand().getFirst()).getFileName().toString();
        if (!executable.equals("patchelf")) {
            throw new IOException("Graft does not let agent code start processes (tried: "
                    + String.join(" ", command.getCommand()) + ")");
        }
        ProcessBuilder builder = new ProcessBuilder(command.getCommand())
                .redirectInput(redirect(command.getInputRedirect()))
                .redirectOutput(redirect(command.getOutputRedirect()))
                .redirectError(redirect(command.getErrorRedirect()))
                .redirectErrorStream(command.isRedirectErrorStream());
        String directory = command.getDirectory();
        if (directory != null) {
            builder.directory(Path.of(directory).toFile());
        }
        if (!command.getEnvironment().isEmpty()) {
            builder.environment().clear();
            builder.environment().putAll(command.getEnvironment());
        }
        return builder.start();
    }

    private static ProcessBuilder.Redirect redirect(Redirect redirect) {
        return redirect == Redirect.INHERIT ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE;
    }
}
