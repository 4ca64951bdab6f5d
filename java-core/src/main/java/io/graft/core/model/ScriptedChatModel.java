package io.graft.core.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.graft.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded default model: deterministic and offline. It serves a fixed list of assistant turns
 * in order, one cursor per conversation (run), so every run of a script sees the same answers.
 *
 * <p>Token usage is estimated as one token per four characters, rounded up, so metrics and
 * benchmarks see plausible, repeatable numbers.
 */
public final class ScriptedChatModel implements ChatModel {
    private static final Pattern TOKEN = Pattern.compile("\\S+\\s*|\\s+");

    private final String name;
    private final List<Turn> turns;
    private final long[] outputTokens;
    // A cursor lives as long as its run: the runtime ends each conversation (conversationEnded).
    // Expiry and the size bound only catch callers that never end one. A cursor kept until
    // eviction outlived a dozen young collections under load, and copying them doubled G1's pauses.
    // Upkeep (expiry, eviction) runs on the calling thread: it is cheap, and on the default pool
    // each run's upkeep woke a thread of its own (about 10 us of CPU per run under HTTP load).
    private final Cache<String, AtomicInteger> cursors = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();

    /** One scripted assistant turn. */
    public record Turn(String content, List<ToolCallSpec> toolCalls) {
        public Turn {
            toolCalls = List.copyOf(toolCalls);
        }

        /** Estimated output tokens, fixed per turn (computed here, not on every call). */
        long outputTokens() {
            long chars = content.length();
            for (ToolCallSpec c : toolCalls) {
                chars += c.name().length() + Json.write(c.args()).length();
            }
            return Math.max(1, (chars + 3) / 4);
        }
    }

    /** A tool call a scripted turn makes. */
    public record ToolCallSpec(String name, Map<String, Object> args) {
        public ToolCallSpec {
            args = Map.copyOf(args);
        }
    }

    public ScriptedChatModel(String name, List<Turn> turns) {
        if (turns.isEmpty()) {
            throw new ModelException("scripted model '" + name + "' has no turns");
        }
        this.name = name;
        this.turns = List.copyOf(turns);
        this.outputTokens = this.turns.stream().mapToLong(Turn::outputTokens).toArray();
    }

    /** Reads a script file: a JSON array of {@code {"content": ..., "tool_calls": [{"name": ..., "args": {...}}]}}. */
    public static ScriptedChatModel fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ModelException("cannot read scripted model file " + file + ": " + e.getMessage(), e);
        }
        return fromJson("scripted:" + file.getFileName(), text, file.toString());
    }

    /** Parses a script; {@code where} names its origin in error messages. */
    public static ScriptedChatModel fromJson(String name, String json, String where) {
        List<Object> raw;
        try {
            raw = Json.readList(json, "scripted model " + where);
        } catch (RuntimeException e) {
            throw new ModelException(e.getMessage(), e);
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            turns.add(parseTurn(raw.get(i), where + " turn " + i));
        }
        return new ScriptedChatModel(name, turns);
    }

    private static Turn parseTurn(Object raw, String where) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ModelException(where + ": expected an object with 'content' and/or 'tool_calls', got " + raw);
        }
        Object content = map.containsKey("content") ? map.get("content") : "";
        if (!(content instanceof String text)) {
            throw new ModelException(where + ": 'content' must be a string, got " + content);
        }
        List<ToolCallSpec> calls = new ArrayList<>();
        Object rawCalls = map.containsKey("tool_calls") ? map.get("tool_calls") : List.of();
        if (!(rawCalls instanceof List<?> list)) {
            throw new ModelException(where + ": 'tool_calls' must be an array, got " + rawCalls);
        }
        for (Object c : list) {
            if (!(c instanceof Map<?, ?> call) || !(call.get("name") instanceof String toolName) || toolName.isBlank()) {
                throw new ModelException(where + ": each tool call needs a non-empty 'name', got " + c);
            }
            Object args = call.containsKey("args") ? call.get("args") : Map.of();
            if (!(args instanceof Map<?, ?> argMap)) {
                throw new ModelException(where + ": tool call '" + toolName + "' has 'args' that is not an object: " + args);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) argMap;
            calls.add(new ToolCallSpec(toolName, typed));
        }
        if (text.isEmpty() && calls.isEmpty()) {
            throw new ModelException(where + ": a turn needs 'content' or 'tool_calls'");
        }
        return new Turn(text, calls);
    }

    public List<Turn> turns() {
        return turns;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        AtomicInteger cursor = cursors.get(request.conversation(), k -> new AtomicInteger());
        int index = cursor.getAndIncrement();
        if (index >= turns.size()) {
            throw new ModelException("scripted model '" + name + "' has " + turns.size()
                    + " turns; this run asked for turn " + (index + 1) + " (the agent made more model calls than the script answers)");
        }
        Turn turn = turns.get(index);
        List<ToolCall> calls = new ArrayList<>(turn.toolCalls().size());
        for (int i = 0; i < turn.toolCalls().size(); i++) {
            ToolCallSpec spec = turn.toolCalls().get(i);
            calls.add(new ToolCall("call_" + index + "_" + i, spec.name(), spec.args()));
        }
        ChatMessage message = ChatMessage.assistant(turn.content(), calls);
        Usage usage = new Usage(estimateTokens(request), outputTokens[index]);
        return new ChatResponse(message, usage, name, calls.isEmpty() ? "stop" : "tool_calls");
    }

    @Override
    public void conversationEnded(String conversation) {
        cursors.invalidate(conversation);
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
        ChatResponse response = chat(request);
        Matcher m = TOKEN.matcher(response.message().content());
        while (m.find()) {
            onToken.accept(m.group());
        }
        return response;
    }

    private static long estimateTokens(ChatRequest request) {
        long chars = 0;
        for (ChatMessage m : request.messages()) {
            chars += m.content().length() + 4;
        }
        return (chars + 3) / 4;
    }
}
