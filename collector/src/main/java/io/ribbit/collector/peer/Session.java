package io.ribbit.collector.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.BgpMessageEncoder;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection's part of the BGP FSM (RFC 4271 §8.2.2): OpenSent → OpenConfirm →
 * Established, with the Hold and Keepalive timers (§10) and the checks on the peer's OPEN
 * (§6.2). Runs on the channel's event loop, which is always its {@link Peer}'s loop (outbound
 * connections are opened there, accepted ones registered there by {@link PeerRegistry}): what
 * concerns the peer as a whole (collision detection §6.8, the Adj-RIB-In, events) is called on
 * the peer directly, in the order the messages of all its connections are read. The negotiated
 * options are applied to the codec handlers here, synchronously, before the frame after the OPEN
 * is decoded.
 */
final class Session extends ChannelInboundHandlerAdapter {
    /** RFC 4271 §8.2.2: "a large value (suggested 4 minutes)" for the Hold Timer in OpenSent. */
    static final int OPEN_SENT_HOLD_SECONDS = 240;

    final Peer peer;
    final Channel channel;
    final boolean outbound;
    final OpenMessage ourOpen;
    final RawCapture raw;
    private SessionState state = SessionState.OPEN_SENT;
    private OpenMessage theirOpen;
    private Negotiated negotiated;
    private long lastRead = System.nanoTime();
    private int holdSeconds = OPEN_SENT_HOLD_SECONDS;
    private ScheduledFuture<?> holdTimer;
    private ScheduledFuture<?> keepaliveTimer;
    private boolean closing;

    Session(Peer peer, Channel channel, boolean outbound, OpenMessage ourOpen, RawCapture raw) {
        this.peer = peer;
        this.channel = channel;
        this.outbound = outbound;
        this.ourOpen = ourOpen;
        this.raw = raw;
    }

    SessionState state() {
        return state;
    }

