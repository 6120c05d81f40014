package io.ribbit.collector.blast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a blast sent, per session and in total: the table (prefixes, UPDATEs, octets, seconds
 * from the first write to the last completed write, prefixes/s, MB/s, MB = 10^6 octets) and,
 * with churn, the waves' withdrawals and re-announcements. As text ({@link #text()}) or JSON
 * ({@link #json()}). {@code epochOffsetNanos} turns the {@link System#nanoTime()} stamps into
 * Unix time (JSON {@code start_unix}/{@code end_unix}, for comparing with a receiver's clock);
 * {@code tableCpuNanos} is the CPU time the blast process used while the table was being sent
 * (-1 if unknown): far below the sending time means blast was not the bottleneck.
 */
public record BlastReport(String workload, String pace, List<Row> sessions, long epochOffsetNanos,
        long tableCpuNanos) {
    /** One session's figures; {@code error} is null when it went well. */
    public record Row(int session, String local, String remote, long asn, PhaseResult table, PhaseResult churn,
            int waves, String error) {
    }

    public BlastReport {
        sessions = List.copyOf(sessions);
    }

    /** The table phase of all sessions: counts summed, time from the first start to the last end. */
    public PhaseResult tableTotal() {
        return total(true);
    }

    public PhaseResult churnTotal() {
        return total(false);
    }

    private PhaseResult total(boolean table) {
        long updates = 0;
        long announced = 0;
        long withdrawn = 0;
        long bytes = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long busy = 0;
        for (Row r : sessions) {
            PhaseResult p = table ? r.table() : r.churn();
            if (p.isEmpty()) {
                continue;
            }
            updates += p.updates();
            announced += p.announced();
            withdrawn += p.withdrawn();
            bytes += p.bytes();
            start = Math.min(start, p.startNanos());
            end = Math.max(end, p.endNanos());
            busy = Math.max(busy, p.busyNanos());
        }
        if (updates == 0 && start == Long.MAX_VALUE) {
            return PhaseResult.NONE;
        }
        // Table: wall time over all sessions; churn: the longest session's sending time.
        return new PhaseResult(updates, announced, withdrawn, bytes, start, end, table ? end - start : busy);
    }

    /** Prefixes announced in the table phase, all sessions. */
    public long prefixesSent() {
        return tableTotal().announced();
    }

    public boolean ok() {
        return sessions.stream().allMatch(r -> r.error() == null);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("ribbit blast: ").append(workload).append(", ").append(pace).append('\n');
        String head = String.format("%-8s %-22s %-12s %12s %10s %12s %8s %12s %8s%n", "session", "local", "AS",
                "prefixes", "UPDATEs", "bytes", "seconds", "prefixes/s", "MB/s");
        sb.append("table:\n").append(head);
        for (Row r : sessions) {
            line(sb, Integer.toString(r.session()), r.local(), Long.toString(r.asn()), r.table(),
                    r.table().announced());
        }
        line(sb, "total", "", "", tableTotal(), tableTotal().announced());
        if (tableCpuNanos >= 0 && tableTotal().seconds() > 0) {
            sb.append(String.format("blast CPU while sending the table: %.2f s (%.0f %% of one core)%n",
                    tableCpuNanos / 1e9, 100 * tableCpuNanos / 1e9 / tableTotal().seconds()));
        }
        if (sessions.stream().anyMatch(r -> !r.churn().isEmpty())) {
            sb.append(String.format("churn (%d waves; prefixes = withdrawn + re-announced; seconds = sending time):%n",
                    sessions.get(0).waves()));
            sb.append(head);
            for (Row r : sessions) {
                PhaseResult c = r.churn();
                line(sb, Integer.toString(r.session()), r.local(), Long.toString(r.asn()), c,
                        c.announced() + c.withdrawn());
            }
            PhaseResult c = churnTotal();
            line(sb, "total", "", "", c, c.announced() + c.withdrawn());
        }
        for (Row r : sessions) {
            if (r.error() != null) {
                sb.append("session ").append(r.session()).append(" (").append(r.local()).append("): ")
                        .append(r.error()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String session, String local, String asn, PhaseResult p, long prefixes) {
        double s = p.seconds();
        sb.append(String.format("%-8s %-22s %-12s %,12d %,10d %,12d %8.3f %,12.0f %8.1f%n", session, local, asn,
                prefixes, p.updates(), p.bytes(), s, s > 0 ? prefixes / s : 0.0, s > 0 ? p.bytes() / s / 1e6 : 0.0));
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", workload);
        root.put("pace", pace);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : sessions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session", r.session());
            m.put("local", r.local());
            m.put("remote", r.remote());
            m.put("as", r.asn());
            m.put("table", phase(r.table(), r.table().announced(), epochOffsetNanos));
            if (!r.churn().isEmpty()) {
                Map<String, Object> c = phase(r.churn(), r.churn().announced() + r.churn().withdrawn(),
                        epochOffsetNanos);
                c.put("waves", r.waves());
                m.put("churn", c);
            }
            m.put("error", r.error());
            rows.add(m);
        }
        root.put("sessions", rows);
        Map<String, Object> total = new LinkedHashMap<>();
        Map<String, Object> table = phase(tableTotal(), tableTotal().announced(), epochOffsetNanos);
        if (tableCpuNanos >= 0) {
            table.put("sender_cpu_seconds", Math.round(tableCpuNanos / 1e6) / 1e3);
        }
        total.put("table", table);
        if (!churnTotal().isEmpty()) {
            total.put("churn", phase(churnTotal(), churnTotal().announced() + churnTotal().withdrawn(),
                    epochOffsetNanos));
        }
        root.put("total", total);
        root.put("ok", ok());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> phase(PhaseResult p, long prefixes, long epochOffsetNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        double s = p.seconds();
        if (!p.isEmpty()) {
            m.put("start_unix", (p.startNanos() + epochOffsetNanos) / 1e9);
            m.put("end_unix", (p.endNanos() + epochOffsetNanos) / 1e9);
        }
        m.put("prefixes", prefixes);
        m.put("announced", p.announced());
        m.put("withdrawn", p.withdrawn());
        m.put("updates", p.updates());
        m.put("bytes", p.bytes());
        m.put("seconds", Math.round(s * 1e6) / 1e6);
        m.put("prefixes_per_second", s > 0 ? Math.round(prefixes / s) : 0);
        m.put("mb_per_second", s > 0 ? Math.round(p.bytes() / s / 1e3) / 1e3 : 0);
        return m;
    }
}
