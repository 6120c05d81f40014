package io.ribbit.rib;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

/**
 * Runs the jcstress tests ({@link TableStress}, {@link StoreStress}) with jcstress' own options
 * and exits non-zero unless every selected test ran and passed: a FORBIDDEN outcome, an error or
 * a test that did not run fails the build (jcstress' Main only reports). The build runs it in
 * {@code verify} in sanity mode; {@code rib/src/bench/jcstress.sh} runs it fully.
 */
public final class StressRunner {
    private StressRunner() {
    }

    public static void main(String[] args) throws Exception {
        Options opts = new Options(args);
        if (!opts.parse()) {
            System.exit(2);
        }
        JCStress jcstress = new JCStress(opts);
        SortedSet<String> tests = jcstress.getTests();
        if (tests.isEmpty()) {
            System.err.println("jcstress: no test matches " + opts.getTestFilter());
            System.exit(1);
        }
        jcstress.run();
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(opts.getResultFile(), collector);
        reader.dump();
        reader.close();
        List<TestResult> results = ReportUtils.mergedByName(collector.getTestResults());
        SortedSet<String> ran = new TreeSet<>();
        int failed = 0;
        for (TestResult r : results) {
            ran.add(r.getName());
            if (!ReportUtils.statusToPassed(r)) {
                failed++;
                System.err.println("jcstress FAILED: " + r.getName() + " " + r.status() + " " + r.getMessages());
                for (String state : r.getStateKeys()) {
                    System.err.println("    " + state + ": " + r.getCount(state));
                }
            }
        }
        SortedSet<String> missing = new TreeSet<>(tests);
        missing.removeAll(ran);
        for (String m : missing) {
            System.err.println("jcstress DID NOT RUN: " + m);
        }
        System.out.println("jcstress: " + (results.size() - failed) + " passed, " + failed + " failed"
                + (missing.isEmpty() ? "" : ", " + missing.size() + " did not run"));
        System.exit(failed == 0 && missing.isEmpty() ? 0 : 1);
    }
}
