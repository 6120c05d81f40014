package io.ribbit.collector.blast;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How a blast runs (everything but what it sends, the {@link Workload}).
 *
 * @param target         active: the receiver's address; null when {@code passive}
 * @param passive        each session listens on its {@link SessionParams#local()} and waits for the receiver
 * @param sessions       the sessions, in order
 * @param holdTime       hold time proposed in OPEN (0 or 3..65535)
 * @param pace           pacing of untimed streams (and of timed ones when {@code replaySpeed} is 0)
 * @param replaySpeed    a timed (BGP4MP) workload's time scale: 1 = original timing, 10 = ten
 *                       times faster, 0 = as fast as {@code pace} allows
 * @param churnPercent   per churn wave, the share of the table's groups withdrawn then re-announced (0 = no churn)
 * @param waves          number of churn waves
 * @param interval       pause before each churn wave
 * @param endOfRib       send End-of-RIB after the table
 * @param sync           wait for every session to be Established before any sends
 * @param connectTimeout how long sessions may take to become Established
 */
public record BlastOptions(InetSocketAddress target, boolean passive, List<SessionParams> sessions, int holdTime,
        Pace pace, double replaySpeed, int churnPercent, int waves, Duration interval, boolean endOfRib, boolean sync,
        Duration connectTimeout) {
    public BlastOptions {
        sessions = List.copyOf(sessions);
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("at least one session");
        }
        if (!passive && target == null) {
            throw new IllegalArgumentException("an active blast needs a target address");
        }
        if (holdTime != 0 && (holdTime < 3 || holdTime > 65535)) {
            throw new IllegalArgumentException("hold time must be 0 or 3..65535 seconds (RFC 4271 §4.2)");
        }
        if (churnPercent < 0 || churnPercent > 100) {
            throw new IllegalArgumentException("churn must be 0..100 percent");
        }
        if (churnPercent > 0 && waves < 1) {
            throw new IllegalArgumentException("churn needs at least one wave");
        }
        if (replaySpeed < 0) {
            throw new IllegalArgumentException("replay speed must not be negative");
        }
    }

    /** Active sessions to {@code target} with the defaults: hold 90 s, as fast as possible, End-of-RIB, sync. */
    public static BlastOptions active(InetSocketAddress target, List<SessionParams> sessions) {
        return new BlastOptions(target, false, sessions, 90, Pace.MAX, 0, 0, 0, Duration.ZERO, true, true,
                Duration.ofSeconds(30));
    }

    public BlastOptions withPace(Pace p) {
        return new BlastOptions(target, passive, sessions, holdTime, p, replaySpeed, churnPercent, waves, interval,
                endOfRib, sync, connectTimeout);
    }

    public BlastOptions withChurn(int percent, int waveCount, Duration pause) {
        return new BlastOptions(target, passive, sessions, holdTime, pace, replaySpeed, percent, waveCount, pause,
                endOfRib, sync, connectTimeout);
    }

    public BlastOptions withReplaySpeed(double speed) {
        return new BlastOptions(target, passive, sessions, holdTime, pace, speed, churnPercent, waves, interval,
                endOfRib, sync, connectTimeout);
    }

    public BlastOptions withConnectTimeout(Duration timeout) {
        return new BlastOptions(target, passive, sessions, holdTime, pace, replaySpeed, churnPercent, waves, interval,
                endOfRib, sync, timeout);
    }
}
