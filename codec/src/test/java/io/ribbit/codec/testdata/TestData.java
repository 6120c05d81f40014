package io.ribbit.codec.testdata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only third-party test data ({@code shared/testdata}, described in its
 * {@code SOURCES.md}).
 *
 * <p>Lookup order:
 * <ol>
 *   <li>system property {@code ribbit.testdata}, if set and an existing directory;</li>
 *   <li>environment variable {@code RIBBIT_TESTDATA}, if set and an existing directory;</li>
 *   <li>walking up from the current working directory, the first directory {@code d} for which
 *       {@code d/shared/testdata} or {@code d/../shared/testdata} is a directory.</li>
 * </ol>
 *
 * <p>Tests should call {@link #require(String)}, which turns a missing data set into a JUnit
 * <em>assumption failure</em> (test skipped, with a clear message) instead of an error, so the build
 * still works where the shared data is not checked out.
 */
public final class TestData {

    /** System property that overrides the lookup. */
    public static final String PROPERTY = "ribbit.testdata";
    /** Environment variable that overrides the lookup (after the system property). */
    public static final String ENV = "RIBBIT_TESTDATA";

    private TestData() {}

    /** The test data root directory, if it can be found. */
    public static Optional<Path> root() {
        Optional<Path> p = existingDir(System.getProperty(PROPERTY));
        if (p.isPresent()) {
            return p;
        }
        p = existingDir(System.getenv(ENV));
        if (p.isPresent()) {
            return p;
        }
        Path d = Paths.get("").toAbsolutePath().normalize();
        while (d != null) {
            for (String candidate : new String[] {"shared/testdata", "../shared/testdata"}) {
                Path c = d.resolve(candidate).normalize();
                if (Files.isDirectory(c)) {
                    return Optional.of(c);
                }
            }
            d = d.getParent();
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code relative} (e.g. {@code "mrt/mrtparse/quagga_bgp.mrt"}) against the root. When
     * the root or the file is missing, the calling test is <em>skipped</em> via
     * {@link Assumptions#assumeTrue(boolean, String)}.
     */
    public static Path require(String relative) {
        Optional<Path> root = root();
        if (root.isEmpty()) {
            Assumptions.assumeTrue(false, "shared test data not found: no shared/testdata above "
                    + Paths.get("").toAbsolutePath() + " and -D" + PROPERTY + " not set (skipping)");
        }
        Path p = root.get().resolve(relative).normalize();
        if (!Files.exists(p)) {
            Assumptions.assumeTrue(false, "shared test data not found: " + p + " (skipping)");
        }
        return p;
    }

    /** Like {@link #require(String)} but returns empty instead of skipping. */
    public static Optional<Path> find(String relative) {
        return root().map(r -> r.resolve(relative).normalize()).filter(Files::exists);
    }

    private static Optional<Path> existingDir(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        Path p = Paths.get(s).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
}
