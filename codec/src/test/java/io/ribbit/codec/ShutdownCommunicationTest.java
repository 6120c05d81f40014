package io.ribbit.codec;

import static io.ribbit.codec.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.NotificationMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9003 Shutdown Communication in Cease 6/2 and 6/4 NOTIFICATIONs. */
class ShutdownCommunicationTest {
    static final SessionOptions S = Wire.session(true, Set.of());

    static NotificationMessage roundTrip(NotificationMessage n) {
        return (NotificationMessage) Wire.roundTrip(n, S);
    }

    @Test
    void utf8MessageRoundTrips() {
        String text = "Wartung bis 14:00 — zurück gleich ✓ 🚧";
        NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, text);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(6, n.code());
        assertEquals(2, n.subcode());
        assertEquals(utf8.length, n.data()[0] & 0xff, "RFC 9003 §2: a length octet first");
        assertArrayEquals(utf8, Arrays.copyOfRange(n.data(), 1, n.data().length));
        assertEquals(text, roundTrip(n).shutdownMessage());
    }

    @Test
    void administrativeResetCarriesOneToo() {
        NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_RESET, "policy change");
        assertEquals(4, n.subcode());
        assertEquals("policy change", roundTrip(n).shutdownMessage());
    }

    @Test
    void emptyAndNullMessages() {
        NotificationMessage empty = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, "");
        assertArrayEquals(new byte[] {0}, empty.data());
        assertEquals("", roundTrip(empty).shutdownMessage());
        assertArrayEquals(new byte[] {0}, NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, null).data());
    }

    @Test
    void exactly255OctetsIsNotCut() {
        String text = "a".repeat(253) + "é"; // 253 + 2 = 255 octets
        NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, text);
        assertEquals(255, n.data()[0] & 0xff);
        assertEquals(text, roundTrip(n).shutdownMessage());
    }

    /** A character of {@code width} UTF-8 octets straddles octet 255; it is dropped whole. */
    @ParameterizedTest(name = "{0}-octet character at the boundary")
    @ValueSource(ints = {2, 3, 4})
    void truncatesAt255OctetsOnACharacterBoundary(int width) {
        String ch = switch (width) {
            case 2 -> "é";
            case 3 -> "€";
            default -> "😀";
        };
        assertEquals(width, ch.getBytes(StandardCharsets.UTF_8).length);
        for (int lead = 255 - width + 1; lead < 255; lead++) {
            String text = "x".repeat(lead) + ch + "tail";
            NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, text);
            assertEquals(lead, n.data()[0] & 0xff, "cut before the character that does not fit, lead " + lead);
            assertEquals(lead + 1, n.data().length);
            assertEquals("x".repeat(lead), roundTrip(n).shutdownMessage());
        }
    }

    @Test
    void truncationOfAllMultibyteTextKeepsTheLongestWholePrefix() {
        for (String ch : new String[] {"é", "€", "😀", "日本"}) {
            for (int pad = 0; pad < 4; pad++) {
                String text = "y".repeat(pad) + ch.repeat(200);
                NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, text);
                String got = roundTrip(n).shutdownMessage();
                int octets = got.getBytes(StandardCharsets.UTF_8).length;
                assertTrue(octets <= 255, "at most 255 octets");
                assertTrue(text.startsWith(got), "a prefix of the text");
                String next = text.substring(0, got.length() + Character.charCount(text.codePointAt(got.length())));
                assertTrue(next.getBytes(StandardCharsets.UTF_8).length > 255, "the longest prefix that fits: "
                        + ch + " pad " + pad);
            }
        }
    }

    @Test
    void lengthPastTheDataIsMalformedAndIgnored() {
        NotificationMessage n = (NotificationMessage) Wire.roundTrip(new NotificationMessage(6, 2, bytes("0a" + "6162")), S);
        assertNull(n.shutdownMessage(), "RFC 9003 §4: a length beyond the data is ignored");
        assertEquals("ab", new NotificationMessage(6, 2, bytes("02" + "6162")).shutdownMessage());
    }

    @Test
    void invalidUtf8IsMalformedAndIgnored() {
        assertNull(new NotificationMessage(6, 2, bytes("02" + "c328")).shutdownMessage());
        assertNull(new NotificationMessage(6, 4, bytes("03" + "eda080")).shutdownMessage(), "an encoded surrogate");
    }

    @Test
    void onlyAdministrativeShutdownAndResetCarryOne() {
        assertNull(new NotificationMessage(6, 3, bytes("02" + "6162")).shutdownMessage());
        assertNull(new NotificationMessage(3, 2, bytes("02" + "6162")).shutdownMessage());
        assertNull(new NotificationMessage(6, 2, null).shutdownMessage(), "no data, no communication");
    }
}
