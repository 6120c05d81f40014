package io.ribbit.collector.config;

import java.nio.file.Path;

/** Where events go: a JSON-lines file, or standard output. */
public record EventSinkConfig(Type type, Path path, boolean includeRaw, int line) {
    public enum Type {
        FILE, STDOUT
    }

    /** The sink's name in metrics: {@code file:/path} or {@code stdout}. */
    public String name() {
        return type == Type.FILE ? "file:" + path : "stdout";
    }
}
