package io.ribbit.collector.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * An event field value that writes itself, on the event writer's thread: what is costly to render
 * (per-prefix text) is built there, not on the peer's event loop that published the event. The
 * value must be immutable.
 */
public interface JsonValue {
    void write(JsonGenerator g) throws IOException;
}
