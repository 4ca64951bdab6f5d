package io.graft.server.http;

import io.graft.core.GraftException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The access log: one JSON object per request, one per line, on standard output or appended to a
 * file. Requests hand their line to a queue and a thread of its own writes them in batches (what
 * gathered within {@value #LINGER_MILLIS} ms of a first line), so no request waits for the terminal
 * or the disk. Nothing is dropped: when the writer falls behind by {@value #QUEUED} lines, requests
 * wait for room. {@link #close} writes what is queued.
 */
final class AccessLog implements AutoCloseable {
    static final String STDOUT = "stdout";
    static final String OFF = "off";
    private static final int QUEUED = 16_384;
    /** How long the writer lets lines gather after the first: one write per batch, not per request. */
    private static final long LINGER_MILLIS = 5;
    private static final String END = new String("end"); // compared by identity
    private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUED);
    private final BufferedWriter out;
    private final boolean file;
    private final Thread writer;

    private AccessLog(OutputStream target, boolean file) {
        this.out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 16);
        this.file = file;
        this.writer = Thread.ofPlatform().daemon().name("graft-access-log").start(this::drain);
    }

    /** {@code target}: {@value #STDOUT}, {@value #OFF} (no log: answers null), or a file to append to. */
    static @Nullable AccessLog open(String target) {
        return switch (target) {
            case OFF -> null;
            case STDOUT -> new AccessLog(new FileOutputStream(FileDescriptor.out), false);
            default -> {
                Path file = Path.of(target);
                try {
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                    yield new AccessLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
                } catch (IOException e) {
                    throw new GraftException("cannot open the access log " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** Queues one line (a JSON object without its line break). */
    void add(String line) {
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        boolean failed = false;
        while (true) {
            try {
                batch.add(queue.take());
                if (batch.getFirst() != END) {
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException e) {
                // only close() ends the writer, after the last line
            }
            queue.drainTo(batch);
            boolean end = false;
            try {
                for (String line : batch) {
                    if (line == END) {
                        end = true;
                        break;
                    }
                    out.write(line);
                    out.write('\n');
                }
                out.flush(); // one write per batch
                failed = false;
            } catch (IOException e) {
                if (!failed) { // once per failure, not once per line
                    LOG.log(System.Logger.Level.ERROR, "cannot write the access log", e);
                }
                failed = true;
            }
            batch.clear();
            if (end) {
                return;
            }
        }
    }

    /** Writes every queued line, then stops; closes a file, never standard output. */
    @Override
    public void close() {
        add(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (file) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write the access log", e);
        }
    }
}
