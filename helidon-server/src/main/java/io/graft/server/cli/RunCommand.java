package io.graft.server.cli;

import io.graft.core.Agent;
import io.graft.core.AgentResult;
import io.graft.core.AgentTask;
import io.graft.core.GraftException;
import io.graft.core.json.ResultJson;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatModels;
import io.graft.python.PythonSettings;
import io.graft.server.Graft;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code graft run FILE --input TEXT [--model SPEC | --providers FILE.yaml] [--policy NAME] [--agent NAME] [--json]
 * [--timeout SECONDS]}.
 */
final class RunCommand {
    static final Map<String, Boolean> OPTIONS = Map.of("input", true, "model", true, "agent", true, "json", false,
            "timeout", true, "providers", true, "policy", true);
    /** The environment variable naming a providers file, used when neither --model nor --providers is given. */
    static final String PROVIDERS_ENV = "GRAFT_PROVIDERS";

    private RunCommand() {}

    static int execute(Arguments args, PrintStream out) {
        if (args.positionals().size() != 1) {
            throw new GraftException("run needs exactly one FILE (a Python script or a native agent .json), got "
                    + args.positionals());
        }
        Path file = Path.of(args.positionals().getFirst());
        String input = args.option("input").orElseThrow(() -> new GraftException("run needs --input TEXT"));
        if (args.option("model").isPresent() && args.option("providers").isPresent()) {
            throw new GraftException("give --model or --providers, not both");
        }
        java.util.Optional<String> spec = args.option("model")
                .or(() -> args.option("providers").map(p -> "providers:" + p))
                .or(() -> java.util.Optional.ofNullable(System.getenv(PROVIDERS_ENV)).filter(p -> !p.isBlank()).map(p -> "providers:" + p));
        ChatModel model = model(spec, file);
        // One run needs one context; more would only compete for the cores while they warm.
        try (Graft graft = new Graft(model, PythonSettings.fromSystem().withPoolSize(1).withWarmFrameworks(List.of()))) {
            List<Agent> agents = graft.load(file);
            Agent agent = pick(agents, args.option("agent"), file);
            AgentTask task = AgentTask.of(agent.name(), input).withTimeout(timeout(args.option("timeout")));
            if (args.option("policy").isPresent()) {
                task = task.withMetadata(Map.of(io.graft.core.RunContext.MODEL_POLICY, args.option("policy").get()));
            }
            AgentResult result = graft.runtime().run(task);
            if (args.flag("json")) {
                out.println(ResultJson.result(result));
            } else {
                Report.print(result, out);
            }
            return result.completed() ? 0 : 3;
        }
    }

    /** The model a run uses: the given spec (scripted:FILE.json or providers:FILE.yaml), else {@code scripted.json} beside the agent file. */
    static ChatModel model(java.util.Optional<String> spec, Path file) {
        Path base = Path.of("").toAbsolutePath();
        if (spec.isPresent()) {
            return ChatModels.fromSpec(spec.get(), base);
        }
        Path beside = file.toAbsolutePath().resolveSibling("scripted.json");
        if (Files.isRegularFile(beside)) {
            return ChatModels.fromSpec("scripted:" + beside, base);
        }
        throw new GraftException("no model given: pass --model scripted:FILE.json or --providers FILE.yaml (or set "
                + PROVIDERS_ENV + ", or put scripted.json beside " + file + ")");
    }

    private static Agent pick(List<Agent> agents, java.util.Optional<String> wanted, Path file) {
        if (wanted.isPresent()) {
            return agents.stream().filter(a -> a.name().equals(wanted.get())).findFirst()
                    .orElseThrow(() -> new GraftException(file + " defines no agent '" + wanted.get() + "' (it defines: "
                            + agents.stream().map(Agent::name).toList() + ")"));
        }
        if (agents.size() > 1) {
            throw new GraftException(file + " defines " + agents.size() + " agents " + agents.stream().map(Agent::name).toList()
                    + ": choose one with --agent NAME");
        }
        return agents.getFirst();
    }

    private static Duration timeout(java.util.Optional<String> seconds) {
        if (seconds.isEmpty()) {
            return AgentTask.DEFAULT_TIMEOUT;
        }
        try {
            double s = Double.parseDouble(seconds.get());
            if (!(s > 0)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new GraftException("--timeout must be a positive number of seconds, was '" + seconds.get() + "'");
        }
    }
}
