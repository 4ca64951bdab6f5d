package io.graft.server.cli;

import io.graft.core.GraftException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code graft} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs a command; returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("help")) {
            out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.getFirst()) {
                case "run" -> RunCommand.execute(Arguments.parse(rest, RunCommand.OPTIONS), out);
                case "demo" -> DemoCommand.execute(Arguments.parse(rest, DemoCommand.OPTIONS), out);
                case "info" -> InfoCommand.execute(out);
                case "serve" -> ServeCommand.execute(Arguments.parse(rest, ServeCommand.OPTIONS), out, err);
                case "compact" -> CompactCommand.execute(Arguments.parse(rest, CompactCommand.OPTIONS), out);
                default -> {
                    err.println("graft: unknown command '" + args.getFirst() + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (GraftException e) {
            err.println("graft " + args.getFirst() + ": " + e.getMessage());
            return 1;
        }
    }

    static final String USAGE = String.join("\n", Arrays.asList(
            "usage: graft <command> [options]",
            "",
            "  demo                                  run a native and a LangGraph agent on the same task",
            "  run FILE --input TEXT [--model SPEC | --providers FILE.yaml] [--policy NAME] [--agent NAME]",
            "          [--json] [--timeout SECONDS]",
            "                                        run one agent once; FILE is a Python script or a",
            "                                        native agent definition (.json); SPEC is scripted:FILE.json",
            "                                        or providers:FILE.yaml; --providers (or GRAFT_PROVIDERS) routes",
            "                                        to real providers (docs/providers.md); --policy picks a routing",
            "                                        policy (default: scripted.json next to FILE)",
            "  info                                  show the JVM, the GraalPy runtime (JIT or not) and the venv",
            "  serve [--port N] [--config FILE]      start the HTTP server (docs/http-api.md); settings from",
            "                                        FILE (YAML) and GRAFT_* environment variables, --port wins",
            "  compact [--config FILE]               rewrite the run database with only its live data (the",
            "                                        server must be stopped; docs/http-api.md#storage)",
            "  test                                  run every test (handled by the launcher)"));
}
