package io.graft.server.cli;

import io.graft.core.GraftException;
import io.graft.server.http.GraftServer;
import io.graft.server.http.ServerSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code graft serve [--port N] [--config FILE]}: the HTTP API until the process is stopped. */
final class ServeCommand {
    static final Map<String, Boolean> OPTIONS = Map.of("port", true, "config", true);

    private ServeCommand() {}

    static int execute(Arguments args, PrintStream out, PrintStream err) {
        Path home = home();
        ServerSettings settings = settings("serve", args, home);
        settings.openServerWarning().ifPresent(w -> err.println("graft serve: warning: " + w));
        Optional<String> port = args.option("port");
        if (port.isPresent()) {
            settings = settings.withPort(port(port.get()));
        }
        GraftServer server = GraftServer.start(settings, home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "graft-shutdown"));
        out.println("graft: serving on http://" + settings.host() + ":" + server.port() + " (agents: "
                + settings.agentsDir() + ", " + server.graft().runtime().agents().size() + " loaded)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The Graft home: where relative settings resolve. */
    static Path home() {
        return Path.of(System.getProperty("graft.home", ".")).toAbsolutePath();
    }

    /** The server's settings, as {@code command} (which takes no FILE arguments) was given them: --config and GRAFT_*. */
    static ServerSettings settings(String command, Arguments args, Path home) {
        if (!args.positionals().isEmpty()) {
            throw new GraftException(command + " takes no FILE arguments, got " + args.positionals());
        }
        return ServerSettings.load(args.option("config").map(Path::of), System.getenv(), home);
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new GraftException("--port must be a number from 0 to 65535, was '" + text + "'");
        }
    }
}
