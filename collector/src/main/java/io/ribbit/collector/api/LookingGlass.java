package io.ribbit.collector.api;

import io.ribbit.collector.http.HttpServer;
import io.ribbit.collector.http.HttpServer.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The looking-glass page: plain HTML, JavaScript and CSS shipped in the jar
 * ({@code io/ribbit/collector/lg/}), nothing fetched from elsewhere at run time. The page reads
 * the query API ({@code /api/peers}, {@code /api/routes}) and renders every value as text (no
 * HTML built from data); the server sends a Content-Security-Policy that allows its own files only.
 */
public final class LookingGlass {
    private static final String DIR = "/io/ribbit/collector/lg/";

    private LookingGlass() {
    }

    /** Serves {@code /} (the page), {@code /lg/app.js} and {@code /lg/style.css}. */
    public static void register(HttpServer http) {
        Response page = load("index.html", "text/html; charset=utf-8");
        Response script = load("app.js", "text/javascript; charset=utf-8");
        Response style = load("style.css", "text/css; charset=utf-8");
        http.get("/", () -> page);
        http.get("/lg/app.js", () -> script);
        http.get("/lg/style.css", () -> style);
    }

    private static Response load(String name, String type) {
        try (InputStream in = LookingGlass.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("looking glass resource missing from the jar: " + DIR + name);
            }
            return new Response(200, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
