package io.ribbit.collector.event;

import io.ribbit.collector.config.EventSinkConfig;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A destination for JSON-lines events: a file (appended to) or standard output. Written only by
 * the {@link EventBus} writer thread.
 */
public final class EventSink implements AutoCloseable {
    private final EventSinkConfig config;
    private final OutputStream out;
    private long written;

    private EventSink(EventSinkConfig config, OutputStream out) {
        this.config = config;
        this.out = out;
    }

    public static EventSink open(EventSinkConfig config) throws IOException {
        if (config.type() == EventSinkConfig.Type.STDOUT) {
            return new EventSink(config, new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16));
        }
        Path p = config.path();
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        return new EventSink(config, new BufferedOutputStream(new FileOutputStream(p.toFile(), true), 1 << 20));
    }

    /**
     * A sink over a stream the caller opened (embedding, tests): {@code config} gives its name and
     * raw flag; {@link #close()} closes the stream for {@code FILE} sinks.
     */
    public static EventSink of(EventSinkConfig config, OutputStream out) {
        return new EventSink(config, out);
    }

    public EventSinkConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public boolean includeRaw() {
        return config.includeRaw();
    }

    void write(byte[] line, int length) throws IOException {
        out.write(line, 0, length);
        written++;
    }

    void flush() throws IOException {
        out.flush();
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (config.type() == EventSinkConfig.Type.FILE) {
            out.close();
        }
    }
}
