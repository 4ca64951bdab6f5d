package io.graft.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void aShortTextIsWhatTheGeneratorWrote() {
        String text = Json.text(g -> {
            g.writeStartObject();
            g.writeStringField("agent", "calc");
            g.writeStringField("text", "ü \"quoted\"\n€");
            g.writeNumberField("n", 17);
            g.writeEndObject();
        });

        assertEquals("{\"agent\":\"calc\",\"text\":\"ü \\\"quoted\\\"\\n€\",\"n\":17}", text);
    }

    @Test
    void aTextLongerThanTheGeneratorsBufferIsWholeAndInOrder() {
        // The generator hands its buffer over each time it fills (2,000 characters), and writes a
        // long raw value past it: every piece must arrive, in order.
        String raw = "{\"raw\":\"" + "r".repeat(5_000) + "\"}";
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            values.add("value " + i + " é");
        }
        String text = Json.text(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("values");
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeFieldName("embedded");
            g.writeRawValue(raw);
            g.writeEndObject();
        });

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("values", values);
        expected.put("embedded", Map.of("raw", "r".repeat(5_000)));
        assertEquals(expected, Json.readMap(text, "the text"));
        assertEquals(Json.write(expected), text);
    }

    @Test
    void bytesAreTheTextInUtf8() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "ü €");
        value.put("none", null);
        assertEquals(Json.write(value), new String(Json.bytes(value), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(24 + 2 + 3, Json.bytes(value).length); // {"text":" ","none":null}, and 2 and 3 bytes for ü and €
    }

    @Test
    void anEmptyObjectIsTwoCharacters() {
        assertEquals("{}", Json.text(g -> {
            g.writeStartObject();
            g.writeEndObject();
        }));
    }
}
