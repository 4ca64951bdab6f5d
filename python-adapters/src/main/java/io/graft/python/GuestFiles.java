package io.graft.python;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The host file system as Python code in one context sees it: reads only under the {@link GuestRoots}
 * and the context's own directory, writes only in the context's own directory (and GraalPy's copies
 * of native extensions, see {@link GuestRoots#nativeCopy}). To reads, listings and existence checks a
 * file outside does not exist ({@code FileNotFoundError} in Python); writing it, or linking to it, is
 * an {@link AccessDeniedException} ({@code PermissionError}).
 *
 * <p>Stat-like reads of the directories above a root are allowed (so {@code os.path.realpath} can
 * walk to it), never their contents. Native code (C extensions, {@code ctypes}) does not come
 * through here; see docs/python-runtime.md#isolation-what-it-does-and-does-not-do.
 */
final class GuestFiles implements FileSystem {
    private static final System.Logger LOG = System.getLogger(GuestFiles.class.getName());

    private final FileSystem host;
    private final GuestRoots roots;
    private final Path scratch;
    private final Path temp;
    private final boolean enforce;

    /**
     * @param scratch the context's own directory: read and written freely
     * @param temp the context's temporary directory, inside {@code scratch}
     * @param enforce false to allow everything and only log what would be refused ({@code audit})
     */
    GuestFiles(FileSystem host, GuestRoots roots, Path scratch, Path temp, boolean enforce) {
        this.host = host;
        this.roots = roots;
        this.scratch = scratch.toAbsolutePath().normalize();
        this.temp = temp.toAbsolutePath().normalize();
        this.enforce = enforce;
    }

    /** What an operation does with a path: looks at its attributes, reads it, writes it, or links to it. */
    private enum Use { LOOK, READ, WRITE, LINK }

    private void check(Path path, Use use) throws IOException {
        Path p = host.toAbsolutePath(path).normalize();
        if (allowed(p, use)) {
            return;
        }
        String what = switch (use) {
            case LOOK -> "look at";
            case READ -> "read";
            case WRITE -> "write";
            case LINK -> "link to";
        };
        if (!enforce) {
            LOG.log(System.Logger.Level.INFO, "python file access outside the allowed directories ({0}): {1}", what, p);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "refused python file access ({0}): {1}", what, p);
        String reason = "Graft does not let agent code " + what + " files outside its allowed directories";
        if (use == Use.LOOK || use == Use.READ) {
            // Invisible rather than forbidden: libraries probe for optional files and read what they find, and
            // many let only "not found" through (pathlib's exists() does; python-dotenv's search for a .env
            // failed on PermissionError).
            throw new NoSuchFileException(p.toString(), null, reason);
        }
        throw new AccessDeniedException(p.toString(), null, reason);
    }

    private boolean allowed(Path p, Use use) {
        if (p.startsWith(scratch)) {
            return true;
        }
        return switch (use) {
            case WRITE -> roots.nativeCopy(p) || GuestRoots.DEV_NULL.equals(p);
            case READ, LINK -> roots.readable(p);
            case LOOK -> roots.readable(p) || roots.above(p) || p.equals(scratch.getParent());
        };
    }

    private static Use useOf(Set<? extends OpenOption> options) {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.DELETE_ON_CLOSE
                    || o == StandardOpenOption.TRUNCATE_EXISTING) {
                return Use.WRITE;
            }
        }
        return Use.READ;
    }

    @Override
    public Path parsePath(URI uri) {
        return host.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return host.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        check(path, modes.contains(AccessMode.WRITE) ? Use.WRITE : Use.LOOK);
        host.checkAccess(path, modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        check(dir, Use.WRITE);
        host.createDirectory(dir, attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        check(path, Use.WRITE);
        host.delete(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        check(path, useOf(options));
        return host.newByteChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        check(dir, Use.READ);
        return host.newDirectoryStream(dir, filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return host.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        check(path, Use.LOOK);
        Path real = host.toRealPath(path, linkOptions);
        check(real, Use.LOOK); // a link inside a root must not lead out of it
        return real;
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        check(path, Use.LOOK);
        return host.readAttributes(path, attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        check(path, Use.WRITE);
        host.setAttribute(path, attribute, value, options);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        check(source, Use.READ);
        check(target, Use.WRITE);
        host.copy(source, target, options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        check(source, Use.WRITE);
        check(target, Use.WRITE);
        host.move(source, target, options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        check(link, Use.WRITE);
        check(existing, Use.WRITE);
        host.createLink(link, existing);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        check(link, Use.WRITE);
        check(link.resolveSibling(target), Use.LINK);
        host.createSymbolicLink(link, target, attrs);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        check(link, Use.LOOK);
        return host.readSymbolicLink(link);
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        host.setCurrentWorkingDirectory(currentWorkingDirectory);
    }

    @Override
    public String getSeparator() {
        return host.getSeparator();
    }

    @Override
    public String getPathSeparator() {
        return host.getPathSeparator();
    }

    @Override
    public String getMimeType(Path path) {
        return host.getMimeType(path);
    }

    @Override
    public Charset getEncoding(Path path) {
        return host.getEncoding(path);
    }

    @Override
    public Path getTempDirectory() {
        return temp;
    }

    @Override
    public boolean isSameFile(Path path1, Path path2, LinkOption... options) throws IOException {
        check(path1, Use.LOOK);
        check(path2, Use.LOOK);
        return host.isSameFile(path1, path2, options);
    }

    @Override
    public long getFileStoreTotalSpace(Path path) throws IOException {
        check(path, Use.LOOK);
        return host.getFileStoreTotalSpace(path);
    }

    @Override
    public long getFileStoreUnallocatedSpace(Path path) throws IOException {
        check(path, Use.LOOK);
        return host.getFileStoreUnallocatedSpace(path);
    }

    @Override
    public long getFileStoreUsableSpace(Path path) throws IOException {
        check(path, Use.LOOK);
        return host.getFileStoreUsableSpace(path);
    }

    @Override
    public long getFileStoreBlockSize(Path path) throws IOException {
        check(path, Use.LOOK);
        return host.getFileStoreBlockSize(path);
    }

    @Override
    public boolean isFileStoreReadOnly(Path path) throws IOException {
        check(path, Use.LOOK);
        return host.isFileStoreReadOnly(path);
    }
}
