package io.ribbit.collector.config;

/** A configuration error, already phrased for the operator: file, line, key, what is wrong. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
