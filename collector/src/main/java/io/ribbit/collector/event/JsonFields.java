package io.ribbit.collector.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * An event field value that writes several fields into the event's object (its key is not
 * written), on the event writer's thread. The value must be immutable.
 */
public interface JsonFields {
    void write(JsonGenerator g) throws IOException;
}
