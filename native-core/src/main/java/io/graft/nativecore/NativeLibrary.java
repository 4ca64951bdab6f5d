package io.graft.nativecore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Finds the native library: the path in {@code -Dgraft.native.library=PATH}, or the copy packaged
 * under {@code native/<os>-<arch>/} in this jar, extracted once to a file keyed by its hash (a
 * shared library must be a real file to be loaded).
 */
final class NativeLibrary {
    static final String PROPERTY = "graft.native.library";

    private NativeLibrary() {}

    private static final class Holder {
        static final Path PATH = locate();
    }

    static Path path() {
        return Holder.PATH;
    }

    private static Path locate() {
        String given = System.getProperty(PROPERTY, "");
        if (!given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new NativeException(NativeException.NOT_FOUND, PROPERTY + " points to " + p + ", which is not a file");
            }
            return p.toAbsolutePath();
        }
        String resource = "/native/" + platform() + "/" + System.mapLibraryName("graft_native");
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new NativeException(NativeException.NOT_FOUND, "no native library for " + platform()
                        + " in the graft-native jar (" + resource + "); set -D" + PROPERTY + "=PATH");
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "graft-native-" + hash);
            Path lib = dir.resolve(System.mapLibraryName("graft_native"));
            if (!Files.isRegularFile(lib) || Files.size(lib) != bytes.length) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "lib", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return lib;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new NativeException(NativeException.IO, "cannot extract the native library " + resource + ": " + e.getMessage());
        }
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return o + "-" + a;
    }
}
