/** The agent model, the runtime that runs agents, and the SPIs every framework adapter implements. */
@NullMarked
package io.graft.core;

import org.jspecify.annotations.NullMarked;
