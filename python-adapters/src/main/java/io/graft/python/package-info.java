/** GraalPy hosting: the shared engine, the pool of warm contexts, the bridge back into Java, and the script loader. */
@NullMarked
package io.graft.python;

import org.jspecify.annotations.NullMarked;
