package io.graft.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.h2.compress.Compressor;
import org.junit.jupiter.api.Test;

class PackedTextTest {
    private static final String STEP = "{\"type\":\"llm_call\",\"agent\":\"calculator-native\",\"model\":\"scripted:scripted.json\","
            + "\"message\":{\"role\":\"assistant\",\"content\":\"17 * 23 + 4 = 395.\"},\"usage\":{\"input_tokens\":26}}";

    @Test
    void textsOfEverySizeAndScriptReadBackAsTheyWere() {
        String large = String.join(",", IntStream.range(0, 400).mapToObj(i -> STEP.replace("395", "" + i)).toList());
        for (String text : List.of("", "a", "{}", "abcd", "abcde", STEP, "Grüße, 東京 😀 " + STEP, large)) {
            assertEquals(text, PackedText.unpack(PackedText.pack(text)), () -> "text of " + text.length() + " chars");
        }
    }

    @Test
    void aRunsJsonShrinksToUnderHalfWhatLzfCannotShrinkGrowsByItsHeaderOnly() {
        // the shape of a native run's result: steps that repeat their keys, agent and model
        String json = "{\"steps\":[" + String.join(",", STEP, STEP.replace("llm_call", "tool_call"),
                STEP.replace("17 * 23 + 4 = 395.", "").replace("26", "23"), STEP.replace("llm_call", "message")) + "]}";
        byte[] packed = PackedText.pack(json);
        assertEquals(Compressor.LZF, packed[0]);
        assertTrue(packed.length * 2 < json.getBytes(StandardCharsets.UTF_8).length, packed.length + " bytes");

        Random random = new Random(7);
        String noise = random.ints(3000, '!', '~' + 1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
        byte[] packedNoise = PackedText.pack(noise);
        assertEquals(Compressor.NO, packedNoise[0]);
        assertEquals(3000 + 3, packedNoise.length, "the algorithm byte and a 2-byte length");
        assertEquals(noise, PackedText.unpack(packedNoise));
    }

    @Test
    void aLoneSurrogateIsOneQuestionMarkSoOffsetsIntoAResultHold() {
        String text = "ab\uD800cd";
        assertEquals("ab?cd", PackedText.unpack(PackedText.pack(text)));
    }
}
