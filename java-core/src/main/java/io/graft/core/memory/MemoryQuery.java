package io.graft.core.memory;

/** What to search for: a text (embedded by the store's {@link Embedder}) or a vector. */
public sealed interface MemoryQuery {

    record Text(String text) implements MemoryQuery {
        public Text {
            MemoryChecks.requireText(text);
        }
    }

    record Vector(float[] vector) implements MemoryQuery {
        public Vector {
            vector = vector.clone();
        }

        @Override
        public float[] vector() {
            return vector.clone();
        }
    }

    static MemoryQuery text(String text) {
        return new Text(text);
    }

    static MemoryQuery vector(float[] vector) {
        return new Vector(vector);
    }
}
