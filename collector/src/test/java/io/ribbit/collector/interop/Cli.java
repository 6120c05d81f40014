package io.ribbit.collector.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a daemon's control command (birdc, vtysh, gobgp, bgpctl) with a time limit. */
final class Cli {
    /** How long one control command may take; they answer in milliseconds when the daemon is up. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Exit status and combined stdout+stderr of one command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Cli() {
    }

    /** Runs {@code command}; kills it and throws if it outlives {@link #TIMEOUT}. */
    static Result run(List<String> command) {
        return run(command, null);
    }

    /** Runs {@code command} with {@code stdin} (may be null) as its input. */
    static Result run(List<String> command, String stdin) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(command + " did not finish within " + TIMEOUT);
            }
            return new Result(process.exitValue(), output.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + command, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + command, e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code command} and returns its output; throws with the output if it exits non-zero. */
    static String check(List<String> command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(command + " exited " + r.exit() + ": " + r.output().strip());
        }
        return r.output();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
