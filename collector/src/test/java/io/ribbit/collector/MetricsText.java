package io.ribbit.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parsed Prometheus text exposition (format 0.0.4): samples with their labels. Strict enough
 * for tests: a line it cannot read is an error, not skipped.
 */
public final class MetricsText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String k) {
            return labels.get(k);
        }
    }

    private final List<Sample> samples;
    private final String text;

    private MetricsText(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static MetricsText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(sample(line));
        }
        return new MetricsText(text, out);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("bad label in: " + line);
                }
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(rest[0]));
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples of metric {@code name} whose labels include every pair in {@code labels} (k1, v1, k2, v2, …). */
    public List<Sample> find(String name, String... labels) {
        Predicate<Sample> p = s -> s.name().equals(name);
        for (int k = 0; k < labels.length; k += 2) {
            String key = labels[k];
            String value = labels[k + 1];
            p = p.and(s -> value.equals(s.labels().get(key)));
        }
        return samples.stream().filter(p).toList();
    }

    /** The one sample of {@code name} with those labels; fails if there is none or several. */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + String.join(",", labels) + ", found "
                    + found);
        }
        return found.get(0).value();
    }

    /** Every sample carrying label {@code key} = {@code value}. */
    public List<Sample> withLabel(String key, String value) {
        return samples.stream().filter(s -> value.equals(s.labels().get(key))).toList();
    }
}
