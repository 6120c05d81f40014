package io.ribbit.codec.attr;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.error.UpdateProblem;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-message UPDATE decode state (BIRD's {@code bgp_parse_state}): the session options, which
 * attribute codes were seen (a 256-bit map), the strongest RFC 7606 action so far, and the
 * problems found. One per channel, reset for every message; confined to the channel's event
 * loop, never shared. Attribute decoders report through {@link #malformed} and {@link #reset}.
 */
public final class UpdateDecodeContext {
    private final long[] seen = new long[4];
    /** Scratch space reused by every message (never escapes: results are copied out exactly sized). */
    final char[] scratchStarts = new char[256];
    final byte[] scratchCodes = new byte[256];
    int[] scratchInts = new int[64];
    long[] scratchWords = new long[4096];
    private byte[] scratchBody = new byte[4096];

    /**
     * A scratch byte array of at least {@code n} octets for one message (the UPDATE decoder reads
     * from it; nothing that escapes refers to it).
     */
    public byte[] body(int n) {
        if (scratchBody.length < n) {
            scratchBody = new byte[Math.max(n, 65536)];
        }
        return scratchBody;
    }

    /** A scratch long array of at least {@code n} elements (primitive: no GC barriers). */
    public long[] words(int n) {
        if (scratchWords.length < n) {
            scratchWords = new long[Math.max(n, scratchWords.length * 2)];
        }
        return scratchWords;
    }
    private final List<UpdateProblem> problems = new ArrayList<>(4);
    private SessionOptions options = SessionOptions.DEFAULT;
    private ErrorAction strongest = ErrorAction.NONE;
    /** The Path Attributes field being read (offsets below are into it). */
    private byte[] block;
    /** No reference field is written per attribute: this object is long-lived (old gen), so each reference store would dirty a GC card. */
    private boolean inAttribute;
    private int currentCode;
    private int currentStart;
    private int currentTotal;
    /** The family of the MRT RIB entry being read, else null (see {@link PathAttributesCodec#decodeMrtRibEntry}). */
    private AfiSafi ribFamily;
    /** True while an UPDATE is validated (values may be deferred); false while a deferred value is built. */
    private boolean deferring;

    /** Starts a new message. */
    public void begin(SessionOptions options) {
        this.options = options;
        this.block = null;
        seen[0] = 0;
        seen[1] = 0;
        seen[2] = 0;
        seen[3] = 0;
        if (!problems.isEmpty()) {
            problems.clear();
        }
        strongest = ErrorAction.NONE;
        inAttribute = false;
        ribFamily = null;
        deferring = true;
    }

    /**
     * Starts building one deferred value from a {@link PathAttributes}' retained bytes: the bytes
     * were validated when the UPDATE was decoded, so the decoder must not find a problem.
     */
    void beginMaterialize(SessionOptions options, byte[] block, AttributeDescriptor d, int code, int start, int total) {
        begin(options);
        this.block = block;
        deferring = false;
        enter(d, code, start, total);
    }

    /**
     * Whether a decoder may, once it has checked the value, return {@link PathAttributesCodec#DEFERRED}
     * instead of building it: the value is then built from the retained bytes on first access
     * ({@link PathAttributes#get}). RFC 7606 decisions are all taken while validating.
     */
    public boolean deferring() {
        return deferring;
    }

    /** The Path Attributes field the attributes are read from. */
    void block(byte[] block) {
        this.block = block;
    }

    /** Ends the message; drops the block reference. */
    public void end() {
        block = null;
        inAttribute = false;
        ribFamily = null;
    }

    /** Marks the attributes being read as an MRT RIB entry's for routes of {@code family}. */
    void ribFamily(AfiSafi family) {
        ribFamily = family;
    }

    /** The RIB entry's family while an MRT RIB entry is read, else null. */
    AfiSafi ribFamily() {
        return ribFamily;
    }

    /** A scratch int array of at least {@code n} elements. */
    int[] ints(int n) {
        if (scratchInts.length < n) {
            scratchInts = new int[Math.max(n, scratchInts.length * 2)];
        }
        return scratchInts;
    }

    public SessionOptions options() {
        return options;
    }

    public ErrorAction strongest() {
        return strongest;
    }

    /** The problems found (a copy, or the shared empty list). */
    public List<UpdateProblem> problems() {
        return problems.isEmpty() ? List.of() : List.copyOf(problems);
    }

    /** Marks {@code code} seen; returns true if it had been seen before (RFC 7606 §3(g)). */
    boolean markSeen(int code) {
        long bit = 1L << (code & 63);
        int w = code >>> 6;
        boolean was = (seen[w] & bit) != 0;
        seen[w] |= bit;
        return was;
    }

    /** Adds the codes 0..63 whose bits are set in {@code bits} to the seen ones. */
    void markSeenLow(long bits) {
        seen[0] |= bits;
    }

    public boolean seen(int code) {
        return (seen[code >>> 6] & (1L << (code & 63))) != 0;
    }

    void enter(AttributeDescriptor descriptor, int code, int start, int total) {
        inAttribute = true;
        currentCode = code;
        currentStart = start;
        currentTotal = total;
    }

    /** The code of the attribute being decoded. */
    public int currentCode() {
        return currentCode;
    }

    /** The current attribute's bytes (flags, type, length, value) — RFC 4271 §6.3 NOTIFICATION data. */
    public byte[] attributeData() {
        if (block == null || !inAttribute && currentTotal == 0) {
            return new byte[0];
        }
        return java.util.Arrays.copyOfRange(block, currentStart, currentStart + currentTotal);
    }

    /**
     * Records that the current attribute is malformed; the cost is its table row's
     * {@code onMalformed}. A session-reset row throws.
     *
     * @return null, so decoders can write {@code return ctx.malformed(...)}
     */
    public PathAttribute malformed(BgpError error, String detail) {
        AttributeDescriptor current = inAttribute ? AttributeTable.get(currentCode) : null;
        ErrorAction action = current != null ? current.onMalformed() : ErrorAction.TREAT_AS_WITHDRAW;
        if (action == ErrorAction.SESSION_RESET) {
            throw reset(error, detail);
        }
        problem(action, error, currentCode, detail);
        return null;
    }

    /**
     * Records a problem with an explicit action (never SESSION_RESET: use {@link #reset}; only
     * {@link PathAttributesCodec#decodeMrtRibEntry}, which has no session, records one).
     */
    public void problem(ErrorAction action, BgpError error, int attributeCode, String detail) {
        problems.add(new UpdateProblem(action, error, attributeCode, detail));
        strongest = strongest.stronger(action);
    }

    /** A session reset with the current attribute as NOTIFICATION data; the caller throws it. */
    public BgpDecodeException reset(BgpError error, String detail) {
        return new BgpDecodeException(error, attributeData(), detail);
    }

    /** A session reset with explicit data; the caller throws it. */
    public BgpDecodeException reset(BgpError error, byte[] data, String detail) {
        return new BgpDecodeException(error, data, detail);
    }
}
