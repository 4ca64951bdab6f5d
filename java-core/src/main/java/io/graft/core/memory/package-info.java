/** Agent memory: the MemoryStore and Embedder SPIs shared by native agents and every hosted framework. */
@NullMarked
package io.graft.core.memory;

import org.jspecify.annotations.NullMarked;
