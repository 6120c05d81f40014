package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.testdata.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * GoBGP's {@code bad-len} fuzz corpus ({@code shared/testdata/vectors/gobgp-bad-len/*.bin}, found
 * through {@link TestData}: {@code -Dribbit.testdata}, set by the parent pom, else a
 * {@code shared/testdata} next to or above the working directory; skipped when absent).
 *
 * <ul>
 *   <li>As is: no file has an all-ones marker, so the only output is one MalformedMessage
 *       1/1 Connection Not Synchronized (RFC 4271 §6.1), whether the file arrives in one write
 *       or one octet at a time.</li>
 *   <li>Marker replaced by 16 × 0xFF: the message decodes, or becomes a MalformedMessage with a
 *       definite NOTIFICATION; never an exception (the pipeline would rethrow it). Octets past
 *       the header's length start a next message whose marker is bad: exactly one 1/1 more.</li>
 * </ul>
 * Every run also goes through {@link DecodeHarness}: every buffer released, only BgpMessages out.
 */
class GobgpBadLenTest {
    private static final int MARKER = 16;

    @Test
    void asIsIsOneConnectionNotSynchronized() {
        assertAll(vectors().flatMap(v -> Stream.<Executable>of(
                () -> assertNotSynchronized(v.name + " (one write)", v.bytes, () -> Integer.MAX_VALUE),
                () -> assertNotSynchronized(v.name + " (octet by octet)", v.bytes, () -> 1))));
    }

    @Test
    void withValidMarkerDecodesOrFailsDefinitely() {
        assertAll(vectors().flatMap(v -> Stream.<Executable>of(
                () -> assertDefinite(v.name + " (one write)", v, () -> Integer.MAX_VALUE),
                () -> assertDefinite(v.name + " (octet by octet)", v, () -> 1))));
    }

    private static void assertNotSynchronized(String name, byte[] bytes, IntSupplier fragments) {
        List<BgpMessage> out = DecodeHarness.decode(SessionOptions.DEFAULT, bytes, fragments);
        assertEquals(1, out.size(), () -> name + ": outputs " + out);
        MalformedMessage m = assertInstanceOf(MalformedMessage.class, out.get(0), name);
        assertEquals(BgpError.CONNECTION_NOT_SYNCHRONIZED, m.error(), () -> name + ": " + m);
    }

    private static void assertDefinite(String name, Vector v, IntSupplier fragments) {
        byte[] bytes = v.bytes.clone();
        Arrays.fill(bytes, 0, MARKER, (byte) 0xff);
        int declared = (bytes[16] & 0xff) << 8 | bytes[17] & 0xff;
        for (SessionOptions options : List.of(SessionOptions.DEFAULT, SessionOptions.AS4)) {
            List<BgpMessage> out = DecodeHarness.decode(options, bytes, fragments);
            assertFalse(out.isEmpty(), () -> name + ": no output for a complete message");
            BgpMessage first = out.get(0);
            if (first instanceof MalformedMessage m) {
                assertNotNull(m.error(), () -> name + ": " + m);
                int code = m.error().code();
                assertTrue(code >= 1 && code <= 7 && !m.detail().isBlank(), () -> name + ": " + m);
            }
            boolean headerError = first instanceof MalformedMessage m && m.error().code() == 1;
            boolean trailing = !headerError && declared >= 19 && bytes.length > declared;
            assertEquals(trailing ? 2 : 1, out.size(), () -> name + " " + options + ": outputs " + out);
            if (trailing) {
                MalformedMessage rest = assertInstanceOf(MalformedMessage.class, out.get(1), name);
                assertEquals(BgpError.CONNECTION_NOT_SYNCHRONIZED, rest.error(), () -> name + ": " + rest);
            }
        }
    }

    private record Vector(String name, byte[] bytes) {
    }

    private static Stream<Vector> vectors() {
        Path dir = TestData.require("vectors/gobgp-bad-len");
        List<Vector> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".bin")).sorted().toList()) {
                out.add(new Vector(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(out.isEmpty(), "no .bin files in " + dir);
        return out.stream();
    }
}