    OpenMessage theirOpen() {
        return theirOpen;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    /** Called when the TCP connection is up: send our OPEN (RFC 4271 §8.2.2 Connect/Active, Event 16/17). */
    void start() {
        send(ourOpen);
        peer.onOpenSent(this);
        armHold(OPEN_SENT_HOLD_SECONDS);
        if (!peer.readingPaused()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        BgpMessage m = (BgpMessage) msg;
        byte[] rawBytes = raw != null ? raw.take() : null;
        if (closing) {
            return; // NOTIFICATION sent or received (Idle): what still arrives before the close is ignored
        }
        if (m instanceof MalformedMessage bad) {
            peer.meters().malformedMessages.increment();
            peer.logMalformed(bad);
            fail(bad.notification(), DownReason.Kind.NOTIFICATION_SENT, bad.detail());
            return;
        }
        peer.meters().received(m.type()).increment();
        switch (state) {
            case OPEN_SENT -> onOpenSent(m, rawBytes);
            case OPEN_CONFIRM -> onOpenConfirm(m, rawBytes);
            case ESTABLISHED -> onEstablished(m, rawBytes);
            default -> { }
        }
    }

    private void onOpenSent(BgpMessage m, byte[] rawBytes) {
        if (m instanceof OpenMessage open) {
            peer.event(m, "received", rawBytes);
            NotificationMessage refuse = peer.checkOpen(open);
            if (refuse != null) {
                fail(refuse, DownReason.Kind.NOTIFICATION_SENT, "OPEN refused: " + refuse.describe());
                return;
            }
            theirOpen = open;
            negotiated = Negotiated.of(ourOpen, open);
            // Apply before the next frame is decoded: the next UPDATE must be read with these options.
            channel.pipeline().get(BgpFrameDecoder.class).options(negotiated.options());
            channel.pipeline().get(BgpMessageDecoder.class).options(negotiated.options());
            channel.pipeline().get(BgpMessageEncoder.class).options(negotiated.options());
            // Collision detection (RFC 4271 §6.8) before the KEEPALIVE: a connection that loses is
            // closed with Cease 6/7 without having confirmed the OPEN.
            if (!peer.onOpenReceived(this)) {
                return;
            }
            state = SessionState.OPEN_CONFIRM;
            send(KeepaliveMessage.INSTANCE);
            holdSeconds = negotiated.holdTime();
            armHold(holdSeconds);
            armKeepalive();
        } else if (m instanceof NotificationMessage n) {
            peer.event(m, "received", rawBytes);
            closeAfter(DownReason.received(n));
        } else {
            // RFC 4271 §8.2.2 OpenSent, Events 9, 11-14, 19-27: FSM error.
            fail(new NotificationMessage(BgpError.FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT, null),
                    DownReason.Kind.NOTIFICATION_SENT, m.type() + " in OpenSent");
        }
    }

    private void onOpenConfirm(BgpMessage m, byte[] rawBytes) {
        if (m instanceof KeepaliveMessage) {
            state = SessionState.ESTABLISHED;
            peer.onEstablished(this);
        } else if (m instanceof NotificationMessage n) {
            peer.event(m, "received", rawBytes);
            closeAfter(DownReason.received(n));
        } else {
            fail(new NotificationMessage(BgpError.FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM, null),
                    DownReason.Kind.NOTIFICATION_SENT, m.type() + " in OpenConfirm");
        }
    }

    private void onEstablished(BgpMessage m, byte[] rawBytes) {
        if (m instanceof UpdateMessage u) {
            peer.onUpdate(this, u, rawBytes);
        } else if (m instanceof KeepaliveMessage) {
            peer.onKeepalive(this, rawBytes);
        } else if (m instanceof RouteRefreshMessage r) {
            peer.onRouteRefresh(this, r, rawBytes);
        } else if (m instanceof NotificationMessage n) {
            peer.event(m, "received", rawBytes);
            closeAfter(DownReason.received(n));
        } else {
            fail(new NotificationMessage(BgpError.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED, null),
                    DownReason.Kind.NOTIFICATION_SENT, m.type() + " in Established");
        }
    }

    void send(BgpMessage m) {
        if (!closing && channel.isActive()) {
            channel.writeAndFlush(m, channel.voidPromise());
            peer.meters().sent(m.type()).increment();
        }
    }

    /**
     * Sends the NOTIFICATION, then closes (RFC 4271 §6: the connection is closed after it), so
     * that the peer reads it ({@link GracefulClose}); what arrives meanwhile is ignored.
     */
    void fail(NotificationMessage n, DownReason.Kind kind, String detail) {
        if (closing) {
            return;
        }
        peer.event(n, "sent", null);
        peer.meters().counter(io.ribbit.collector.metrics.RibbitMeters.NOTIFICATIONS_SENT, "code",
                Integer.toString(n.code()), "subcode", Integer.toString(n.subcode())).increment();
        closing = true;
        cancelTimers(); // no KEEPALIVE after the NOTIFICATION while the peer closes its side
        DownReason reason = new DownReason(kind, n, detail);
        if (channel.isActive()) {
            peer.meters().sent(n.type()).increment();
        }
        GracefulClose.notifyAndClose(channel, n);
        peer.onSessionDown(this, reason);
    }

    private void closeAfter(DownReason reason) {
        if (closing) {
            return;
        }
        closing = true;
        peer.meters().counter(io.ribbit.collector.metrics.RibbitMeters.NOTIFICATIONS_RECEIVED, "code",
                Integer.toString(reason.notification().code()), "subcode",
                Integer.toString(reason.notification().subcode())).increment();
        channel.close();
        peer.onSessionDown(this, reason);
    }

    /** Closes without a NOTIFICATION (used when the connection already failed). */
    void abandon(DownReason reason) {
        if (closing) {
            return;
        }
        closing = true;
        channel.close();
        peer.onSessionDown(this, reason);
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimers();
        if (!closing) {
            closing = true;
            peer.onSessionDown(this, DownReason.tcp("connection closed by peer"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A bug or an I/O error: never let it reach other peers. Reset this session only.
        if (cause instanceof java.io.IOException) {
            abandon(new DownReason(DownReason.Kind.CONNECTION_ERROR, null, cause.toString()));
        } else {
            peer.logBug(cause);
            fail(new NotificationMessage(BgpError.CEASE, null), DownReason.Kind.NOTIFICATION_SENT,
                    "internal error: " + cause);
        }
    }

    // ------------------------------------------------------------ timers (RFC 4271 §10)

    /** Hold timer, re-armed lazily from the last read (BGPCEP style): no reschedule per message. */
    private void armHold(int seconds) {
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null;
        }
        if (seconds == 0) {
            return;
        }
        holdTimer = channel.eventLoop().schedule(this::holdCheck, seconds, TimeUnit.SECONDS);
    }

    private void holdCheck() {
        if (closing) {
            return;
        }
        long idle = System.nanoTime() - lastRead;
        long limit = TimeUnit.SECONDS.toNanos(holdSeconds);
        if (idle < limit || peer.readingPaused()) {
            // Not expired, or we are not reading on purpose (event back-pressure): the peer is not at fault.
            long next = peer.readingPaused() ? limit : limit - idle;
            holdTimer = channel.eventLoop().schedule(this::holdCheck, Math.max(next, 1_000_000L), TimeUnit.NANOSECONDS);
            return;
        }
        fail(new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, null), DownReason.Kind.HOLD_TIMER_EXPIRED,
                "no message for " + holdSeconds + " s");
    }

    /** RFC 4271 §10: KeepaliveTime is a third of the Hold Time. */
    private void armKeepalive() {
        if (keepaliveTimer != null || negotiated.holdTime() == 0) {
            return;
        }
        long period = Math.max(1, negotiated.holdTime() / 3);
        keepaliveTimer = channel.eventLoop().scheduleAtFixedRate(() -> send(KeepaliveMessage.INSTANCE), period, period,
                TimeUnit.SECONDS);
    }

    private void cancelTimers() {
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel(false);
        }
    }

    String describe() {
        return (outbound ? "outbound " : "inbound ") + channel.remoteAddress();
    }
}
