package io.ribbit.collector.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A piece of JSON already encoded as UTF-8 (numbers, brackets, commas, strings quoted and escaped
 * by Jackson's encoder), built in a reusable buffer and handed to Jackson's
 * {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(SerializableString)} as one value:
 * a list of prefixes or ASNs costs one generator call instead of one per element (the generator's
 * per-value bookkeeping was a third of the event writer's time). Its writers (the prefix arrays of
 * {@link MessageJson}, {@link RawFieldWriter}) write whole, valid JSON values.
 *
 * <p>Not thread-safe; reused by one writer thread.
 */
public final class RawJson implements SerializableString {
    private byte[] buf = new byte[256];
    private int size;

    public RawJson reset() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Room for {@code n} more bytes. */
    public byte[] room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
        return buf;
    }

    public RawJson append(char c) {
        room(1)[size++] = (byte) c;
        return this;
    }

    /** Appends bytes written by the caller into {@link #room}: advances the size to {@code end}. */
    public void advance(int end) {
        size = end;
    }

    /** {@code v} in decimal (Jackson's {@link NumberOutput}). */
    public RawJson append(long v) {
        size = NumberOutput.outputLong(v, room(20), size);
        return this;
    }

    // ------------------------------------------------------------ SerializableString

    @Override
    public String getValue() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOf(buf, size);
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + size > buffer.length) {
            return -1;
        }
        System.arraycopy(buf, 0, buffer, offset, size);
        return size;
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
    public int writeQuotedUTF8(OutputStream out) {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(buf, 0, size);
        return size;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer out) {
        throw new UnsupportedOperationException("a raw value is written unquoted");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer out) {
        if (out.remaining() < size) {
            return -1;
        }
        out.put(buf, 0, size);
        return size;
    }

    @Override
    public String toString() {
        return getValue();
    }
}
