package io.ribbit.codec.error;

/**
 * One malformation found while decoding an UPDATE.
 *
 * @param action what it costs (RFC 7606 §2)
 * @param error the NOTIFICATION error it maps to (sent only when {@code action} is SESSION_RESET)
 * @param attributeCode the path attribute type code, or -1 when the problem is not in one attribute
 * @param detail a human description for logs and events
 */
public record UpdateProblem(ErrorAction action, BgpError error, int attributeCode, String detail) {
}
