package io.ribbit.codec.text;

import io.netty.buffer.ByteBufUtil;

/** Hex text of bytes, and back (for tools, tests and NOTIFICATION data). */
public final class Hex {
    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    /** Decodes hex, ignoring whitespace, ':' and '-' separators; throws IllegalArgumentException. */
    public static byte[] decode(CharSequence text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != ':' && c != '-') {
                sb.append(c);
            }
        }
        if (sb.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        return ByteBufUtil.decodeHexDump(sb);
    }
}
