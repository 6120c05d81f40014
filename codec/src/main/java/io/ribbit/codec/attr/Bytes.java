package io.ribbit.codec.attr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads from a byte array, as the attribute decoders need them: plain
 * array accesses the JIT turns into single loads, without a buffer's reference-count and bounds
 * layers (each index is still checked against the array).
 */
final class Bytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }

    static int i32(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    static long u32(byte[] b, int i) {
        return i32(b, i) & 0xffffffffL;
    }

    static long i64(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }
}
