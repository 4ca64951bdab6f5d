package io.graft.server.http;

import io.graft.core.Agent;
import io.graft.core.AgentDefinitionException;
import io.graft.core.AgentDescriptor;
import io.graft.core.GraftException;
import io.graft.server.Graft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The agents directory: loads every definition in it, reloads a file when it changes (a file
 * that fails to load leaves its previous agents serving and is reported), and takes uploads.
 *
 * <p>Layout: definitions ({@code *.py}, {@code *.json}) at the top level, and {@code agent.py} or
 * {@code agent.json} in each subdirectory (the layout of {@code examples/}). Other files, such as a
 * subdirectory's {@code scripted.json}, are not definitions.
 */
public final class AgentCatalog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentCatalog.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final String STAGING = ".graft-staging";

    private final Graft graft;
    private final Path dir;
    private final Map<Path, Loaded> files = new LinkedHashMap<>();
    private final Map<Path, Problem> problems = new LinkedHashMap<>();
    /** Files refused because another file holds one of their names: tried again when names are freed. */
    private final Set<Path> refused = new LinkedHashSet<>();
    private @Nullable WatchService watcher;
    private @Nullable Thread watchThread;
    /** Told of each change the watch made (not of uploads and deletes over the API, which their handlers audit). */
    private final java.util.function.Consumer<Change> listener;

    /** A definition that did not load: where, and why. */
    public record Problem(String file, Optional<Integer> line, String message) {}

    private record Loaded(List<String> agents, String hash) {}

    /** What an uploaded definition is: a Python script or a native agent definition. */
    public enum Kind {
        PYTHON(".py"),
        NATIVE(".json");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    public AgentCatalog(Graft graft, Path dir) {
        this(graft, dir, change -> {});
    }

    /** A catalog whose directory watch tells {@code listener} what each edit of the directory changed. */
    public AgentCatalog(Graft graft, Path dir, java.util.function.Consumer<Change> listener) {
        this.graft = graft;
        this.dir = dir.toAbsolutePath().normalize();
        this.listener = listener;
    }

    public Path dir() {
        return dir;
    }

    /** Loads every definition in the directory; failures are kept as problems, not thrown. */
    public synchronized void loadAll() {
        if (!Files.isDirectory(dir)) {
            throw new GraftException("agents directory " + dir + " does not exist");
        }
        definitions().forEach(this::reload);
    }

    private List<Path> definitions() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
            for (Path p : top) {
                if (Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    for (String n : List.of("agent.py", "agent.json")) {
                        if (Files.isRegularFile(p.resolve(n))) {
                            out.add(p.resolve(n));
                        }
                    }
                } else if (isDefinition(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    private boolean isDefinition(Path p) {
        Path rel = dir.relativize(p);
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        if (rel.getNameCount() == 1) {
            return name.endsWith(".py") || name.endsWith(".json");
        }
        return rel.getNameCount() == 2 && (name.equals("agent.py") || name.equals("agent.json"));
    }

    /** Loads {@code file} again if its content changed; answers whether its agents now serve the new content. */
    public synchronized boolean reload(Path file) {
        String hash;
        try {
            hash = hash(Files.readAllBytes(file));
        } catch (IOException e) {
            remove(file);
            return false;
        }
        Loaded before = files.get(file);
        if (before != null && before.hash().equals(hash)) {
            return true;
        }
        try {
            List<Agent> agents = graft.define(file);
            Optional<String> tooLong = tooLong(file, agents);
            if (tooLong.isPresent()) {
                problems.put(file, new Problem(file.toString(), Optional.empty(), tooLong.get()));
                LOG.log(System.Logger.Level.WARNING, "agent definition not loaded: {0}", tooLong.get());
                return false;
            }
            Optional<String> taken = takenElsewhere(file, agents);
            if (taken.isPresent()) {
                refused.add(file);
                problems.put(file, new Problem(file.toString(), Optional.empty(), taken.get()));
                LOG.log(System.Logger.Level.WARNING, "agent definition not loaded: {0}", taken.get());
                return false;
            }
            install(file, agents, hash);
            return true;
        } catch (AgentDefinitionException e) {
            problems.put(file, new Problem(file.toString(), e.line(), e.getMessage()));
            LOG.log(System.Logger.Level.WARNING, "agent definition failed to load, previous version keeps serving: {0}",
                    e.getMessage());
            return false;
        } catch (GraftException e) {
            problems.put(file, new Problem(file.toString(), Optional.empty(), e.getMessage()));
            return false;
        }
    }

    /**
     * Why {@code file} may not define {@code agents}: a name another file already defines. Without
     * this check the file loaded later silently took the name, and the other file's agent could no
     * longer be run. The file loaded first (files load in name order) keeps it.
     */
    private Optional<String> takenElsewhere(Path file, List<Agent> agents) {
        for (Agent agent : agents) {
            Optional<Path> owner = fileOf(agent.name());
            if (owner.isPresent() && !owner.get().equals(file)) {
                return Optional.of(dir.relativize(file) + " defines agent '" + agent.name() + "', which "
                        + dir.relativize(owner.get()) + " already defines; rename it in one of the two files"
                        + " (AGENT_NAME in a Python script)");
            }
        }
        return Optional.empty();
    }

    /** The longest agent name: what the run store keeps of a run's agent. */
    static final int MAX_AGENT_NAME = 200;

    /**
     * Why {@code file} may not define {@code agents}: a name longer than the store keeps. Without
     * this check such an agent loaded, and every one of its runs failed to be stored (503).
     */
    private Optional<String> tooLong(Path file, List<Agent> agents) {
        return agents.stream().map(Agent::name).filter(n -> n.length() > MAX_AGENT_NAME).findFirst()
                .map(n -> dir.relativize(file) + " defines an agent whose name has " + n.length() + " characters ('"
                        + n.substring(0, 20) + "...'); an agent name has at most " + MAX_AGENT_NAME);
    }

    private void install(Path file, List<Agent> agents, String hash) {
        Loaded before = files.get(file);
        List<String> names = agents.stream().map(Agent::name).toList();
        if (before != null) {
            before.agents().stream().filter(n -> !names.contains(n)).forEach(graft.runtime()::unregister);
        }
        agents.forEach(graft.runtime()::register);
        files.put(file, new Loaded(names, hash));
        problems.remove(file);
        refused.remove(file);
        if (before != null && !names.containsAll(before.agents())) {
            retryRefused();
        }
    }

    /** The file was deleted: its agents stop serving. */
    public synchronized void remove(Path file) {
        Loaded before = files.remove(file);
        problems.remove(file);
        refused.remove(file);
        if (before != null) {
            before.agents().forEach(graft.runtime()::unregister);
            retryRefused();
        }
    }

    /** Loads again the files refused for a name another file held, now that a name was freed. */
    private void retryRefused() {
        for (Path file : List.copyOf(refused)) {
            refused.remove(file);
            reload(file);
        }
    }

    public synchronized List<Problem> problems() {
        return List.copyOf(problems.values());
    }

    /** The file that defines an agent, if a file does. */
    public synchronized Optional<Path> fileOf(String agent) {
        return files.entrySet().stream().filter(e -> e.getValue().agents().contains(agent)).map(Map.Entry::getKey).findFirst();
    }

    /**
     * Stores and loads an uploaded definition as {@code <name>.py} or {@code <name>.json} at the top
     * of the directory. It is loaded from a staging copy first: when it fails, or does not define
     * {@code name}, nothing changes and the error names the file and line.
     */
    public synchronized AgentDescriptor put(String name, String body, Kind kind) {
        checkName(name);
        Path target = dir.resolve(name + kind.suffix);
        Optional<Path> owner = fileOf(name);
        if (owner.isPresent() && !owner.get().equals(target)) {
            throw definedElsewhere(name, owner.get());
        }
        Path staging = dir.resolve(STAGING).resolve(name + kind.suffix);
        try {
            Files.createDirectories(staging.getParent());
            Files.writeString(staging, body, StandardCharsets.UTF_8);
            List<Agent> agents;
            try {
                agents = graft.define(staging);
            } catch (AgentDefinitionException e) {
                String message = e.getMessage().replace(staging.toString(), target.getFileName().toString());
                Map<String, Object> where = new LinkedHashMap<>();
                where.put("file", target.getFileName().toString());
                e.line().ifPresent(l -> where.put("line", l));
                throw new ApiException(422, "Agent definition does not load", message, where);
            }
            List<String> names = agents.stream().map(Agent::name).toList();
            if (!names.contains(name)) {
                throw new ApiException(422, "Agent definition does not define the agent",
                        target.getFileName() + " defines " + names + " but not '" + name + "'",
                        Map.of("file", target.getFileName().toString()));
            }
            Optional<String> tooLong = tooLong(target, agents);
            if (tooLong.isPresent()) {
                throw new ApiException(422, "Agent definition does not load", tooLong.get(),
                        Map.of("file", target.getFileName().toString()));
            }
            // Every name the script defines, not only the one uploaded: a file that also declared
            // another file's agent was stored, refused on reload, and took that name at the next start.
            for (Agent agent : agents) {
                Optional<Path> other = fileOf(agent.name());
                if (other.isPresent() && !other.get().equals(target)) {
                    throw definedElsewhere(agent.name(), other.get());
                }
            }
            byte[] previous = Files.isRegularFile(target) ? Files.readAllBytes(target) : null;
            Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // Loaded again from its real path, so the descriptor's source names the file that serves.
            if (!reload(target)) {
                Problem p = problems.get(target);
                restore(target, previous);
                throw new ApiException(422, "Agent definition does not load", p == null ? "cannot load " + target.getFileName()
                        : p.message(), Map.of("file", target.getFileName().toString()));
            }
            return graft.runtime().find(name).orElseThrow().descriptor();
        } catch (IOException e) {
            throw unwritable("cannot store " + dir.relativize(target), target, e);
        } finally {
            try {
                Files.deleteIfExists(staging);
            } catch (IOException ignored) {
                // a left-over staging file is overwritten by the next upload
            }
        }
    }

    /** The server's own failure (a full disk, a read-only directory), not the caller's: a 500 that says what failed. */
    private ApiException unwritable(String what, Path file, IOException e) {
        LOG.log(System.Logger.Level.ERROR, what, e);
        return new ApiException(500, "Agents directory unavailable", what + ": " + e, Map.of("file", dir.relativize(file).toString()));
    }

    private ApiException definedElsewhere(String agent, Path owner) {
        String file = dir.relativize(owner).toString();
        return new ApiException(409, "Agent defined elsewhere", "agent '" + agent + "' is defined by " + file
                + "; change that file, or delete the agent first", Map.of("file", file));
    }

    /**
     * Puts back what {@code target} held before an upload that did not load ({@code previous}, or
     * no file), so the directory again holds what serves, and a restart loads the same agents.
     */
    private void restore(Path target, byte @Nullable [] previous) throws IOException {
        if (previous == null) {
            Files.deleteIfExists(target);
            remove(target);
            return;
        }
        Path back = dir.resolve(STAGING).resolve(target.getFileName() + ".previous");
        Files.write(back, previous);
        Files.move(back, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        problems.remove(target);
        refused.remove(target);
        reload(target); // the same content as the loaded version: nothing is loaded again
    }

    /**
     * Deletes an agent: its file is deleted when the file defines nothing else. Answers false when
     * no agent has that name.
     */
    public synchronized boolean delete(String name) {
        checkName(name);
        Optional<Path> file = fileOf(name);
        if (file.isEmpty()) {
            return graft.runtime().unregister(name).isPresent();
        }
        Loaded loaded = files.get(file.get());
        if (loaded.agents().size() > 1) {
            String rel = dir.relativize(file.get()).toString();
            throw new ApiException(409, "Agent shares its file", rel + " also defines " + loaded.agents()
                    + "; delete or change the file instead", Map.of("file", rel));
        }
        try {
            Files.deleteIfExists(file.get());
        } catch (IOException e) {
            throw unwritable("cannot delete " + dir.relativize(file.get()), file.get(), e);
        }
        remove(file.get());
        return true;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badField("name", "agent name '" + name + "' must be 1-100 letters, digits, '_', '-' or '.', "
                    + "starting with a letter or digit");
        }
    }

    /** Watches the directory and reloads definitions as they change, on a daemon thread. */
    public synchronized void watch() {
        try {
            WatchService ws = dir.getFileSystem().newWatchService();
            register(ws, dir);
            try (DirectoryStream<Path> sub = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path p : sub) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        register(ws, p);
                    }
                }
            }
            watcher = ws;
            watchThread = Thread.ofPlatform().daemon().name("graft-agents-watch").start(() -> watchLoop(ws));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dir, e);
        }
    }

    private static void register(WatchService ws, Path p) throws IOException {
        p.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    /**
     * Handles each change on its own: one that fails (a subdirectory deleted as it was registered,
     * a file that cannot be read) is logged and the watch goes on, so reloading never stops for the
     * rest of the server's life.
     */
    private void watchLoop(WatchService ws) {
        while (true) {
            WatchKey key;
            try {
                key = ws.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return; // closed: the server is stopping
            }
            Path base = (Path) key.watchable();
            for (WatchEvent<?> event : key.pollEvents()) {
                List<Change> changes;
                try {
                    changes = onEvent(ws, base, event);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "agents directory: cannot handle a change in " + base
                            + "; watching goes on", e);
                    continue;
                }
                try {
                    changes.forEach(listener);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "agents directory: cannot record " + changes + "; watching goes on", e);
                }
            }
            key.reset();
        }
    }

    private synchronized List<Change> onEvent(WatchService ws, Path base, WatchEvent<?> event) throws IOException {
        Map<Path, Loaded> before = new LinkedHashMap<>(files);
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            rescan();
            return changes(before);
        }
        Path p = base.resolve((Path) event.context());
        boolean top = base.equals(dir) && !p.getFileName().toString().startsWith(".");
        if (top && event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(p)) {
            register(ws, p);
            for (String n : List.of("agent.py", "agent.json")) {
                if (Files.isRegularFile(p.resolve(n))) {
                    reload(p.resolve(n));
                }
            }
        } else if (isDefinition(p)) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                remove(p);
            } else {
                reload(p);
            }
        } else if (top && event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
            // A subdirectory deleted or moved away: its definitions went with it.
            for (Path file : List.copyOf(files.keySet())) {
                if (file.getParent().equals(p)) {
                    remove(file);
                }
            }
        }
        return changes(before);
    }

    /** Loads the directory again from scratch after the watch lost events: what vanished stops serving. */
    private void rescan() {
        List<Path> present = definitions();
        for (Path file : List.copyOf(files.keySet())) {
            if (!present.contains(file)) {
                remove(file);
            }
        }
        present.forEach(this::reload);
    }

    /** What an edit of the directory changed, for the audit: each file whose agents were loaded, replaced or removed. */
    public record Change(String action, String file, List<String> agents) {}

    private List<Change> changes(Map<Path, Loaded> before) {
        List<Change> out = new ArrayList<>();
        before.forEach((file, was) -> {
            Loaded now = files.get(file);
            if (now == null) {
                out.add(new Change("agent.remove", dir.relativize(file).toString(), was.agents()));
            } else if (!now.hash().equals(was.hash())) {
                out.add(new Change("agent.reload", dir.relativize(file).toString(), now.agents()));
            }
        });
        files.forEach((file, now) -> {
            if (!before.containsKey(file)) {
                out.add(new Change("agent.load", dir.relativize(file).toString(), now.agents()));
            }
        });
        return out;
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new GraftException("SHA-256 is not available", e);
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }
}
