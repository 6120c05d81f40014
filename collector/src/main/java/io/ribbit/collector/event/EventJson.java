package io.ribbit.collector.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.ribbit.codec.text.Hex;
import io.ribbit.collector.output.MessageJson;
import java.io.IOException;
import java.util.Map;

/**
 * One event as one line of JSON (the RIS Live {@code ris_message} envelope, docs/events.md), in a
 * reusable buffer whose bytes the sinks take without a copy. The event writer has one per
 * variant (with and without {@code raw}); the benchmark (EventJsonBenchmark) drives the same code.
 *
 * <p>Not thread-safe: one per writing thread. After an {@link IOException} or a runtime error
 * mid-event, {@link #write} starts over with a fresh generator.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final LineBuffer out = new LineBuffer();
    private final MessageJson json = new MessageJson();
    private final SerializedString hostJson;
    private final boolean raw;
    /** One generator for the writer's life (making one per event cost ~10 % of its time). */
    private JsonGenerator gen;

    /**
     * @param host the {@code host} field of every event
     * @param raw whether to add the message's bytes ({@code raw}) to events that carry them
     */
    public EventJson(String host, boolean raw) {
        this.hostJson = new SerializedString(host);
        this.raw = raw;
    }

    /** The line's bytes: {@code [0, size())} of this array, valid until the next write. */
    public byte[] array() {
        return out.array();
    }

    public int size() {
        return out.size();
    }

    /** Serializes {@code e} with id sequence number {@code seq} as one line, ending with a newline. */
    public void write(Event e, long seq) throws IOException {
        if (gen == null) {
            gen = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            gen.setRootValueSeparator(null); // the newline is written after each event instead
        }
        out.reset();
        try {
            serialize(gen, e, seq);
        } catch (IOException | RuntimeException ex) {
            gen = null; // its state is mid-event: start over with a fresh one
            throw ex;
        }
    }

    private void serialize(JsonGenerator g, Event e, long seq) throws IOException {
        g.writeStartObject();
        g.writeFieldName(MessageJson.TYPE);
        g.writeString(RIS_MESSAGE);
        g.writeFieldName(DATA);
        g.writeStartObject();
        g.writeFieldName(TIMESTAMP);
        writeSeconds(g, e.timeMicros());
        PeerText p = peerText(e.peer(), e.peerAs());
        g.writeFieldName(PEER);
        g.writeString(p.peer);
        g.writeFieldName(PEER_ASN);
        g.writeString(p.peerAs);
        g.writeFieldName(ID);
        id.reset().append('"');
        byte[] b = id.room(p.idPrefix.length + 17);
        System.arraycopy(p.idPrefix, 0, b, id.size(), p.idPrefix.length);
        id.advance(appendHex(b, id.size() + p.idPrefix.length, seq));
        g.writeRawValue(id.append('"'));
        g.writeFieldName(HOST);
        g.writeString(hostJson);
        if (e.message() != null) {
            json.writeFields(g, e.message(), e.direction());
        } else {
            g.writeStringField("type", e.type());
        }
        if (e.fields() != null) {
            for (Map.Entry<String, Object> f : e.fields().entrySet()) {
                if (f.getValue() instanceof JsonFields inline) {
                    inline.write(g); // several fields of this object, not one value
                    continue;
                }
                g.writeFieldName(f.getKey());
                writeValue(g, f.getValue());
            }
        }
        if (e.more() != null) {
            e.more().write(g);
        }
        if (raw && e.raw() != null) {
            g.writeStringField("raw", Hex.encode(e.raw()));
        }
        g.writeEndObject();
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    // The envelope's names, and the host, quoted and encoded once (see MessageJson).
    private static final SerializedString RIS_MESSAGE = new SerializedString("ris_message");
    private static final SerializedString DATA = new SerializedString("data");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString PEER = new SerializedString("peer");
    private static final SerializedString PEER_ASN = new SerializedString("peer_asn");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString HOST = new SerializedString("host");

    /**
     * A peer's text in the envelope, quoted and encoded once: its address, its AS, and the id's
     * start ({@code "ADDRESS-"}, escaped as a JSON string's content).
     */
    private record PeerText(String name, long as, SerializedString peer, SerializedString peerAs, byte[] idPrefix) {
    }

    /** By peer address text; a daemon has a few hundred peers at most (cleared past PEER_TEXTS). */
    private final Map<String, PeerText> peerTexts = new java.util.HashMap<>();
    private static final int PEER_TEXTS = 4096;
    private PeerText lastPeer;
    /** The id's value, built here: {@code "ADDRESS-SEQ"} with SEQ in hexadecimal. */
    private final io.ribbit.collector.output.RawJson id = new io.ribbit.collector.output.RawJson();

    private PeerText peerText(String name, long as) {
        PeerText t = lastPeer;
        if (t != null && t.name == name && t.as == as) {
            return t; // a run of events from one peer: no lookup
        }
        t = peerTexts.get(name);
        if (t == null || t.as != as) {
            if (peerTexts.size() >= PEER_TEXTS) {
                peerTexts.clear();
            }
            t = new PeerText(name, as, new SerializedString(name), new SerializedString(Long.toString(as)),
                    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(name + "-"));
            peerTexts.put(name, t);
        }
        lastPeer = t;
        return t;
    }

    private final char[] seconds = new char[32];
    /**
     * {@code v} as unsigned lower-case hexadecimal ASCII (as {@link Long#toHexString} writes it) into
     * {@code b} at {@code n} (room for 16); returns the end.
     */
    static int appendHex(byte[] b, int n, long v) {
        for (int shift = (63 - Long.numberOfLeadingZeros(v | 1)) & ~3; shift >= 0; shift -= 4) {
            b[n++] = (byte) Character.forDigit((int) (v >>> shift) & 15, 16);
        }
        return n;
    }

    /** Microseconds since the epoch as a JSON number of seconds with six decimals (RIS Live's form). */
    private void writeSeconds(JsonGenerator g, long micros) throws IOException {
        if (micros < 0) {
            g.writeNumber(new java.math.BigDecimal(java.math.BigInteger.valueOf(micros), 6));
            return;
        }
        char[] c = seconds;
        int n = c.length;
        long frac = micros % 1_000_000;
        for (int k = 0; k < 6; k++) {
            c[--n] = (char) ('0' + frac % 10);
            frac /= 10;
        }
        c[--n] = '.';
        long sec = micros / 1_000_000;
        do {
            c[--n] = (char) ('0' + sec % 10);
            sec /= 10;
        } while (sec > 0);
        g.writeNumber(c, n, c.length - n);
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> x : m.entrySet()) {
                g.writeFieldName(String.valueOf(x.getKey()));
                writeValue(g, x.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof JsonValue j) {
            j.write(g);
        } else if (v instanceof java.util.Collection<?> c) {
            g.writeStartArray();
            for (Object x : c) {
                writeValue(g, x);
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /** A reusable serialization buffer whose bytes are written to the sinks without a copy. */
    private static final class LineBuffer extends java.io.ByteArrayOutputStream {
        LineBuffer() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
        }
    }
}
