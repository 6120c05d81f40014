package io.ribbit.collector.config;

import java.net.InetSocketAddress;

/** A listen or HTTP address: {@code 0.0.0.0:179}, {@code [::]:179}, {@code 127.0.0.1:9179}. */
public record HostPort(String host, int port) {
    /** Parses {@code host:port} or {@code [v6]:port}; null if it is neither. */
    static HostPort parse(String s) {
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                return null;
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                return null;
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        try {
            int p = Integer.parseInt(port);
            return p >= 0 && p <= 65535 ? new HostPort(host, p) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
