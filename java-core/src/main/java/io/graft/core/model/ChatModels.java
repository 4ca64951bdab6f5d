package io.graft.core.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a {@link ChatModel} from a model specification such as {@code scripted:answers.json}. */
public final class ChatModels {
    private ChatModels() {}

    /**
     * Resolves a model spec: {@code scripted:FILE.json} (the embedded offline model) or
     * {@code providers:FILE.yaml} (a router over the real providers the file configures, see
     * {@code docs/providers.md}). Relative paths resolve against {@code base}.
     */
    public static ChatModel fromSpec(String spec, Path base) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (kind) {
            case "scripted" -> {
                if (arg.isBlank()) {
                    throw new ModelException("model spec '" + spec + "' needs a file: scripted:FILE.json");
                }
                Path file = base.resolve(arg);
                if (!Files.isRegularFile(file)) {
                    throw new ModelException("model spec '" + spec + "': no such file " + file.toAbsolutePath());
                }
                yield ScriptedChatModel.fromFile(file);
            }
            case "providers" -> {
                if (arg.isBlank()) {
                    throw new ModelException("model spec '" + spec + "' needs a file: providers:FILE.yaml");
                }
                Path file = base.resolve(arg);
                if (!Files.isRegularFile(file)) {
                    throw new ModelException("model spec '" + spec + "': no such file " + file.toAbsolutePath());
                }
                yield io.graft.core.provider.ProvidersConfig.load(file).router();
            }
            default -> throw new ModelException("unknown model spec '" + spec + "': expected scripted:FILE.json or providers:FILE.yaml");
        };
    }
}
