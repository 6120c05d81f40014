package io.ribbit.codec.text;

/**
 * A tiny structured-output sink (JSON-shaped) that the codec's value types write themselves to,
 * so the codec stays free of Jackson. The collector adapts it to Jackson's streaming generator;
 * tests adapt it to a string. Calls follow JSON structure: {@code name} inside objects, values
 * anywhere.
 */
public interface FieldWriter {
    FieldWriter name(String name);

    FieldWriter value(String value);

    FieldWriter value(long value);

    FieldWriter value(boolean value);

    FieldWriter valueUnsigned(int value);

    FieldWriter startObject();

    FieldWriter endObject();

    FieldWriter startArray();

    FieldWriter endArray();

    /** Lower-case hex of {@code bytes}. */
    default FieldWriter hex(byte[] bytes) {
        return value(Hex.encode(bytes));
    }
}
