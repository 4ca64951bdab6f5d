/**
 * The native memory core: {@link io.graft.nativecore.NativeMemoryStore} over the Rust library,
 * reached through FFM or, as a fallback, JNA.
 */
@NullMarked
package io.graft.nativecore;

import org.jspecify.annotations.NullMarked;
