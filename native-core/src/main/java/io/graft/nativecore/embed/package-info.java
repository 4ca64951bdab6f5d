/** The default offline embedder: all-MiniLM-L6-v2 run in process by ONNX Runtime. */
@NullMarked
package io.graft.nativecore.embed;

import org.jspecify.annotations.NullMarked;
