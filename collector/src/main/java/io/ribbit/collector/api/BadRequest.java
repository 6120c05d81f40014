package io.ribbit.collector.api;

/** A request the API refuses with 400 and this message (malformed prefix, bad parameter, …). */
final class BadRequest extends IllegalArgumentException {
    BadRequest(String message) {
        super(message);
    }
}
