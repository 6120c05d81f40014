package io.ribbit.collector.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it came from, so every configuration error can name its line.
 * Built from Jackson's streaming YAML parser (Jackson's JsonNode does not keep locations).
 */
final class YamlNode {
    final Object value; // Map<String, YamlNode>, List<YamlNode>, String, Number, Boolean or null
    final int line;
    final Map<String, Integer> keyLines;

    private YamlNode(Object value, int line, Map<String, Integer> keyLines) {
        this.value = value;
        this.line = line;
        this.keyLines = keyLines;
    }

    static YamlNode parse(Reader reader, String file) throws ConfigException {
        try (JsonParser p = new YAMLFactory().createParser(reader)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode(new LinkedHashMap<String, YamlNode>(), 1, Map.of());
            }
            return read(p, file, "");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            // SnakeYAML's message goes on with the mark and a source excerpt on further lines: one line per error.
            String msg = String.valueOf(e.getOriginalMessage()).strip();
            int nl = msg.indexOf('\n');
            msg = nl < 0 ? msg : msg.substring(0, nl).strip();
            throw new ConfigException(file + ":" + (loc != null ? loc.getLineNr() : 0) + ": not valid YAML: " + msg
                    + (loc != null && loc.getColumnNr() > 0 ? " (column " + loc.getColumnNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads the value at the parser's current token; {@code path} is its key path for errors. */
    private static YamlNode read(JsonParser p, String file, String path) throws IOException, ConfigException {
        int line = p.currentTokenLocation().getLineNr();
        switch (p.currentToken()) {
            case START_OBJECT: {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    if (map.containsKey(key)) {
                        throw new ConfigException(file + ":" + keyLine + ": " + keyPath + ": given twice");
                    }
                    p.nextToken();
                    map.put(key, read(p, file, keyPath));
                    lines.put(key, keyLine);
                }
                return new YamlNode(map, line, lines);
            }
            case START_ARRAY: {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p, file, path + "[" + list.size() + "]"));
                }
                return new YamlNode(list, line, Map.of());
            }
            case VALUE_STRING:
                return new YamlNode(p.getText(), line, Map.of());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new YamlNode(p.getNumberValue(), line, Map.of());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode(p.getBooleanValue(), line, Map.of());
            case VALUE_NULL:
                return new YamlNode(null, line, Map.of());
            default:
                throw new ConfigException(file + ":" + line + ": unexpected " + p.currentToken());
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, YamlNode> map() {
        return value instanceof Map ? (Map<String, YamlNode>) value : null;
    }

    @SuppressWarnings("unchecked")
    List<YamlNode> list() {
        return value instanceof List ? (List<YamlNode>) value : null;
    }
}
