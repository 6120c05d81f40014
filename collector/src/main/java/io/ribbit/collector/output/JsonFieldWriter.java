package io.ribbit.collector.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ribbit.codec.text.FieldWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Adapts the codec's {@link FieldWriter} to Jackson's streaming {@link JsonGenerator}. */
public final class JsonFieldWriter implements FieldWriter {
    private JsonGenerator gen;

    public JsonFieldWriter(JsonGenerator gen) {
        this.gen = gen;
    }

    public void generator(JsonGenerator gen) {
        this.gen = gen;
    }

    @Override
    public FieldWriter name(String name) {
        try {
            gen.writeFieldName(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter value(String value) {
        try {
            gen.writeString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter value(long value) {
        try {
            gen.writeNumber(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter value(boolean value) {
        try {
            gen.writeBoolean(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter valueUnsigned(int value) {
        return value(Integer.toUnsignedLong(value));
    }

    @Override
    public FieldWriter startObject() {
        try {
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter endObject() {
        try {
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter startArray() {
        try {
            gen.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public FieldWriter endArray() {
        try {
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
