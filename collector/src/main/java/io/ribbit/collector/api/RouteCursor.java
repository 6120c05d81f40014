package io.ribbit.collector.api;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.rib.RouteKey;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Comparator;

/**
 * The order route listings follow and the paging cursor. Routes are listed in key order: route
 * distinguisher, address, length, path id (all unsigned); a cursor is the last key of a page
 * (family included), so the next page starts right after it whatever changed in between: routes
 * added behind the cursor are not seen, routes withdrawn ahead of it are not listed, nothing is
 * listed twice. Clients treat it as opaque: URL-safe base64 of a versioned binary key.
 */
final class RouteCursor {
    /** Key order: route distinguisher, then address, length and path id, all unsigned. */
    static final Comparator<RouteKey> ORDER = (a, b) -> compare(a.rd(), a.high(), a.low(), a.length(), a.pathId(), b);

    /** {@link #ORDER} of the key made of these fields (same family) against {@code k}, without making it. */
    static int compare(long rd, long high, long low, int length, int pathId, RouteKey k) {
        int c = Long.compareUnsigned(rd, k.rd());
        if (c == 0) {
            c = Long.compareUnsigned(high, k.high());
        }
        if (c == 0) {
            c = Long.compareUnsigned(low, k.low());
        }
        if (c == 0) {
            c = Integer.compare(length, k.length());
        }
        return c != 0 ? c : Integer.compareUnsigned(pathId, k.pathId());
    }

    private static final byte VERSION = 1;
    private static final int SIZE = 1 + 2 + 1 + 8 + 8 + 1 + 4 + 8;

    private RouteCursor() {
    }

    static String encode(RouteKey k) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(VERSION).putShort((short) k.family().afi()).put((byte) k.family().safi()).putLong(k.high())
                .putLong(k.low()).put((byte) k.length()).putInt(k.pathId()).putLong(k.rd());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The key a cursor names; it must be of {@code family}. */
    static RouteKey decode(String token, AfiSafi family) {
        byte[] raw;
        try {
            raw = token.length() > 64 ? null : Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != SIZE || raw[0] != VERSION) {
            throw new BadRequest("bad cursor: use the next_cursor of a previous page, unchanged");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, SIZE - 1);
        int afi = b.getShort() & 0xffff;
        int safi = b.get() & 0xff;
        if (afi != family.afi() || safi != family.safi()) {
            throw new BadRequest("bad cursor: it belongs to another family than " + family.name());
        }
        long high = b.getLong();
        long low = b.getLong();
        int length = b.get() & 0xff;
        if (length > (family.isIpv6() ? 128 : 32)) {
            throw new BadRequest("bad cursor: use the next_cursor of a previous page, unchanged");
        }
        return new RouteKey(family, high, low, length, b.getInt(), b.getLong());
    }
}
