package io.ribbit.codec.message;

/**
 * A decoded BGP message, or the malformation in its place. Immutable; holds no ByteBuf.
 */
public sealed interface BgpMessage
        permits OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage, RouteRefreshMessage,
        MalformedMessage {
    /** The message type, or null for a {@link MalformedMessage} whose type byte was not valid. */
    MessageType type();
}
