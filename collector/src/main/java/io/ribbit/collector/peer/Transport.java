package io.ribbit.collector.peer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The Netty transport: native epoll when available (Linux), NIO otherwise. */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends Channel> channelClass,
        Class<? extends ServerChannel> serverChannelClass) {

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class,
                    EpollServerSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class, NioServerSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String name) {
        return newGroup(threads, name, Thread.NORM_PRIORITY);
    }

    /**
     * A group whose threads have Java priority {@code priority}. The JVM passes priorities to
     * Linux only with {@code -XX:ThreadPriorityPolicy=1}; then a priority below normal is a
     * positive nice value (1 is nice 4), which needs no privilege.
     */
    public EventLoopGroup newGroup(int threads, String name, int priority) {
        return new MultiThreadIoEventLoopGroup(threads,
                new io.netty.util.concurrent.DefaultThreadFactory(name, true, priority), ioHandlerFactory);
    }
}
