package io.ribbit.collector.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.message.NotificationMessage;
import java.util.concurrent.TimeUnit;

/**
 * Sends a NOTIFICATION and closes the connection after it (RFC 4271 §6) so that the peer gets
 * to read it. Closing a TCP socket that still has unread input makes the kernel send a reset
 * instead of a FIN, and a reset can overtake, or make the peer throw away, the NOTIFICATION just
 * written: a peer that is sending (a table dump, or the KEEPALIVE and UPDATEs that follow its
 * OPEN) would see a bare reset instead of, say, Cease 6/7. So the output is shut down after the
 * NOTIFICATION (FIN), whatever still arrives is read and dropped, and the connection is closed
 * when the peer closes its side, or after {@link #LINGER_SECONDS} at the latest.
 */
final class GracefulClose {
    /** How long a peer gets to close its side after the NOTIFICATION. */
    static final int LINGER_SECONDS = 5;

    private GracefulClose() {
    }

    /**
     * Writes {@code n}, then half-closes and drains as described above. Messages read meanwhile
     * reach the pipeline's handlers, which must ignore them (a {@link Session} does once closing).
     */
    static void notifyAndClose(Channel ch, NotificationMessage n) {
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(true); // drain, even if reading was paused for back-pressure
        ch.writeAndFlush(n).addListener((ChannelFuture f) -> {
            if (!f.isSuccess() || !(ch instanceof DuplexChannel d) || !ch.isActive()) {
                ch.close();
                return;
            }
            ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> {
                ch.close();
            }, LINGER_SECONDS, TimeUnit.SECONDS);
            ch.closeFuture().addListener(c -> deadline.cancel(false));
            d.shutdownOutput().addListener((ChannelFuture s) -> {
                if (!s.isSuccess()) {
                    ch.close();
                }
            });
        });
    }
}
