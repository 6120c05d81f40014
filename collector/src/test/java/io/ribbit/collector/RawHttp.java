package io.ribbit.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 request written byte for byte (for request lines java.net.URI refuses), the reply read to the close. */
final class RawHttp {
    record Reply(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    static Reply send(InetSocketAddress server, String method, String target) throws IOException {
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            String type = "";
            for (String h : head) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    type = h.substring(h.indexOf(':') + 1).trim();
                }
            }
            return new Reply(status, type, text.substring(end + 4));
        }
    }
}
