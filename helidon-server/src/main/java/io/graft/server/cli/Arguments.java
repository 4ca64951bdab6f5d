package io.graft.server.cli;

import io.graft.core.GraftException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parsed command-line arguments: positionals, {@code --name value} options and {@code --flag}s. */
record Arguments(List<String> positionals, Map<String, String> options, Set<String> flags) {

    /** {@code spec} maps each option name to whether it takes a value. */
    static Arguments parse(List<String> args, Map<String, Boolean> spec) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positionals.add(a);
                continue;
            }
            String name = a.substring(2);
            Boolean takesValue = spec.get(name);
            if (takesValue == null) {
                throw new GraftException("unknown option '" + a + "' (options: --" + String.join(", --", spec.keySet()) + ")");
            }
            if (!takesValue) {
                flags.add(name);
            } else if (i + 1 >= args.size()) {
                throw new GraftException("option '" + a + "' needs a value");
            } else {
                options.put(name, args.get(++i));
            }
        }
        return new Arguments(positionals, options, flags);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
