package io.ribbit.collector.cli;

import io.ribbit.collector.Daemon;
import io.ribbit.collector.config.ConfigException;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ribbit run --config FILE}: the daemon. SIGTERM/SIGINT: Cease 6/2 to every peer, flush, exit 0. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the collector daemon.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Override
    public Integer call() throws Exception {
        RibbitConfig c;
        try {
            c = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Daemon d = new Daemon(c);
        Signals.onHangup(() -> {
            try {
                d.reload(ConfigLoader.load(config));
            } catch (ConfigException e) {
                org.apache.logging.log4j.LogManager.getLogger(RunCommand.class)
                        .error("reload refused, the running configuration stays:\n{}", e.getMessage());
            }
        });
        return runUntilSignalled(d, null);
    }

    /** Starts the daemon and blocks until SIGTERM/SIGINT (or {@code stop} counts down), then shuts down cleanly. */
    static int runUntilSignalled(Daemon d, CountDownLatch stop) throws InterruptedException {
        CountDownLatch signalled = stop != null ? stop : new CountDownLatch(1);
        Signals.onTerminate(signalled::countDown);
        d.start();
        signalled.await();
        d.close();
        return 0;
    }
}
