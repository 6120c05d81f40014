package io.ribbit.collector.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON value (an attribute's value, an array of prefixes) written as UTF-8 into a reusable
 * buffer, which Jackson then copies into its output as one raw value
 * ({@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(SerializableString)}).
 *
 * <p>Why: the event writer's hottest values are arrays of numbers (an AS path, communities as
 * {@code [[65000,1],…]}) and of prefixes. Written through the generator, every element is a
 * separate call that checks the generator's context and state; a 30-element community list is 90
 * of them. Here an element is a comma and the digits ({@link NumberOutput}, Jackson's own
 * formatting; strings are escaped by Jackson's {@link JsonStringEncoder} unless they are plain
 * printable ASCII), and the generator sees one value. The output is the same bytes the generator
 * would write (EventJsonTest compares the two over real UPDATEs).
 *
 * <p>Not thread-safe: one per writer thread; {@link #reset} before each value.
 */
public final class RawJsonWriter implements FieldWriter, SerializableString {
    /** Nesting deeper than this is a bug in a formatter, not data: every value here is shallow. */
    private static final int MAX_DEPTH = 63;

    private byte[] buf = new byte[1024];
    private int len;
    private int depth;
    /** Bit d: the container open at depth d already has an element (the next one needs a comma). */
    private long nonEmpty;
    /** A name was just written: the value that follows takes no comma. */
    private boolean afterName;

    /** Empties the buffer for the next value. */
    public RawJsonWriter reset() {
        len = 0;
        depth = 0;
        nonEmpty = 0;
        afterName = false;
        return this;
    }

    /** The bytes written since {@link #reset}. */
    public int size() {
        return len;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    /** The comma before an element, unless it is a container's first or follows its name. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            long bit = 1L << depth;
            if ((nonEmpty & bit) != 0) {
                put(',');
            } else {
                nonEmpty |= bit;
            }
        }
    }

    private void open(char c) {
        separate();
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        put(c);
        depth++;
        nonEmpty &= ~(1L << depth);
    }

    private void close(char c) {
        if (depth == 0) {
            throw new IllegalStateException("nothing open to close with " + c);
        }
        depth--;
        put(c);
    }

    private void string(String s) {
        int n = s.length();
        ensure(n + 2);
        int start = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                // Not plain ASCII: Jackson escapes it, as the generator would.
                len = start;
                byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(s);
                ensure(quoted.length + 2);
                buf[len++] = '"';
                System.arraycopy(quoted, 0, buf, len, quoted.length);
                len += quoted.length;
                buf[len++] = '"';
                return;
            }
            buf[len++] = (byte) c;
        }
        buf[len++] = '"';
    }

    @Override
    public FieldWriter name(String name) {
        separate();
        string(name);
        put(':');
        afterName = true;
        return this;
    }

    @Override
    public FieldWriter value(String value) {
        separate();
        string(value);
        return this;
    }

    @Override
    public FieldWriter value(long value) {
        separate();
        ensure(20);
        len = NumberOutput.outputLong(value, buf, len);
        return this;
    }

    @Override
    public FieldWriter value(boolean value) {
        separate();
        byte[] b = value ? TRUE : FALSE;
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

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

    /** Decimal octets "0".."255" as ASCII. */
    private static final byte[][] OCTETS = new byte[256][];

    static {
        for (int i = 0; i < 256; i++) {
            OCTETS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** An IPv4 prefix (packed as {@link PrefixList#packIpv4}) as a string element: "a.b.c.d/len". */
    public RawJsonWriter ipv4Prefix(long packed) {
        separate();
        ensure(20); // "255.255.255.255/32" and the quotes
        byte[] b = buf;
        int n = len;
        b[n++] = '"';
        int a = PrefixList.ipv4Address(packed);
        for (int shift = 24; shift >= 0; shift -= 8) {
            for (byte c : OCTETS[(a >>> shift) & 0xff]) {
                b[n++] = c;
            }
            b[n++] = shift == 0 ? (byte) '/' : (byte) '.';
        }
        for (byte c : OCTETS[(int) (packed & 0xff)]) {
            b[n++] = c;
        }
        b[n++] = '"';
        len = n;
        return this;
    }

    /** Prefix {@code i} of {@code p} as a string element (RFC 5952 text for IPv6). */
    public RawJsonWriter prefix(PrefixList p, int i, StringBuilder scratch) {
        if (!p.afiSafi().isIpv6()) {
            return ipv4Prefix(p.ipv4(i));
        }
        scratch.setLength(0);
        p.appendPrefix(i, scratch);
        separate();
        int n = scratch.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int k = 0; k < n; k++) {
            buf[len++] = (byte) scratch.charAt(k); // hex digits, colons, dots, a slash: ASCII
        }
        buf[len++] = '"';
        return this;
    }

    // ------------------------------------------------- SerializableString (as Jackson reads it)

    @Override
    public String getValue() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        byte[] q = asQuotedUTF8();
        if (offset + q.length > buffer.length) {
            return -1;
        }
        System.arraycopy(q, 0, buffer, offset, q.length);
        return q.length;
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        char[] q = asQuotedChars();
        if (offset + q.length > buffer.length) {
            return -1;
        }
        System.arraycopy(q, 0, buffer, offset, q.length);
        return q.length;
    }

    /** What the generator calls for a raw value: the bytes as they are, if they fit. */
    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + len > buffer.length) {
            return -1;
        }
        System.arraycopy(buf, 0, buffer, offset, len);
        return len;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String s = getValue();
        if (offset + s.length() > buffer.length) {
            return -1;
        }
        s.getChars(0, s.length(), buffer, offset);
        return s.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] q = asQuotedUTF8();
        out.write(q);
        return q.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(buf, 0, len);
        return len;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer out) {
        byte[] q = asQuotedUTF8();
        if (q.length > out.remaining()) {
            return -1;
        }
        out.put(q);
        return q.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer out) {
        if (len > out.remaining()) {
            return -1;
        }
        out.put(buf, 0, len);
        return len;
    }

    @Override
    public String toString() {
        return getValue();
    }
}
