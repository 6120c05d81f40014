package io.ribbit.collector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ribbit} command. */
@Command(name = "ribbit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Ribbit: a high-throughput BGP route collector.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, DecodeCommand.class, DemoCommand.class,
                BlastCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--log-level", paramLabel = "LEVEL", scope = CommandLine.ScopeType.INHERIT,
            description = "Log level: error, warn, info (default), debug, trace.")
    void logLevel(String level) {
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.toLevel(level,
                org.apache.logging.log4j.Level.INFO));
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            // An Error picocli does not catch (e.g. NoClassDefFoundError during shutdown after the
            // jar was replaced in place by an upgrade): exit anyway, or the event writer, a
            // non-daemon thread, would keep the process up after SIGTERM.
            t.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ribbit " + (v != null ? v : "development build") + " (Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
