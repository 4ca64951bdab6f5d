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
        this.graft = graft;
        this.dir = dir.toAbsolutePath().normalize();
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
            throw new ApiException(409, "Agent defined elsewhere", "agent '" + name + "' is defined by " + owner.get()
                    + "; change that file, or delete the agent first", Map.of("file", owner.get().toString()));
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
            Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // Loaded again from its real path, so the descriptor's source names the file that serves.
            if (!reload(target)) {
                Problem p = problems.get(target);
                throw new ApiException(422, "Agent definition does not load", p == null ? "cannot load " + target : p.message(),
                        Map.of("file", target.getFileName().toString()));
            }
            return graft.runtime().find(name).orElseThrow().descriptor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + target, e);
        } finally {
            try {
                Files.deleteIfExists(staging);
            } catch (IOException ignored) {
                // a left-over staging file is overwritten by the next upload
            }
        }
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
            throw new ApiException(409, "Agent shares its file", file.get() + " also defines " + loaded.agents()
                    + "; delete or change the file instead", Map.of("file", file.get().toString()));
        }
        try {
            Files.deleteIfExists(file.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file.get(), e);
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

    private void watchLoop(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                Path base = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        synchronized (this) {
                            definitions().forEach(this::reload);
                        }
                        continue;
                    }
                    Path p = base.resolve((Path) event.context());
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && base.equals(dir) && Files.isDirectory(p)
                            && !p.getFileName().toString().startsWith(".")) {
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
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the server is stopping
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "agents directory watch stopped", e);
        }
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
