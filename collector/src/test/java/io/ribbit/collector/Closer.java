package io.ribbit.collector;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test opened (daemons, speakers), closed in reverse order; the first failure is rethrown after all are tried. */
final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    <T extends AutoCloseable> T push(T c) {
        open.push(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
