package io.graft.nativecore.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
    private static WordPieceTokenizer tokenizer;
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        // DJL would otherwise probe EC2 metadata and, on a CUDA machine, download a native library;
        // offline mode keeps this test on the jar's own CPU library, extracted under the temp dir.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", dir.resolve("djl").toString());
        Path json = dir.resolve("tokenizer.json");
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, json);
        }
        try (InputStream in = Files.newInputStream(json)) {
            tokenizer = WordPieceTokenizer.fromTokenizerJson(in);
        }
        reference = HuggingFaceTokenizer.builder()
                .optTokenizerPath(json)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(MiniLmEmbedder.MAX_TOKENS)
                .optPadding(false)
                .build();
    }

    private static int[] referenceIds(String text) {
        return Arrays.stream(reference.encode(text).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    void splitsWordsAndPunctuationIntoVocabularyIds() {
        assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, tokenizer.encode("Hello, world!", 256));
    }

    @Test
    void givesTheSameIdsAsTheHuggingFaceTokenizer() {
        List<String> texts = List.of(
                "The cat sits on the mat",
                "Quarterly revenue grew 8% (year-over-year) to $4.2bn.",
                "  leading and trailing\twhitespace\n\n",
                "Unbelievably unaffordable antidisestablishmentarianism",
                "Café crème, naïve façade, Ångström, Ærøskøbing",
                "ÇA VA? Ünïcödé ÜBER ALLES",
                "東京は日本の首都です。北京是中国的首都。",
                "한국어 문장도 토큰으로 나뉩니다",
                "Emoji 🤖🚀 and symbols ™ © ° ± → ∞",
                "e-mail: someone@example.com, url https://graft.io/a_b?c=d&e=f#g",
                "zero\u200Bwidth\u00A0no-break\u2003em-space\u3000ideographic",
                "control\u0007chars\u0000and\uFFFDreplacement\u00ADsoft-hyphen",
                "«guillemets» „quotes“ ‘single’ — dashes – ‥…",
                "x".repeat(150) + " too long for one word",
                "Ελληνικά κείμενα και русский текст, עברית, العربية",
                "İstanbul straße ǅ ﬁ ligature ½ ²",
                "naïve ".repeat(300));
        for (String text : texts) {
            assertArrayEquals(referenceIds(text), tokenizer.encode(text, MiniLmEmbedder.MAX_TOKENS), text);
        }
    }

    @Test
    void truncatesLongTextsToTheTokenLimitKeepingTheFrame() {
        int[] ids = tokenizer.encode("word ".repeat(1000), 16);
        assertEquals(16, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[15]);
    }
}
