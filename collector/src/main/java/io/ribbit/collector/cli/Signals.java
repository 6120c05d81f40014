package io.ribbit.collector.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling, so a stop is an orderly shutdown that exits 0 (a JVM shutdown
 * hook alone would exit 143). Uses {@code sun.misc.Signal} from the jdk.unsupported module.
 */
final class Signals {
    private Signals() {
    }

    /** SIGHUP: reload the configuration. */
    static void onHangup(Runnable r) {
        try {
            Signal.handle(new Signal("HUP"), s -> r.run());
        } catch (IllegalArgumentException e) {
            // not available on this platform
        }
    }

    static void onTerminate(Runnable r) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> r.run());
            } catch (IllegalArgumentException e) {
                // not available on this platform: the JVM's default handling applies
            }
        }
    }
}
