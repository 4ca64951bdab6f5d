package io.graft.nativecore.embed;

import com.fasterxml.jackson.databind.JsonNode;
import io.graft.core.json.Json;
import io.graft.core.memory.MemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT uncased WordPiece tokenizer of a Hugging Face {@code tokenizer.json}: clean the text,
 * space out CJK characters, strip accents, lowercase, split on whitespace and punctuation, then
 * greedy longest-match WordPiece, framed by {@code [CLS]} and {@code [SEP]}.
 *
 * <p>It follows the Hugging Face {@code BertNormalizer}, {@code BertPreTokenizer} and
 * {@code WordPiece} model step by step; a test checks its ids against the Hugging Face tokenizer
 * itself. It is immutable and thread-safe.
 */
final class WordPieceTokenizer {
    private static final int MAX_CHARS_PER_WORD = 100;

    private final Map<String, Integer> vocab;
    private final int cls;
    private final int sep;
    private final int unk;

    WordPieceTokenizer(Map<String, Integer> vocab) {
        this.vocab = Map.copyOf(vocab);
        this.cls = id("[CLS]");
        this.sep = id("[SEP]");
        this.unk = id("[UNK]");
    }

    /** Reads the WordPiece vocabulary of a Hugging Face {@code tokenizer.json}. */
    static WordPieceTokenizer fromTokenizerJson(InputStream json) {
        try {
            JsonNode model = Json.mapper().readTree(json).path("model");
            if (!"WordPiece".equals(model.path("type").asText())) {
                throw new MemoryException("tokenizer.json must hold a WordPiece model, was "
                        + model.path("type").asText("none"));
            }
            Map<String, Integer> vocab = new HashMap<>();
            model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            return new WordPieceTokenizer(vocab);
        } catch (IOException e) {
            throw new MemoryException("cannot read tokenizer.json: " + e.getMessage(), e);
        }
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new MemoryException("vocabulary has no " + token + " token");
        }
        return id;
    }

    /**
     * Token ids of {@code text} framed by {@code [CLS]} and {@code [SEP]}, at most {@code maxTokens}
     * long in all: word pieces past {@code maxTokens - 2} are dropped (right truncation).
     */
    int[] encode(String text, int maxTokens) {
        String normalized = normalize(text);
        // Each piece holds at least one char of the normalized text.
        int[] ids = new int[Math.min(maxTokens, normalized.length() + 2)];
        int n = 0;
        ids[n++] = cls;
        int limit = ids.length - 1;
        int i = 0;
        while (i < normalized.length() && n < limit) {
            int cp = normalized.codePointAt(i);
            if (cp == ' ') {
                i++;
                continue;
            }
            int end;
            if (isPunctuation(cp)) {
                end = i + Character.charCount(cp);
            } else {
                end = i;
                while (end < normalized.length()) {
                    int c = normalized.codePointAt(end);
                    if (c == ' ' || isPunctuation(c)) {
                        break;
                    }
                    end += Character.charCount(c);
                }
            }
            n = wordPieces(normalized.substring(i, end), ids, n, limit);
            i = end;
        }
        ids[n++] = sep;
        return Arrays.copyOf(ids, n);
    }

    /** Appends the pieces of one word, or {@code [UNK]} if some part of it is not in the vocabulary. */
    private int wordPieces(String word, int[] ids, int n, int limit) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            ids[n++] = unk;
            return n;
        }
        int start = n;
        int from = 0;
        while (from < word.length()) {
            int to = word.length();
            Integer piece = null;
            while (to > from) {
                String candidate = from == 0 ? word.substring(from, to) : "##" + word.substring(from, to);
                piece = vocab.get(candidate);
                if (piece != null) {
                    break;
                }
                to = Character.isLowSurrogate(word.charAt(to - 1)) ? to - 2 : to - 1;
            }
            if (piece == null) {
                ids[start] = unk;
                return start + 1;
            }
            // A word cut by truncation keeps its leading pieces, as Hugging Face's truncation does.
            if (n < limit) {
                ids[n++] = piece;
            }
            from = to;
        }
        return n;
    }

    /** BertNormalizer with clean_text, handle_chinese_chars, strip_accents and lowercase. */
    static String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                cleaned.append(' ');
            } else if (isChinese(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
        StringBuilder stripped = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(stripped::appendCodePoint);
        return stripped.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isWhitespace(int cp) {
        // Unicode White_Space, as Rust's char::is_whitespace; Java's isWhitespace omits no-break spaces.
        return cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85
                || Character.isSpaceChar(cp);
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    private static boolean isPunctuation(int cp) {
        if (cp < 128) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                    || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
