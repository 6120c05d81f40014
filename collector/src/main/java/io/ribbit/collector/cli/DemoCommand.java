package io.ribbit.collector.cli;

import io.netty.channel.EventLoopGroup;
import io.ribbit.collector.Daemon;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.demo.TableSpeaker;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.Transport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ribbit demo}: Ribbit on loopback, fed a real table (RIPE RIS rrc00, AS1853, 2002: 112,826
 * IPv4 routes, bundled) over a real BGP session from 127.0.0.2, writing JSON events to a file
 * and serving metrics. Prints progress and a few events; stops on Ctrl-C or after --duration.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Ribbit on loopback fed by a bundled real table over a real BGP session.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until Ctrl-C).")
    long duration;

    @Option(names = "--events", paramLabel = "FILE", description = "Event file (default: a new temp file).")
    Path eventsFile;

    @Override
    public Integer call() throws Exception {
        Path events = eventsFile != null ? eventsFile : Files.createTempFile("ribbit-demo-events", ".jsonl");
        int bgpPort = freePort(1179);
        int httpPort = freePort(9179);
        String yaml = String.join("\n",
                "name: demo",
                "router-id: 192.0.2.1",
                "local-as: 64512",
                "listen: [\"127.0.0.1:" + bgpPort + "\"]",
                "http: \"127.0.0.1:" + httpPort + "\"",
                "neighbors:",
                "  - address: 127.0.0.2",
                "    remote-as: 1853",
                "    mode: passive",
                "    hold-time: 90",
                "    families: [ipv4-unicast]",
                "    description: \"demo feeder (RIS rrc00 AS1853 table, 2002)\"",
                "events:",
                "  - type: file",
                "    path: \"" + events + "\"",
                "");
        RibbitConfig config = ConfigLoader.parse(yaml, "demo");
        Daemon d = new Daemon(config);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        d.start();
        System.out.println("Ribbit demo: BGP on 127.0.0.1:" + bgpPort + ", metrics at http://127.0.0.1:" + httpPort
                + "/metrics, events in " + events);
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "ribbit-demo-feeder");
        TableSpeaker speaker;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/samples/rrc00-as1853-20020722.txt.gz")) {
            speaker = new TableSpeaker(1853, 0xC1CB0001, 0x7F000002, in);
        }
        long t0 = System.nanoTime();
        speaker.start(group, transport, new InetSocketAddress("127.0.0.2", 0), new InetSocketAddress("127.0.0.1", bgpPort));
        Peer peer = d.peers().peer(InetAddress.getByName("127.0.0.2"));
        long deadline = duration > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
        long last = -1;
        boolean reported = false;
        while (!stop.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            long n = peer.rib().size();
            if (n != last) {
                System.out.printf("  %-12s %,9d routes in Adj-RIB-In, %,d events pending%n", peer.state(), n,
                        d.events().pending());
                last = n;
            }
            if (!reported && n == speaker.routes()) {
                reported = true;
                System.out.printf("full table of %,d routes received in %.2f s. First events:%n", n,
                        (System.nanoTime() - t0) / 1e9);
                try (var lines = Files.lines(events)) {
                    lines.filter(l -> l.contains("\"UPDATE\"")).limit(3)
                            .forEach(l -> System.out.println("  " + (l.length() > 400 ? l.substring(0, 400) + "…" : l)));
                }
                System.out.println("Ctrl-C stops (Cease 6/2 to the peer, events flushed).");
            }
        }
        speaker.close();
        d.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        return 0;
    }

    private static int freePort(int preferred) {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (java.io.IOException e) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (java.io.IOException e2) {
                throw new java.io.UncheckedIOException(e2);
            }
        }
    }
}
