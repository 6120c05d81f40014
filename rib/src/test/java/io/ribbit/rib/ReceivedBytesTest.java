package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import org.junit.jupiter.api.Test;

/**
 * Routes of a decoded UPDATE are interned from the received attribute bytes (no value built);
 * routes of the same UPDATE built in code are interned by re-encoding. Both must give the same
 * canonical bytes, hence the same set, or a table would hold two copies of one path.
 */
class ReceivedBytesTest {
    @Test
    void receivedAndBuiltAttributesInternToOneSet() {
        AttributeStore store = new AttributeStore(16, 16);
        UpdateMessage built = Routes.announce(Routes.v4("1.0.0.0/24", "1.0.1.0/24"),
                Routes.path("192.0.2.1", 7, 3356, 1299, 13335));
        ByteBuf wire = Unpooled.buffer();
        MessageCodec.encode(built, wire, SessionOptions.AS4);
        UpdateMessage received = (UpdateMessage) MessageCodec.decode(wire, SessionOptions.AS4, new UpdateDecodeContext());
        wire.release();
        assertNotNull(received.attributes().rawNoCopy(), "decoded attributes keep their bytes");

        AdjRibIn a = new AdjRibIn(store);
        AdjRibIn b = new AdjRibIn(store);
        a.apply(received);
        b.apply(built);
        assertEquals(1, store.size(), "one set for both");
        RouteKey k = RouteKey.of(received.nlri(), 0);
        assertEquals(a.get(k), b.get(k));
        assertEquals(13335, a.get(k).attributes().asPath().originAs());
        assertEquals(2, a.size(AfiSafi.IPV4_UNICAST));
    }
}
