package io.graft.nativecore;

/** How vectors are compared. Scores are always "higher is better". */
public enum VectorMetric {
    /** Cosine similarity; vectors are normalized when stored, zero vectors are rejected. */
    COSINE,
    /** Raw dot product; searched exactly (HNSW needs a true distance). */
    DOT,
    /** Euclidean; the score is the negated squared distance. */
    L2;

    int code() {
        return ordinal();
    }
}
