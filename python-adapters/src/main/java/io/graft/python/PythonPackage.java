package io.graft.python;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds the directory holding Graft's own Python package {@code graft}, to put on the guest's
 * {@code sys.path}. In a build tree it is {@code target/classes/graft-python}; from a jar it is
 * extracted once into {@code ~/.cache/graft/python/<hash of the jar>}.
 */
final class PythonPackage {
    static final String ROOT = "graft-python";

    private PythonPackage() {}

    static Path directory() {
        URL marker = PythonPackage.class.getClassLoader().getResource(ROOT + "/graft/__init__.py");
        if (marker == null) {
            throw new PythonException("the Python package 'graft' is missing from the classpath (" + ROOT + "/graft)");
        }
        try {
            if ("file".equals(marker.getProtocol())) {
                return Path.of(marker.toURI()).getParent().getParent();
            }
            if ("jar".equals(marker.getProtocol())) {
                String spec = marker.getPath();
                Path jar = Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
                return extract(jar);
            }
        } catch (IOException | URISyntaxException e) {
            throw new PythonException("cannot locate the Python package 'graft': " + e.getMessage(), e);
        }
        throw new PythonException("cannot load the Python package 'graft' from " + marker);
    }

    private static Path extract(Path jar) throws IOException {
        Path target = Path.of(System.getProperty("user.home"), ".cache", "graft", "python", hash(jar));
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent() == null ? Path.of(".") : Files.createDirectories(target.getParent()), "extract");
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                if (entry.isDirectory() || !entry.getName().startsWith(ROOT + "/")) {
                    continue;
                }
                Path out = staging.resolve(entry.getName().substring(ROOT.length() + 1)).normalize();
                if (!out.startsWith(staging)) {
                    throw new PythonException("unsafe entry in " + jar + ": " + entry.getName());
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(staging.resolve(".complete"), jar.toString());
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // Another process extracted the same jar first; its copy is identical.
            if (!Files.isRegularFile(target.resolve(".complete"))) {
                throw raced;
            }
        }
        return target;
    }

    private static String hash(Path jar) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(jar))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
