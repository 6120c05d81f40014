package io.ribbit.collector.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.MessageHeader;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.text.Hex;
import io.ribbit.collector.output.MessageJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ribbit decode}: "what exactly did my router send". Reads BGP messages as hex (arguments,
 * or standard input / a file, one or more messages per line, '#' comments) or as a raw binary
 * stream, and prints one JSON object per message with every field decoded, using the daemon's
 * event field names (docs/events.md).
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode BGP messages (hex or binary) and print one JSON object per message.")
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "HEX", description = "Messages as hex; none: read standard input.")
    List<String> hex = List.of();

    @Option(names = "--as2", description = "The session uses 2-octet AS numbers (no RFC 6793 capability).")
    boolean as2;

    @Option(names = "--add-path", split = ",", paramLabel = "FAMILY",
            description = "Families whose NLRI carry ADD-PATH path ids, e.g. ipv4-unicast,ipv6-unicast.")
    List<String> addPath = List.of();

    @Option(names = "--extended-message", description = "RFC 8654 extended messages (up to 65535 octets).")
    boolean extendedMessage;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read this file instead of standard input.")
    Path file;

    @Option(names = "--binary", description = "The input is a raw binary BGP stream, not hex.")
    boolean binary;

    @Option(names = "--sample", description = "Decode the bundled sample session (a real router capture).")
    boolean sample;

    @Option(names = "--raw", description = "Add each message's bytes as hex in a 'raw' field.")
    boolean raw;

    @Option(names = "--pretty", description = "Indent the JSON.")
    boolean pretty;

    private PrintStream out = System.out;
    private final UpdateDecodeContext context = new UpdateDecodeContext();
    private final MessageJson json = new MessageJson();
    private SessionOptions options;
    private JsonGenerator gen;
    private int malformed;

    /** For tests: where the JSON goes. */
    DecodeCommand output(PrintStream out) {
        this.out = out;
        return this;
    }

    @Override
    public Integer call() throws IOException {
        Set<AfiSafi> families = new HashSet<>();
        for (String name : addPath) {
            AfiSafi f = AfiSafi.parse(name);
            if (f == null) {
                System.err.println("ribbit decode: --add-path: unknown family '" + name
                        + "' (expected e.g. ipv4-unicast, ipv6-unicast, ipv4-labeled-unicast, ipv4-mpls-vpn)");
                return 2;
            }
            families.add(f);
        }
        options = new SessionOptions(!as2, extendedMessage, families, Set.of());
        gen = new JsonFactory().createGenerator((OutputStream) out);
        if (pretty) {
            gen.useDefaultPrettyPrinter();
        }
        gen.setRootValueSeparator(null);
        try {
            if (!hex.isEmpty()) {
                for (String h : hex) {
                    decodeHexLine(h);
                }
            } else if (sample) {
                try (InputStream in = DecodeCommand.class.getResourceAsStream("/samples/ios-xr-session.hex")) {
                    decodeHexLines(in);
                }
            } else {
                try (InputStream in = file != null ? Files.newInputStream(file) : System.in) {
                    if (binary) {
                        decodeBinary(in);
                    } else {
                        decodeHexLines(in);
                    }
                }
            }
        } finally {
            gen.flush();
        }
        return malformed > 0 ? 1 : 0;
    }

    private void decodeHexLines(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        ByteBuf carry = Unpooled.buffer();
        try {
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Hex.decode(line);
                } catch (IllegalArgumentException e) {
                    System.err.println("ribbit decode: not hex: " + abbreviate(line) + " (" + e.getMessage() + ")");
                    malformed++;
                    continue;
                }
                carry.writeBytes(bytes);
                if (!drain(carry)) {
                    carry.clear(); // a header error: drop this stream and start afresh on the next line
                }
            }
            if (carry.isReadable()) {
                System.err.println("ribbit decode: " + carry.readableBytes() + " trailing octets are not a whole message");
                malformed++;
            }
        } finally {
            carry.release();
        }
    }

    private void decodeHexLine(String h) throws IOException {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.decode(h));
        try {
            drain(buf);
            if (buf.isReadable()) {
                System.err.println("ribbit decode: " + buf.readableBytes() + " trailing octets are not a whole message");
                malformed++;
            }
        } finally {
            buf.release();
        }
    }

    private void decodeBinary(InputStream in) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            byte[] chunk = new byte[65536];
            for (int n; (n = in.read(chunk)) > 0; ) {
                buf.writeBytes(chunk, 0, n);
                if (!drain(buf)) {
                    return;
                }
                buf.discardReadBytes();
            }
            if (buf.isReadable()) {
                System.err.println("ribbit decode: " + buf.readableBytes() + " trailing octets are not a whole message");
                malformed++;
            }
        } finally {
            buf.release();
        }
    }

    /** Decodes every whole message in {@code buf}; false after a header error (the rest is dropped). */
    private boolean drain(ByteBuf buf) throws IOException {
        while (buf.readableBytes() >= MessageHeader.HEADER_LENGTH) {
            MalformedMessage bad = MessageHeader.check(buf, buf.readerIndex(), options);
            if (bad != null) {
                print(bad, null);
                buf.skipBytes(buf.readableBytes());
                return false;
            }
            int len = buf.getUnsignedShort(buf.readerIndex() + MessageHeader.LENGTH_OFFSET);
            if (buf.readableBytes() < len) {
                return true;
            }
            ByteBuf msg = buf.readSlice(len);
            print(MessageCodec.decode(msg, options, context), raw ? msg : null);
        }
        return true;
    }

    private void print(BgpMessage m, ByteBuf rawBytes) throws IOException {
        if (m instanceof MalformedMessage) {
            malformed++;
        }
        gen.writeStartObject();
        json.writeFields(gen, m, null);
        if (rawBytes != null) {
            byte[] b = new byte[rawBytes.readableBytes()];
            rawBytes.getBytes(rawBytes.readerIndex(), b);
            gen.writeStringField("raw", Hex.encode(b));
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
