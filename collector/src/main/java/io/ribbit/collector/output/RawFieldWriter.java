package io.ribbit.collector.output;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * The codec's {@link FieldWriter} into a {@link RawJson}: a value with many parts (an AS path,
 * communities) becomes one raw value for the generator instead of a generator call per number.
 * Strings are escaped by Jackson's {@link JsonStringEncoder}; numbers and structure are written
 * here, with commas placed by a stack of "first element" flags, so the result is valid JSON
 * whenever the calls follow JSON's structure (as {@link FieldWriter} requires).
 *
 * <p>Not thread-safe; one per writer thread.
 */
final class RawFieldWriter implements FieldWriter {
    private RawJson out;
    /** Per open array or object: nothing written in it yet. */
    private boolean[] first = new boolean[16];
    private int depth;
    /** A name was just written: the value that follows takes no comma. */
    private boolean afterName;

    /** Starts a value in {@code json} (reset by the caller). */
    RawFieldWriter into(RawJson json) {
        this.out = json;
        this.depth = 0;
        this.afterName = false;
        return this;
    }

    private void separator() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (first[depth - 1]) {
                first[depth - 1] = false;
            } else {
                out.append(',');
            }
        }
    }

    private void open(char c) {
        separator();
        out.append(c);
        if (depth == first.length) {
            first = Arrays.copyOf(first, depth * 2);
        }
        first[depth++] = true;
    }

    private void close(char c) {
        depth--;
        out.append(c);
    }

    private void quoted(String s) {
        if (plain(s)) { // the usual value ("IGP", a name): copied as it is
            out.append('"');
            ascii(s);
            out.append('"');
            return;
        }
        byte[] q = hasSurrogate(s) ? surrogatesEscaped(s) : JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] b = out.room(q.length + 2);
        int n = out.size();
        b[n++] = '"';
        System.arraycopy(q, 0, b, n, q.length);
        n += q.length;
        b[n++] = '"';
        out.advance(n);
    }

    /** Appends {@code s} as it is: printable ASCII (a literal, or a {@link #plain} string). */
    private void ascii(String s) {
        byte[] b = out.room(s.length());
        int n = out.size();
        for (int i = 0; i < s.length(); i++) {
            b[n++] = (byte) s.charAt(i);
        }
        out.advance(n);
    }

    /** Printable ASCII without a quote or a backslash: nothing to escape (JSON, RFC 8259 §7). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * As Jackson's UTF-8 generator writes a string with characters beyond the BMP: each UTF-16
     * surrogate as a six-character escape (backslash, u, four upper-case hex digits: its default),
     * the rest as UTF-8.
     */
    private static byte[] surrogatesEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : JsonStringEncoder.getInstance().quoteAsString(s)) {
            if (Character.isSurrogate(c)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public FieldWriter name(String name) {
        separator();
        quoted(name);
        out.append(':');
        afterName = true;
        return this;
    }

    @Override
    public FieldWriter value(String value) {
        separator();
        if (value == null) {
            ascii("null");
        } else {
            quoted(value);
        }
        return this;
    }

    @Override
    public FieldWriter value(long value) {
        separator();
        out.append(value);
        return this;
    }

    @Override
    public FieldWriter value(boolean value) {
        separator();
        ascii(value ? "true" : "false");
        return this;
    }

    @Override
    public FieldWriter valueUnsigned(int value) {
        return value(Integer.toUnsignedLong(value));
    }

    @Override
    public FieldWriter startObject() {
        open('{');
        return this;
    }

    @Override
    public FieldWriter endObject() {
        close('}');
        return this;
    }

    @Override
    public FieldWriter startArray() {
        open('[');
        return this;
    }

    @Override
    public FieldWriter endArray() {
        close(']');
        return this;
    }
}
