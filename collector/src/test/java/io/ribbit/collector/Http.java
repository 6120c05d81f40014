package io.ribbit.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP GETs against the daemon's HTTP side, over a real socket. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private Http() {
    }

    public static HttpResponse<String> get(InetSocketAddress server, String path) throws IOException,
            InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + server.getHostString() + ":" + server.getPort()
                + path)).timeout(Duration.ofSeconds(10)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
