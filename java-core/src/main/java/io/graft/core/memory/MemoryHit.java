package io.graft.core.memory;

/**
 * One search result. Higher scores are better: cosine similarity or dot product, or for L2 the
 * negated squared distance.
 */
public record MemoryHit(Memory memory, double score) {}
