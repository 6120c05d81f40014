package io.ribbit.collector.config;

import java.nio.file.Path;

/**
 * Where events go: a JSON-lines file, or standard output.
 *
 * @param locRib which events the sink gets: the messages and state events ({@link LocRibEvents#NO},
 *     the default), those and the Loc-RIB's best-path changes ({@link LocRibEvents#YES}), or the
 *     best-path changes alone ({@link LocRibEvents#ONLY})
 */
public record EventSinkConfig(Type type, Path path, boolean includeRaw, int line, LocRibEvents locRib) {
    public enum Type {
        FILE, STDOUT
    }

    /** The {@code loc-rib:} key of a sink. */
    public enum LocRibEvents {
        NO, YES, ONLY
    }

    /** A sink of the messages and state events only. */
    public EventSinkConfig(Type type, Path path, boolean includeRaw, int line) {
        this(type, path, includeRaw, line, LocRibEvents.NO);
    }

    /** The sink's name in metrics: {@code file:/path} or {@code stdout}. */
    public String name() {
        return type == Type.FILE ? "file:" + path : "stdout";
    }
}
