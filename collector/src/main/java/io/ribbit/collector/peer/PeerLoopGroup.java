package io.ribbit.collector.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The child group of the BGP listener: registers each accepted connection on the event loop of
 * the peer it comes from (chosen by its source address, known at accept), so a session's reads,
 * its FSM and the peer's Adj-RIB-In writes all run on one thread, with no hand-off per UPDATE.
 * Connections from no configured peer go to any loop (they are closed at once). Everything else
 * is the wrapped group's.
 */
final class PeerLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {
    private final EventLoopGroup workers;
    private final Function<Channel, EventLoop> chooser;

    PeerLoopGroup(EventLoopGroup workers, Function<Channel, EventLoop> chooser) {
        this.workers = workers;
        this.chooser = chooser;
    }

    private EventLoop loopFor(Channel ch) {
        EventLoop l = chooser.apply(ch);
        return l != null ? l : workers.next();
    }

    @Override
    public EventLoop next() {
        return workers.next();
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return loopFor(channel).register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return loopFor(promise.channel()).register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return loopFor(channel).register(promise);
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return workers.iterator();
    }

    @Override
    public boolean isShuttingDown() {
        return workers.isShuttingDown();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return workers.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return workers.terminationFuture();
    }

    @Override
    @Deprecated
    public void shutdown() {
        workers.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return workers.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return workers.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return workers.awaitTermination(timeout, unit);
    }
}
