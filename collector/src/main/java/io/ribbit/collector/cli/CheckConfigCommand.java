package io.ribbit.collector.cli;

import io.ribbit.collector.config.ConfigException;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ribbit check-config FILE}: validate only; errors name the key and line; exit 0 or 2. */
@Command(name = "check-config", mixinStandardHelpOptions = true, description = "Validate a configuration file.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        try {
            RibbitConfig c = ConfigLoader.load(file);
            System.out.println(file + ": OK (" + c.neighbors().size() + " neighbor(s), " + c.events().size()
                    + " event sink(s))");
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }
}
