package io.ribbit.rib;

import io.ribbit.codec.attr.PathAttributes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One interned path, shared by every route (of any peer) that has it: the canonical bytes of
 * {@link AttributeBytes} (path attributes without the NLRI, plus the next hop), their hash, and
 * the number of route references. Only the bytes are kept; {@link #attributes()} decodes them.
 *
 * <p>The bytes and hash never change. The reference count is changed by the {@link AttributeStore}
 * and the tables that refer to the set, from any writer thread; once it has reached zero the set
 * is dead for good (the store never hands it out again), but a reader that still holds it can
 * decode it: nothing is freed under it except by the garbage collector.
 */
public final class AttributeSet {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(AttributeSet.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] bytes;
    final int hash;
    /** Route references; 0 = dead. Read and written through {@link #REFS} only. */
    @SuppressWarnings("unused")
    private volatile int refs;

    /** A new set holding {@code refs} references (the caller's); published by the store's CAS. */
    AttributeSet(byte[] bytes, int hash, int refs) {
        this.bytes = bytes;
        this.hash = hash;
        REFS.set(this, refs);
    }

    /** Decodes the path attributes (allocates). */
    public PathAttributes attributes() {
        return AttributeBytes.attributes(bytes);
    }

    /** The next hop: MP_REACH_NLRI next-hop octets, else the NEXT_HOP address, else null (decodes). */
    public byte[] nextHop() {
        return AttributeBytes.nextHop(bytes, attributes());
    }

    /** The next hop given this set's decoded attributes (saves a second decode). */
    byte[] nextHop(PathAttributes decoded) {
        return AttributeBytes.nextHop(bytes, decoded);
    }

    /** Length of the canonical bytes. */
    public int length() {
        return bytes.length;
    }

    /** The current number of references (a snapshot; for tests and metrics). */
    public int refCount() {
        return (int) REFS.getVolatile(this);
    }

    boolean contentEquals(byte[] b, int off, int len) {
        return Arrays.equals(bytes, 0, bytes.length, b, off, off + len);
    }

    /** Adds {@code n} references if the set is still alive; false if it is dead (count 0). */
    boolean tryRetain(int n) {
        int r = (int) REFS.getVolatile(this);
        while (r > 0) {
            int witness = (int) REFS.compareAndExchange(this, r, r + n);
            if (witness == r) {
                return true;
            }
            r = witness;
        }
        return false;
    }

    /** Adds {@code n} references; the caller holds one, so the set cannot be dead. */
    void retain(int n) {
        int r = (int) REFS.getAndAdd(this, n);
        if (r <= 0) {
            throw new IllegalStateException("retain of a dead attribute set (count " + r + ")");
        }
    }

    /** Drops {@code n} references; true if that made the set dead. */
    boolean releaseRefs(int n) {
        int r = (int) REFS.getAndAdd(this, -n) - n;
        if (r < 0) {
            throw new IllegalStateException("attribute set released below zero (" + r + ")");
        }
        return r == 0;
    }

    @Override
    public String toString() {
        return "AttributeSet[" + bytes.length + " bytes, refs " + refCount() + "]";
    }
}
